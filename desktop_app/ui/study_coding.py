"""The study screen's coding round: the coding panel under a coding question, its runs kept, the score a pass suggests."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop_app.core.store import WriteError
from desktop_app.core.vocab import SCORE_NAMES

if TYPE_CHECKING:
    from desktop_app.core.bank import Question
    from desktop_app.core.coderun import Limits, RunResult
    from desktop_app.core.review import StudySession
    from desktop_app.core.schedule import StudyConfig
    from desktop_app.core.store import Store
    from desktop_app.ui.coding_panel import CodingPanel
    from desktop_app.ui.study import StudyWidgets

__all__ = ["FAILED_RUNS_FOR_OK", "StudyCoding", "code_limits"]

FAILED_RUNS_FOR_OK = 3  # failed runs of a coding question before a pass only suggests OK


def code_limits(config: StudyConfig) -> Limits:
    """The coding round's limits from the study settings: the wall time is the user's; CPU time follows it."""
    from desktop_app.core.coderun import Limits

    return Limits(wall_s=float(config.code_time_limit_s), cpu_s=config.code_time_limit_s)


class StudyCoding:
    """The coding panel's side of the study loop, owned by the StudyController. The panel (and the code runner
    behind it) is made when the first coding question is shown, so start-up never imports them."""

    def __init__(
        self, store: Store, session: StudySession, widgets: StudyWidgets, show_current: Callable[[], None]
    ) -> None:
        self.store = store
        self.session = session
        self.w = widgets
        self._show_current = show_current  # the controller's: puts the current question on screen again
        self.panel: CodingPanel | None = None  # made when the first coding question is shown
        self._qid: str | None = None
        self._reading: bool | None = None  # how the question and the code share the column (see _balance)
        self._since = 0.0  # when the current coding question was shown: runs since then count
        self.suggested: str | None = None  # the score a coding run suggests, until the user records one

    def show(self, question: Question | None, revealed: bool) -> None:
        """A coding question gets the coding panel under it, starting from the last attempt or the stub."""
        if question is None or not question.tests or not question.solution:
            if self.panel is not None:
                self.panel.hide()
            self._qid = None
            return
        panel = self._coding_panel()
        self._balance(panel, revealed)
        if self._qid != question.id:
            last = self.store.attempts.last(question.id)
            panel.load(question, last.code if last else None)
            self._qid = question.id
            self._since = time.time()
            self.suggested = None
            if last is not None:
                panel.show_last_attempt(last.outcome, last.created_at, last.all_passed)
        panel.show()

    def _coding_panel(self) -> CodingPanel:
        if self.panel is None:
            from desktop_app.ui.coding_panel import CodingPanel

            panel = CodingPanel(code_limits(self.store.sched.config()))
            panel.ran.connect(self._code_ran)
            panel.revealed.connect(self._reveal)  # the solution was shown
            panel.gaveUp.connect(lambda: self._suggest("weak", "You gave up: Weak is suggested. Score it with 1-4."))
            self.w.question_split.addWidget(panel)
            self.panel = panel
        return self.panel

    def _balance(self, panel: CodingPanel, revealed: bool) -> None:
        """While the user writes, the code gets three quarters of the column; once the answer is shown it
        gets the larger share, since that is what they read next. Set only when that changes, so a split
        the user dragged stays while they work."""
        if self._reading == revealed:
            return
        self._reading = revealed
        split = self.w.question_split
        question, code = (3, 2) if revealed else (1, 3)
        split.setStretchFactor(0, question)
        split.setStretchFactor(1, code)
        height = max(split.height(), 400)
        split.setSizes([height * question // (question + code), height * code // (question + code)])

    def run(self) -> None:
        """F5: run the coding question's tests."""
        if self.panel is not None and self.panel.isVisible():
            self.panel.run()

    def set_limits(self, config: StudyConfig) -> None:
        """New study settings: the next run takes the new time limit."""
        if self.panel is not None:
            self.panel.limits = code_limits(config)

    def shutdown(self) -> None:
        """Stop any code run (stop, then wait)."""
        if self.panel is not None:
            self.panel.shutdown()

    def _reveal(self) -> None:
        """The answer is shown once the solution is, a pass suggests a score, or the user gives up."""
        if not self.session.revealed:
            self.session.reveal()
            self._show_current()

    def _code_ran(self, result: RunResult, code: str) -> None:
        """Every run is kept (the editor starts from it next time); a pass suggests a score: Strong if the
        solution was not shown and few runs failed first, else OK. The user records it or another one."""
        from desktop_app.core.runexplain import explain

        item = self.session.current
        if item is None or self.panel is None or result.stopped:
            return
        revealed = self.panel.solution_shown or self.session.revealed
        outcome = explain(result, self.panel.limits)
        try:
            self.store.attempts.record(
                item.qid, code, result.passed, len(result.tests), outcome, result.seconds, revealed
            )
        except WriteError as exc:
            self.w.problems.report("Your code", exc, lambda: None)
        if result.all_passed:
            failed_before = self.store.attempts.failed_since(item.qid, self._since)
            strong = not revealed and failed_before < FAILED_RUNS_FOR_OK
            reason = (
                "first time, without the solution"
                if strong
                else ("after seeing the solution" if revealed else f"after {failed_before} failed runs")
            )
            tier = "strong" if strong else "ok"
            self._suggest(
                tier, f"All tests pass ({reason}): {SCORE_NAMES[tier]} is suggested. Press Esc, then a score (1-4)."
            )

    def _suggest(self, tier: str, message: str) -> None:
        self.suggested = tier
        self._reveal()
        self.w.score_bar.suggest(tier)
        self.w.status_bar.showMessage(message, 10000)
