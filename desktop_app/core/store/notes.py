"""What the user keeps beside a question: a bookmark and a note."""

from __future__ import annotations

import time

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
