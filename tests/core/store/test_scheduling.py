"""Rescheduling after a settings change gives exactly what replaying the whole review log would."""

from __future__ import annotations

import random
from datetime import date, timedelta

from desktop_app.core.schedule import StudyConfig
from desktop_app.core.store import Store

DAY = 86400.0


def cards(store: Store) -> dict[str, tuple[object, ...]]:
    rows = store.execute("SELECT qid, state, step, stability, difficulty, due, last_review FROM card_state")
    return {str(r[0]): tuple(r[1:]) for r in rows}


def test_reschedule_matches_a_full_replay(store: Store) -> None:
    rng = random.Random(7)
    qids = [q.qid for q in store.questions.list()]
    start = 1_700_000_000.0
    for qid in qids:
        at = start
        for _ in range(rng.randint(1, 8)):
            at += rng.choice([60.0, 600.0, DAY, 3 * DAY, 9 * DAY])
            store.reviews.record(qid, rng.choice(["weak", "ok", "strong", "easy"]), at=at)
    before = cards(store)
    config = StudyConfig(desired_retention=0.8, new_per_day=7, interview_date=date.today() + timedelta(days=3))
    store.sched.set_config(config)
    assert cards(store) == before, "saving the settings alone moves nothing"
    moved = store.sched.reschedule()
    assert moved == sum(1 for c in before.values() if c[0] == 2)  # the cards in review
    fast = cards(store)
    store.sched.rebuild()
    replayed = cards(store)
    assert fast.keys() == replayed.keys()
    for qid in fast:
        assert fast[qid][:4] == replayed[qid][:4], qid  # state, step, stability, difficulty: untouched
        assert abs(float(fast[qid][4]) - float(replayed[qid][4])) < 1e-3, qid  # due: the same moment
    assert fast != before, "a lower retention and a near interview must move some due dates"


def test_reschedule_reports_progress_and_skips_cards_reviewed_meanwhile(store: Store) -> None:
    qids = [q.qid for q in store.questions.list()]
    for i, qid in enumerate(qids):
        store.reviews.record(qid, "strong", at=1_700_000_000.0 + i)
        store.reviews.record(qid, "strong", at=1_700_000_000.0 + 2 * DAY + i)
    seen: list[tuple[int, int]] = []
    store.sched.set_config(StudyConfig(desired_retention=0.95))
    assert store.sched.reschedule(progress=lambda done, total: seen.append((done, total)), batch=2) == len(qids)
    assert seen[-1] == (len(qids), len(qids)) and len(seen) == (len(qids) + 1) // 2


def test_a_setting_that_cannot_be_read_falls_back_to_its_default(store: Store) -> None:
    """A hand-edited or imported app_setting with a bad value made every later start fail in config()."""
    from desktop_app.core.schedule import DEFAULT_NEW_PER_DAY, DEFAULT_RETENTION

    with store.transaction():
        store._db.execute_sql("INSERT OR REPLACE INTO app_setting (key, value) VALUES ('new_per_day', 'lots')")
        store._db.execute_sql("INSERT OR REPLACE INTO app_setting (key, value) VALUES ('desired_retention', 'high')")
        store._db.execute_sql("INSERT OR REPLACE INTO app_setting (key, value) VALUES ('interview_date', 'soon')")
    config = store.sched.config()
    assert config.new_per_day == DEFAULT_NEW_PER_DAY and config.desired_retention == DEFAULT_RETENTION
    assert config.interview_date is None
    assert store.sched.due_counts()[1] >= 0  # the Due queue's allowance reads the same setting
