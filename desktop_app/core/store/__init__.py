"""The user's SQLite store: one `Store` that opens and migrates the file, with a part for each concern.

Like Anki's Collection with its managers: `store.bank` syncs the bank files, `store.questions` reads
and searches them, `store.reviews` is the review log, `store.sched` the spaced-repetition state and due
queue, `store.notes` bookmarks and notes, `store.mocks` the mock-interview log, `store.stats` the
dashboard's aggregates. User data is keyed by question id and never deleted by a bank change; a store
that cannot be opened is reported and left exactly as it was.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import peewee
from peewee import SqliteDatabase

from desktop_app.core.schedule import StudyConfig
from desktop_app.core.store import migrations
from desktop_app.core.store.banksync import BankSync
from desktop_app.core.store.mocks import MockLog
from desktop_app.core.store.models import MODELS
from desktop_app.core.store.notes import Notes
from desktop_app.core.store.questions import Questions
from desktop_app.core.store.records import (
    MockSessionRecord,
    MockTurnRecord,
    QuestionSummary,
    ReviewRecord,
    SyncReport,
    TopicInfo,
)
from desktop_app.core.store.reviews import ReviewLog
from desktop_app.core.store.scheduling import Scheduling, rebuild_derived
from desktop_app.core.store.search import search_tokens
from desktop_app.core.store.stats import Stats

__all__ = [
    "DB_FILENAME",
    "SCHEMA_VERSION",
    "MockSessionRecord",
    "MockTurnRecord",
    "QuestionSummary",
    "ReviewRecord",
    "Store",
    "StoreError",
    "SyncReport",
    "TopicInfo",
    "open_store",
    "search_tokens",
]

DB_FILENAME = "mlprep.sqlite3"

# Applied in order; index i brings the schema from version i to i + 1. Never edit a shipped entry.
MIGRATIONS: list[Callable[[SqliteDatabase], None]] = migrations.steps(lambda db: rebuild_derived(db, StudyConfig()))
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Exception):
    """The store cannot be used; the message says why and what to do, for the window and the terminal."""


class Store:
    """One open database. Models are bound to it on open, so one Store is active per process."""

    def __init__(self, path: Path):
        self.path = path
        self._db = SqliteDatabase(None)
        self.sched = Scheduling(self._db)
        self.reviews = ReviewLog(self._db, self.sched)
        self.bank = BankSync(self._db, after_retag=self.sched.retag)
        self.questions = Questions(self._db)
        self.notes = Notes(self._db)
        self.mocks = MockLog(self._db)
        self.stats = Stats(self._db)

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> Store:
        store = cls(path)
        store._open()
        return store

    def _open(self) -> None:
        path = self.path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"Cannot create the data folder {path.parent}: {exc.strerror or exc}.") from exc
        if path.exists():
            if path.is_dir():
                raise StoreError(
                    f"{path} is a folder, not a database file. Move it aside or choose another --data-dir."
                )
            if not os.access(path, os.R_OK | os.W_OK):
                raise StoreError(
                    f"Cannot read and write {path}: permission denied. Fix its permissions; the file was left untouched."
                )
        # No journal-mode pragma yet: switching to WAL rewrites the header, and a database we end up
        # refusing (too new, damaged) must stay byte-for-byte as it was.
        self._db.init(str(path), pragmas={"foreign_keys": 1, "busy_timeout": 2000})
        try:
            self._db.connect()
            version = self._db.execute_sql("PRAGMA user_version").fetchone()[0]
            self._db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
        except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
            self._db.close()
            raise StoreError(self._describe_open_error(exc)) from exc
        if version > SCHEMA_VERSION:
            self._db.close()
            raise StoreError(
                f"{path} was written by a newer version of MLPrep (schema {version}; this version knows up to "
                f"{SCHEMA_VERSION}). Update MLPrep to open it; the file was not changed."
            )
        try:
            self._db.execute_sql("PRAGMA journal_mode=wal")
            self._db.execute_sql("PRAGMA synchronous=normal")
            # No automatic checkpoints: they copy the WAL into the database inside whichever commit crosses
            # the threshold, a disk-heavy stall on the UI thread. checkpoint_in_background() does it instead.
            self._db.execute_sql("PRAGMA wal_autocheckpoint=0")
            self._db.bind(MODELS, bind_refs=False, bind_backrefs=False)
            self._migrate(version)
        except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
            self._db.close()
            raise StoreError(self._describe_open_error(exc)) from exc

    def _describe_open_error(self, exc: Exception) -> str:
        text = str(exc)
        if "locked" in text or "busy" in text:
            return (
                f"{self.path} is locked by another program (is MLPrep already running?). "
                "Close it and try again; the file was left untouched."
            )
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            return (
                f"{self.path} is damaged or is not an MLPrep database ({text}). It was left untouched: "
                "move it aside to start with a fresh store, or restore it from a backup."
            )
        return f"Cannot open {self.path}: {text}. The file was left untouched."

    def _migrate(self, version: int) -> None:
        if version == SCHEMA_VERSION:
            return
        with self._db.atomic(lock_type="IMMEDIATE"):
            for step in MIGRATIONS[version:]:
                step(self._db)
            self._db.execute_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def schema_version(self) -> int:
        return int(self._db.execute_sql("PRAGMA user_version").fetchone()[0])

    def execute(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        """Run one statement and fetch its rows: for diagnostics and tests, not for app features."""
        return list(self._db.execute_sql(sql, params).fetchall())

    def close(self) -> None:
        if not self._db.is_closed():
            try:
                self._db.execute_sql("PRAGMA optimize")  # refresh the planner's statistics where they drifted
                self._db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            except (peewee.DatabaseError, sqlite3.DatabaseError):
                pass  # another process holds it; the WAL stays valid and is checkpointed next time
            self._db.close()

    def thread_connection(self) -> AbstractContextManager[object]:
        """`with store.thread_connection():` around store work on a worker thread: the thread gets its own
        connection (SQLite connections are per thread), closed when the block ends."""
        return self._db.connection_context()

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the database from a connection of the calling thread (PASSIVE: it
        never blocks the app's own reads and writes). Meant for a worker thread."""
        try:
            con = sqlite3.connect(self.path, timeout=1)
            try:
                con.execute("PRAGMA wal_checkpoint(PASSIVE)")
            finally:
                con.close()
        except sqlite3.Error:
            pass  # busy or gone: the next checkpoint catches up

    def checkpoint_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.checkpoint, name="mlprep-checkpoint", daemon=True)
        thread.start()
        return thread


def open_store(data_dir: Path) -> Store:
    return Store.open(data_dir / DB_FILENAME)
