"""The study loop: time spent per question, scoring moves on, undo goes back."""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.review import StudySession
from desktop_app.core.store import Store
from tests.conftest import LockHolder, write_topic


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_score_records_seconds_and_moves_on_then_undo(tmp_path: Path) -> None:
    write_topic(tmp_path / "bank", "t", [{"qid": "q1"}, {"qid": "q2"}])
    store = Store.open(tmp_path / "s.sqlite3")
    store.bank.sync([tmp_path / "bank"])
    clock = Clock()
    session = StudySession(store, clock)
    session.set_items(store.questions.list())
    assert session.current.qid == "q1" and not session.revealed
    clock.now += 42.0
    session.reveal()
    step = session.score("ok")
    assert step is not None and step.qid == "q1"
    assert session.current.qid == "q2" and not session.revealed
    assert [(r.score, r.seconds, r.source) for r in store.reviews.all("q1")] == [("ok", 42.0, "self")]
    assert session.items[0].last_score == "ok"
    undone = session.undo()
    assert undone == step and session.current.qid == "q1" and store.reviews.all("q1") == []
    assert session.items[0].last_score is None and not session.can_undo
    store.close()


def test_scoring_the_last_question_stays_on_it(tmp_path: Path) -> None:
    write_topic(tmp_path / "bank", "t", [{"qid": "only"}])
    store = Store.open(tmp_path / "s.sqlite3")
    store.bank.sync([tmp_path / "bank"])
    session = StudySession(store, Clock())
    session.set_items(store.questions.list())
    session.score("strong")
    assert session.current.qid == "only" and session.revealed
    assert session.next() is False
    store.close()


def test_set_items_keeps_the_current_question(tmp_path: Path) -> None:
    write_topic(tmp_path / "bank", "t", [{"qid": "x1"}, {"qid": "x2"}, {"qid": "x3"}])
    store = Store.open(tmp_path / "s.sqlite3")
    store.bank.sync([tmp_path / "bank"])
    session = StudySession(store, Clock())
    session.set_items(store.questions.list(), keep_qid="x3")
    assert session.index == 2
    session.set_items([], keep_qid="x3")
    assert session.current is None and session.score("ok") is None
    store.close()


def test_a_failed_undo_keeps_the_stack_so_the_next_undo_takes_back_the_same_score(tmp_path: Path) -> None:
    """Issue 12: undo used to pop its stack before the store change, so after a locked store the next U
    deleted the previous score instead."""
    import pytest

    from desktop_app.core.store import WriteError

    write_topic(tmp_path / "bank", "t", [{"qid": "a"}, {"qid": "b"}])
    store = Store.open(tmp_path / "s.sqlite3")
    store.bank.sync([tmp_path / "bank"])
    session = StudySession(store)
    session.set_items(store.questions.list())
    session.score("weak")  # a
    session.score("strong")  # b
    holder = LockHolder(tmp_path / "s.sqlite3")
    try:
        with pytest.raises(WriteError) as err:
            session.undo()
        assert err.value.kind == "locked" and "Retry" in err.value.message
        assert session.can_undo
    finally:
        holder.release()
    step = session.undo()
    assert step is not None and step.qid == "b"
    assert [(r.qid, r.score) for r in store.reviews.all()] == [("a", "weak")]
    store.close()


def test_a_failed_score_changes_nothing_and_can_be_retried(tmp_path: Path) -> None:
    import pytest

    from desktop_app.core.store import WriteError

    write_topic(tmp_path / "bank", "t", [{"qid": "a"}, {"qid": "b"}])
    store = Store.open(tmp_path / "s.sqlite3")
    store.bank.sync([tmp_path / "bank"])
    session = StudySession(store)
    session.set_items(store.questions.list())
    holder = LockHolder(tmp_path / "s.sqlite3")
    try:
        with pytest.raises(WriteError):
            session.score("ok")
        assert session.current is not None and session.current.qid == "a" and session.current.last_score is None
        assert not session.can_undo
    finally:
        holder.release()
    session.score("ok")
    assert [(r.qid, r.score) for r in store.reviews.all()] == [("a", "ok")]
    store.close()
