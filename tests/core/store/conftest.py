"""A small real bank and a store synced from it, shared by the store's tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.core.store import Store
from tests.conftest import write_topic


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    folder = tmp_path / "bank"
    write_topic(
        folder,
        "alpha",
        [
            {"qid": "a1", "question": "Explain gradient descent", "answer": "Step against the gradient."},
            {
                "qid": "a2",
                "level": "advanced",
                "question": "Why does momentum help?",
                "answer": "It averages gradients.",
            },
        ],
        title="Alpha",
        order=1,
    )
    write_topic(
        folder,
        "beta",
        [
            {
                "qid": "b1",
                "level": "intermediate",
                "question": "What is a random forest?",
                "answer": "Bagged decision trees.",
            },
        ],
        title="Beta",
        order=2,
    )
    return folder


@pytest.fixture
def store(tmp_path: Path, bank: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "data" / "mlprep.sqlite3")
    report = s.bank.sync([bank])
    assert report.added == 3 and report.problems == []
    yield s
    s.close()
