"""Spaced-repetition state in the store: study settings, card states, the due queue, the streak.

Card states, per-question summaries and daily activity are derived from the review log; `rebuild`
recomputes them all from it, and the log is never changed by anything here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from peewee import SqliteDatabase

from desktop_app.core.schedule import (
    CODE_TIME_LIMITS_S,
    DAY,
    CardRow,
    StudyConfig,
    day_start,
    local_day,
    make_scheduler,
    replay,
    review,
    to_card,
)
from desktop_app.core.store import listing
from desktop_app.core.store.listing import ListQuery
from desktop_app.core.store.models import AppSetting, CardState
from desktop_app.core.store.records import QuestionSummary
from desktop_app.core.store.sql import RETIRED_QIDS, WriteGate
from desktop_app.core.vocab import REVIEW_SCORES

Progress = Callable[[int, int], None]  # (done, total), for a progress bar


@dataclass(frozen=True)
class TodaySummary:
    questions: int  # distinct questions scored today
    scores: dict[str, int]  # score -> reviews today
    next_due: float | None  # when the next card falls due (Unix time), if any
    due_by_tomorrow: int  # cards due by the end of tomorrow


class Scheduling:
    def __init__(self, db: SqliteDatabase, gate: WriteGate):
        self._db = db
        self._write = gate
        self._scheduler_cache: tuple[date, object] | None = None

    # -- settings ---------------------------------------------------------------------------

    def config(self) -> StudyConfig:
        return StudyConfig.from_settings(dict(self._db.execute_sql("SELECT key, value FROM app_setting").fetchall()))

    def set_config(self, config: StudyConfig) -> None:
        """Save the settings. Cards already scheduled keep their due dates until `reschedule` runs."""
        if not 0.7 <= config.desired_retention <= 0.99:
            raise ValueError("desired retention must be between 0.70 and 0.99")
        if not 0 <= config.new_per_day <= 1000:
            raise ValueError("new questions per day must be between 0 and 1000")
        low, high = CODE_TIME_LIMITS_S
        if not low <= config.code_time_limit_s <= high:
            raise ValueError(f"the time limit for a coding run must be between {low} and {high} seconds")
        values = {
            "code_time_limit_s": str(config.code_time_limit_s),
            "desired_retention": f"{config.desired_retention:.3f}",
            "new_per_day": str(config.new_per_day),
            "interview_date": config.interview_date.isoformat() if config.interview_date else "",
        }
        with self._write():
            for key, value in values.items():
                AppSetting.insert(key=key, value=value).on_conflict_replace().execute()
        self._scheduler_cache = None

    def scheduler(self, today: date | None = None) -> object:
        today = today or date.today()
        if self._scheduler_cache is None or self._scheduler_cache[0] != today:
            self._scheduler_cache = (today, make_scheduler(self.config(), today))
        return self._scheduler_cache[1]

    # -- one card -------------------------------------------------------------------------

    def card(self, qid: str) -> CardRow | None:
        row = self._db.execute_sql(
            "SELECT qid, state, step, stability, difficulty, due, last_review FROM card_state WHERE qid = ?", (qid,)
        ).fetchone()
        return CardRow(*row) if row else None

    def advance(self, qid: str, score: str, source: str, at: float) -> None:
        """Apply one new score to the card (inside the caller's transaction)."""
        current = self.card(qid)
        if current is None or (current.last_review is not None and at < current.last_review):
            self.replay_card(qid)  # first review, or one dated before the last: build from the history
            return
        _card, row = review(self.scheduler(), qid, to_card(current), score, at)  # type: ignore[arg-type]
        last_column = "last_self_score" if source == "self" else "last_mock_score"
        self._db.execute_sql(
            f"UPDATE card_state SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, last_review = ?,"
            f" {last_column} = ? WHERE qid = ?",
            (row.state, row.step, row.stability, row.difficulty, row.due, row.last_review, score, qid),
        )

    def replay_card(self, qid: str) -> None:
        history = self._db.execute_sql(
            "SELECT r.qid, r.reviewed_at, r.score, r.source, q.topic_id, q.level FROM review r"
            " JOIN question_row q ON q.qid = r.qid WHERE r.qid = ? ORDER BY r.reviewed_at, r.id",
            (qid,),
        ).fetchall()
        CardState.delete().where(CardState.qid == qid).execute()
        if history:
            insert_cards(self._db, self.scheduler(), history)

    def count_activity(self, at: float, delta: int) -> None:
        day = local_day(at)
        self._db.execute_sql(
            "INSERT INTO activity (day, reviews) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET reviews = reviews + ?",
            (day, max(delta, 0), delta),
        )
        self._db.execute_sql("DELETE FROM activity WHERE day = ? AND reviews <= 0", (day,))

    def retag(self) -> None:
        """After a bank change: cards follow their question's topic and level."""
        self._db.execute_sql(
            "UPDATE card_state SET (topic_id, level) = (SELECT q.topic_id, q.level FROM question_row q"
            " WHERE q.qid = card_state.qid) WHERE EXISTS (SELECT 1 FROM question_row q WHERE q.qid = card_state.qid"
            " AND (q.topic_id != card_state.topic_id OR q.level != card_state.level))"
        )

    # -- the whole schedule ---------------------------------------------------------------

    def rebuild(self) -> None:
        """Recompute every derived row (summaries, card states, daily activity) from the review log."""
        with self._write():
            rebuild_derived(self._db, self.config())
        self._scheduler_cache = None

    def reschedule(self, progress: Progress | None = None, batch: int = 2000) -> int:
        """Move the due dates of cards in review to what the current settings give; returns how many.

        Desired retention and the interview date change only the next interval, never a card's stability or
        difficulty (FSRS computes those from the times of the reviews, not from when they were due), so
        this is exactly what replaying the whole log would give, at the cost of one pass over the cards
        rather than over every review. Safe to run from a worker thread: it uses that thread's connection,
        reads outside any transaction and writes in short batches, so scoring goes on meanwhile.
        """
        self._scheduler_cache = None
        scheduler = make_scheduler(self.config())
        next_interval = scheduler._next_interval  # type: ignore[attr-defined]  # exact: fsrs is pinned, tested
        rows = self._db.execute_sql(
            "SELECT qid, stability, last_review FROM card_state WHERE state = 2 AND stability > 0"
            " AND last_review IS NOT NULL"
        ).fetchall()
        total = len(rows)
        for start in range(0, total, batch):
            updates = []
            for qid, stability, last_review in rows[start : start + batch]:
                # fsrs adds whole days to the review's UTC time: no daylight-saving shifts.
                updates.append((last_review + DAY * next_interval(stability=stability), qid, last_review))
            with self._write():
                # Only if the card was not reviewed meanwhile (a newer review already set its due date).
                self._db.cursor().executemany(
                    "UPDATE card_state SET due = ? WHERE qid = ? AND last_review = ?", updates
                )
            if progress is not None:
                progress(min(total, start + batch), total)
        return total

    # -- the due queue -----------------------------------------------------------------

    def new_seen_today(self, now: float | None = None) -> int:
        today = datetime.fromtimestamp(time.time() if now is None else now).date()
        return int(
            self._db.execute_sql(
                "SELECT COUNT(*) FROM card_state WHERE first_review >= ?", (day_start(today),)
            ).fetchone()[0]
        )

    def due(
        self, now: float | None = None, topic_id: str | None = None, level: str | None = None, extra_new: int = 0
    ) -> list[QuestionSummary]:
        """The Due queue (listing.due_nums): due cards, most overdue first, then today's new questions."""
        query = ListQuery(topic_id=topic_id, level=level, status="due", extra_new=extra_new, now=now)
        return listing.full(self._db.execute_sql, query)

    def preview(self, qid: str, now: float | None = None) -> dict[str, float]:
        """Seconds until the question would be due again after each score, as Anki shows on its buttons."""
        now = time.time() if now is None else now
        scheduler = self.scheduler()
        card = to_card(self.card(qid))
        out = {}
        for score in REVIEW_SCORES:
            _card, row = review(scheduler, qid, card, score, now)  # type: ignore[arg-type]
            out[score] = max(0.0, row.due - now)
        return out

    def today(self, now: float | None = None) -> TodaySummary:
        """What was studied today and when the next review falls due: the done-for-today screen."""
        now = time.time() if now is None else now
        start = day_start(datetime.fromtimestamp(now).date())
        scores = dict(
            self._db.execute_sql(
                "SELECT score, COUNT(*) FROM review WHERE reviewed_at >= ? GROUP BY score", (start,)
            ).fetchall()
        )
        questions = self._db.execute_sql(
            "SELECT COUNT(DISTINCT qid) FROM review WHERE reviewed_at >= ?", (start,)
        ).fetchone()[0]
        live = f"qid NOT IN ({RETIRED_QIDS})"
        nxt = self._db.execute_sql(f"SELECT MIN(due) FROM card_state WHERE due > ? AND {live}", (now,)).fetchone()[0]
        tomorrow = self._db.execute_sql(
            f"SELECT COUNT(*) FROM card_state WHERE due <= ? AND {live}", (start + 2 * DAY,)
        ).fetchone()[0]
        return TodaySummary(int(questions), {k: int(v) for k, v in scores.items()}, nxt, int(tomorrow))

    def due_counts(self, now: float | None = None) -> tuple[int, int]:
        """(due now, new still allowed today) across the live bank."""
        now = time.time() if now is None else now
        live = f"qid NOT IN ({RETIRED_QIDS})"
        due = self._db.execute_sql(f"SELECT COUNT(*) FROM card_state WHERE due <= ? AND {live}", (now,)).fetchone()[0]
        seen = self._db.execute_sql(f"SELECT COUNT(*) FROM card_state WHERE {live}").fetchone()[0]
        total = self._db.execute_sql("SELECT COALESCE(SUM(questions), 0) FROM topic_count").fetchone()[0]
        unseen = total - seen
        allowance = listing.new_allowance(self._db.execute_sql, now)
        return int(due), int(min(unseen, allowance))

    def streak(self, today: date | None = None) -> int:
        """Consecutive local days with at least one review, ending today (or yesterday, if today has none yet)."""
        today = today or date.today()
        # One query for the whole run of days (a streak can be hundreds of days long).
        days = self._db.execute_sql(
            "SELECT day FROM activity WHERE day <= ? ORDER BY day DESC", (today.toordinal(),)
        ).fetchall()
        expected = today.toordinal()
        if not days or days[0][0] != expected:
            expected -= 1  # today not studied yet: the streak may still end yesterday
        count = 0
        for (day,) in days:
            if day > expected:
                continue
            if day != expected:
                break
            count += 1
            expected -= 1
        return count


def insert_cards(
    db: SqliteDatabase, scheduler: object, history: Iterable[tuple[str, float, str, str, str, str]]
) -> None:
    """Replay (qid, time, score, source, topic, level) rows, grouped by qid and in time order, into card_state."""
    rows: list[tuple[object, ...]] = []
    current: list[tuple[str, float, str, str, str, str]] = []

    def flush() -> None:
        if not current:
            return
        qid, first, _score, _source, topic_id, level = current[0]
        card = replay(scheduler, qid, [(at, score) for _q, at, score, _s, _t, _l in current])  # type: ignore[arg-type]
        assert card is not None
        last = {src: score for _q, _at, score, src, _t, _l in current}
        rows.append(
            (
                qid,
                topic_id,
                level,
                last.get("self"),
                last.get("mock"),
                card.state,
                card.step,
                card.stability,
                card.difficulty,
                card.due,
                card.last_review,
                first,
            )
        )

    for item in history:
        if current and item[0] != current[0][0]:
            flush()
            current = []
        current.append(item)
    flush()
    db.cursor().executemany(
        "INSERT INTO card_state (qid, topic_id, level, last_self_score, last_mock_score, state, step, stability,"
        " difficulty, due, last_review, first_review) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def rebuild_derived(db: SqliteDatabase, config: StudyConfig) -> None:
    """Progress, card states and daily activity, all recomputed from the review log."""
    db.execute_sql("DELETE FROM progress")
    db.execute_sql(
        """
        INSERT INTO progress (qid, last_score, last_reviewed_at, reviews)
        SELECT r.qid,
               (SELECT r2.score FROM review r2 WHERE r2.qid = r.qid ORDER BY r2.reviewed_at DESC, r2.id DESC LIMIT 1),
               MAX(r.reviewed_at), COUNT(*)
        FROM review r GROUP BY r.qid
        """
    )
    db.execute_sql("DELETE FROM card_state")
    history = db.execute_sql(
        "SELECT r.qid, r.reviewed_at, r.score, r.source, q.topic_id, q.level FROM review r"
        " JOIN question_row q ON q.qid = r.qid ORDER BY r.qid, r.reviewed_at, r.id"
    )
    insert_cards(db, make_scheduler(config), history)
    db.execute_sql("DELETE FROM activity")
    days = db.execute_sql(
        "SELECT date(reviewed_at, 'unixepoch', 'localtime') AS d, COUNT(*) FROM review GROUP BY d"
    ).fetchall()
    db.cursor().executemany(
        "INSERT INTO activity (day, reviews) VALUES (?, ?)", [(date.fromisoformat(d).toordinal(), n) for d, n in days]
    )
