"""Backups of the store: taken while MLPrep runs, checked, pruned by age, and found again to restore.

A backup is one self-contained SQLite file, `mlprep-YYYYMMDD-HHMMSS.sqlite3` (local time), in a folder of
backups. It appears under that name only once it is complete, checked and on disk: it is written to a
temporary file, checked with `PRAGMA integrity_check`, fsynced and then renamed, so a crash or a kill at
any moment leaves either the finished backup or a temporary file that nothing lists and `prune` removes.
Nothing here writes to the store itself: core/restore.py puts a backup back in place, with the copying,
checking and file steps below (the public helpers at the end are shared with it).
"""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import struct
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from desktop_app.core.store import APPLICATION_ID, SCHEMA_VERSION

KEEP_NEWEST = 10  # the newest backups, whatever their age
DAILY_DAYS = 7  # plus the newest of each day over this many days (today included)
WEEKLY_DAYS = 30  # plus the newest of each week over this many days
STALE_TEMP = timedelta(hours=1)  # a temporary file this old belongs to a backup that died
LOCK_WAIT_S = 1.0  # how long restore waits for another connection to let go before it refuses

PARTIAL_PREFIX = ".mlprep-partial-"  # a backup (or a damaged store's copy) being written
_BACKUP_NAME = re.compile(r"^mlprep-(\d{8}-\d{6})(?:-(\d+))?\.sqlite3$")
STAMP = "%Y%m%d-%H%M%S"
SIDE_FILES = ("-wal", "-shm", "-journal")
_LEGACY_TABLES = {"question_row", "review", "topic_row"}  # a store from before the application id
_SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """A backup or a restore did not happen; the message says why and what to do, for the user."""


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime  # local time, to the second, as in the file's name
    size: int  # bytes


# -- taking a backup ---------------------------------------------------------------------------------


def make_backup(store_path: Path, backups_dir: Path, now: datetime | None = None) -> Backup:
    """Copy the live store into backups_dir, check the copy, and only then prune older backups.

    The copy goes through SQLite's online backup API from a read-only connection: it is one consistent
    snapshot of the store including what is still in the write-ahead log, while MLPrep goes on writing.
    """
    now = local_time(now)
    require_file(store_path)
    try:
        source = read_only(store_path)
    except sqlite3.Error as exc:
        raise BackupError(f"Cannot read {store_path} ({exc}); no backup was made.") from exc
    try:
        _require_mlprep(source, store_path, "no backup was made")
        backup = write_backup(source, store_path, backups_dir, now)
    finally:
        source.close()
    prune(backups_dir, now)
    return backup


def write_backup(source: sqlite3.Connection, store_path: Path, backups_dir: Path, now: datetime) -> Backup:
    """Copy through `source` into a checked, fsynced backup file; raises BackupError, leaving no file."""
    make_folder(backups_dir)
    tmp = backups_dir / f"{PARTIAL_PREFIX}{uuid.uuid4().hex}.sqlite3"
    try:
        problem = copy_checked(source, tmp)
        if problem is not None:
            raise BackupError(
                f"The backup of {store_path} failed its integrity check ({problem}), so it was removed and no "
                "older backup was deleted. The store itself may be damaged: restore an earlier backup."
            )
        fsync_file(tmp)
        final = _publish(tmp, backups_dir, now)
        return Backup(final, now.replace(microsecond=0), final.stat().st_size)
    except BackupError:
        remove_temp(tmp)
        raise
    except (sqlite3.Error, OSError) as exc:
        remove_temp(tmp)
        raise BackupError(describe(exc, f"Backing up {store_path} to {backups_dir}", backups_dir)) from exc


def _publish(tmp: Path, folder: Path, now: datetime) -> Path:
    """Give the finished file its name, never over an existing backup (two in one second get -2, -3...)."""
    stamp = now.strftime(STAMP)
    for n in range(1, 1000):
        final = folder / (f"mlprep-{stamp}.sqlite3" if n == 1 else f"mlprep-{stamp}-{n}.sqlite3")
        try:
            os.link(tmp, final)  # atomic and never clobbers: another backup in the same second keeps its name
        except FileExistsError:
            continue
        except OSError:
            # No hard links here (FAT, some network drives): a rename, after checking the name is free.
            if final.exists():
                continue
            os.replace(tmp, final)
        else:
            tmp.unlink()
        fsync_folder(folder)
        return final
    raise BackupError(f"Too many backups named mlprep-{stamp} in {folder}; no backup was made.")


# -- the list of backups and the retention policy --------------------------------------------------


def list_backups(backups_dir: Path) -> list[Backup]:
    """Complete backups, newest first. Temporary files, damaged stores set aside and anything else are
    left out, and so is a file whose header shows it is cut short."""
    found: list[tuple[datetime, int, Backup]] = []
    try:
        entries = list(os.scandir(backups_dir))
    except OSError:
        return []
    for entry in entries:
        match = _BACKUP_NAME.match(entry.name)
        if match is None:
            continue
        try:
            taken = datetime.strptime(match.group(1), STAMP)
            if not entry.is_file() or not _looks_complete(Path(entry.path)):
                continue
            size = entry.stat().st_size
        except (ValueError, OSError):
            continue
        found.append((taken, int(match.group(2) or 1), Backup(Path(entry.path), taken, size)))
    found.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return [backup for _taken, _n, backup in found]


def _looks_complete(path: Path) -> bool:
    """The SQLite header, and a file as long as the header says: cheap, and enough to skip a cut-off copy."""
    with path.open("rb") as f:
        header = f.read(100)
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        return False
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    size = path.stat().st_size
    if page_size < 512 or size == 0 or size % page_size:
        return False
    change_counter, pages, valid_for = (struct.unpack(">I", header[i : i + 4])[0] for i in (24, 28, 92))
    return pages == 0 or change_counter != valid_for or size == pages * page_size


def keep(taken: Sequence[datetime], now: datetime) -> set[datetime]:
    """Which backup times to keep: the newest KEEP_NEWEST, the newest of each day for the last DAILY_DAYS
    days (today included) and the newest of each ISO week for the last WEEKLY_DAYS days.

    Days are counted by calendar date from `now`. A backup dated after `now` (the clock was set back)
    counts as recent, so a wrong clock never makes the newest backups look old enough to delete.
    """
    ordered = sorted(set(taken), reverse=True)
    kept = set(ordered[:KEEP_NEWEST])
    today = now.date()
    newest_of_day: dict[date, datetime] = {}
    newest_of_week: dict[tuple[int, int], datetime] = {}
    for t in ordered:  # newest first, so the first one seen in each day or week is its newest
        age = (today - t.date()).days
        if age < DAILY_DAYS:
            newest_of_day.setdefault(t.date(), t)
        if age < WEEKLY_DAYS:
            iso = t.isocalendar()
            newest_of_week.setdefault((iso.year, iso.week), t)
    return kept | set(newest_of_day.values()) | set(newest_of_week.values())


def prune(backups_dir: Path, now: datetime) -> list[Path]:
    """Delete the backups `keep` does not keep, and temporary files older than STALE_TEMP; returns what
    went. Damaged stores set aside by restore are never deleted. A file that cannot be removed now is
    left for the next prune."""
    now = local_time(now)
    backups = list_backups(backups_dir)
    kept = keep([b.taken_at for b in backups], now)
    doomed = [b.path for b in backups if b.taken_at not in kept]
    return remove_files(doomed + stale_temps(backups_dir, PARTIAL_PREFIX, now))


def latest_good(backups_dir: Path) -> Backup | None:
    """The newest backup that is an MLPrep store, passes `PRAGMA quick_check` and is not from a newer
    MLPrep (restore would refuse it): what the window offers to restore when the store is found damaged."""
    for backup in list_backups(backups_dir):
        if _backup_problem(backup.path) is None:
            return backup
    return None


def _backup_problem(path: Path) -> str | None:
    try:
        con = read_only(path)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        return store_problem(con, refuse_newer=True)
    finally:
        con.close()


def due(backups_dir: Path, now: datetime, every: timedelta) -> bool:
    """Whether a new backup is due: none yet, the newest is at least `every` old, or it is dated in the
    future (the clock was set back, and waiting for it to catch up could mean days without one)."""
    backups = list_backups(backups_dir)
    if not backups:
        return True
    elapsed = local_time(now) - backups[0].taken_at
    return elapsed >= every or elapsed < timedelta(0)


# -- shared with restore ---------------------------------------------------------------------------


def local_time(now: datetime | None) -> datetime:
    """Naive local time, as in the names of the backups."""
    if now is None:
        return datetime.now()
    return now.astimezone().replace(tzinfo=None) if now.tzinfo is not None else now


def require_file(path: Path) -> None:
    """BackupError unless `path` is a file with something in it."""
    if not path.exists():
        raise BackupError(f"There is no file at {path}.")
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    if path.stat().st_size == 0:
        raise BackupError(f"{path} is an empty file (0 bytes), not an MLPrep store.")


def read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write to the database at `path`, waiting LOCK_WAIT_S for a lock."""
    return sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=LOCK_WAIT_S)


def user_version(con: sqlite3.Connection) -> int:
    """The database's schema version, as the store writes it."""
    return int(con.execute("PRAGMA user_version").fetchone()[0])


def copy_checked(source: sqlite3.Connection, path: Path) -> str | None:
    """Copy the database through `source` into a new file at `path`; None if the copy passes
    `PRAGMA integrity_check`, else what the check found."""
    target = sqlite3.connect(path)
    try:
        source.backup(target)  # one step: one read transaction, so one consistent snapshot
        # The copy carries the store's WAL flag; a backup is better as one file with no log beside it.
        target.execute("PRAGMA journal_mode=DELETE")
        return _check(target, "integrity_check")
    finally:
        target.close()


def mlprep_problem(con: sqlite3.Connection) -> str | None:
    """None if the database is an MLPrep store, as the store itself recognises one; else why not."""
    app_id = int(con.execute("PRAGMA application_id").fetchone()[0])
    if app_id == APPLICATION_ID:
        return None
    version = user_version(con)
    tables = {str(r[0]) for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if app_id == 0 and version >= 1 and _LEGACY_TABLES <= tables:
        return None
    return "a database made by another program"


def _require_mlprep(con: sqlite3.Connection, path: Path, outcome: str) -> None:
    try:
        problem = mlprep_problem(con)
    except sqlite3.Error as exc:
        raise BackupError(f"{path} cannot be read as an MLPrep store ({exc}); {outcome}.") from exc
    if problem is not None:
        raise BackupError(f"{path} is not an MLPrep store ({problem}); {outcome}.")


def _check(con: sqlite3.Connection, pragma: str) -> str | None:
    """None if the check passes, else what it found. Damage bad enough that the check cannot finish is
    a finding too; a lock or a full disk is not, and is raised."""
    try:
        rows = con.execute(f"PRAGMA {pragma}").fetchall()
    except sqlite3.DatabaseError as exc:
        text = str(exc)
        if any(word in text.lower() for word in ("locked", "busy", "full")):
            raise
        return text
    return None if rows == [("ok",)] else "; ".join(str(r[0]) for r in rows[:5])


def store_problem(con: sqlite3.Connection, refuse_newer: bool = False) -> str | None:
    """None if `con` is an MLPrep store that passes `PRAGMA quick_check` (and, with `refuse_newer`, is not
    from a newer MLPrep); else why not."""
    try:
        problem = mlprep_problem(con)
        if problem is None and refuse_newer and user_version(con) > SCHEMA_VERSION:
            problem = "made by a newer version of MLPrep"
        return problem if problem is not None else _check(con, "quick_check")
    except sqlite3.Error as exc:
        return str(exc)


def describe(exc: BaseException, doing: str, folder: Path) -> str:
    text = str(exc)
    full = isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)
    if full or "full" in text.lower():
        return f"{doing} failed: there is no space left on the disk holding {folder}. Free some space and try again."
    if isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{doing} failed: {folder} cannot be written ({exc.strerror}). Fix its permissions and try again."
    return f"{doing} failed ({exc.strerror if isinstance(exc, OSError) and exc.strerror else text})."


def make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"Cannot create the folder {folder} ({exc.strerror or exc}).") from exc
    if not folder.is_dir():
        raise BackupError(f"{folder} is a file, not a folder.")


def fsync_file(path: Path) -> None:
    with path.open("r+b") as f:  # Windows flushes only handles open for writing
        os.fsync(f.fileno())


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX); Windows has no handle to a folder to flush."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_temp(path: Path) -> None:
    for suffix in ("", *SIDE_FILES):
        try:
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        except OSError:
            pass  # left for prune, which removes stale temporary files


def stale_temps(folder: Path, prefix: str, now: datetime) -> list[Path]:
    """The temporary files in `folder` named with `prefix` and older than STALE_TEMP: left by a backup
    or a restore that died."""
    stale_before = (now - STALE_TEMP).timestamp()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    stale = []
    for entry in entries:
        try:
            if entry.name.startswith(prefix) and entry.stat().st_mtime < stale_before:
                stale.append(Path(entry.path))
        except OSError:
            continue
    return stale


def remove_files(paths: list[Path]) -> list[Path]:
    """Delete the files; returns those that went. One that cannot be removed now is left for later."""
    removed = []
    for path in paths:
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed
