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
from desktop_app.core.store.attempts import Attempts
from desktop_app.core.store.banksync import BankSync
from desktop_app.core.store.errors import StoreError, WriteError, low_on_space, underlying
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
from desktop_app.core.store.sql import WriteGate
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
    "WriteError",
    "open_store",
    "search_tokens",
]

DB_FILENAME = "mlprep.sqlite3"
APPLICATION_ID = 0x4D4C5052  # "MLPR" in the header: how MLPrep recognises a store it created
BUSY_TIMEOUT_MS = 500  # a write waits this long for another writer before the user is told

# Applied in order; index i brings the schema from version i to i + 1. Never edit a shipped entry.
MIGRATIONS: list[Callable[[SqliteDatabase], None]] = migrations.steps(lambda db: rebuild_derived(db, StudyConfig()))
SCHEMA_VERSION = len(MIGRATIONS)
_OUR_TABLES = {"question_row", "review", "topic_row"}


class Store:
    """One open database. Models are bound to it on open, so one Store is active per process."""

    def __init__(self, path: Path):
        self.path = path
        self._db = SqliteDatabase(None)
        self._gate = WriteGate(self._db, path)
        self.sched = Scheduling(self._db, self._gate)
        self.reviews = ReviewLog(self._db, self._gate, self.sched)
        self.bank = BankSync(self._db, self._gate, after_retag=self.sched.retag)
        self.questions = Questions(self._db, (path.parent / "decks").resolve())
        self.notes = Notes(self._db, self._gate)
        self.mocks = MockLog(self._db, self._gate)
        self.stats = Stats(self._db)
        self.attempts = Attempts(self._db, self._gate)

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, verify: bool = True) -> Store:
        """Open (creating or migrating as needed). With verify=False the integrity check is left to the
        caller, who runs `verify()` off the UI thread; writes wait for its verdict either way."""
        store = cls(path)
        created = store._open()
        if created:
            store._gate.checked(None)  # nothing to check in a store made a moment ago
        elif verify:
            problem = store.verify()
            if problem is not None:
                store.close()
                raise StoreError(problem)
        else:
            threading.Thread(target=store.verify, name="mlprep-verify", daemon=True).start()
        return store

    def _open(self) -> bool:
        """Returns whether the file was created now. Refuses, untouched, anything that is not our store."""
        path = self.path
        folder = path.parent
        if folder.exists() and not folder.is_dir():
            raise StoreError(
                f"The data folder {folder} is a file, not a folder. Move it aside or choose another --data-dir."
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"Cannot create the data folder {folder}: {exc.strerror or exc}.") from exc
        existed = path.exists()
        if existed:
            if path.is_dir():
                raise StoreError(
                    f"{path} is a folder, not a database file. Move it aside or choose another --data-dir."
                )
            if not os.access(path, os.R_OK | os.W_OK):
                raise StoreError(
                    f"Cannot read and write {path}: permission denied. Fix its permissions; the file was left untouched."
                )
            if path.stat().st_size == 0:
                raise StoreError(
                    f"{path} is an empty file (0 bytes), not an MLPrep store. It was left untouched: move it aside "
                    "(or delete it) and start MLPrep again for a fresh store."
                )
        # No journal-mode pragma yet: switching to WAL rewrites the header, and a database we end up
        # refusing (too new, damaged, someone else's) must stay byte-for-byte as it was.
        self._db.init(str(path), pragmas={"foreign_keys": 1, "busy_timeout": BUSY_TIMEOUT_MS})
        try:
            self._db.connect()
            version = self._db.execute_sql("PRAGMA user_version").fetchone()[0]
            app_id = self._db.execute_sql("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in self._db.execute_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
            self._fail_open(existed)
            raise StoreError(self._describe_open_error(exc, existed)) from exc
        ours = app_id == APPLICATION_ID or (app_id == 0 and version >= 1 and _OUR_TABLES <= tables)
        if existed and not ours and (app_id != 0 or version != 0 or tables):
            self._db.close()
            raise StoreError(
                f"{path} is a database made by another program (not an MLPrep store). It was left untouched: "
                "move it aside, or choose another --data-dir."
            )
        if version > SCHEMA_VERSION:
            self._db.close()
            raise StoreError(
                f"{path} was written by a newer version of MLPrep (schema {version}; this version knows up to "
                f"{SCHEMA_VERSION}). Update MLPrep to open it; the file was not changed."
            )
        if existed and version < SCHEMA_VERSION:
            problem = self.verify()  # never migrate a damaged store: the upgrade would write all over it
            if problem is not None:
                self._db.close()
                raise StoreError(problem)
        try:
            self._db.execute_sql("PRAGMA journal_mode=wal")
            self._db.execute_sql("PRAGMA synchronous=normal")
            # No automatic checkpoints: they copy the WAL into the database inside whichever commit crosses
            # the threshold, a disk-heavy stall on the UI thread. checkpoint() does it from a worker instead.
            self._db.execute_sql("PRAGMA wal_autocheckpoint=0")
            self._db.bind(MODELS, bind_refs=False, bind_backrefs=False)
            self._migrate(version)
            if existed and version < SCHEMA_VERSION:
                self._compact()
        except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
            self._fail_open(existed)
            raise StoreError(self._describe_open_error(exc, existed)) from exc
        return not existed

    def _fail_open(self, existed: bool) -> None:
        """Close; and if this attempt created the file, remove it, so the message can say nothing was left."""
        self._db.close()
        if not existed:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def _describe_open_error(self, exc: BaseException, existed: bool) -> str:
        exc = underlying(exc)
        text = str(exc)
        lowered = text.lower()
        outcome = "the file was left untouched" if existed else "no file was left behind"
        if "locked" in lowered or "busy" in lowered:
            return (
                f"{self.path} is locked by another program (is MLPrep already running?). "
                f"Close it and try again; {outcome}."
            )
        if "full" in lowered or low_on_space(self.path.parent):
            return (
                f"There is no space left on the disk holding {self.path.parent}. Free some space and start MLPrep "
                f"again; {outcome}."
            )
        if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
            return (
                f"{self.path} is damaged or is not an MLPrep database ({text}). It was left untouched: "
                "move it aside to start with a fresh store, or restore it from a backup."
            )
        return f"Cannot open {self.path}: {text}. {outcome.capitalize()}."

    def verify(self) -> str | None:
        """The integrity check: None if the store is sound, else the message for the user.

        `PRAGMA quick_check` reads every page (O(size)), through a separate read-only connection, so it
        can run on a worker thread while the window shows questions; writes wait for its verdict.
        """
        try:
            con = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                rows = con.execute("PRAGMA quick_check(5)").fetchall()
            finally:
                con.close()
            problem = None if rows == [("ok",)] else "; ".join(str(r[0]) for r in rows)
        except sqlite3.Error as exc:
            problem = str(exc)
        if problem is not None and ("locked" in problem or "busy" in problem):
            problem = None  # another writer, not damage: the write gate reports a lock when it happens
        message = None
        if problem is not None:
            message = (
                f"{self.path} is damaged ({problem}). MLPrep will not write to it, so nothing more is lost. "
                "Quit MLPrep, move the file aside (keep it: what can still be read may be exported later), and "
                "restore a backup or start a fresh store."
            )
        self._gate.checked(message)
        return message

    def verdict(self, timeout: float | None = None) -> str | None:
        """Wait for the integrity check (at most `timeout` seconds); its message if the store is damaged."""
        self._gate.wait(timeout)
        return self._gate.problem

    @property
    def damaged(self) -> str | None:
        """Why the store must not be written, once the integrity check has run; else None."""
        return self._gate.problem

    def _migrate(self, version: int) -> None:
        if version == SCHEMA_VERSION:
            return
        with self._db.atomic(lock_type="IMMEDIATE"):
            for step in MIGRATIONS[version:]:
                step(self._db)
            self._db.execute_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            self._db.execute_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _compact(self) -> None:
        """After an upgrade that dropped large tables (schema 5 dropped two copies of the bank's text), give
        the space back to the disk; once, at the upgrade."""
        if self._db.execute_sql("PRAGMA freelist_count").fetchone()[0]:
            self._db.execute_sql("VACUUM")

    def schema_version(self) -> int:
        return int(self._db.execute_sql("PRAGMA user_version").fetchone()[0])

    def execute(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        """Run one statement and fetch its rows: for diagnostics and tests, not for app features."""
        return list(self._db.execute_sql(sql, params).fetchall())

    def close(self) -> None:
        if not self._db.is_closed():
            if self._gate.problem is not None:  # damaged: not even the planner's statistics are written
                self._db.close()
                return
            try:
                self._db.execute_sql("PRAGMA optimize")  # refresh the planner's statistics where they drifted
                self._db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            except (peewee.DatabaseError, sqlite3.DatabaseError):
                pass  # another process holds it; the WAL stays valid and is checkpointed next time
            self._db.close()

    def transaction(self) -> AbstractContextManager[None]:
        """One write transaction around several writes of different parts (a grade and its review), so they
        land together or not at all; raises WriteError like any write."""
        return self._gate()

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


def open_store(data_dir: Path, verify: bool = True) -> Store:
    return Store.open(data_dir / DB_FILENAME, verify=verify)
