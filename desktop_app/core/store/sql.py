"""Small SQL helpers the store's parts share: live-question filters, write transactions, chunking."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from peewee import SqliteDatabase, _atomic

_T = TypeVar("_T")

RETIRED_QIDS = "SELECT qid FROM question_row WHERE retired = 1"


def write(db: SqliteDatabase) -> _atomic:
    """A write transaction that takes the write lock at BEGIN.

    A deferred transaction that reads before it writes fails at once with "database is locked" when
    another connection holds the lock, whatever the busy timeout; BEGIN IMMEDIATE waits for it instead.
    Nested inside another transaction it is a savepoint, as atomic() always is.
    """
    return db.atomic(lock_type="IMMEDIATE")


def live_filters(topic_id: str | None, level: str | None, alias: str = "") -> tuple[list[str], list[object]]:
    """WHERE clauses (and their parameters) for live questions of a topic and level, either optional."""
    where: list[str] = [f"{alias}retired = 0"]
    params: list[object] = []
    if topic_id:
        where.append(f"{alias}topic_id = ?")
        params.append(topic_id)
    if level:
        where.append(f"{alias}level = ?")
        params.append(level)
    return where, params


def chunks(items: Sequence[_T], size: int = 500) -> Iterable[Sequence[_T]]:
    # SQLite limits the number of bound parameters per statement.
    for i in range(0, len(items), size):
        yield items[i : i + size]
