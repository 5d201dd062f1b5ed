"""FSRS scheduling on a real store with months of history on a fixed clock; readiness checked by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler

from desktop_app.core import dashboard
from desktop_app.core.schedule import StudyConfig, local_day
from desktop_app.core.store import Store
from tests.conftest import write_topic

START = datetime(2026, 3, 2, 9, 0)  # local time, a Monday


def at(days: float, hours: float = 0.0) -> float:
    return (START + timedelta(days=days, hours=hours)).timestamp()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    write_topic(
        tmp_path / "bank",
        "alpha",
        [{"qid": f"a{i}", "level": ("beginner", "advanced")[i % 2]} for i in range(6)],
        order=1,
    )
    write_topic(tmp_path / "bank", "beta", [{"qid": f"b{i}"} for i in range(4)], order=2)
    s = Store.open(tmp_path / "s.sqlite3")
    s.bank.sync([tmp_path / "bank"])
    yield s
    s.close()


def test_rubric_tiers_map_to_fsrs_ratings(store: Store) -> None:
    direct = Scheduler(enable_fuzzing=False)
    for qid, score, rating in (
        ("a0", "weak", Rating.Again),
        ("a1", "ok", Rating.Hard),
        ("a2", "strong", Rating.Good),
        ("a3", "easy", Rating.Easy),
    ):
        store.reviews.record(qid, score, at=at(0))
        expected, _ = direct.review_card(Card(card_id=1), rating, datetime.fromtimestamp(at(0)).astimezone())
        card = store.sched.card(qid)
        assert card is not None
        assert card.stability == pytest.approx(expected.stability) and card.due == pytest.approx(
            expected.due.timestamp()
        )


def test_due_queue_over_months_and_the_daily_new_limit(store: Store) -> None:
    store.sched.set_config(StudyConfig(new_per_day=3))
    # Three months of history on a1 and a2, one review of b0 long ago.
    for d, score in ((0, "strong"), (1, "strong"), (4, "strong"), (15, "strong"), (60, "strong")):
        store.reviews.record("a1", score, at=at(d))
    for d, score in ((0, "weak"), (0.01, "weak"), (1, "ok"), (3, "weak")):
        store.reviews.record("a2", score, at=at(d))
    store.reviews.record("b0", "ok", at=at(2))
    now = at(90)
    cards = {q: store.sched.card(q) for q in ("a1", "a2", "b0")}
    due_ids = [q.qid for q in store.sched.due(now) if cards.get(q.qid)]
    assert due_ids == sorted((q for q, c in cards.items() if c and c.due <= now), key=lambda q: cards[q].due)  # type: ignore[union-attr]
    assert "a2" in due_ids and "b0" in due_ids  # struggled or reviewed once long ago: due again
    # New questions: today's allowance of three, dealt across the topics in turn, beginners first within a
    # topic (alpha's new ones: a0, a4 beginner, a3, a5 advanced; beta's: b1, b2, b3 beginner).
    queue = store.sched.due(now)
    new = [q.qid for q in queue if q.qid not in cards]
    assert new == ["a0", "b1", "a4"]
    assert [q.qid for q in store.sched.due(now, extra_new=2) if q.qid not in cards] == ["a0", "b1", "a4", "b2", "a3"]
    store.reviews.record("a0", "ok", at=now + 60)
    store.reviews.record("b1", "strong", at=now + 120)
    assert [q.qid for q in store.sched.due(now + 180) if q.qid not in cards and q.qid not in ("a0", "b1")] == ["a4"]
    assert store.sched.due_counts(now + 180)[1] == 1
    # A topic narrows the session: beta's due card, then beta's next new question.
    assert [q.qid for q in store.sched.due(now + 180, topic_id="beta")] == ["b0", "b2"]


def test_rebuild_gives_the_same_state(store: Store) -> None:
    for i, (qid, score) in enumerate(
        [("a1", "strong"), ("a2", "weak"), ("a1", "ok"), ("b3", "easy"), ("a2", "strong")] * 6
    ):
        store.reviews.record(qid, score, at=at(i * 3.5))
    undone = store.reviews.record("b1", "weak", at=at(40))
    store.reviews.undo(undone)
    before = store._db.execute_sql("SELECT * FROM card_state ORDER BY qid").fetchall()
    activity = store._db.execute_sql("SELECT * FROM activity ORDER BY day").fetchall()
    progress = store._db.execute_sql("SELECT * FROM progress ORDER BY qid").fetchall()
    store.sched.rebuild()
    assert store._db.execute_sql("SELECT * FROM card_state ORDER BY qid").fetchall() == before
    assert store._db.execute_sql("SELECT * FROM activity ORDER BY day").fetchall() == activity
    assert store._db.execute_sql("SELECT * FROM progress ORDER BY qid").fetchall() == progress
    assert store.sched.card("b1") is None


def test_readiness_matches_a_hand_computation(store: Store) -> None:
    # One Good review of a0 on day 0. FSRS-6 default parameters: initial stability for Good is w2 = 2.3065,
    # decay = -w20 = -0.1542, factor = 0.9 ** (1 / decay) - 1. Ten whole days later:
    store.sched.set_config(StudyConfig(interview_date=(START + timedelta(days=10)).date()))
    store.reviews.record("a0", "strong", at=at(0))
    decay = -0.1542
    factor = 0.9 ** (1 / decay) - 1
    expected = (1 + factor * 10 / 2.3065) ** decay  # factor = 0.9805, so 5.251 ** -0.1542 = 0.7744
    d = dashboard.build(store, now=START.astimezone())
    alpha = next(r for r in d.readiness if r.topic_id == "alpha")
    assert (alpha.seen, alpha.unseen) == (1, 5)
    assert alpha.recall_seen == pytest.approx(expected, abs=1e-9)
    assert 0.774 < expected < 0.775
    # Issue 13: readiness counts every question of the scope, unseen ones as 0; coverage stands beside it.
    assert alpha.readiness == pytest.approx(expected / 6) and alpha.coverage == pytest.approx(1 / 6)
    beta = next(r for r in d.readiness if r.topic_id == "beta")
    assert beta.readiness == 0.0 and beta.recall_seen is None and beta.coverage == 0.0
    beginner = next(r for r in d.by_level if r.level == "beginner")
    assert beginner.seen == 1 and beginner.recall_seen == pytest.approx(expected)
    assert d.overall.readiness == pytest.approx(expected / 10)  # one question seen of ten
    # The schedule respects the interview: nothing is scheduled after it.
    card = store.sched.card("a0")
    assert card is not None and card.due <= at(10) + 86400


def test_dashboard_activity_scores_calibration_and_forecast(store: Store) -> None:
    store.reviews.record("a0", "strong", at=at(0))
    store.reviews.record("a0", "weak", source="mock", at=at(0, 1))
    store.reviews.record("a1", "ok", at=at(1))
    store.reviews.record("a1", "ok", source="mock", at=at(1, 1))
    store.reviews.record("b0", "easy", at=at(2))
    d = dashboard.build(store, now=(START + timedelta(days=2, hours=2)).astimezone())
    assert d.activity == {local_day(at(0)): 2, local_day(at(1)): 2, local_day(at(2)): 1}
    assert d.streak == 3
    assert d.scores["alpha"]["self"]["strong"] == 1 and d.scores["alpha"]["mock"]["weak"] == 1
    assert d.scores["beta"]["self"]["easy"] == 1
    assert d.calibration[("strong", "weak")] == 1 and d.calibration[("ok", "ok")] == 1
    assert sum(d.calibration.values()) == 2
    assert sum(d.forecast) == 3 and len(d.forecast) == 30
    text = dashboard.readiness_table(d)
    assert "Alpha" in text and "Coverage" in text and "Recall (seen)" in text


def test_settings_are_validated_and_kept(store: Store) -> None:
    with pytest.raises(ValueError):
        store.sched.set_config(StudyConfig(desired_retention=1.5))
    store.sched.set_config(StudyConfig(desired_retention=0.85, new_per_day=7, interview_date=date(2027, 1, 15)))
    assert store.sched.config() == StudyConfig(0.85, 7, date(2027, 1, 15))


def test_the_coding_time_limit_is_a_setting_kept_validated_and_read_safely(store: Store) -> None:
    assert store.sched.config().code_time_limit_s == 10
    store.sched.set_config(StudyConfig(code_time_limit_s=45))
    assert store.sched.config().code_time_limit_s == 45
    for bad in (1, 301):
        with pytest.raises(ValueError, match="coding run"):
            store.sched.set_config(StudyConfig(code_time_limit_s=bad))
    assert store.sched.config().code_time_limit_s == 45, "a refused setting changes nothing"
    for stored in ("abc", "9999", "", "-3"):
        assert StudyConfig.from_settings({"code_time_limit_s": stored}).code_time_limit_s == 10
