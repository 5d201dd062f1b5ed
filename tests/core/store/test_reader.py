"""The list reader answers on its own thread, the newest request first; a superseded one is never delivered."""

from __future__ import annotations

import threading
from pathlib import Path

from desktop_app.core.store import Store
from desktop_app.core.store.listing import FirstPage, ListQuery, WholeList
from desktop_app.core.store.reader import Answer, ListReader


def test_answers_come_in_two_parts_and_only_for_the_latest_request(store: Store) -> None:
    answers: list[Answer] = []
    gate = threading.Event()
    arrived = threading.Event()

    def deliver(answer: Answer) -> None:
        answers.append(answer)
        if answer.generation == 1 and isinstance(answer.part, FirstPage):
            arrived.set()
            gate.wait(5)  # hold the reader inside request 1 while request 2 comes in
        if answer.generation == 2 and isinstance(answer.part, WholeList):
            done.set()

    done = threading.Event()
    reader = ListReader(store.path, deliver)
    try:
        assert reader.request(ListQuery()) == 1
        assert arrived.wait(5)
        assert reader.request(ListQuery(search="grad")) == 2
        gate.set()
        assert done.wait(5)
    finally:
        reader.close()
    parts = [(a.generation, type(a.part).__name__) for a in answers]
    assert parts == [(1, "FirstPage"), (2, "FirstPage"), (2, "WholeList")], "request 1's whole list was dropped"
    whole = answers[-1].part
    assert isinstance(whole, WholeList) and whole.total == 2


def test_a_reader_on_a_missing_store_reports_instead_of_dying(tmp_path: Path) -> None:
    got: list[Answer] = []
    event = threading.Event()
    reader = ListReader(tmp_path / "nowhere" / "store.sqlite3", lambda a: (got.append(a), event.set()))
    reader.request(ListQuery())
    event.wait(5)
    reader.close()
    assert got and got[0].part is None and got[0].error
