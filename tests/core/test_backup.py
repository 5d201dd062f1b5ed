"""Backups of the real store: taking them live, listing, the retention policy, checking and restoring."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from desktop_app.core.backup import (
    PARTIAL_PREFIX,
    Backup,
    BackupError,
    due,
    keep,
    latest_good,
    list_backups,
    make_backup,
    prune,
)
from desktop_app.core.restore import restore
from desktop_app.core.store import APPLICATION_ID, SCHEMA_VERSION, Store
from tests.conftest import damage_interior_page, write_topic

NOW = datetime(2026, 3, 18, 12, 0, 0)  # a Wednesday
Review = tuple[str, float, str, str]


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    folder = tmp_path / "bank"
    write_topic(folder, "alpha", [{"qid": f"a{i}"} for i in range(5)], order=1)
    return folder


@pytest.fixture
def store(tmp_path: Path, bank: Path) -> Iterator[Store]:
    """An open store whose recent writes are still in its write-ahead log, as in a running MLPrep."""
    s = Store.open(tmp_path / "data" / "mlprep.sqlite3")
    s.bank.sync([bank])
    for i in range(40):
        s.reviews.record(f"a{i % 5}", ("weak", "ok", "strong", "easy")[i % 4], at=1.7e9 + i * 3600.5)
    s.notes.set_note("a1", "remember the bias term")
    yield s
    s.close()


def reviews_in(path: Path) -> list[Review]:
    """The review log of a database file, read without the store (it may not be openable as one)."""
    con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT qid, reviewed_at, score, source FROM review ORDER BY id").fetchall()
    finally:
        con.close()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def store_reviews(path: Path) -> list[Review]:
    """The review log as the store reads it: the file must open with Store.open."""
    s = Store.open(path)
    try:
        return [(r.qid, r.reviewed_at, r.score, r.source) for r in s.reviews.all()]
    finally:
        s.close()


def side_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name) and p != path)


# -- make_backup -------------------------------------------------------------------------------------


def test_backup_of_a_live_store_includes_the_write_ahead_log_and_leaves_the_store_alone(
    store: Store, tmp_path: Path
) -> None:
    wal = Path(f"{store.path}-wal")
    assert wal.stat().st_size > 0  # the reviews are still in the log, not in the main file
    before = (store.path.read_bytes(), wal.read_bytes())
    folder = tmp_path / "backups"
    backup = make_backup(store.path, folder, now=NOW)
    assert backup == Backup(folder / "mlprep-20260318-120000.sqlite3", NOW, backup.path.stat().st_size)
    assert (store.path.read_bytes(), wal.read_bytes()) == before
    assert reviews_in(backup.path) == reviews_in(store.path) and len(reviews_in(backup.path)) == 40
    # One self-contained file: no log beside it, and not in WAL mode.
    assert sorted(p.name for p in folder.iterdir()) == [backup.path.name]
    con = sqlite3.connect(backup.path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    con.close()
    # The store goes on working while and after it is backed up.
    store.reviews.record("a2", "ok")
    assert store.reviews.count() == 41


def test_backup_is_one_consistent_snapshot_while_another_process_writes(store: Store, tmp_path: Path) -> None:
    """Another process commits ten reviews per transaction throughout: every backup holds whole transactions."""
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            "con = sqlite3.connect(sys.argv[1], timeout=5)\n"
            "print('ready', flush=True)\n"
            "n = 0\n"
            "while n < 400:\n"
            "    with con:\n"
            "        con.executemany('INSERT INTO review (qid, reviewed_at, score, source, seconds)"
            ' VALUES (?, ?, "ok", "self", 0)\', [(\'w\', 2e9 + n + i) for i in range(10)])\n'
            "    n += 1\n",
            str(store.path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    with writer:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        counts = []
        for i in range(5):
            backup = make_backup(store.path, tmp_path / "backups", now=NOW + timedelta(minutes=i))
            written = sum(1 for r in reviews_in(backup.path) if r[0] == "w")
            counts.append(written)
            assert written % 10 == 0
        writer.wait(30)
    assert writer.returncode == 0
    final = make_backup(store.path, tmp_path / "backups", now=NOW + timedelta(hours=1))
    assert sum(1 for r in reviews_in(final.path) if r[0] == "w") == 4000
    assert counts == sorted(counts)


def test_two_backups_in_one_second_both_kept_newest_first(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    first = make_backup(store.path, folder, now=NOW)
    store.reviews.record("a3", "strong")
    second = make_backup(store.path, folder, now=NOW)
    assert first.path.name == "mlprep-20260318-120000.sqlite3"
    assert second.path.name == "mlprep-20260318-120000-2.sqlite3"
    assert [b.path for b in list_backups(folder)] == [second.path, first.path]
    assert len(reviews_in(second.path)) == 41 and len(reviews_in(first.path)) == 40


def test_backup_refuses_what_is_not_a_store(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    with pytest.raises(BackupError, match="no file"):
        make_backup(tmp_path / "missing.sqlite3", folder)
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    with pytest.raises(BackupError, match="empty file"):
        make_backup(empty, folder)
    text = tmp_path / "text.sqlite3"
    text.write_text("not a database, just words " * 100)
    with pytest.raises(BackupError, match="cannot be read as an MLPrep store"):
        make_backup(text, folder)
    other = tmp_path / "other.sqlite3"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE contacts (name TEXT)")
    con.commit()
    con.close()
    with pytest.raises(BackupError, match="not an MLPrep store"):
        make_backup(other, folder)
    assert not folder.exists() or list(folder.iterdir()) == []


def test_a_copy_that_fails_its_check_is_removed_and_nothing_is_pruned(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    old = [make_backup(store.path, folder, now=NOW - timedelta(days=60 + i)) for i in range(12)]
    path = store.path
    store.close()
    damage_interior_page(path)
    with pytest.raises(BackupError, match="failed its integrity check") as err:
        make_backup(path, folder, now=NOW)
    assert "no older backup was deleted" in str(err.value)
    assert sorted(p.name for p in folder.iterdir()) == sorted(b.path.name for b in old)


def test_backup_into_a_folder_that_is_a_file(store: Store, tmp_path: Path) -> None:
    blocker = tmp_path / "backups"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(BackupError, match="not a folder|Cannot create"):
        make_backup(store.path, blocker)
    assert blocker.read_text() == "a file where the folder should be"


def test_a_successful_backup_prunes_by_the_policy(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    seed = make_backup(store.path, folder, now=NOW - timedelta(days=400))
    times = [NOW - timedelta(hours=7 * i + 1) for i in range(120)]  # one every 7 hours for five weeks
    for t in times:
        shutil.copyfile(seed.path, folder / f"mlprep-{t:%Y%m%d-%H%M%S}.sqlite3")
    stale = folder / f"{PARTIAL_PREFIX}dead.sqlite3"
    fresh = folder / f"{PARTIAL_PREFIX}busy.sqlite3"
    for f in (stale, fresh):
        f.write_bytes(b"half a copy")
    old = (NOW - timedelta(hours=2)).timestamp()
    os.utime(stale, (old, old))
    os.utime(fresh, (NOW.timestamp(), NOW.timestamp()))
    damaged = folder / "damaged-20250101-000000.sqlite3"
    damaged.write_bytes(b"a damaged store set aside")
    unrelated = folder / "notes.txt"
    unrelated.write_text("mine")
    newest = make_backup(store.path, folder, now=NOW)
    expected = keep([*times, seed.taken_at, NOW], NOW)
    assert {b.taken_at for b in list_backups(folder)} == expected
    assert newest.taken_at in expected and seed.taken_at not in expected
    assert not stale.exists() and fresh.exists() and damaged.exists() and unrelated.exists()
    # Pruning again removes nothing more.
    assert prune(folder, NOW) == []


# -- listing -----------------------------------------------------------------------------------------


def test_list_backups_shows_only_complete_backups(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    assert list_backups(folder) == []
    good = make_backup(store.path, folder, now=NOW)
    data = good.path.read_bytes()
    (folder / "mlprep-20260318-110000.sqlite3").write_bytes(data[: len(data) // 2])  # cut short by a crash
    (folder / "mlprep-20260318-100000.sqlite3").write_bytes(b"")
    (folder / "mlprep-20260318-090000.sqlite3").write_text("not sqlite " * 500)
    (folder / "mlprep-20260318-080000.sqlite3").mkdir()
    (folder / "mlprep-20261399-000000.sqlite3").write_bytes(data)  # no such date
    (folder / "mlprep-20260318-070000.sqlite3-journal").write_bytes(data)
    (folder / f"{PARTIAL_PREFIX}1234.sqlite3").write_bytes(data)
    (folder / "damaged-20260318-060000.sqlite3").write_bytes(data)
    (folder / "backup.sqlite3").write_bytes(data)
    renamed = folder / "mlprep-20260317-120000.sqlite3"
    shutil.copyfile(good.path, renamed)
    listed = list_backups(folder)
    assert [b.path for b in listed] == [good.path, renamed]
    assert listed[1] == Backup(renamed, datetime(2026, 3, 17, 12, 0, 0), len(data))


# -- the retention policy ------------------------------------------------------------------------------


def at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    ("taken", "kept"),
    [
        pytest.param([], [], id="nothing"),
        pytest.param(["2026-03-18 11:00"], ["2026-03-18 11:00"], id="one"),
        pytest.param(
            [f"2026-03-18 {h:02d}:00" for h in range(12)],
            [f"2026-03-18 {h:02d}:00" for h in range(2, 12)],
            id="twelve today: the newest ten",
        ),
        pytest.param(
            [f"2026-03-{d:02d} {h:02d}:00" for d in (16, 17, 18) for h in (9, 10, 11, 12, 13)],
            # the newest ten are 18th 9-13 and 17th 9-13; the newest of the 16th as that day's newest
            [f"2026-03-{d:02d} {h:02d}:00" for d in (17, 18) for h in (9, 10, 11, 12, 13)] + ["2026-03-16 13:00"],
            id="newest of each day beyond the ten",
        ),
        pytest.param(
            # 14 today, plus one on each of the six days before, and two on the seventh day back (outside)
            [f"2026-03-18 {h:02d}:00" for h in range(14)]
            + [f"2026-03-{d:02d} 08:00" for d in range(12, 18)]
            + ["2026-03-11 23:59", "2026-03-11 09:00"],
            # the 11th is outside the seven days, and not the newest of its ISO week (9th-15th): the 15th is
            [f"2026-03-18 {h:02d}:00" for h in range(4, 14)] + [f"2026-03-{d:02d} 08:00" for d in range(12, 18)],
            id="seven days of dailies",
        ),
        pytest.param(
            # ten today, and two a day from 2026-02-10 to 2026-03-10
            [f"2026-03-18 {h:02d}:00" for h in range(10)]
            + [
                (datetime(2026, 2, 10) + timedelta(days=d, hours=h)).strftime("%Y-%m-%d %H:%M")
                for d in range(29)
                for h in (6, 18)
            ],
            [f"2026-03-18 {h:02d}:00" for h in range(10)]
            # the newest of each ISO week whose backups fall within the last 30 days (from 2026-02-17 on):
            # the week of 2026-02-16 (Mon) to 2026-02-22, of 2026-02-23, and of 2026-03-02; the week of
            # 2026-03-09 has its newest on the 10th; nothing older than 30 days, whatever its week.
            + ["2026-02-22 18:00", "2026-03-01 18:00", "2026-03-08 18:00", "2026-03-10 18:00"],
            id="weeklies over thirty days",
        ),
        pytest.param(
            ["2025-01-01 00:00", "2024-06-01 12:00"],
            ["2025-01-01 00:00", "2024-06-01 12:00"],
            id="old ones kept while fewer than ten",
        ),
        pytest.param(
            [f"2026-03-19 {h:02d}:00" for h in range(12)] + ["2026-03-18 11:00"],
            [f"2026-03-19 {h:02d}:00" for h in range(2, 12)] + ["2026-03-18 11:00"],
            id="the clock was set back: the future counts as recent",
        ),
    ],
)
def test_keep(taken: list[str], kept: list[str]) -> None:
    assert keep([at(t) for t in taken], NOW) == {at(t) for t in kept}


def test_keep_with_a_backup_every_hour_for_a_year() -> None:
    taken = [NOW - timedelta(hours=h) for h in range(24 * 365)]
    kept = keep(taken, NOW)
    newest_ten = set(taken[:10])
    days = {t.date() for t in kept}
    assert newest_ten <= kept
    # Ten from today; the last of each of the six days before; the last of each ISO week reaching into the
    # last 30 days (2026-02-17 on): the weeks starting 02-16, 02-23, 03-02 and 03-09 end on a Sunday at
    # 23:00, and the week starting 03-16 is today's (already in). The Sunday 03-15 is also one of the six days.
    sundays = [datetime(2026, 2, 22, 23), datetime(2026, 3, 1, 23), datetime(2026, 3, 8, 23), datetime(2026, 3, 15, 23)]
    assert set(sundays) <= kept
    assert len(kept) == 10 + 6 + 3
    assert min(kept) >= NOW - timedelta(days=30)
    # Each of the last seven days keeps its last backup of the day (23:00, or now for today).
    for d in range(1, 7):
        assert datetime.combine(NOW.date() - timedelta(days=d), datetime.min.time()) + timedelta(hours=23) in kept
    assert len(days) >= 7
    # Doubles count once; the input order does not matter.
    assert keep(list(reversed(taken)) + taken[:50], NOW) == kept


def test_keep_is_the_same_for_every_order() -> None:
    taken = [NOW - timedelta(hours=5 * h, minutes=h) for h in range(200)]
    assert keep(taken, NOW) == keep(sorted(taken), NOW) == keep(taken[::-1], NOW)


# -- due ---------------------------------------------------------------------------------------------


def test_due(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    every = timedelta(minutes=30)
    assert due(folder, NOW, every)
    make_backup(store.path, folder, now=NOW)
    assert not due(folder, NOW, every)
    assert not due(folder, NOW + timedelta(minutes=29, seconds=59), every)
    assert due(folder, NOW + timedelta(minutes=30), every)
    assert not due(folder, NOW + timedelta(hours=23), timedelta(days=1))
    assert due(folder, NOW + timedelta(days=1), timedelta(days=1))
    assert due(folder, NOW - timedelta(hours=1), every)  # the newest is in the future: the clock went back


# -- latest_good -------------------------------------------------------------------------------------


def test_latest_good_skips_damaged_and_foreign_files(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    assert latest_good(folder) is None
    good = make_backup(store.path, folder, now=NOW - timedelta(hours=3))
    damaged = make_backup(store.path, folder, now=NOW - timedelta(hours=2))
    damage_interior_page(damaged.path)
    foreign = folder / f"mlprep-{NOW - timedelta(hours=1):%Y%m%d-%H%M%S}.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE contacts (name TEXT)")
    con.execute("INSERT INTO contacts VALUES ('x')")
    con.commit()
    con.close()
    newer = folder / f"mlprep-{NOW:%Y%m%d-%H%M%S}.sqlite3"
    shutil.copyfile(good.path, newer)
    con = sqlite3.connect(newer)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")  # from a newer MLPrep: cannot be restored here
    con.commit()
    con.close()
    assert [b.path for b in list_backups(folder)] == [newer, foreign, damaged.path, good.path]
    assert latest_good(folder) == good
    good.path.unlink()
    assert latest_good(folder) is None


# -- restore -----------------------------------------------------------------------------------------


def test_restore_puts_the_backup_in_place_and_keeps_the_current_store(store: Store, tmp_path: Path, bank: Path) -> None:
    folder = tmp_path / "backups"
    backup = make_backup(store.path, folder, now=NOW - timedelta(days=2))
    before = reviews_in(backup.path)
    for i in range(7):
        store.reviews.record("a4", "weak", at=1.8e9 + i)
    current = reviews_in(store.path)
    path = store.path
    store.close()
    Path(f"{path}-wal").write_bytes(b"")  # as after a crash: an empty log and a stale index beside the file
    Path(f"{path}-shm").write_bytes(b"\x01" * 32768)
    kept = restore(backup.path, path, folder, now=NOW)
    assert kept is not None and kept.parent == folder and kept != backup.path
    assert reviews_in(kept) == current and len(current) == 47
    assert side_files(path) == []  # the old store's log and index are gone
    assert [f.name for f in path.parent.iterdir()] == [path.name]  # and no temporary file is left
    assert store_reviews(path) == before
    reopened = Store.open(path)
    try:
        assert reopened.notes.note("a1") == "remember the bias term"
        assert reopened.sched.card("a1") is not None
        reopened.bank.sync([bank])
        reopened.reviews.record("a0", "ok")  # a restored store is a normal store
    finally:
        reopened.close()
    assert backup.path.exists()  # the backup restored from is never removed


def test_restore_refuses_while_the_store_is_open_in_this_process(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    backup = make_backup(store.path, folder, now=NOW)
    store.reviews.record("a1", "ok")
    before = (store.path.read_bytes(), Path(f"{store.path}-wal").read_bytes())
    with pytest.raises(BackupError, match="Close MLPrep first"):
        restore(backup.path, store.path, folder, now=NOW + timedelta(minutes=1))
    assert (store.path.read_bytes(), Path(f"{store.path}-wal").read_bytes()) == before
    assert list_backups(folder) == [backup]
    assert sorted(f.name for f in store.path.parent.iterdir()) == sorted([store.path.name, *side_files(store.path)])
    store.reviews.record("a1", "ok")  # and the store still works


def test_restore_refuses_while_another_process_has_the_store_open(store: Store, tmp_path: Path) -> None:
    """An idle MLPrep in another process: no transaction, only its open connection."""
    folder = tmp_path / "backups"
    backup = make_backup(store.path, folder, now=NOW)
    path = store.path
    store.close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            "con = sqlite3.connect(sys.argv[1])\n"
            "con.execute('SELECT COUNT(*) FROM review').fetchone()\n"
            "print('open', flush=True)\n"
            "sys.stdin.readline()\n",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    with holder:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        before = path.read_bytes()
        with pytest.raises(BackupError, match="in use by another program"):
            restore(backup.path, path, folder, now=NOW + timedelta(minutes=1))
        assert path.read_bytes() == before
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(10)
    restore(backup.path, path, folder, now=NOW + timedelta(minutes=2))  # once it has gone, it works


def _variant(source: Path, target: Path, sql: str) -> Path:
    shutil.copyfile(source, target)
    con = sqlite3.connect(target)
    con.execute(sql)
    con.commit()
    con.close()
    return target


def test_restore_refuses_a_bad_backup_and_changes_nothing(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    good = make_backup(store.path, folder, now=NOW)
    path = store.path
    store.close()
    before = path.read_bytes()
    damaged = tmp_path / "damaged.sqlite3"
    shutil.copyfile(good.path, damaged)
    damage_interior_page(damaged)
    foreign = tmp_path / "foreign.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE contacts (name TEXT)")
    con.commit()
    con.close()
    text = tmp_path / "words.sqlite3"
    text.write_text("not a database " * 300)
    cases = [
        (tmp_path / "missing.sqlite3", "no file"),
        (text, "not an MLPrep backup"),
        (foreign, "not an MLPrep backup"),
        (damaged, "is damaged"),
        (_variant(good.path, tmp_path / "newer.sqlite3", f"PRAGMA user_version = {SCHEMA_VERSION + 1}"), "newer"),
        (_variant(good.path, tmp_path / "other-id.sqlite3", "PRAGMA application_id = 1234"), "not an MLPrep"),
    ]
    for backup, message in cases:
        with pytest.raises(BackupError, match=message):
            restore(backup, path, folder, now=NOW + timedelta(minutes=1))
        assert path.read_bytes() == before, backup
        assert sorted(f.name for f in path.parent.iterdir()) == [path.name], backup
        assert list_backups(folder) == [good]
        assert not [f for f in folder.iterdir() if f.name.startswith("damaged")]


def test_restore_over_a_damaged_store_sets_it_aside_unchanged(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    backup = make_backup(store.path, folder, now=NOW - timedelta(days=1))
    path = store.path
    store.close()
    main = damage_interior_page(path)
    wal = b"a log that belongs to the damaged file" * 10
    shm = b"\x07" * 32768
    Path(f"{path}-wal").write_bytes(wal)
    Path(f"{path}-shm").write_bytes(shm)
    kept = restore(backup.path, path, folder, now=NOW)
    assert kept == folder / "damaged-20260318-120000.sqlite3"
    assert kept.read_bytes() == main
    assert Path(f"{kept}-wal").read_bytes() == wal and Path(f"{kept}-shm").read_bytes() == shm
    assert side_files(path) == []
    assert store_reviews(path) == reviews_in(backup.path)
    assert list_backups(folder) == [backup]  # the damaged copy is not a backup
    assert latest_good(folder) == backup


def test_restore_over_a_file_that_is_not_a_database(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    backup = make_backup(store.path, folder, now=NOW - timedelta(days=1))
    path = store.path
    store.close()
    garbage = b"overwritten by something else " * 1000
    path.write_bytes(garbage)
    Path(f"{path}-wal").unlink(missing_ok=True)
    kept = restore(backup.path, path, folder, now=NOW)
    kept2 = restore(backup.path, path, folder, now=NOW)  # and again at once: the sound store becomes a backup
    assert kept is not None and kept.read_bytes() == garbage
    assert kept2 is not None and kept2.name.startswith("mlprep-") and reviews_in(kept2) == reviews_in(backup.path)
    assert store_reviews(path) == reviews_in(backup.path)


def test_restore_where_there_is_no_store(store: Store, tmp_path: Path) -> None:
    backup = make_backup(store.path, tmp_path / "backups", now=NOW)
    elsewhere = tmp_path / "new-machine" / "data" / "mlprep.sqlite3"
    assert restore(backup.path, elsewhere, tmp_path / "new-machine" / "backups", now=NOW) is None
    assert store_reviews(elsewhere) == reviews_in(backup.path)


def test_restore_takes_a_store_file_copied_with_its_log(store: Store, tmp_path: Path) -> None:
    """A user may pick a store file copied by hand from another machine, in WAL mode with its log beside it."""
    copied = tmp_path / "copied" / "mlprep.sqlite3"
    copied.parent.mkdir()
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{store.path}{suffix}", f"{copied}{suffix}")
    expected = reviews_in(store.path)
    path = store.path
    store.close()
    (tmp_path / "empty").mkdir()
    target = tmp_path / "empty" / "mlprep.sqlite3"
    assert restore(copied, target, tmp_path / "backups", now=NOW) is None
    assert store_reviews(target) == expected and len(expected) == 40
    assert path.exists()


def test_restore_cleans_up_a_stale_temporary_file_next_to_the_store(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    backup = make_backup(store.path, folder, now=NOW)
    path = store.path
    store.close()
    stale = path.parent / ".mlprep-restore-dead.sqlite3"
    stale.write_bytes(b"left by a restore that was killed")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    restore(backup.path, path, folder)
    assert not stale.exists()


def test_restore_stops_before_the_swap_when_the_current_store_cannot_be_backed_up(store: Store, tmp_path: Path) -> None:
    backup = make_backup(store.path, tmp_path / "backups", now=NOW)
    store.reviews.record("a0", "weak")  # so the store differs from the backup
    path = store.path
    store.close()
    before = path.read_bytes()
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the backups folder should be")
    with pytest.raises(BackupError, match="Nothing was restored; the store was not changed"):
        restore(backup.path, path, blocked, now=NOW)
    assert path.read_bytes() == before and side_files(path) == []
    assert [f.name for f in path.parent.iterdir() if f.name.startswith(".mlprep")] == []


def test_an_older_schema_and_a_store_from_before_the_application_id(tmp_path: Path) -> None:
    """A backup from an older MLPrep restores and is upgraded on open; a legacy store (no application id,
    recognised by its tables, as the store itself does) can be backed up."""
    old = tmp_path / "v4.sqlite3"
    shutil.copyfile(Path(__file__).parent / "store" / "data" / "v4-store.sqlite3", old)
    expected = reviews_in(old)
    target = tmp_path / "data" / "mlprep.sqlite3"
    assert restore(old, target, tmp_path / "backups", now=NOW) is None
    assert sorted(store_reviews(target)) == sorted(expected) and len(expected) == 3
    legacy = _variant(target, tmp_path / "legacy.sqlite3", "PRAGMA application_id = 0")
    backup = make_backup(legacy, tmp_path / "backups", now=NOW)
    assert sorted(reviews_in(backup.path)) == sorted(expected)
    assert latest_good(tmp_path / "backups") == backup
