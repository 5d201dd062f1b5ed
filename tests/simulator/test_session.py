"""The mock interview without Qt: drawing questions, recording turns, the summary and the export."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from desktop_app.core.store import Store
from desktop_app.simulator.grading import Grade, parse_grade
from desktop_app.simulator.session import MockConfig, MockInterview, export_markdown, pick_questions
from tests.conftest import write_topic
from tests.simulator.fake_anthropic import GOOD_GRADE


def make_store(tmp_path: Path, n: int = 6) -> Store:
    write_topic(tmp_path / "bank", "t", [{"qid": f"q{i}"} for i in range(n)])
    store = Store.open(tmp_path / "s.sqlite3")
    store.bank.sync([tmp_path / "bank"])
    return store


def test_draw_favours_unreviewed_and_weak_questions(tmp_path: Path) -> None:
    store = make_store(tmp_path, 3)
    store.reviews.record("q0", "strong")
    store.reviews.record("q1", "weak")  # q2 unreviewed
    rng = random.Random(1)
    firsts = Counter(pick_questions(store, MockConfig(count=1), rng)[0].id for _ in range(3000))
    # Weights 1 : 3 : 3, so q0 comes first about 1/7 of the time.
    assert 0.10 < firsts["q0"] / 3000 < 0.18
    assert firsts["q1"] > 2 * firsts["q0"] and firsts["q2"] > 2 * firsts["q0"]
    assert len({q.id for q in pick_questions(store, MockConfig(count=10), rng)}) == 3  # never repeats
    store.close()


def test_turns_grades_review_log_and_export(tmp_path: Path) -> None:
    store = make_store(tmp_path, 2)
    questions = [store.questions.get("q0"), store.questions.get("q1")]
    config = MockConfig(count=2, model="claude-sonnet-5-5", follow_up_rounds=1)
    interview = MockInterview(store, config, [q for q in questions if q], {"t": "Topic T"})
    interview.record_question("Tell me about q0.")
    interview.save_answer("My answer about q0.", seconds=42.0)
    grade = parse_grade(GOOD_GRADE)
    interview.record_grade(grade, seconds=42.0)
    assert interview.wants_follow_up()
    interview.next_round()
    interview.record_question(grade.follow_up)
    interview.save_answer("Learning curves.", seconds=10.0)
    interview.record_grade(Grade("strong", ("curves",), (), (), "Good.", "Next?"))
    assert not interview.wants_follow_up()
    interview.next_question()
    interview.skip()
    assert interview.done
    summary = interview.finish()
    # Only the bank question's grade goes into the review log, as "mock".
    assert [(r.qid, r.score, r.source, r.seconds) for r in store.reviews.all()] == [("q0", "ok", "mock", 42.0)]
    assert [q["tier"] for q in summary["questions"]] == ["ok", None]  # type: ignore[index]
    assert summary["gaps"] == ["how model capacity moves the balance"]
    assert summary["revisit"] == ["Topic T"]
    session = store.mocks.session(interview.session_id)
    assert session is not None and session.status == "completed" and session.model == "claude-sonnet-5-5"
    text = export_markdown(session, store.mocks.turns(interview.session_id))
    for expected in (
        "Tell me about q0.",
        "My answer about q0. ",
        "(42 s)",
        "Grade: OK",
        "Learning curves.",
        "Skipped.",
        "## Summary",
    ):
        assert expected.strip() in text
    store.close()


def test_interrupted_session_keeps_its_transcript(tmp_path: Path) -> None:
    store = make_store(tmp_path, 2)
    interview = MockInterview(store, MockConfig(count=2, offline=True), [store.questions.get("q0")], {})  # type: ignore[list-item]
    interview.record_question("What is q0?")
    interview.save_answer("half an answer", seconds=5)
    interview.finish(interrupted=True)
    session = store.mocks.session(interview.session_id)
    assert session is not None and session.status == "interrupted" and session.mode == "offline"
    assert [t.kind for t in store.mocks.turns(interview.session_id)] == ["question", "answer"]
    store.close()


def test_coding_rounds_come_only_when_asked_for(tmp_path: Path) -> None:
    """Regression: with "Coding questions: 0" a question with tests could still be drawn, and the mock
    window then opened the code editor for it (tests/ui/test_mock_window.py failed when it did)."""
    import shutil

    from tests.conftest import SHIPPED_BANK

    bank = tmp_path / "bank"
    bank.mkdir()
    shutil.copy(SHIPPED_BANK / "ml-coding.toml", bank)
    write_topic(bank, "words", [{"qid": f"w{i}"} for i in range(5)])
    store = Store.open(tmp_path / "s.sqlite3")
    store.bank.sync([bank])
    coding = {s.qid for s in store.questions.coding()}
    assert len(coding) > 20
    rng = random.Random(3)
    for _ in range(50):
        drawn = pick_questions(store, MockConfig(count=4), rng)
        assert len(drawn) == 4 and not {q.id for q in drawn} & coding
    for _ in range(20):
        drawn = pick_questions(store, MockConfig(count=4, coding=2), rng)
        assert len(drawn) == 4 and len({q.id for q in drawn} & coding) == 2
    # A topic with too few spoken questions fills the interview with its coding questions.
    drawn = pick_questions(store, MockConfig(count=12, topics=("ml-coding",)), rng)
    spoken = [q for q in drawn if q.id not in coding]
    assert len(drawn) == 12 and {q.topic_id for q in drawn} == {"ml-coding"}
    assert len(spoken) == len([q for q in store.questions.list(topic_id="ml-coding") if q.qid not in coding])
    store.close()
