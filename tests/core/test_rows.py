"""QuestionRows: a list that knows its order and reads rows a page at a time, with a bounded cache."""

from __future__ import annotations

from array import array
from collections.abc import Sequence

from desktop_app.core import rows as rows_module
from desktop_app.core.rows import PAGE, QuestionRows
from desktop_app.core.store.records import QuestionSummary


def summary(num: int) -> QuestionSummary:
    return QuestionSummary(f"q{num}", "t", "beginner", f"Question {num}?", None, False, num)


class Store:
    """Rows by number, counting what was read."""

    def __init__(self) -> None:
        self.reads: list[int] = []

    def fetch(self, nums: Sequence[int]) -> list[QuestionSummary]:
        self.reads.extend(nums)
        return [summary(n) for n in nums if n != 13]  # 13 has left the store

    def num_of(self, qid: str) -> int | None:
        return int(qid[1:]) if qid.startswith("q") else None


def test_rows_are_read_a_page_at_a_time_when_asked_for() -> None:
    store = Store()
    order = array("I", range(1000, 0, -1))  # 1000 questions, listed backwards
    rows = QuestionRows([summary(n) for n in order[:10]], store.fetch, store.num_of, order)
    assert len(rows) == 1000 and rows[0].num == 1000 and store.reads == []
    assert rows[500].num == 500
    assert len(store.reads) == PAGE - 10 or len(store.reads) == PAGE  # one page around row 500
    assert rows[-1].num == 1 and rows.cached() <= 10 + 2 * PAGE
    assert rows.index_of("q250") == 750 and rows.index_of("nope") == -1 and rows.index_of(None) == -1


def test_the_cache_stays_bounded_and_a_vanished_question_is_a_placeholder(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(rows_module, "CACHE_ROWS", 300)
    store = Store()
    rows = QuestionRows([], store.fetch, store.num_of, array("I", range(1, 5001)))
    for i in range(0, 5000, 7):
        assert rows[i].num == i + 1 or rows[i].num == 13
    assert rows.cached() <= 300 + PAGE
    assert rows[12].question == "(no longer in the bank)"


def test_changes_and_the_whole_order_arriving_after_the_first_page() -> None:
    store = Store()
    first = [summary(n) for n in (5, 3, 9)]
    rows = QuestionRows(first, store.fetch, store.num_of)
    assert not rows.complete and len(rows) == 3
    assert not rows.complete_with(array("I", [5, 9, 3, 1]))  # not the same beginning: refused, unchanged
    assert list(rows.nums) == [5, 3, 9]
    assert rows.complete_with(array("I", [5, 3, 9, 1, 2])) and rows.complete and len(rows) == 5
    rows.replace(1, rows[1]._replace(last_score="ok"))
    assert rows[1].last_score == "ok"
    gone = rows.remove(0)
    assert gone.num == 5 and rows[0].num == 3
    rows.insert(0, gone)
    assert [r.num for r in rows] == [5, 3, 9, 1, 2]
