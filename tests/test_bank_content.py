"""The shipped bank as a product: enough questions per topic, a level mix, follow-ups, no near-duplicates,
and every coding question's reference solution passing its own tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core.bank import LEVELS, Bank, Question, Rubric, load_bank
from desktop_app.core.quality import (
    MIN_FOLLOW_UPS,
    MUTANTS_FOLDER,
    Mutant,
    length_findings,
    level_findings,
    level_mix,
    load_mutants,
    near_duplicates,
    rubric_findings,
    run_solution,
    solution_findings,
)
from tests.conftest import SHIPPED_BANK

MINIMUMS = {
    "ml-fundamentals": 45,
    "classical-ml": 45,
    "statistics-probability": 45,
    "data-feature-engineering": 35,
    "evaluation-experimentation": 30,
    "deep-learning": 50,
    "nlp-llms": 60,
    "computer-vision": 30,
    "recommender-systems": 30,
    "mlops": 50,
    "ml-system-design": 35,
    "ml-coding": 60,
    # Added for 2026 interviews (issue 17).
    "generative-models": 30,
    "llm-agents-and-reasoning": 35,
    "responsible-ai": 35,
    "causal-inference": 25,
    "time-series": 25,
    "speech-audio": 8,
}


@pytest.fixture(scope="module")
def bank() -> Bank:
    bank, problems = load_bank([SHIPPED_BANK])
    assert problems == []
    return bank


def test_every_topic_has_its_minimum_count(bank: Bank) -> None:
    counts = {t: sum(level_mix(bank)[t].values()) for t in MINIMUMS}
    short = {t: (counts[t], n) for t, n in MINIMUMS.items() if counts[t] < n}
    assert not short, f"topics below their minimum (have, need): {short}"
    assert len(bank.questions) >= 850


def test_each_topic_has_at_least_a_tenth_at_each_level(bank: Bank) -> None:
    assert level_findings(bank) == []
    for counts in level_mix(bank).values():
        assert all(counts[level] > 0 for level in LEVELS)


def test_answers_follow_ups_and_tags_meet_the_house_style(bank: Bank) -> None:
    assert [str(f) for f in length_findings(bank)] == []
    assert min(len(q.follow_ups) for q in bank.questions) >= MIN_FOLLOW_UPS


def test_no_two_questions_ask_the_same_thing(bank: Bank) -> None:
    assert near_duplicates(bank.questions) == []


def test_every_coding_question_carries_a_solution_and_tests(bank: Bank) -> None:
    coding = bank.by_topic("ml-coding")
    assert coding and all(q.solution and q.tests for q in coding)


@pytest.mark.parametrize("qid", [q.id for q in load_bank([SHIPPED_BANK])[0].questions if q.solution])
def test_reference_solution_passes_its_tests(bank: Bank, qid: str) -> None:
    question = next(q for q in bank.questions if q.id == qid)
    assert run_solution(question) is None


def test_every_rubric_names_a_few_essentials_and_a_weak_tier_of_its_own(bank: Bank) -> None:
    assert [str(f) for f in rubric_findings(bank)] == []


MUTANTS, MUTANT_PROBLEMS = load_mutants(Path(SHIPPED_BANK) / MUTANTS_FOLDER)


def test_mutant_files_are_well_formed() -> None:
    assert [str(f) for f in MUTANT_PROBLEMS] == []
    assert len(MUTANTS) >= 3 * 60


@pytest.mark.parametrize("qid", [q.id for q in load_bank([SHIPPED_BANK])[0].questions if q.solution])
def test_the_tests_reject_every_known_wrong_solution(bank: Bank, qid: str) -> None:
    """Each coding question's tests are split into test functions and fail each of its mutants."""
    question = next(q for q in bank.questions if q.id == qid)
    mine = [m for m in MUTANTS if m.question == qid]
    findings = [f.message for f in solution_findings(Bank(questions=[question]), mine)]
    assert findings == []


# The checks above must be able to fail: each is shown a bank that breaks it.


def _q(qid: str, question: str, answer: str, level: str = "beginner", **kw: object) -> Question:
    return Question(qid, "t", question, level, answer, ("a?", "b?", "c?"), Rubric(("s",), "o", "w"), ("tag",), **kw)  # type: ignore[arg-type]


LONG = " ".join(f"word{i}" for i in range(120))


def test_near_duplicate_detector_flags_reworded_question_and_copied_answer() -> None:
    pairs = near_duplicates(
        [
            _q("a", "Explain the bias-variance tradeoff.", LONG),
            _q("b", "Can you explain the bias variance trade-off?", "Completely different text " * 20),
            _q("c", "What is dropout?", "Intro. " + LONG),
            _q("d", "How does batch norm work?", "Normalizes activations per batch. " * 10),
        ]
    )
    flagged = {(a, b) for a, b, _why in pairs}
    assert ("a", "b") in flagged and ("a", "c") in flagged
    assert not any("d" in pair for pair in flagged)


def test_style_checks_flag_short_answers_and_level_gaps() -> None:
    bank = Bank(questions=[_q("short", "Q?", "Too short."), _q("ok", "Q2?", LONG)])
    assert [f.question_id for f in length_findings(bank)] == ["short"]
    assert [f.message for f in level_findings(bank)] == [
        "0 of 2 questions are intermediate; need at least 10%",
        "0 of 2 questions are advanced; need at least 10%",
    ]


def test_solution_runner_reports_a_failing_test() -> None:
    good = _q("g", "Q?", LONG, solution="def f(x):\n    return 2 * x\n", tests="assert f(2) == 4\n")
    bad = _q("b", "Q?", LONG, solution="def f(x):\n    return 2 * x\n", tests="assert f(2) == 5, 'f(2) should be 5'\n")
    slow = _q("s", "Q?", LONG, solution="while True:\n    pass\n", tests="")
    assert run_solution(good) is None
    assert "f(2) should be 5" in (run_solution(bad) or "")
    assert "timed out" in (run_solution(slow, timeout=1.0) or "")


def test_shipped_bank_folder_holds_only_topic_files_the_readme_and_the_mutants() -> None:
    names = {p.name for p in Path(SHIPPED_BANK).iterdir()}
    assert "README.md" in names
    assert all(n.endswith(".toml") or n in ("README.md", "mutants") for n in names)


def test_mutant_check_flags_a_mutant_the_tests_let_through() -> None:
    tests = "def test_double():\n    assert f(2) == 4, 'f(2) should be 4'\n"
    q = _q("m", "Q?", LONG, solution="def f(x):\n    return 2 * x\n", tests=tests)
    caught = Mutant("m", "triple", "wrong factor", "2 * x", "3 * x", "here")
    missed = Mutant("m", "shift", "2x written as x << 1", "2 * x", "x << 1", "here")
    stale = Mutant("m", "stale", "no longer in the solution", "x + x", "x", "here")
    findings = [f.message for f in solution_findings(Bank(questions=[q]), [caught, missed, stale])]
    assert "mutant 'shift' passes every test; strengthen the tests" in findings
    assert "mutant 'stale': its 'find' text is not in the solution exactly once" in findings
    assert "tests define fewer than 3 test_* functions" in findings
    assert not any("triple" in f for f in findings)


def test_rubric_check_wants_a_few_short_essentials_and_a_weak_tier_of_its_own() -> None:
    long_point = " ".join(["word"] * 31)
    good = _q("good", "Q?", LONG)
    good = Question(
        **{**good.__dict__, "rubric": Rubric(("Names the idea.", "Gives the formula."), "o", "Confuses A and B.")}
    )
    bad = Question(**{**good.__dict__, "id": "bad", "rubric": Rubric((long_point,), "o", long_point)})
    findings = {str(f) for f in rubric_findings(Bank(questions=[good, bad]))}
    assert findings == {
        "bad: rubric.strong has 1 point(s); list the 2-4 essentials (put the rest in rubric.also_good)",
        "bad: rubric.strong point 1 has 31 words; keep each under 30",
        "bad: rubric.weak repeats the strong tier; name the misconception or omission",
    }
