"""The mock-interview window: a streamed transcript, an answer editor, a clock, and the controls.

With Claude, every request goes through the WorkerHost's thread and comes back as signals; offline,
the user grades each answer against the expected answer and rubric. Both end in the same summary.
Beside it: the requests to Claude (mock_link.py), the coding round (mock_coding.py), the smaller parts
(mock_parts.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.store import WriteError
from desktop_app.core.vocab import REVIEW_SCORES, SCORE_NAMES
from desktop_app.simulator.client import QuestionContext, Reply
from desktop_app.simulator.grading import Grade, grade_markdown
from desktop_app.simulator.prompts import question_context
from desktop_app.simulator.requests import Request
from desktop_app.simulator.session import MockInterview, export_markdown, summary_markdown
from desktop_app.simulator.vocab import CAN_SKIP, STREAMING, MockState, RequestKind, TurnKind
from desktop_app.ui.interviewer import WorkerHost
from desktop_app.ui.mock_coding import MockCoding
from desktop_app.ui.mock_link import InterviewerLink
from desktop_app.ui.mock_parts import CompareView, CtrlEnter, FaultBar, SelfScoreBar
from desktop_app.ui.score_bar import SCORE_KEYS
from desktop_app.ui.textview import MarkdownView
from desktop_app.ui.theme import ThemedRenderer
from desktop_app.ui.transcript import Transcript

if TYPE_CHECKING:
    from desktop_app.core.store import Store
    from desktop_app.ui.coding_panel import CodingPanel


class MockInterviewWindow(QMainWindow):
    """A state machine over MockState: what each state enables is in _set_state, and every step of the
    interview goes through it."""

    stateChanged = Signal(str)  # the MockState value
    sessionFinished = Signal(int)  # session id

    def __init__(self, store: Store, interview: MockInterview, host: WorkerHost | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.interview = interview
        self.host = host
        self.offline = host is None
        self.state: MockState | None = None
        self.setObjectName("mockInterviewWindow")
        self.setAccessibleName("Mock interview")
        self.setWindowTitle(
            "Mock interview" + (" (self-graded)" if self.offline else f" with {interview.config.model}")
        )
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.renderer = ThemedRenderer()
        self._retry: object = None
        self._answer_started = time.monotonic()
        self._answer_seconds = 0.0
        self._build()
        self.coding_round = MockCoding(store, self, self.bottom, self.splitter, self.send_answer)
        self.link: InterviewerLink | None = None  # with Claude: the request in flight
        if host is not None:
            self.link = InterviewerLink(host, self.transcript, interview, self.usage_label, self)
            self.link.replied.connect(self._on_done)
            self.link.failed.connect(self._on_failed)
        self._clock = QTimer(self, interval=1000)
        self._clock.timeout.connect(self._tick)
        self.resize(980, 760)

    # -- construction --------------------------------------------------------------------

    def _build(self) -> None:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(8)
        top = QHBoxLayout()
        self.position_label = QLabel()
        self.position_label.setObjectName("positionLabel")
        self.position_label.setAccessibleName("Where you are in the interview")
        self.clock_label = QLabel("00:00")
        self.clock_label.setObjectName("clockLabel")
        self.clock_label.setAccessibleName("Time on this answer")
        self.usage_label = QLabel("" if self.offline else "0 tokens · $0.0000 (est.)")
        self.usage_label.setObjectName("usageLabel")
        self.usage_label.setAccessibleName("Tokens and estimated cost")
        self.usage_label.setVisible(not self.offline)  # a self-graded session costs nothing
        top.addWidget(self.position_label)
        top.addStretch(1)
        top.addWidget(self.clock_label)
        top.addSpacing(16)
        top.addWidget(self.usage_label)
        layout.addLayout(top)

        self.transcript = Transcript(self.renderer)
        self.summary_view = MarkdownView()
        self.summary_view.setObjectName("sessionSummary")
        self.summary_view.setAccessibleName("Session summary")

        self.fault_bar = FaultBar()
        self.fault_label, self.retry_button = self.fault_bar.label, self.fault_bar.retry_button
        self.retry_button.clicked.connect(self.retry)

        self.self_score_bar = SelfScoreBar()
        self.self_score_bar.scored.connect(self.self_score)
        self.self_score_buttons = self.self_score_bar.buttons

        self.answer_edit = QPlainTextEdit()
        self.answer_edit.setObjectName("answerEdit")
        self.answer_edit.setAccessibleName("Your answer")
        self.answer_edit.setPlaceholderText("Type your answer. Ctrl+Enter sends.")
        self.answer_edit.installEventFilter(CtrlEnter(self.send_answer, self))

        self.compare = CompareView()  # self-graded: your answer beside the expected one
        self.your_answer, self.reference_view = self.compare.your_answer, self.compare.reference_view

        self.bottom = QStackedWidget()
        self.bottom.setObjectName("mockBottom")
        self.bottom.addWidget(self.answer_edit)
        self.bottom.addWidget(self.compare)
        self.bottom.addWidget(self.summary_view)

        buttons = QHBoxLayout()
        self.send_button = QPushButton("Send   Ctrl+Enter")
        self.send_button.setObjectName("sendAnswerButton")
        self.send_button.clicked.connect(self.send_answer)
        self.skip_button = QPushButton("Skip question")
        self.skip_button.setObjectName("skipButton")
        self.skip_button.clicked.connect(self.skip)
        self.stop_button = QPushButton("Stop reply")
        self.stop_button.setObjectName("stopButton")
        self.stop_button.clicked.connect(self.stop_reply)
        self.stop_button.setVisible(not self.offline)
        self.end_button = QPushButton("End session")
        self.end_button.setObjectName("endButton")
        self.end_button.clicked.connect(self.end_session)
        self.export_button = QPushButton("Export as Markdown…")
        self.export_button.setObjectName("exportButton")
        self.export_button.clicked.connect(self.export_dialog)
        self.export_button.hide()
        for b in (self.send_button, self.skip_button, self.stop_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.end_button)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.transcript)
        self.splitter.addWidget(self.bottom)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.fault_bar)
        layout.addWidget(self.self_score_bar)
        layout.addLayout(buttons)
        self.setCentralWidget(body)
        for tier in REVIEW_SCORES:
            shortcut = QShortcut(QKeySequence(SCORE_KEYS[tier]), self)
            shortcut.activated.connect(lambda t=tier: self.self_score(t))
        for keys in (QKeySequence("Ctrl+W"),):  # Ctrl+W ends the session, as End does
            QShortcut(keys, self).activated.connect(self.end_session)

    # -- the flow ------------------------------------------------------------------------

    def start(self) -> None:
        self.transcript.append_message(
            TurnKind.NOTICE,
            f"*{len(self.interview.questions)} questions"
            + (
                ", self-graded: answer, then compare with the reference.*"
                if self.offline
                else f", with {self.interview.config.model}.*"
            ),
            label="",
        )
        self.ask_current()

    def _set_state(self, state: MockState) -> None:
        self.state = state
        answering = state == MockState.ANSWERING
        self.answer_edit.setReadOnly(not answering)
        self.send_button.setEnabled(answering)
        self.skip_button.setEnabled(state in CAN_SKIP)
        self.stop_button.setEnabled(state in STREAMING)
        self.self_score_bar.setVisible(state == MockState.SELF_SCORING)
        if state == MockState.FINISHED:
            self.bottom.setCurrentWidget(self.summary_view)
        elif state == MockState.SELF_SCORING:
            self.bottom.setCurrentIndex(1)
            height = self.splitter.height()
            self.splitter.setSizes([int(height * 0.35), int(height * 0.65)])  # room to compare
        elif answering and self.interview.is_coding():
            assert self.interview.current is not None
            self.coding_round.show(self.interview.current)
        elif state != MockState.FAULT or self.bottom.currentWidget() is not self.coding:
            self.bottom.setCurrentWidget(self.answer_edit)
        coding = answering and self.interview.is_coding()
        self.send_button.setText("Submit code   Ctrl+Shift+Enter" if coding else "Send   Ctrl+Enter")
        if state != MockState.FAULT:
            self.fault_bar.hide()
        self.position_label.setText("" if state == MockState.FINISHED else self.interview.position())
        if state == MockState.SELF_SCORING:
            self.self_score_buttons["ok"].setFocus()  # off the editor, so 1-4 score instead of typing
        if answering:
            self._answer_started = time.monotonic()
            self._clock.start()
            self._tick()
            if coding and self.coding is not None:
                self.coding.editor.setFocus()
            else:
                self.answer_edit.setFocus()
        else:
            self._clock.stop()
        self.stateChanged.emit(state.value)

    def _context(self) -> QuestionContext:
        q = self.interview.current
        assert q is not None
        return QuestionContext(question_context(q, self.interview.topic_titles.get(q.topic_id, q.topic_id)))

    def ask_current(self) -> None:
        if self.interview.done:
            self.finish()
            return
        question = self.interview.current
        assert question is not None
        if self.offline:

            def show() -> None:
                self._show_new_question(TurnKind.QUESTION, f"**{question.question}**", label="Question")
                self._set_state(MockState.ANSWERING)

            self._saved("The question", lambda: self.interview.record_question(question.question), show)
            return
        self._ask()

    def _ask(self) -> None:
        self.transcript.begin_stream("Interviewer")
        self._submit(Request(RequestKind.ASK, model=self.interview.config.model, context=self._context()), self._ask)
        self._set_state(MockState.ASKING)

    def _submit(self, request: Request, retry: object) -> None:
        assert self.link is not None
        self._retry = retry
        self.link.submit(request)

    # -- the coding round (mock_coding.py) -------------------------------------------------

    @property
    def coding(self) -> CodingPanel | None:
        """The coding round's panel, once the first coding question was shown."""
        return self.coding_round.panel

    def send_answer(self) -> None:
        if self.state != MockState.ANSWERING:
            return
        if self.interview.is_coding() and self.coding is not None:
            submission = self.coding_round.submission()
            if submission is None:
                return
            text = submission
        else:
            text = self.answer_edit.toPlainText().strip()
        if not text:
            self.statusBar().showMessage("Type an answer first (or skip the question).", 3000)
            return
        seconds = self._answer_seconds = time.monotonic() - self._answer_started

        def sent() -> None:
            self.transcript.append_message(TurnKind.ANSWER, text)
            if self.bottom.currentWidget() is self.answer_edit:
                self.answer_edit.clear()
            if self.offline:
                assert self.interview.current is not None
                self.compare.show_answer(text, self.interview.current)
                self._set_state(MockState.SELF_SCORING)
                return
            self._grade(text)

        # Saved before it goes anywhere; if it cannot be saved it stays in the editor, and Retry saves it.
        self._saved("Your answer", lambda: self.interview.save_answer(text, seconds), sent)

    def _grade(self, answer: str) -> None:
        self.transcript.begin_stream("Interviewer")
        self._submit(
            Request(
                RequestKind.GRADE,
                model=self.interview.config.model,
                context=self._context(),
                grade=self.interview.grade_request(answer),
            ),
            lambda: self._grade(answer),
        )
        self._set_state(MockState.GRADING)

    def _show_new_question(self, kind: str, markdown: str, label: str | None = None) -> None:
        """A new question is shown from its start, wherever the user had scrolled the transcript to."""
        bar = self.transcript.verticalScrollBar()
        self.transcript.append_message(kind, markdown, label=label)
        self.transcript.scroll_to_last_message()
        if bar.maximum() == 0:
            bar.setValue(0)

    def self_score(self, tier: str) -> None:
        if self.state != MockState.SELF_SCORING:
            return
        seconds = self._answer_seconds

        def scored() -> None:
            label = SCORE_NAMES[tier]
            self.transcript.append_message(TurnKind.NOTICE, f"*You scored this answer: **{label}**.*", label="")
            self.interview.next_question()
            self.ask_current()

        self._saved("Your score", lambda: self.interview.record_self_score(tier, seconds), scored)

    def skip(self) -> None:
        if self.state not in CAN_SKIP:
            return
        self.transcript.append_message(TurnKind.NOTICE, "*Skipped.*", label="")
        self.interview.skip()
        self.ask_current()

    def stop_reply(self) -> None:
        if self.host is not None and self.state in STREAMING:
            self.host.stop_reply()

    def retry(self) -> None:
        if self.state == MockState.FAULT and callable(self._retry):
            self._retry()

    def end_session(self) -> None:
        if self.state == MockState.FINISHED:
            self.close()
            return
        self.stop_reply()
        self.finish(interrupted=not self.interview.done)

    def finish(self, interrupted: bool = False) -> None:
        summary = self.interview.finish(interrupted=interrupted)
        if self.interview.finish_error:
            self.statusBar().showMessage(f"The session's ending was not saved: {self.interview.finish_error}", 10_000)
        self._set_state(MockState.FINISHED)
        status = "Session ended early." if interrupted else "Session complete."
        self.summary_view.show_markdown(f"*{status}*\n\n" + summary_markdown(summary))
        self.end_button.setText("Close")
        self.export_button.show()
        self.sessionFinished.emit(self.interview.session_id)

    # -- replies from the worker (mock_link.py) ------------------------------------------

    def _on_done(self, reply: Reply) -> None:
        if self.state == MockState.ASKING:
            text = reply.text.strip() or (self.interview.current.question if self.interview.current else "")
            self.transcript.end_stream(text + ("\n\n*(stopped)*" if reply.stopped else ""))
            self._saved(
                "The interviewer's question",
                lambda: self.interview.record_question(text),
                lambda: self._set_state(MockState.ANSWERING),
            )
        elif self.state == MockState.GRADING:
            if reply.stopped or reply.grade is None:
                self.transcript.end_stream((reply.text or "…") + "\n\n*(stopped: no grade recorded)*")
                self.interview.note("Grading stopped by the user; no grade recorded.")
                self._fault("Reply stopped. Press Retry to have this answer graded, or skip the question.")
                return
            grade = reply.grade
            seconds = self._answer_seconds
            self.transcript.end_stream(grade_markdown(grade))
            self._saved(
                "The interviewer's grade",
                lambda: self.interview.record_grade(grade, seconds),
                lambda: self._after_grade(grade),
            )

    def _after_grade(self, grade: Grade) -> None:
        if self.interview.wants_follow_up():
            self.interview.next_round()
            follow_up = grade.follow_up

            def ask() -> None:
                self._show_new_question(TurnKind.QUESTION, f"**Follow-up:** {follow_up}")
                self._set_state(MockState.ANSWERING)

            self._saved("The follow-up question", lambda: self.interview.record_question(follow_up), ask)
        else:
            self.interview.next_question()
            self.ask_current()

    def _on_failed(self, kind: str, message: str, partial: str) -> None:
        kept = (partial + "\n\n") if partial else ""
        self.transcript.end_stream(kept + f"*({message})*")
        self.interview.note(f"{kind}: {message}")
        self._fault(message)

    def _fault(self, message: str) -> None:
        self.fault_label.setText(message)
        self._set_state(MockState.FAULT)
        self.fault_bar.show()

    def _saved(self, what: str, write: Callable[[], object], then: Callable[[], None]) -> None:
        """Write to the store, then go on; if the write fails, stop at a fault whose Retry writes it again.
        Nothing the user typed is dropped: the answer stays in its editor until it is saved."""
        try:
            write()
        except WriteError as exc:
            self._retry = lambda: self._saved(what, write, then)
            self._fault(f"{what} was not saved. {exc.message}")
            return
        then()

    def _tick(self) -> None:
        elapsed = int(time.monotonic() - self._answer_started)
        text = f"{elapsed // 60:02d}:{elapsed % 60:02d}"
        limit = self.interview.config.time_limit_s
        if limit:
            text += f" / {limit // 60:02d}:{limit % 60:02d}"
            over = elapsed > limit
            self.clock_label.setStyleSheet("color: #d0443e; font-weight: bold" if over else "")
            if over:
                text += "  (over time: keep going, but wrap up)"
        self.clock_label.setText(text)

    # -- export and shutdown -------------------------------------------------------------

    def export_to(self, path: str) -> None:
        session = self.store.mocks.session(self.interview.session_id)
        assert session is not None
        with open(path, "w", encoding="utf-8") as f:
            f.write(export_markdown(session, self.store.mocks.turns(self.interview.session_id)))

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export mock interview", "mock-interview.md", "Markdown (*.md)")
        if path:
            self.export_to(path)
            self.statusBar().showMessage(f"Exported to {path}", 4000)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Stop, then wait; the session is saved as interrupted if it was not finished.
        if self.state != MockState.FINISHED:
            self.interview.finish(interrupted=True)
        if self.host is not None:
            self.host.shutdown()
        self.coding_round.shutdown()
        super().closeEvent(event)
