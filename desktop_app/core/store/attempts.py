"""The coding round's log: every run of the user's code against a question's tests, with its result.

Kept beside the review log, not in it: a question may be run many times before it is scored once. The
last attempt is where the editor starts next time and what the question view shows.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from peewee import SqliteDatabase

from desktop_app.core.redact import redact
from desktop_app.core.store.sql import WriteGate

_COLUMNS = "id, qid, code, passed, total, outcome, seconds, revealed, created_at"


@dataclass(frozen=True)
class AttemptRecord:
    id: int
    qid: str
    code: str
    passed: int  # tests passed
    total: int  # tests run (0 when the code did not get that far: a syntax error, a crash at import)
    outcome: str  # one sentence saying how the run ended
    seconds: float
    revealed: bool  # the reference solution had been shown before this run
    created_at: float

    @property
    def all_passed(self) -> bool:
        return self.total > 0 and self.passed == self.total


class Attempts:
    def __init__(self, db: SqliteDatabase, gate: WriteGate):
        self._db = db
        self._write = gate

    def record(
        self,
        qid: str,
        code: str,
        passed: int,
        total: int,
        outcome: str,
        seconds: float,
        revealed: bool,
        at: float | None = None,
    ) -> int:
        with self._write():
            cursor = self._db.execute_sql(
                f"INSERT INTO code_attempt ({_COLUMNS.split(', ', 1)[1]}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    qid,
                    redact(code),
                    passed,
                    total,
                    redact(outcome),
                    seconds,
                    int(revealed),
                    time.time() if at is None else at,
                ),
            )
        return int(cursor.lastrowid)

    def last(self, qid: str) -> AttemptRecord | None:
        row = self._db.execute_sql(
            f"SELECT {_COLUMNS} FROM code_attempt WHERE qid = ? ORDER BY created_at DESC, id DESC LIMIT 1", (qid,)
        ).fetchone()
        return _record(row) if row else None

    def all(self, qid: str) -> list[AttemptRecord]:
        rows = self._db.execute_sql(
            f"SELECT {_COLUMNS} FROM code_attempt WHERE qid = ? ORDER BY created_at, id", (qid,)
        ).fetchall()
        return [_record(r) for r in rows]

    def every(self) -> list[AttemptRecord]:
        """Every attempt of every question, oldest first: what a progress export carries."""
        rows = self._db.execute_sql(f"SELECT {_COLUMNS} FROM code_attempt ORDER BY created_at, id").fetchall()
        return [_record(r) for r in rows]

    def merge(self, attempts: list[tuple[str, str, int, int, str, float, bool, float]]) -> int:
        """Add attempts (qid, code, passed, total, outcome, seconds, revealed, created_at) from a progress
        file that are not here yet (same question, time and code); returns how many were added. Runs inside
        the caller's transaction."""
        added = 0
        for qid, code, passed, total, outcome, seconds, revealed, at in attempts:
            code, outcome = redact(code), redact(outcome)
            exists = self._db.execute_sql(
                "SELECT 1 FROM code_attempt WHERE qid = ? AND created_at = ? AND code = ? LIMIT 1", (qid, at, code)
            ).fetchone()
            if exists is None:
                self._db.execute_sql(
                    f"INSERT INTO code_attempt ({_COLUMNS.split(', ', 1)[1]}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (qid, code, passed, total, outcome, seconds, int(revealed), at),
                )
                added += 1
        return added

    def failed_since(self, qid: str, since: float) -> int:
        """Failed runs of a question since a moment (the question was shown): several of them before a pass
        make that pass an OK rather than a Strong."""
        row = self._db.execute_sql(
            "SELECT COUNT(*) FROM code_attempt WHERE qid = ? AND created_at >= ? AND (total = 0 OR passed < total)",
            (qid, since),
        ).fetchone()
        return int(row[0])


def _record(row: tuple[Any, ...]) -> AttemptRecord:
    i, qid, code, passed, total, outcome, seconds, revealed, created = row
    return AttemptRecord(
        int(i),
        str(qid),
        str(code),
        int(passed),
        int(total),
        str(outcome),
        float(seconds),
        bool(revealed),
        float(created),
    )
