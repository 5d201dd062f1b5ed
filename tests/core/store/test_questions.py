"""Reading and searching the bank in the store: topic counts, filters, prefix search and its ranking."""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.store import Store, search_tokens
from tests.conftest import write_topic


def test_topics_count_reviewed_and_total(store: Store) -> None:
    store.reviews.record("a1", "strong")
    store.reviews.record("a1", "weak")
    info = {t.id: (t.reviewed, t.total) for t in store.questions.topics()}
    assert info == {"alpha": (1, 2), "beta": (0, 1)}
    assert store.stats.score_counts() == {"alpha": {"weak": 1, "ok": 0, "strong": 0, "easy": 0}}


def test_status_and_level_filters(store: Store) -> None:
    store.reviews.record("a1", "ok")
    store.notes.set_bookmark("b1", True)
    assert [q.qid for q in store.questions.list(status="unreviewed")] == ["a2", "b1"]
    assert [q.qid for q in store.questions.list(status="weak_ok")] == ["a1"]
    assert [q.qid for q in store.questions.list(status="bookmarked")] == ["b1"]
    assert [q.qid for q in store.questions.list(level="advanced")] == ["a2"]
    assert [q.qid for q in store.questions.list(topic_id="beta")] == ["b1"]


def test_search_prefix_across_fields_with_filters(store: Store) -> None:
    # a1 has it in the question (weighted higher), a2 only in its answer.
    assert [q.qid for q in store.questions.list(search="grad")] == ["a1", "a2"]
    assert [q.qid for q in store.questions.list(search="grad desc")] == ["a1"]
    assert [q.qid for q in store.questions.list(search="averag")] == ["a2"]  # answer text
    assert [q.qid for q in store.questions.list(search="general")] == ["a1", "a2", "b1"]  # tags
    assert [q.qid for q in store.questions.list(search="doubles")] != []  # follow-ups
    assert [q.qid for q in store.questions.list(search="tree", topic_id="alpha")] == []
    assert store.questions.list(search='"); DROP TABLE review; --') == []
    assert store.questions.list(search="   ") == []
    assert search_tokens('say "hi" there*') == ["say", "hi", "there"]


def test_search_ranks_question_text_before_answer_only_matches(tmp_path: Path) -> None:
    write_topic(
        tmp_path / "bank",
        "t",
        [
            {"qid": "mentions", "question": "What is SGD?", "answer": "Plain steps; momentum is an add-on."},
            {"qid": "about", "question": "Why does momentum speed up training?", "answer": "It averages steps."},
            {"qid": "tagged", "question": "What is Nesterov's trick?", "answer": "A look-ahead.", "tag": "momentum"},
        ],
    )
    s = Store.open(tmp_path / "s.sqlite3")
    s.bank.sync([tmp_path / "bank"])
    assert [q.qid for q in s.questions.list(search="moment")] == ["about", "tagged", "mentions"]
    assert [q.qid for q in s.questions.list(search="moment", limit=1)] == ["about"]
    s.close()


def test_filtered_search_uses_facets_that_typed_words_never_match(store: Store) -> None:
    assert [q.qid for q in store.questions.list(search="grad", topic_id="alpha", level="beginner")] == ["a1"]
    assert [q.qid for q in store.questions.list(search="grad", level="advanced")] == ["a2"]
    assert store.questions.list(search="lvbeginner") == [] and store.questions.list(search="tp") == []
