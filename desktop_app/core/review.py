"""The study loop without Qt: which question is current, whether it is revealed, scoring and undo."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from desktop_app.core.store import QuestionSummary, Store


@dataclass(frozen=True)
class ScoredStep:
    review_id: int
    index: int
    qid: str


class StudySession:
    """Walks a list of questions; the clock per question measures time spent before scoring."""

    def __init__(self, store: Store, clock: Callable[[], float] = time.monotonic):
        self.store = store
        self.clock = clock
        self.items: list[QuestionSummary] = []
        self.index = -1
        self.revealed = False
        self._shown_at = clock()
        self._undo: list[ScoredStep] = []
        self._removed: dict[str, tuple[int, QuestionSummary]] = {}  # left the list; undo brings them back

    @property
    def current(self) -> QuestionSummary | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    def set_items(self, items: list[QuestionSummary], keep_qid: str | None = None) -> None:
        self.items = items
        self._removed.clear()
        index = next((i for i, q in enumerate(items) if q.qid == keep_qid), 0) if keep_qid else 0
        self.go_to(index if items else -1)

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
        self._removed[self.items[index].qid] = (index, self.items[index])
        del self.items[index]
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
        index = next((i for i, item in enumerate(self.items) if item.qid == qid), -1)
        step = ScoredStep(review_id, index, qid)
        self._undo.append(step)
        if index >= 0:
            self.items[index] = _with_score(self.items[index], tier)
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
        if step.qid in self._removed and all(item.qid != step.qid for item in self.items):
            index, item = self._removed.pop(step.qid)
            self.items.insert(min(index, len(self.items)), item)
        for i, item in enumerate(self.items):
            if item.qid == step.qid:
                self.items[i] = _with_score(item, last.score if last else None)
                self.go_to(i)
                self.revealed = True
                break
        return step

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def update_item(self, qid: str, **changes: object) -> None:
        for i, item in enumerate(self.items):
            if item.qid == qid:
                self.items[i] = item._replace(**changes)  # type: ignore[arg-type]


def _with_score(item: QuestionSummary, score: str | None) -> QuestionSummary:
    return item._replace(last_score=score)
