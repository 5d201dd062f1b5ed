"""What the store hands out: plain, immutable values that carry no database connection."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from desktop_app.core.bank import Problem


@dataclass
class SyncReport:
    unchanged: bool = False
    added: int = 0
    updated: int = 0
    retired: int = 0
    restored: int = 0
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class TopicInfo:
    id: str
    title: str
    description: str
    total: int
    reviewed: int
    own: bool = False  # one of the user's decks, not the shipped bank


@dataclass(frozen=True)
class KnownIds:
    """What the store holds: every question id with its topic (retired ones too: an id that belonged to a
    removed deck still carries that deck's history), and the topics that are not user decks."""

    question_topics: dict[str, str]
    bank_topics: set[str]


class QuestionSummary(NamedTuple):
    """What a list row needs; the full question is fetched only when shown.

    A tuple of plain values, so the garbage collector stops tracking it: with 100,000 rows in a list,
    tracked objects made every full collection a visible stall while typing.
    """

    qid: str
    topic_id: str
    level: str
    question: str
    last_score: str | None
    bookmarked: bool
    num: int = 0  # the question's row number in the store (lists hold these, and read rows by them)

    @classmethod
    def from_row(cls, row: Sequence[object]) -> QuestionSummary:
        """From the seven columns of SUMMARY_COLUMNS."""
        return cls(str(row[0]), str(row[1]), str(row[2]), str(row[3]), row[4], bool(row[5]), int(row[6]))  # type: ignore[arg-type,call-overload]


# The columns and joins every summary query selects, in from_row's order.
SUMMARY_COLUMNS = "q.qid, q.topic_id, q.level, q.question, p.last_score, b.qid IS NOT NULL, q.num"
SUMMARY_JOINS = "LEFT JOIN progress p ON p.qid = q.qid LEFT JOIN bookmark b ON b.qid = q.qid"


@dataclass(frozen=True)
class ReviewRecord:
    id: int
    qid: str
    reviewed_at: float
    score: str
    source: str
    seconds: float


@dataclass(frozen=True)
class MockTurnRecord:
    id: int
    seq: int
    qid: str
    round: int
    kind: str
    text: str
    grade: dict[str, object] | None
    seconds: float
    created_at: float


@dataclass(frozen=True)
class MockSessionRecord:
    id: int
    started_at: float
    ended_at: float | None
    mode: str
    model: str
    status: str
    config: dict[str, object]
    input_tokens: int
    output_tokens: int
    cache_read_tokens: int
    cache_write_tokens: int
    cost_usd: float
    summary: dict[str, object]
