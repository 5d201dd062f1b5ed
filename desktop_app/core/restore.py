"""Restoring a backup over the store, safely: checked before it goes in, and keeping a copy of what it replaces.

A restore is the one step that writes over the store, so it is done in an order that a crash or a kill
at any moment leaves whole: the backup is staged and checked next to the store, the store is locked
against every other connection, what is there is kept (as a normal backup when it is sound, else as
byte-for-byte `damaged-...` copies) and only then is the staged copy renamed over it. The copying and
checking steps are the ones backups are taken with (core/backup.py).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from datetime import datetime
from pathlib import Path

from desktop_app.core.backup import (
    LOCK_WAIT_S,
    PARTIAL_PREFIX,
    SIDE_FILES,
    STAMP,
    BackupError,
    copy_checked,
    describe,
    fsync_file,
    fsync_folder,
    local_time,
    make_folder,
    mlprep_problem,
    read_only,
    remove_files,
    remove_temp,
    require_file,
    stale_temps,
    store_problem,
    user_version,
    write_backup,
)
from desktop_app.core.store import SCHEMA_VERSION

RESTORE_PREFIX = ".mlprep-restore-"  # a backup being staged next to the store, before it replaces it


def restore(backup: Path, store_path: Path, backups_dir: Path, now: datetime | None = None) -> Path | None:
    """Put `backup` in place of the store; returns where the previous store was kept (None if there was none).

    In order: the backup is copied next to the store and checked there (so what is checked is exactly
    what goes in place); the store is locked against every other connection; the current store is kept,
    as a normal backup if it is sound, else as `damaged-...` copies of its files exactly as they were;
    its write-ahead log is folded in or removed; and the checked copy is renamed over it. A kill at any
    moment leaves either the old store or the restored one, whole. Nothing is pruned: a restore never
    deletes a backup, not even the one restored from.
    """
    now = local_time(now)
    folder = store_path.parent
    remove_files(stale_temps(folder, RESTORE_PREFIX, now))
    if store_path.is_dir():
        raise BackupError(f"{store_path} is a folder, not a store; nothing was restored.")
    make_folder(folder)
    staged = folder / f"{RESTORE_PREFIX}{uuid.uuid4().hex}.sqlite3"
    try:
        _stage(backup, staged)
        return _swap(staged, store_path, backups_dir, now)
    finally:
        remove_temp(staged)


def _stage(backup: Path, staged: Path) -> None:
    """Copy the backup to `staged` and check the copy; BackupError if it is not fit to restore."""
    require_file(backup)
    nothing = "nothing was restored"
    try:
        source = read_only(backup)
        try:
            problem = mlprep_problem(source)
            if problem is not None:
                raise BackupError(f"{backup} is not an MLPrep backup ({problem}); {nothing}.")
            version = user_version(source)
            if version > SCHEMA_VERSION:
                raise BackupError(
                    f"{backup} was made by a newer version of MLPrep (schema {version}; this version knows up to "
                    f"{SCHEMA_VERSION}). Update MLPrep to restore it; {nothing}."
                )
            problem = copy_checked(source, staged)
        finally:
            source.close()
        if problem is not None:
            raise BackupError(f"{backup} is damaged ({problem}); {nothing}. Choose another backup.")
        fsync_file(staged)
    except sqlite3.Error as exc:
        text = str(exc)
        if "not a database" in text:
            raise BackupError(f"{backup} is not an MLPrep backup ({text}); {nothing}.") from exc
        if "malformed" in text or "corrupt" in text:
            raise BackupError(f"{backup} is damaged ({text}); {nothing}. Choose another backup.") from exc
        raise BackupError(describe(exc, f"Reading {backup}", staged.parent) + f" {nothing.capitalize()}.") from exc
    except OSError as exc:
        raise BackupError(describe(exc, f"Copying {backup}", staged.parent) + f" {nothing.capitalize()}.") from exc


def _swap(staged: Path, store_path: Path, backups_dir: Path, now: datetime) -> Path | None:
    lock = _lock(store_path)
    try:
        if lock is not None and store_problem(lock) is None:
            try:
                kept: Path | None = write_backup(lock, store_path, backups_dir, now).path
            except BackupError as exc:
                raise BackupError(f"{exc} Nothing was restored; the store was not changed.") from exc
            try:
                # Under our lock: fold the log into the old file and delete it, so no log of the old store
                # is left to be applied to the restored one, whatever happens next.
                lock.execute("PRAGMA journal_mode=DELETE")
            except sqlite3.Error as exc:
                raise BackupError(
                    describe(exc, f"Preparing {store_path} for the restore", store_path.parent)
                    + f" The store was kept as it was, and backed up to {kept}."
                ) from exc
        else:
            kept = _set_aside(store_path, backups_dir, now)
            if lock is not None:
                # Closing may fold the damaged store's log into it; its files are already copied as they were.
                lock.close()
        for suffix in SIDE_FILES:
            # Removed before the rename, so a log of the old store can never meet the restored file.
            Path(f"{store_path}{suffix}").unlink(missing_ok=True)
        if os.name == "nt" and lock is not None:
            lock.close()  # Windows cannot rename over an open file; elsewhere the lock is held through the swap
        os.replace(staged, store_path)
        fsync_folder(store_path.parent)
    except OSError as exc:
        raise BackupError(describe(exc, f"Restoring over {store_path}", store_path.parent)) from exc
    finally:
        if lock is not None:
            lock.close()
    return kept


def _lock(store_path: Path) -> sqlite3.Connection | None:
    """An exclusive lock on the store, or BackupError("close MLPrep first"); None if there is no store or
    SQLite cannot read it (then no program can be using it as a database).

    Why a lock and not a checkpoint: an idle MLPrep holds no transaction, so a checkpoint completes under
    it, but every connection to a WAL database holds a shared lock on the file for as long as it is open.
    In locking_mode=EXCLUSIVE, the first transaction of a WAL database takes an exclusive lock on the
    file, which fails while any other connection, busy or idle, in any process (this one included) has
    it open; and it keeps every other program out until we are done. Without shared memory the log
    is read into this connection's own memory, so taking the lock writes nothing.
    """
    if not store_path.exists():
        return None
    try:
        con = sqlite3.connect(store_path, timeout=LOCK_WAIT_S, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        con.execute("PRAGMA locking_mode=EXCLUSIVE")
        con.execute("BEGIN EXCLUSIVE")
        con.execute("COMMIT")
    except sqlite3.Error as exc:
        con.close()
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise BackupError(
                f"{store_path} is in use by another program (is MLPrep still open?). Close MLPrep first, then "
                "restore again; nothing was changed."
            ) from exc
        return None
    return con


def _set_aside(store_path: Path, backups_dir: Path, now: datetime) -> Path | None:
    """Copy the store's files, byte for byte, to `damaged-<stamp>.sqlite3` (+ -wal, -shm, -journal) in
    backups_dir.

    Copies, not renames: SQLite may still hold the files open, and a connection closing writes its log
    into the main file; the copies are what the files were before any of that.
    """
    present = [s for s in ("", *SIDE_FILES) if Path(f"{store_path}{s}").is_file()]
    if not present:
        return None
    make_folder(backups_dir)
    stamp = now.strftime(STAMP)
    n = 1
    while True:
        base = backups_dir / (f"damaged-{stamp}.sqlite3" if n == 1 else f"damaged-{stamp}-{n}.sqlite3")
        if not any(Path(f"{base}{s}").exists() for s in ("", *SIDE_FILES)):
            break
        n += 1
    temps = {s: backups_dir / f"{PARTIAL_PREFIX}{uuid.uuid4().hex}.sqlite3{s}" for s in present}
    try:
        for suffix, tmp in temps.items():
            shutil.copyfile(f"{store_path}{suffix}", tmp)
            fsync_file(tmp)
        for suffix, tmp in temps.items():
            os.replace(tmp, f"{base}{suffix}")
        fsync_folder(backups_dir)
    except OSError as exc:
        for tmp in temps.values():
            remove_temp(tmp)
        raise BackupError(
            describe(exc, f"Setting the damaged store {store_path} aside", backups_dir)
            + " Nothing was restored and the store was not changed."
        ) from exc
    return Path(f"{base}")
