"""The review log: every score given to a question, by the user or by the mock interviewer.

It is the one source of truth for progress; recording or undoing a score updates the derived rows
(the per-question summary, the card state, the day's activity) in the same transaction.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from peewee import SqliteDatabase

from desktop_app.core.store.models import Review
from desktop_app.core.store.records import ReviewRecord
from desktop_app.core.store.scheduling import Scheduling
from desktop_app.core.store.sql import WriteGate
from desktop_app.core.vocab import REVIEW_SCORES, SOURCES

_COLUMNS = "id, qid, reviewed_at, score, source, seconds"


class ReviewLog:
    def __init__(self, db: SqliteDatabase, gate: WriteGate, sched: Scheduling):
        self._db = db
        self._write = gate
        self._sched = sched

    def record(self, qid: str, score: str, source: str = "self", seconds: float = 0.0, at: float | None = None) -> int:
        if score not in REVIEW_SCORES:
            raise ValueError(f"score must be one of {REVIEW_SCORES}, not {score!r}")
        if source not in SOURCES:
            raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
        at = time.time() if at is None else at
        with self._write():
            review_id = Review.insert(
                qid=qid, reviewed_at=at, score=score, source=source, seconds=max(0.0, seconds)
            ).execute()
            self._refresh_progress(qid)
            self._sched.advance(qid, score, source, at)
            self._sched.count_activity(at, +1)
        return int(review_id)

    def merge(self, rows: Sequence[tuple[str, float, str, str, float]]) -> int:
        """Add the reviews (qid, reviewed_at, score, source, seconds) the log does not hold yet; returns how many.

        A review is the same when its question, time (the stored float, exactly), score and source match, so
        merging the same rows twice adds nothing. The derived rows are left to one `sched.rebuild()` by the
        caller: replaying each card once per imported review would be quadratic in a long history.
        """
        for qid, _at, score, source, _seconds in rows:
            if score not in REVIEW_SCORES:
                raise ValueError(f"score of {qid} must be one of {REVIEW_SCORES}, not {score!r}")
            if source not in SOURCES:
                raise ValueError(f"source of {qid} must be one of {SOURCES}, not {source!r}")
        with self._write():
            cursor = self._db.cursor()
            cursor.executemany(
                "INSERT INTO review (qid, reviewed_at, score, source, seconds) SELECT ?1, ?2, ?3, ?4, max(0.0, ?5)"
                " WHERE NOT EXISTS (SELECT 1 FROM review WHERE qid = ?1 AND reviewed_at = ?2 AND score = ?3"
                " AND source = ?4)",
                rows,
            )
            return max(0, cursor.rowcount)

    def undo(self, review_id: int) -> ReviewRecord | None:
        """Take back one score (the user pressed undo); the summary is recomputed from what remains."""
        with self._write():
            row = self._db.execute_sql(f"SELECT {_COLUMNS} FROM review WHERE id = ?", (review_id,)).fetchone()
            if row is None:
                return None
            record = ReviewRecord(*row)
            self._db.execute_sql("DELETE FROM review WHERE id = ?", (review_id,))
            self._refresh_progress(record.qid)
            self._sched.replay_card(record.qid)
            self._sched.count_activity(record.reviewed_at, -1)
        return record

    def _refresh_progress(self, qid: str) -> None:
        # Raw SQL: this runs on every score, inside the keystroke budget.
        self._db.execute_sql("DELETE FROM progress WHERE qid = ?", (qid,))
        self._db.execute_sql(
            "INSERT INTO progress (qid, last_score, last_reviewed_at, reviews)"
            " SELECT qid, (SELECT score FROM review WHERE qid = ? ORDER BY reviewed_at DESC, id DESC LIMIT 1),"
            " MAX(reviewed_at), COUNT(*) FROM review WHERE qid = ? GROUP BY qid",
            (qid, qid),
        )

    def all(self, qid: str | None = None) -> list[ReviewRecord]:
        """Oldest first; of one question, or of every question."""
        where, params = ("WHERE qid = ?", (qid,)) if qid is not None else ("", ())
        rows = self._db.execute_sql(f"SELECT {_COLUMNS} FROM review {where} ORDER BY reviewed_at, id", params)
        return [ReviewRecord(*r) for r in rows.fetchall()]

    def count(self) -> int:
        return int(self._db.execute_sql("SELECT COUNT(*) FROM review").fetchone()[0])

    def last(self, qid: str, source: str | None = None) -> ReviewRecord | None:
        sql = f"SELECT {_COLUMNS} FROM review WHERE qid = ?"
        params: list[object] = [qid]
        if source:
            sql += " AND source = ?"
            params.append(source)
        row = self._db.execute_sql(sql + " ORDER BY reviewed_at DESC, id DESC LIMIT 1", params).fetchone()
        return ReviewRecord(*row) if row else None
