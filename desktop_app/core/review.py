"""The study loop without Qt: which question is current, whether it is revealed, scoring and undo."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from desktop_app.core.rows import QuestionRows
from desktop_app.core.store import QuestionSummary, Store


@dataclass(frozen=True)
class ScoredStep:
    review_id: int
    index: int
    qid: str


class StudySession:
    """Walks a list of questions; the clock per question measures time spent before scoring.

    The list is a QuestionRows: it may hold 100,000 questions and read them a page at a time, so nothing
    here walks it; a question is found by its row number (`index_of`)."""

    def __init__(self, store: Store, clock: Callable[[], float] = time.monotonic):
        self.store = store
        self.clock = clock
        self.items: QuestionRows = QuestionRows.of([])
        self.index = -1
        self.revealed = False
        self._shown_at = clock()
        self._undo: list[ScoredStep] = []
        self._removed: dict[str, tuple[int, QuestionSummary]] = {}  # left the list; undo brings them back

    @property
    def current(self) -> QuestionSummary | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    def set_items(self, items: QuestionRows | list[QuestionSummary], keep_qid: str | None = None) -> None:
        self.items = items if isinstance(items, QuestionRows) else QuestionRows.of(items)
        self._removed.clear()
        self.index = -1
        index = max(0, self.items.index_of(keep_qid))
        self.go_to(index if len(self.items) else -1)

    def go_to(self, index: int) -> bool:
        if not self.items:
            self.index = -1
            return False
        index = max(0, min(index, len(self.items) - 1))
        changed = index != self.index
        self.index = index
        if changed:
            self.revealed = False
            self._shown_at = self.clock()
        return changed

    def next(self) -> bool:
        return self.go_to(self.index + 1)

    def previous(self) -> bool:
        return self.go_to(self.index - 1)

    def reveal(self) -> None:
        self.revealed = True

    def toggle_reveal(self) -> None:
        self.revealed = not self.revealed

    def score(self, tier: str) -> ScoredStep | None:
        """Record the score for the current question and move to the next one.

        The store is written first: if that fails (WriteError), nothing here has changed, so the same
        question is still current and the caller can offer to retry.
        """
        current = self.current
        if current is None:
            return None
        step = self.record(current.qid, tier, self.elapsed())
        self.move_on()
        return step

    def remove(self, index: int) -> None:
        """Take a question out of the list (it left the Due queue); the next one becomes current, unrevealed."""
        if not 0 <= index < len(self.items):
            return
        row = self.items.remove(index)
        self._removed[row.qid] = (index, row)
        self.index = -1
        self.go_to(min(index, len(self.items) - 1) if self.items else -1)

    def elapsed(self) -> float:
        """Seconds since the current question was shown: what a score records as time spent."""
        return self.clock() - self._shown_at

    def move_on(self) -> None:
        """After a score: the next question, or on the last one, stay with a fresh clock for a re-score."""
        if not self.next():
            self.revealed = True
            self._shown_at = self.clock()

    def record(self, qid: str, tier: str, seconds: float) -> ScoredStep:
        """Write one score (also a retried one) and keep it undoable; raises WriteError if it did not land."""
        review_id = self.store.reviews.record(qid, tier, source="self", seconds=seconds)
        index = self.items.index_of(qid)
        step = ScoredStep(review_id, index, qid)
        self._undo.append(step)
        if index >= 0:
            self.items.replace(index, _with_score(self.items[index], tier))
        return step

    def undo(self) -> ScoredStep | None:
        """Take back the last score of this session and return to that question.

        The store changes first and the undo stack only after it committed: a failed undo (another program
        holds the lock) leaves the stack as it was, so the next attempt undoes the same score.
        """
        if not self._undo:
            return None
        step = self._undo[-1]
        self.store.reviews.undo(step.review_id)
        self._undo.pop()
        last = self.store.reviews.last(step.qid)
        i = self.items.index_of(step.qid)
        if i < 0 and step.qid in self._removed:
            index, item = self._removed.pop(step.qid)
            i = min(index, len(self.items))
            self.items.insert(i, item)
        if i >= 0:
            self.items.replace(i, _with_score(self.items[i], last.score if last else None))
            self.index = -1
            self.go_to(i)
            self.revealed = True
        return step

    @property
    def pending_undo(self) -> ScoredStep | None:
        """The score the next undo takes back."""
        return self._undo[-1] if self._undo else None

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def update_item(self, qid: str, **changes: object) -> int:
        """New values for a question's row (a bookmark); returns its index, or -1 if it is not listed."""
        i = self.items.index_of(qid)
        if i >= 0:
            self.items.replace(i, self.items[i]._replace(**changes))  # type: ignore[arg-type]
        return i


def _with_score(item: QuestionSummary, score: str | None) -> QuestionSummary:
    return item._replace(last_score=score)
