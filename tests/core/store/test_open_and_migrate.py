"""Opening the store on real SQLite files: migrations, refusal without damage, crashes and upgrades."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop_app.core.store import APPLICATION_ID, SCHEMA_VERSION, Store, StoreError


def test_new_store_has_schema_version_wal_and_foreign_keys(store: Store) -> None:
    assert store.schema_version() == SCHEMA_VERSION
    assert store._db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1


def test_newer_database_is_refused_and_not_modified(tmp_path: Path) -> None:
    path = tmp_path / "mlprep.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE future (x)")
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # written by a later MLPrep
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer version of MLPrep"):
        Store.open(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "mlprep.sqlite3-wal").exists()


def test_corrupt_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "mlprep.sqlite3"
    path.write_bytes(b"this is not sqlite at all, just some text that a crash could leave" * 50)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="damaged or is not an MLPrep database") as err:
        Store.open(path)
    assert str(path) in str(err.value) and "left untouched" in str(err.value)
    assert path.read_bytes() == before


def test_locked_database_gives_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "mlprep.sqlite3"
    Store.open(path).close()
    holder = sqlite3.connect(path, timeout=0)
    holder.execute("PRAGMA journal_mode=delete").fetchone()
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked by another program"):
            Store.open(path)
    finally:
        holder.rollback()
        holder.close()


def test_folder_in_place_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "mlprep.sqlite3"
    path.mkdir()
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(path)


def test_an_empty_file_or_another_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    """Issue 12: a 0-byte file and another program's SQLite file used to be initialised or migrated in place."""
    empty = tmp_path / "empty" / "mlprep.sqlite3"
    empty.parent.mkdir()
    sqlite3.connect(empty).close()  # sqlite3 leaves a 0-byte file
    assert empty.stat().st_size == 0
    with pytest.raises(StoreError, match="empty file"):
        Store.open(empty)
    assert empty.stat().st_size == 0
    other = tmp_path / "other" / "mlprep.sqlite3"
    other.parent.mkdir()
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE contacts (name TEXT)")
    con.execute("INSERT INTO contacts VALUES ('Ada')")
    con.commit()
    con.close()
    before = other.read_bytes()
    with pytest.raises(StoreError, match="made by another program"):
        Store.open(other)
    assert other.read_bytes() == before


def test_a_new_store_carries_mlprep_s_application_id(tmp_path: Path) -> None:
    from desktop_app.core.store import APPLICATION_ID

    path = tmp_path / "mlprep.sqlite3"
    Store.open(path).close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    con.close()
    s = Store.open(path)  # and is opened again as ours
    assert s.schema_version() == SCHEMA_VERSION
    s.close()


def test_migrations_run_in_order_in_one_transaction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_app.core import store as store_module

    path = tmp_path / "m.sqlite3"
    Store.open(path).close()
    applied: list[str] = []

    def add_column(db) -> None:  # type: ignore[no-untyped-def]
        applied.append("2")
        db.execute_sql("ALTER TABLE note ADD COLUMN pinned INTEGER DEFAULT 0")

    def broken(db) -> None:  # type: ignore[no-untyped-def]
        applied.append("3")
        raise RuntimeError("disk full halfway through")

    base = store_module.SCHEMA_VERSION
    monkeypatch.setattr(store_module, "MIGRATIONS", [*store_module.MIGRATIONS, add_column, broken])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", base + 2)
    with pytest.raises(RuntimeError):
        Store.open(path)
    assert applied == ["2", "3"]
    con = sqlite3.connect(path)
    # Both steps rolled back together: version and schema exactly as before the upgrade.
    assert con.execute("PRAGMA user_version").fetchone()[0] == base
    assert "pinned" not in [r[1] for r in con.execute("PRAGMA table_info(note)")]
    con.close()
    monkeypatch.setattr(store_module, "MIGRATIONS", [*store_module.MIGRATIONS[:base], add_column])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", base + 1)
    s = Store.open(path)
    assert s.schema_version() == base + 1
    assert "pinned" in [r[1] for r in s._db.execute_sql("PRAGMA table_info(note)").fetchall()]
    s.close()


def test_reviews_survive_a_killed_process(tmp_path: Path, bank: Path) -> None:
    import signal
    import subprocess
    import sys
    import textwrap

    path = tmp_path / "crash" / "mlprep.sqlite3"
    program = textwrap.dedent(
        f"""
        import os, signal, sys
        from pathlib import Path
        from desktop_app.core.store import Store
        s = Store.open(Path({str(path)!r}))
        s.bank.sync([Path({str(bank)!r})])
        s.reviews.record("a1", "strong")
        s.reviews.record("b1", "weak")
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)  # no close, no checkpoint: as if the app crashed
        """
    )
    repo = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-c", program], cwd=repo, capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    s = Store.open(path)
    assert [(r.qid, r.score) for r in s.reviews.all()] == [("a1", "strong"), ("b1", "weak")]
    assert s._db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    s.close()


def test_a_version_one_store_upgrades_with_its_history(tmp_path: Path, bank: Path) -> None:
    """A store written by the first release (schema 1) opens in this one with every review intact."""
    from desktop_app.core import store as store_module
    from desktop_app.core.store import migrations

    path = tmp_path / "v1.sqlite3"
    con = sqlite3.connect(path)
    for sql in migrations.V1:
        con.execute(sql)
    con.execute("INSERT INTO topic_row VALUES ('alpha', 'Alpha', '', 10, '', 0)")
    con.execute(
        "INSERT INTO question_row (qid, topic_id, position, question, level, answer, follow_ups, tags, rubric_strong,"
        " rubric_ok, rubric_weak, solution, tests, content_hash, retired) VALUES ('a1', 'alpha', 1, 'Old?',"
        " 'beginner', 'Old answer.', '[]', '[]', 'A rubric of one sentence.', 'o', 'w', NULL, NULL, 'old', 0)"
    )
    con.execute(
        "INSERT INTO review (qid, reviewed_at, score, source, seconds) VALUES ('a1', 1000.0, 'ok', 'self', 3.0)"
    )
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    s = Store.open(path)
    assert s.schema_version() == store_module.SCHEMA_VERSION >= 4
    assert [(r.qid, r.score, r.seconds) for r in s.reviews.all()] == [("a1", "ok", 3.0)]
    assert s._db.execute_sql("SELECT count(*) FROM mock_session").fetchone()[0] == 0
    # The old one-sentence rubric reads as one essential point, before and after a sync.
    old = s.questions.get("a1")
    assert old is not None and old.rubric.strong == ("A rubric of one sentence.",) and old.rubric.also_good == ()
    # The upgrade scheduled the card from the history it already had.
    card = s.sched.card("a1")
    assert card is not None and card.last_review == pytest.approx(1000.0, abs=1e-3)
    s.bank.sync([bank])
    assert [(r.qid, r.score) for r in s.reviews.all()] == [("a1", "ok")]
    s.close()


def test_wal_is_checkpointed_in_the_background_not_on_commit(tmp_path: Path, bank: Path) -> None:
    path = tmp_path / "w" / "mlprep.sqlite3"
    s = Store.open(path)
    s.bank.sync([bank])
    assert s._db.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    for i in range(50):
        s.reviews.record("a1", "ok", at=1000.0 + i)
    wal = path.with_name(path.name + "-wal")
    assert wal.stat().st_size > 0
    s.checkpoint_in_background().join(10)
    reader = sqlite3.connect(path)
    assert reader.execute("SELECT COUNT(*) FROM review").fetchone()[0] == 50
    reader.close()
    s.close()
    assert not wal.exists() or wal.stat().st_size == 0  # close truncates it


def test_progress_survives_reopen(tmp_path: Path, bank: Path) -> None:
    path = tmp_path / "d" / "mlprep.sqlite3"
    s = Store.open(path)
    s.bank.sync([bank])
    s.reviews.record("b1", "strong")
    s.close()
    s = Store.open(path)
    assert s.bank.sync([bank]).unchanged
    assert s.questions.progress_counts() == (1, 3)
    s.close()


def test_a_store_with_a_zeroed_interior_page_is_refused_untouched(tmp_path: Path, bank: Path) -> None:
    """Issue 12: the open check read only the header, so a damaged store was opened and written to."""
    from tests.conftest import damage_interior_page

    path = tmp_path / "mlprep.sqlite3"
    s = Store.open(path)
    s.bank.sync([bank])
    for qid in ("a1", "a2", "b1"):
        s.reviews.record(qid, "ok")
    s.close()
    damaged = damage_interior_page(path)
    with pytest.raises(StoreError, match="is damaged") as err:
        Store.open(path)
    assert "will not write to it" in str(err.value)
    assert path.read_bytes() == damaged


def test_writes_wait_for_the_background_check_and_are_refused_on_a_damaged_store(tmp_path: Path, bank: Path) -> None:
    from desktop_app.core.store import WriteError
    from tests.conftest import damage_interior_page

    path = tmp_path / "mlprep.sqlite3"
    s = Store.open(path)
    s.bank.sync([bank])
    s.reviews.record("a1", "ok")
    s.close()
    damaged = damage_interior_page(path)
    s = Store.open(path, verify=False)  # the window's way: the check runs on a worker thread
    assert s.verdict(timeout=30) is not None and "is damaged" in (s.damaged or "")
    with pytest.raises(WriteError) as err:
        s.notes.set_note("a1", "typed while the store was damaged")
    assert err.value.kind == "damaged"
    s.close()
    assert path.read_bytes() == damaged


def test_a_store_made_by_the_previous_version_is_converted_in_place(tmp_path: Path) -> None:
    """tests/core/store/data/v4-store.sqlite3 was written by the release before schema 5 (two copies of
    the text, prefix indexes): reviews, notes, bookmarks and retirements survive; the text is kept once;
    search works on the new index; the freed space goes back to the disk."""
    import shutil

    from desktop_app.core import store as store_module

    path = tmp_path / "mlprep.sqlite3"
    shutil.copy(Path(__file__).parent / "data" / "v4-store.sqlite3", path)
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 4
    old_tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    assert {"title_search_content", "question_search_content"} <= old_tables
    con.close()
    s = Store.open(path)
    assert s.schema_version() == store_module.SCHEMA_VERSION >= 5
    assert [(r.qid, r.score, r.source) for r in s.reviews.all()] == [
        ("a1", "ok", "self"),
        ("b1", "weak", "mock"),
        ("a1", "strong", "self"),
    ]
    assert s.notes.is_bookmarked("b2") and s.notes.note("a2") == "Remember: velocity."
    tables = {str(r[0]) for r in s.execute("SELECT name FROM sqlite_master")}
    assert "title_search_content" not in tables and "question_search_content" not in tables
    assert [q.qid for q in s.questions.list()] == ["a1", "a2", "b1", "b2"]  # a3 stays retired
    assert {q.qid for q in s.questions.list(search="grad")} == {"a1", "a2", "b2"}
    assert [q.qid for q in s.questions.list(search="cafe")] == ["a2"]
    assert s.questions.list(search="learning rate") == []  # the retired question is not in the index
    assert {t.id: (t.reviewed, t.total) for t in s.questions.topics()} == {"alpha": (1, 2), "beta": (1, 2)}
    assert s.execute("PRAGMA freelist_count") == [(0,)]
    assert s.execute("PRAGMA integrity_check") == [("ok",)]
    # Schema 6: the coding round's log arrives empty and takes writes.
    assert s.attempts.last("a1") is None
    s.attempts.record("a1", "x = 1\n", 1, 1, "All 1 tests passed.", 0.1, False)
    assert s.attempts.last("a1") is not None
    s.close()
    assert path.stat().st_size < (Path(__file__).parent / "data" / "v4-store.sqlite3").stat().st_size
