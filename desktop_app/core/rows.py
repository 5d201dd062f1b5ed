"""A question list that knows its order but reads its rows a page at a time, as they are shown.

It holds every row number (4 bytes a question) and a bounded cache of list rows. The study session
walks it like a list and the window's list model draws from it; neither ever reads the whole list, so a
list of 100,000 questions costs what a screenful does.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Sequence

from desktop_app.core.store.records import QuestionSummary

PAGE = 128  # rows read at once when a row that is not cached is asked for
CACHE_ROWS = 8192  # rows kept; the oldest pages are dropped past this

Fetch = Callable[[Sequence[int]], list[QuestionSummary]]  # rows by row number, in that order
NumOf = Callable[[str], int | None]  # a question id's row number


class QuestionRows(Sequence[QuestionSummary]):
    def __init__(
        self,
        first: Sequence[QuestionSummary],
        fetch: Fetch,
        num_of: NumOf,
        nums: array | None = None,
    ):
        """`first` are the list's first rows (all of them when `nums`, the whole order, is not known yet)."""
        self._fetch = fetch
        self._num_of = num_of
        self._nums = array("I", nums if nums is not None else (row.num for row in first))
        self.complete = nums is not None
        self._cache: dict[int, QuestionSummary] = {}
        for row in first:
            self._cache[row.num] = row

    @classmethod
    def of(cls, rows: Sequence[QuestionSummary]) -> QuestionRows:
        """A list already read whole (tests, the command line)."""
        by_qid = {row.qid: row.num for row in rows}
        return cls(rows, fetch=lambda _nums: [], num_of=by_qid.get, nums=array("I", (row.num for row in rows)))

    # -- reading --------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._nums)

    def __getitem__(self, index: int) -> QuestionSummary:  # type: ignore[override]
        if index < 0:
            index += len(self._nums)
        num = self._nums[index]  # IndexError past the end, as a list
        row = self._cache.get(num)
        if row is None:
            self._read_page(index)
            row = self._cache.get(num)
            if row is None:  # the question left the store meanwhile: a placeholder, never a crash
                row = QuestionSummary("", "", "", "(no longer in the bank)", None, False, num)
        return row

    def __iter__(self) -> Iterator[QuestionSummary]:
        for i in range(len(self._nums)):
            yield self[i]

    def _read_page(self, index: int) -> None:
        start = index - index % PAGE
        wanted = [n for n in self._nums[start : start + PAGE] if n not in self._cache]
        if len(self._cache) + len(wanted) > CACHE_ROWS:
            for num in list(self._cache)[: len(self._cache) // 2]:  # the oldest half
                del self._cache[num]
        for row in self._fetch(wanted):
            self._cache[row.num] = row

    def cached(self) -> int:
        return len(self._cache)

    def index_of(self, qid: str | None) -> int:
        """The question's row in the list, or -1. Reads one row number, never the list."""
        if not qid:
            return -1
        num = self._num_of(qid)
        if num is None:
            return -1
        try:
            return self._nums.index(num)
        except ValueError:
            return -1

    @property
    def nums(self) -> array:
        return self._nums

    # -- changes ----------------------------------------------------------------------------------

    def replace(self, index: int, row: QuestionSummary) -> None:
        """A row's new values (a score, a bookmark); the question stays where it is."""
        self._cache[self._nums[index]] = row

    def remove(self, index: int) -> QuestionSummary:
        row = self[index]
        del self._nums[index]
        return row

    def insert(self, index: int, row: QuestionSummary) -> None:
        self._nums.insert(index, row.num)
        self._cache[row.num] = row

    def complete_with(self, nums: array) -> bool:
        """The whole order arrived: keep the rows shown so far and add the rest after them. False (and no
        change) when the order no longer begins with what is shown: the list changed meanwhile."""
        shown = len(self._nums)
        if len(nums) < shown or nums[:shown] != self._nums:
            return False
        self._nums.extend(nums[shown:])
        self.complete = True
        return True
