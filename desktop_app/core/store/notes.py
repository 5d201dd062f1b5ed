"""What the user keeps beside a question: a bookmark and a note."""

from __future__ import annotations

import time
from collections.abc import Sequence

from peewee import SqliteDatabase

from desktop_app.core.store.sql import WriteGate


class Notes:
    def __init__(self, db: SqliteDatabase, gate: WriteGate):
        self._db = db
        self._write = gate

    def set_bookmark(self, qid: str, on: bool) -> None:
        with self._write():
            if on:
                self._db.execute_sql(
                    "INSERT INTO bookmark (qid, created_at) VALUES (?, ?) ON CONFLICT(qid) DO NOTHING",
                    (qid, time.time()),
                )
            else:
                self._db.execute_sql("DELETE FROM bookmark WHERE qid = ?", (qid,))

    def is_bookmarked(self, qid: str) -> bool:
        return self._db.execute_sql("SELECT 1 FROM bookmark WHERE qid = ?", (qid,)).fetchone() is not None

    def note(self, qid: str) -> str:
        row = self._db.execute_sql("SELECT text FROM note WHERE qid = ?", (qid,)).fetchone()
        return str(row[0]) if row else ""

    def set_note(self, qid: str, text: str) -> None:
        with self._write():
            if text.strip():
                self._db.execute_sql(
                    "INSERT INTO note (qid, text, updated_at) VALUES (?, ?, ?)"
                    " ON CONFLICT(qid) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
                    (qid, text, time.time()),
                )
            else:
                self._db.execute_sql("DELETE FROM note WHERE qid = ?", (qid,))

    # -- whole lists, for moving progress between stores (progress_io.py) -------------------------

    def bookmarks(self) -> list[tuple[str, float]]:
        """Every bookmark as (qid, created_at), by question id."""
        rows = self._db.execute_sql("SELECT qid, created_at FROM bookmark ORDER BY qid").fetchall()
        return [(str(qid), float(at)) for qid, at in rows]

    def notes(self) -> list[tuple[str, str, float]]:
        """Every note as (qid, text, updated_at), by question id."""
        rows = self._db.execute_sql("SELECT qid, text, updated_at FROM note ORDER BY qid").fetchall()
        return [(str(qid), str(text), float(at)) for qid, text, at in rows]

    def merge_bookmarks(self, rows: Sequence[tuple[str, float]]) -> int:
        """Add the bookmarks (qid, created_at) not set here yet; a bookmark already here keeps its date."""
        with self._write():
            cursor = self._db.cursor()
            cursor.executemany("INSERT INTO bookmark (qid, created_at) VALUES (?, ?) ON CONFLICT(qid) DO NOTHING", rows)
            return max(0, cursor.rowcount)

    def merge_notes(self, rows: Sequence[tuple[str, str, float]]) -> int:
        """Add the notes (qid, text, updated_at) missing here, and replace those older than the one given;
        returns how many changed. The newer edit wins, so merging two machines' notes either way agrees."""
        with self._write():
            cursor = self._db.cursor()
            cursor.executemany(
                "INSERT INTO note (qid, text, updated_at) VALUES (?, ?, ?) ON CONFLICT(qid) DO UPDATE SET"
                " text = excluded.text, updated_at = excluded.updated_at WHERE excluded.updated_at > note.updated_at",
                rows,
            )
            return max(0, cursor.rowcount)
