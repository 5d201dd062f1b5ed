"""Spaced repetition with FSRS (the `fsrs` package, v6): rubric tiers to ratings, card state, readiness.

The review log is the truth; card state is derived from it and can be rebuilt at any time. Fuzzing is off,
so replaying the log always gives the same state.

Rubric to rating: Weak -> Again, OK -> Hard, Strong -> Good, and the optional Easy key -> Easy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fsrs import Card, Scheduler

RATING_NAMES = {"weak": "Again", "ok": "Hard", "strong": "Good", "easy": "Easy"}
DEFAULT_RETENTION = 0.9
DEFAULT_NEW_PER_DAY = 20
DEFAULT_CODE_TIME_LIMIT_S = 10  # the coding round: wall time for one run of the user's code
CODE_TIME_LIMITS_S = (2, 300)
DAY = 86400.0


@dataclass(frozen=True)
class StudyConfig:
    desired_retention: float = DEFAULT_RETENTION
    new_per_day: int = DEFAULT_NEW_PER_DAY
    interview_date: date | None = None
    code_time_limit_s: int = DEFAULT_CODE_TIME_LIMIT_S

    @classmethod
    def from_settings(cls, values: dict[str, str]) -> StudyConfig:
        """The settings as stored (app_setting), each falling back to its default when it cannot be read or
        is out of range: a hand-edited or imported value must never stop the app from starting."""

        def number(key: str, kind: type[float] | type[int], default: float, low: float, high: float) -> float:
            try:
                value = kind(values.get(key) or default)
            except (TypeError, ValueError):
                return default
            return value if low <= value <= high else default

        try:
            interview = date.fromisoformat(values["interview_date"]) if values.get("interview_date") else None
        except ValueError:
            interview = None
        return cls(
            desired_retention=float(number("desired_retention", float, DEFAULT_RETENTION, 0.7, 0.99)),
            new_per_day=int(number("new_per_day", int, DEFAULT_NEW_PER_DAY, 0, 1000)),
            interview_date=interview,
            code_time_limit_s=int(number("code_time_limit_s", int, DEFAULT_CODE_TIME_LIMIT_S, *CODE_TIME_LIMITS_S)),
        )

    def target(self, now: datetime) -> datetime:
        """When readiness is measured: the interview day (its start, local time), else now."""
        if self.interview_date is None:
            return now
        return datetime.combine(self.interview_date, time(9, 0)).astimezone()

    def max_interval_days(self, today: date) -> int:
        """With an interview ahead, nothing is scheduled past it: the last review lands before the day."""
        if self.interview_date is None or self.interview_date <= today:
            return 36500
        return max(1, (self.interview_date - today).days)


@dataclass(frozen=True)
class CardRow:
    qid: str
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: float
    last_review: float | None


def make_scheduler(config: StudyConfig, today: date | None = None) -> Scheduler:
    from fsrs import Scheduler

    today = today or date.today()
    return Scheduler(
        desired_retention=config.desired_retention,
        maximum_interval=config.max_interval_days(today),
        enable_fuzzing=False,
    )


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


def to_card(row: CardRow | None) -> Card:
    from fsrs import Card, State

    if row is None:
        return Card(card_id=1)
    return Card(
        card_id=1,
        state=State(row.state),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=_dt(row.due),
        last_review=_dt(row.last_review) if row.last_review is not None else None,
    )


def review(scheduler: Scheduler, qid: str, card: Card, score: str, at: float) -> tuple[Card, CardRow]:
    from fsrs import Rating

    rating = getattr(Rating, RATING_NAMES[score])
    card, _log = scheduler.review_card(card, rating, _dt(at))
    return card, from_card(qid, card)


def from_card(qid: str, card: Card) -> CardRow:
    return CardRow(
        qid=qid,
        state=int(card.state.value),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due.timestamp(),
        last_review=card.last_review.timestamp() if card.last_review else None,
    )


def replay(scheduler: Scheduler, qid: str, reviews: list[tuple[float, str]]) -> CardRow | None:
    """A card's state from its whole history, oldest first."""
    card = to_card(None)
    row = None
    for at, score in reviews:
        card, row = review(scheduler, qid, card, score, at)
    return row


def decay_and_factor(scheduler: Any) -> tuple[float, float]:
    """FSRS's forgetting curve R(t) = (1 + factor * t / S) ** decay, t in whole days since the last review."""
    decay = -float(scheduler.parameters[20])
    return decay, 0.9 ** (1 / decay) - 1


def local_day(ts: float) -> int:
    """The local calendar day of a timestamp, as an ordinal (so streaks and heatmaps follow the user's days)."""
    return datetime.fromtimestamp(ts).date().toordinal()


def day_start(day: date) -> float:
    return datetime.combine(day, time()).timestamp()


def day_end(day: date) -> float:
    return datetime.combine(day + timedelta(days=1), time()).timestamp()
