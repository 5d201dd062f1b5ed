"""A mock interview's coding round: the coding panel in the answer's place, and the code submitted with its test run."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QSplitter, QStackedWidget

if TYPE_CHECKING:
    from desktop_app.core.bank import Question
    from desktop_app.core.store import Store
    from desktop_app.ui.coding_panel import CodingPanel

__all__ = ["MockCoding"]


class MockCoding:
    """The coding round's side of the mock window. The panel (and the code runner behind it) is made for the
    first coding question, so a session without one never imports them."""

    def __init__(
        self,
        store: Store,
        window: QMainWindow,
        bottom: QStackedWidget,
        splitter: QSplitter,
        send: Callable[[], None],
    ) -> None:
        """`window` parents the panel and shows the round's messages; the panel goes into `bottom`, which gets
        most of `splitter`; `send` is the window's Submit (Ctrl+Shift+Enter in the panel, or after a run)."""
        self.store = store
        self._window = window
        self._bottom = bottom
        self._splitter = splitter
        self._send = send
        self.panel: CodingPanel | None = None  # the coding round's editor, made for the first coding question
        self._qid: str | None = None
        self._submit_after_run = False

    def show(self, question: Question) -> None:
        """The panel in the answer's place, on `question`'s stub the first time it is shown."""
        from desktop_app.ui.coding_panel import CodingPanel

        if self.panel is None:
            from desktop_app.ui.study_coding import code_limits

            self.panel = CodingPanel(
                code_limits(self.store.sched.config()),
                parent=self._window,
                run_keys=("F5", "Ctrl+Return", "Ctrl+Enter"),
            )
            self.panel.give_up_button.hide()  # in an interview, submitting what you have is giving up
            self.panel.solution_button.hide()  # the reference comes with the grade, not before
            self.panel.ran.connect(self._code_ran)
            submit = QShortcut(QKeySequence("Ctrl+Shift+Return"), self.panel)
            submit.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            submit.activated.connect(self._send)
            self._bottom.addWidget(self.panel)
        if self._qid != question.id:
            self.panel.load(question, None)
            self._qid = question.id
        self._bottom.setCurrentWidget(self.panel)
        height = self._splitter.height()
        self._splitter.setSizes([int(height * 0.3), int(height * 0.7)])  # room to write code

    def _code_ran(self, result: object, code: str) -> None:
        if self._submit_after_run:
            self._submit_after_run = False
            self._send()

    def submission(self) -> str | None:
        """The code and how its last run went, as the answer: what the grader and the transcript get. None
        (and a run started) when the code changed since its last run: it is submitted once the run ends."""
        from desktop_app.core.runexplain import explain

        panel = self.panel
        assert panel is not None
        code = panel.editor.text()
        result = panel.last_result
        if panel.runner.running:  # a run is going: submit what it finds
            self._submit_after_run = True
            self._window.statusBar().showMessage("Submitting once the tests finish…", 4000)
            return None
        if result is None or panel.last_code != code:
            self._submit_after_run = True
            panel.run()
            self._window.statusBar().showMessage("Running the tests on your code before it is submitted…", 4000)
            return None
        lines = [f"Tests: {explain(result, panel.limits)}"]
        lines += [f"- {'passed' if t.passed else 'FAILED'}: {t.name}" for t in result.tests]
        return "```python\n" + code.rstrip() + "\n```\n\n" + "\n".join(lines)

    def shutdown(self) -> None:
        """Stop any run (stop, then wait)."""
        if self.panel is not None:
            self.panel.shutdown()
