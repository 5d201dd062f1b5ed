"""Bank sync: add, update, retire and restore questions by id, keeping every user's history."""

from __future__ import annotations

import os
import time
from pathlib import Path

from desktop_app.core.store import Store
from tests.conftest import write_topic


def test_unchanged_bank_sync_is_a_no_op_even_when_touched(store: Store, bank: Path) -> None:
    assert store.bank.sync([bank]).unchanged
    f = bank / "alpha.toml"
    os.utime(f, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))
    assert store.bank.sync([bank]).unchanged


def test_sync_updates_retires_and_restores_keeping_history(store: Store, bank: Path) -> None:
    store.reviews.record("a2", "weak", seconds=12.5)
    store.notes.set_bookmark("a2", True)
    store.notes.set_note("a2", "remember bias correction")
    # Edit a1, drop a2, add a3.
    write_topic(
        bank,
        "alpha",
        [
            {"qid": "a1", "question": "Explain gradient descent, precisely", "answer": "Step against the gradient."},
            {"qid": "a3", "question": "What is Adam?", "answer": "Adaptive moments."},
        ],
        title="Alpha",
        order=1,
    )
    report = store.bank.sync([bank])
    assert (report.added, report.updated, report.retired, report.restored) == (1, 1, 1, 0)
    assert [q.qid for q in store.questions.list()] == ["a1", "a3", "b1"]
    assert store.questions.get("a1").question == "Explain gradient descent, precisely"
    assert store.questions.progress_counts() == (0, 3)
    # a2 comes back: its history, bookmark and note are all still there.
    write_topic(bank, "alpha", [{"qid": "a1"}, {"qid": "a2"}, {"qid": "a3"}], title="Alpha", order=1)
    report = store.bank.sync([bank])
    assert report.restored == 1
    assert [(r.qid, r.score, r.seconds) for r in store.reviews.all("a2")] == [("a2", "weak", 12.5)]
    assert store.notes.is_bookmarked("a2") and store.notes.note("a2") == "remember bias correction"
    assert store.questions.progress_counts() == (1, 4)


def test_a_broken_file_does_not_retire_its_questions(store: Store, bank: Path) -> None:
    store.reviews.record("b1", "ok")
    (bank / "beta.toml").write_text("[topic\nid = ", encoding="utf-8")
    report = store.bank.sync([bank])
    assert report.retired == 0 and any("TOML syntax error" in str(p) for p in report.problems)
    assert "b1" in [q.qid for q in store.questions.list()]
    # Reported again next time: a broken file is never remembered as synced.
    assert store.bank.sync([bank]).problems


def test_removed_topic_is_retired_from_the_sidebar(store: Store, bank: Path) -> None:
    (bank / "beta.toml").unlink()
    store.bank.sync([bank])
    assert [t.id for t in store.questions.topics()] == ["alpha"]
