"""Small SQL helpers the store's parts share: the write gate, live-question filters, chunking."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import peewee
from peewee import SqliteDatabase

from desktop_app.core.store.errors import WriteError, describe_write_error

_T = TypeVar("_T")
CHECK_WAIT_S = 30.0  # a write made before the integrity check finishes waits at most this long

RETIRED_QIDS = "SELECT qid FROM question_row WHERE retired = 1"


class WriteGate:
    """Every write of the store goes through here.

    - It waits for the integrity check of the session (run in the background at start-up) and refuses
      to write to a store found damaged, so a damaged file is never modified.
    - It takes the write lock at BEGIN (IMMEDIATE): a deferred transaction that reads before it writes
      fails at once with "database is locked" under another writer, whatever the busy timeout.
    - A failure becomes a WriteError that says what happened and what to do; the transaction has rolled
      back, so nothing is half-written. Nested inside another write it is a savepoint.
    """

    def __init__(self, db: SqliteDatabase, path: Path):
        self._db = db
        self._path = path
        self._checked = threading.Event()
        self._problem: str | None = None

    def checked(self, problem: str | None) -> None:
        """The integrity check's verdict: None for a sound store, else why it cannot be written."""
        self._problem = problem
        self._checked.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self._checked.wait(timeout)

    @property
    def problem(self) -> str | None:
        return self._problem

    @contextmanager
    def __call__(self) -> Iterator[None]:
        if not self._checked.wait(CHECK_WAIT_S):
            raise WriteError("checking", "MLPrep is still checking your store. Press Retry in a moment.")
        if self._problem is not None:
            raise WriteError("damaged", self._problem)
        try:
            with self._db.atomic(lock_type="IMMEDIATE"):
                yield
        except (peewee.DatabaseError, sqlite3.Error) as exc:
            raise describe_write_error(exc, self._path) from exc


def chunks(items: Sequence[_T], size: int = 500) -> Iterable[Sequence[_T]]:
    # SQLite limits the number of bound parameters per statement.
    for i in range(0, len(items), size):
        yield items[i : i + size]
