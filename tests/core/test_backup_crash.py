"""Backups and restores killed (SIGKILL) at moments spread over their whole run lose nothing.

Each operation runs in a child process on a store big enough to take a measurable time; the parent
kills it after increasing delays and checks after every kill that the store opens with Store.open and
holds the reviews it should, and that no partial backup is ever listed.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from desktop_app.core.backup import PARTIAL_PREFIX, list_backups, make_backup
from desktop_app.core.store import Store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

REPO = Path(__file__).resolve().parents[2]
KILLS = 14
DRIVER = """
import sys
from datetime import datetime
from pathlib import Path

from desktop_app.core.backup import make_backup
from desktop_app.core.restore import restore

op, store, backups, chosen = sys.argv[1:]
print("go", flush=True)
if op == "backup":
    make_backup(Path(store), Path(backups), now=datetime.now())
else:
    restore(Path(chosen), Path(store), Path(backups), now=datetime.now())
print("done", flush=True)
"""
FINGERPRINT = "SELECT COUNT(*), TOTAL(reviewed_at), TOTAL(length(qid)), TOTAL(score = 'weak') FROM review"


def fill(store: Store, reviews: int, prefix: str, notes: int) -> None:
    """Tens of thousands of reviews (of questions not in the bank, which the log keeps) and long notes,
    written in one transaction and left in the write-ahead log, then the derived rows rebuilt."""
    rows = [
        (f"{prefix}{i % 700}", 1.6e9 + i * 61.25, ("weak", "ok", "strong")[i % 3], "self", 2.5) for i in range(reviews)
    ]
    with store.transaction():
        assert store.reviews.merge(rows) == reviews
        store.notes.merge_notes([(f"{prefix}{i}", f"note {i} " + "x" * 4000, 1.6e9 + i) for i in range(notes)])
    store.sched.rebuild()


def fingerprint(path: Path) -> tuple[object, ...]:
    """The review log of the store at `path`, as the store opens it."""
    s = Store.open(path)
    try:
        return tuple(s.execute(FINGERPRINT)[0])
    finally:
        s.close()


def check_listed(folder: Path, checked: set[Path], expected: tuple[object, ...]) -> None:
    """Every listed backup is complete: it passes integrity_check and holds exactly the expected reviews."""
    for backup in list_backups(folder):
        if backup.path in checked:
            continue
        con = sqlite3.connect(f"{backup.path.as_uri()}?mode=ro", uri=True)
        try:
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)], backup
            assert tuple(con.execute(FINGERPRINT).fetchone()) == expected, backup
        finally:
            con.close()
        checked.add(backup.path)


class Child:
    """The driver in a child process, with the worktree first on its path."""

    def __init__(self, driver: Path, *args: Path):
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        self.proc = subprocess.Popen(
            [sys.executable, str(driver), *map(str, args)], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True
        )
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "go"
        self.started = time.monotonic()

    def finish(self) -> float:
        assert self.proc.stdout is not None
        assert self.proc.stdout.readline().strip() == "done"
        took = time.monotonic() - self.started
        self.proc.wait(30)
        self.proc.stdout.close()
        assert self.proc.returncode == 0
        return took

    def kill_after(self, delay: float) -> bool:
        """Kill it `delay` seconds after it started the operation; returns whether it was still running."""
        time.sleep(max(0.0, delay - (time.monotonic() - self.started)))
        running = self.proc.poll() is None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        return running and self.proc.returncode == -signal.SIGKILL


def delays(duration: float) -> list[float]:
    """KILLS moments from the very start to just past the end of an operation that takes `duration`."""
    return [duration * 1.1 * i / (KILLS - 1) for i in range(KILLS)]


@pytest.fixture
def driver(tmp_path: Path) -> Path:
    path = tmp_path / "driver.py"
    path.write_text(DRIVER, encoding="utf-8")
    return path


@pytest.fixture
def live_store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "data" / "mlprep.sqlite3")
    fill(s, 100_000, "q", 2000)
    yield s
    s.close()


def test_backup_killed_at_any_moment_loses_nothing(live_store: Store, tmp_path: Path, driver: Path) -> None:
    """The store stays open here, with its data in the write-ahead log, as in a running MLPrep."""
    store = live_store
    folder = tmp_path / "backups"
    assert Path(f"{store.path}-wal").stat().st_size > 10_000_000
    expected = tuple(store.execute(FINGERPRINT)[0])
    duration = Child(driver, Path("backup"), store.path, folder, Path("-")).finish()
    checked: set[Path] = set()
    check_listed(folder, checked, expected)
    outcomes = []
    for delay in delays(duration):
        before = set(folder.iterdir())
        child = Child(driver, Path("backup"), store.path, folder, Path("-"))
        was_running = child.kill_after(delay)
        new = set(folder.iterdir()) - before
        if not was_running:
            outcomes.append("finished")
        elif any(f.name.startswith(PARTIAL_PREFIX) for f in new):
            outcomes.append("copying or checking")
        else:
            outcomes.append("published" if {b.path for b in list_backups(folder)} - before else "starting")
        # After every kill: the store, open all along, still has every review and still takes writes...
        assert tuple(store.execute(FINGERPRINT)[0]) == expected
        assert store.verify() is None
        # ...and whatever is listed is a complete, checked backup of it.
        check_listed(folder, checked, expected)
    print("backup killed in:", outcomes)
    assert outcomes.count("copying or checking") >= KILLS // 2, outcomes
    # The next backup clears nothing it should not; the store, closed and reopened, has every review.
    make_backup(store.path, folder, now=datetime.now())
    check_listed(folder, checked, expected)
    path = store.path
    store.close()
    assert fingerprint(path) == expected


def test_restore_killed_at_any_moment_leaves_the_old_store_or_the_backup(tmp_path: Path, driver: Path) -> None:
    data = tmp_path / "data"
    path = data / "mlprep.sqlite3"
    # The backup to restore: another history.
    other = Store.open(tmp_path / "other" / "mlprep.sqlite3")
    fill(other, 40_000, "b", 500)
    chosen = make_backup(other.path, tmp_path / "chosen", now=datetime(2026, 1, 1)).path
    other.close()
    restored = fingerprint(chosen)
    # The store to replace, as a crashed MLPrep leaves it: committed reviews still only in its log.
    old = Store.open(path)
    fill(old, 100_000, "q", 2000)
    snapshot = tmp_path / "snapshot"
    snapshot.mkdir()
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{path}{suffix}", snapshot / f"mlprep.sqlite3{suffix}")
    old.close()

    def reset() -> None:
        shutil.rmtree(data)
        data.mkdir()
        for suffix in ("", "-wal"):
            shutil.copyfile(snapshot / f"mlprep.sqlite3{suffix}", f"{path}{suffix}")

    reset()
    assert Path(f"{path}-wal").stat().st_size > 10_000_000
    previous = fingerprint(path)
    assert previous != restored
    folder = tmp_path / "backups"
    reset()
    duration = Child(driver, Path("restore"), path, folder, chosen).finish()
    assert fingerprint(path) == restored
    checked: set[Path] = set()
    check_listed(folder, checked, previous)
    phases = []
    for delay in delays(duration):
        reset()
        before = set(folder.iterdir())
        child = Child(driver, Path("restore"), path, folder, chosen)
        was_running = child.kill_after(delay)
        phase = restore_phase(path, folder, before)
        now_holds = fingerprint(path)  # opens with Store.open...
        assert now_holds in (previous, restored)  # ...and holds exactly one of the two histories
        assert (now_holds == restored) == (phase == "swapped"), phase
        phases.append(phase if was_running else "finished")
        check_listed(folder, checked, previous)  # backups taken of the old store are whole
        assert not [f for f in folder.iterdir() if f.name.startswith("damaged")]
    print("restore killed in:", phases)
    assert len({p for p in phases if p != "finished"}) >= 3, phases
    assert fingerprint(chosen) == restored  # the backup restored from is untouched


def restore_phase(path: Path, folder: Path, before: set[Path]) -> str:
    """Where a killed restore had got to, from the files it left (read before anything opens the store)."""
    if path.read_bytes()[:100][18] == 1 and not Path(f"{path}-wal").exists():
        # The old store is out of WAL mode: restore had folded in and removed its log. Or it was swapped.
        con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            swapped = con.execute("SELECT COUNT(*) FROM review WHERE qid LIKE 'b%'").fetchone()[0] > 0
        finally:
            con.close()
        return "swapped" if swapped else "log folded in"
    if {b.path for b in list_backups(folder)} - before:
        return "old store backed up"
    if any(f.name.startswith(PARTIAL_PREFIX) for f in set(folder.iterdir()) - before):
        return "backing up the old store"
    if any(f.name.startswith(".mlprep-restore-") for f in path.parent.iterdir()):
        return "staging the backup"
    return "starting"
