"""The review log: scores validated, undo, derived rows that match a rebuild, the streak."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from desktop_app.core.store import Store


def test_undo_recomputes_last_score(store: Store) -> None:
    store.reviews.record("a1", "strong", at=1000.0)
    second = store.reviews.record("a1", "weak", at=2000.0)
    assert store.questions.list(status="weak_ok")[0].qid == "a1"
    undone = store.reviews.undo(second)
    assert undone is not None and undone.score == "weak"
    assert store.questions.list(status="weak_ok") == []
    assert store.reviews.last("a1").score == "strong"


def test_rebuild_progress_matches_incremental(store: Store) -> None:
    for i, (qid, score) in enumerate([("a1", "weak"), ("a2", "ok"), ("a1", "strong")]):
        store.reviews.record(qid, score, at=1000.0 + i)
    before = [(q.qid, q.last_score) for q in store.questions.list()]
    store.sched.rebuild()
    assert (
        [(q.qid, q.last_score) for q in store.questions.list()]
        == before
        == [("a1", "strong"), ("a2", "ok"), ("b1", None)]
    )


def test_streak_counts_consecutive_local_days(store: Store) -> None:
    today = date(2026, 3, 10)

    def at(day: date, hour: int = 12) -> float:
        return datetime(day.year, day.month, day.day, hour).timestamp()

    assert store.sched.streak(today) == 0
    for back in (1, 2, 3, 5):
        store.reviews.record("a1", "ok", at=at(today - timedelta(days=back)))
    assert store.sched.streak(today) == 3  # yesterday and the two days before; today not yet studied
    store.reviews.record("a2", "ok", at=at(today, 23))
    assert store.sched.streak(today) == 4


def test_reviews_are_validated(store: Store) -> None:
    with pytest.raises(ValueError):
        store.reviews.record("a1", "great")
    with pytest.raises(ValueError):
        store.reviews.record("a1", "ok", source="robot")
