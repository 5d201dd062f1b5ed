"""The coding round beside a coding question: write the function, run the question's tests, read what
failed and where, try your own inputs against the reference, then see the reference and a diff.

The panel only shows and collects; the runs go through CodeRunner (a child process, never this one) and
the study controller records attempts and scores.
"""

from __future__ import annotations

import difflib
import time
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.bank import Question
from desktop_app.core.coderun import Job, Limits, RunResult
from desktop_app.core.harness import SOLUTION_FILE
from desktop_app.core.runexplain import explain
from desktop_app.core.stubs import stub
from desktop_app.ui.code_editor import CodeEditor
from desktop_app.ui.code_runner import CodeRunner
from desktop_app.ui.textview import MarkdownView

OUTPUT_REFRESH_MS = 100  # how often a run's streaming output is redrawn


def results_markdown(result: RunResult, limits: Limits, verdict: bool = True) -> str:
    """A run as the results pane shows it: the verdict (unless a label beside it already says it), each test,
    the first failure, output, time."""
    lines = [f"**{explain(result, limits)}**", ""] if verdict else []
    for t in result.tests:
        mark = "✓" if t.passed else "✗"
        where = f" (your line {t.solution_line})" if not t.passed and t.solution_line else ""
        lines.append(f"- {mark} `{t.name}` {t.seconds * 1000:.0f} ms{where}")
    failure = result.first_failure
    if failure is not None and failure.message:
        lines += ["", f"First failure, in `{failure.name}`:", "", "```text", failure.message, "```"]
    if result.output.strip():
        shown = result.output if len(result.output) <= 4000 else result.output[:4000] + "\n…"
        lines += ["", "Output:", "", "```text", shown, "```"]
    lines += ["", f"*{result.seconds:.2f} s*"]
    return "\n".join(lines)


def example_call(question: Question) -> str:
    """A call to put in the custom-input box's placeholder: the question's first public function."""
    import ast

    try:
        tree = ast.parse(question.solution or "")
    except SyntaxError:
        return "f(…)"
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            return f"{node.name}(…)"
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            return f"{node.name}(…)"
    return "f(…)"


def past_text(ts: float, now: float | None = None) -> str:
    """When an earlier attempt ran, as a person says it: "today at 14:05", "yesterday", "on Mon 03 Dec"."""
    now = time.time() if now is None else now
    moment = datetime.fromtimestamp(ts)
    days = (datetime.fromtimestamp(now).date() - moment.date()).days
    if days <= 0:
        return f"today at {moment.strftime('%H:%M')}"
    if days == 1:
        return "yesterday"
    return f"on {moment.strftime('%a %d %b')}"


def diff_markdown(mine: str, reference: str) -> str:
    diff = "\n".join(
        difflib.unified_diff(mine.splitlines(), reference.splitlines(), "your code", "reference", lineterm="")
    )
    return "```diff\n" + (diff or "(no difference)") + "\n```"


class CodingPanel(QWidget):
    """Editor, Run / Stop, results, custom input and the reference, for one coding question at a time."""

    ran = Signal(object, str)  # RunResult, the code that ran: the controller stores the attempt
    revealed = Signal()  # the reference solution was shown
    gaveUp = Signal()
    codeChanged = Signal()

    def __init__(
        self,
        limits: Limits | None = None,
        parent: QWidget | None = None,
        run_keys: tuple[str, ...] = ("Ctrl+Return", "Ctrl+Enter"),
    ):
        """`run_keys` run the tests from inside the panel; the main window binds F5 itself (ui/shortcuts.py)."""
        super().__init__(parent)
        self.setObjectName("codingPanel")
        self.limits = limits or Limits()
        self.question: Question | None = None
        self.solution_shown = False
        self.last_result: RunResult | None = None
        self.runner = CodeRunner(self)
        self.runner.output.connect(self._on_output)
        self.runner.finished.connect(self._on_finished)
        self._reference = CodeRunner(self)  # the reference solution, for custom inputs
        self._reference.finished.connect(self._on_reference)
        self._custom: dict[str, RunResult] = {}
        self._custom_pending = False
        self.last_code = ""  # the code of the last test run: its result describes this code
        self._streamed = ""
        self._output_timer = QTimer(self, singleShot=True, interval=OUTPUT_REFRESH_MS)
        self._output_timer.timeout.connect(self._show_streamed)

        self.editor = CodeEditor()
        self.editor.textChanged.connect(self.codeChanged.emit)
        self.run_button = self._button(
            "Run tests", "runTestsButton", "Run the question's tests on your code (F5 or Ctrl+Enter)"
        )
        self.run_button.setProperty("primary", True)
        self.run_button.clicked.connect(self.run)
        self.stop_button = self._button("Stop", "stopTestsButton", "Stop the run")
        self.stop_button.clicked.connect(self.runner.stop)
        self.stop_button.setEnabled(False)
        self.reset_button = self._button("Reset to stub", "resetStubButton", "Start again from the empty functions")
        self.reset_button.clicked.connect(self.reset_to_stub)
        self.solution_button = self._button("Show solution", "showSolutionButton", "The reference solution and a diff")
        self.solution_button.clicked.connect(self.show_solution)
        self.give_up_button = self._button("Give up", "giveUpButton", "Show the solution and score Weak")
        self.give_up_button.clicked.connect(self.give_up)
        self.custom = QLineEdit()
        self.custom.setObjectName("customInput")
        self.custom.setAccessibleName("Custom input: a call to run on your code and on the reference")
        self.custom.returnPressed.connect(self.try_input)
        self.try_button = self._button("Try", "tryInputButton", "Run this call on your code and on the reference")
        self.try_button.clicked.connect(self.try_input)
        self.results = MarkdownView()
        self.results.setObjectName("testResults")
        self.results.setAccessibleName("Test results")
        self.status = QLabel("")
        self.status.setObjectName("codingStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)

        buttons = QHBoxLayout()
        for b in (self.run_button, self.stop_button, self.reset_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.solution_button)
        buttons.addWidget(self.give_up_button)
        custom = QHBoxLayout()
        custom.addWidget(self.custom, 1)
        custom.addWidget(self.try_button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(custom)
        lower_layout.addWidget(self.results, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("codingSplit")
        split.addWidget(self.editor)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        for key in run_keys:
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.run)

    def _button(self, text: str, name: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setToolTip(tip)
        button.setAccessibleName(text)
        return button

    # -- a question ----------------------------------------------------------------------------------

    def load(self, question: Question, code: str | None, solution_shown: bool = False) -> None:
        """Show a coding question: the editor starts from `code` (the last attempt) or from the stub."""
        self.runner.stop()
        self.question = question
        self.solution_shown = solution_shown
        self.last_result = None
        self.editor.set_text(code if code is not None else self.stub())
        self.custom.setPlaceholderText(f"Try a call on your code and the reference, e.g. {example_call(question)}")
        self.editor.mark_line(None)
        self.results.show_markdown("*Write the function, then run the tests (F5).*")
        self._set_status("")
        self.custom.clear()

    def stub(self) -> str:
        assert self.question is not None and self.question.solution is not None
        return stub(self.question.solution)

    def reset_to_stub(self) -> None:
        if self.question is not None and self.question.solution is not None:
            self.editor.set_text(self.stub())
            self.editor.mark_line(None)

    # -- running --------------------------------------------------------------------------------------

    def run(self) -> None:
        q = self.question
        if q is None or q.tests is None:
            return
        self._streamed = ""
        self.editor.mark_line(None)
        self.run_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self._set_status("Running the tests…")
        self.results.show_markdown("*Running…*")
        self.last_code = self.editor.text()
        self.runner.run(Job(self.last_code, q.tests, limits=self.limits))

    def _on_output(self, text: str) -> None:
        # A print loop sends hundreds of chunks a second; the view shows the tail a few times a second.
        self._streamed = (self._streamed + text)[-4000:]
        if not self._output_timer.isActive():
            self._output_timer.start()

    def _show_streamed(self) -> None:
        if self.runner.running:
            self.results.show_markdown("*Running…*\n\n```text\n" + self._streamed + "\n```")

    def _on_finished(self, result: RunResult) -> None:
        self._output_timer.stop()
        if self._custom_result(result):
            return
        self.run_button.setEnabled(True)
        self.stop_button.setEnabled(False)
        self.last_result = result
        self._set_status(explain(result, self.limits), "pass" if result.all_passed else "fail")
        self.results.show_markdown(results_markdown(result, self.limits, verdict=False))
        line = None
        if result.syntax_error is not None and result.syntax_error.file == SOLUTION_FILE:
            line = result.syntax_error.line
        elif result.first_failure is not None and result.first_failure.solution_line:
            line = result.first_failure.solution_line
        self.editor.mark_line(line, self.status.text())
        self.ran.emit(result, self.last_code)

    # -- the reference ----------------------------------------------------------------------------------

    def show_solution(self) -> None:
        q = self.question
        if q is None or q.solution is None:
            return
        self.solution_shown = True
        self.results.show_markdown(
            "### Reference solution\n\n```python\n"
            + q.solution.strip("\n")
            + "\n```\n\n### Your code against it\n\n"
            + diff_markdown(self.editor.text(), q.solution)
        )
        self.revealed.emit()

    def give_up(self) -> None:
        self.show_solution()
        self.gaveUp.emit()

    # -- custom input -----------------------------------------------------------------------------------

    def try_input(self) -> None:
        q = self.question
        expression = self.custom.text().strip()
        if q is None or q.solution is None or not expression:
            return
        self._custom = {}
        self.run_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self._set_status(f"Running {expression} on your code and on the reference…")
        self._custom_pending = True
        self.runner.run(Job(self.editor.text(), "", expression=expression, limits=self.limits))
        self._reference.run(Job(q.solution, "", expression=expression, limits=self.limits))

    def _on_reference(self, result: RunResult) -> None:
        self._custom["reference"] = result
        self._show_custom()

    def _custom_result(self, result: RunResult) -> bool:
        """A run of the user's code on a custom input (not a test run): shown beside the reference's."""
        if not getattr(self, "_custom_pending", False):
            return False
        self._custom["yours"] = result
        self._show_custom()
        return True

    def _show_custom(self) -> None:
        if set(self._custom) != {"yours", "reference"}:
            return
        self._custom_pending = False
        self.run_button.setEnabled(True)
        self.stop_button.setEnabled(False)

        def shown(r: RunResult) -> str:
            if r.value_error is not None:
                return f"raised {r.value_error.kind}: {r.value_error.message}"
            if r.value is None:
                return explain(r, self.limits)
            return str(r.value)

        yours, reference = shown(self._custom["yours"]), shown(self._custom["reference"])
        same = "The same." if yours == reference else "Different."
        self._set_status(same)
        self.results.show_markdown(
            f"`{self.custom.text().strip()}`\n\n{same}\n\nYour code:\n\n```text\n{yours}\n```\n\n"
            f"The reference:\n\n```text\n{reference}\n```"
        )

    def show_last_attempt(self, outcome: str, at: float, passed: bool) -> None:
        """The question view's memory of the last run: the editor holds its code, this says how it went."""
        self._set_status(f"Your last attempt, {past_text(at)}: {outcome}", "pass" if passed else "fail")

    def _set_status(self, text: str, verdict: str = "") -> None:
        """The one-line state above the editor; a finished run's verdict is coloured (pass or fail)."""
        self.status.setText(text)
        self.status.setVisible(bool(text))
        if self.status.property("verdict") != verdict:
            self.status.setProperty("verdict", verdict)
            self.status.style().unpolish(self.status)
            self.status.style().polish(self.status)

    def shutdown(self) -> None:
        self.runner.shutdown()
        self._reference.shutdown()
