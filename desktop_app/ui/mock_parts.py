"""The mock window's self-contained parts: Ctrl+Enter to send, the fault bar, and the self-graded comparison and scoring."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSplitter

from desktop_app.core.render import rubric_markdown
from desktop_app.core.vocab import REVIEW_SCORES, SCORE_NAMES
from desktop_app.ui.score_bar import SCORE_KEYS
from desktop_app.ui.textview import MarkdownView

if TYPE_CHECKING:
    from desktop_app.core.bank import Question

__all__ = ["CompareView", "CtrlEnter", "FaultBar", "SelfScoreBar"]


class CtrlEnter(QObject):
    """Ctrl+Enter in the answer editor sends; plain Enter stays a newline."""

    def __init__(self, callback: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._callback = callback

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
                event.modifiers() & Qt.KeyboardModifier.ControlModifier
            ):
                self._callback()
                return True
        return False


class FaultBar(QFrame):
    """What went wrong (server text, shown as plain text) and Retry; hidden until there is a fault."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("faultBar")
        layout = QHBoxLayout(self)
        self.label = QLabel()
        self.label.setObjectName("faultMessage")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # server text: never markup
        self.retry_button = QPushButton("Retry")
        self.retry_button.setObjectName("retryButton")
        layout.addWidget(self.label, 1)
        layout.addWidget(self.retry_button)
        self.hide()


class SelfScoreBar(QFrame):
    """Self-graded: a button per score, keyed 1-4 like the study screen's; hidden until there is an answer."""

    scored = Signal(str)  # the score's tier

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("selfScoreBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        prompt = QLabel("Score your answer against the expected answer and rubric:")
        prompt.setWordWrap(True)
        layout.addWidget(prompt, 1)
        self.buttons: dict[str, QPushButton] = {}
        for tier in REVIEW_SCORES:  # key order: Weak 1, OK 2, Strong 3, Easy 4
            key = SCORE_KEYS[tier]
            button = QPushButton(f"{SCORE_NAMES[tier]}   {key}")
            button.setObjectName(f"selfScore{tier.capitalize()}")
            button.setAccessibleName(f"Score {SCORE_NAMES[tier]}")
            button.clicked.connect(lambda _c=False, t=tier: self.scored.emit(t))
            layout.addWidget(button)
            self.buttons[tier] = button
        self.hide()


class CompareView(QSplitter):
    """Self-graded: your answer and the expected answer with its rubric, side by side, both scrolling."""

    def __init__(self) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self.your_answer = MarkdownView()
        self.your_answer.setObjectName("yourAnswerView")
        self.your_answer.setAccessibleName("Your answer, to compare")
        self.reference_view = MarkdownView()
        self.reference_view.setObjectName("referenceView")
        self.reference_view.setAccessibleName("Expected answer and rubric")
        self.setObjectName("compareView")
        self.addWidget(self.your_answer)
        self.addWidget(self.reference_view)
        self.setSizes([400, 560])

    def show_answer(self, answer: str, question: Question) -> None:
        """The answer beside `question`'s expected answer, reference solution and rubric, each from its top."""
        self.your_answer.show_markdown("### Your answer\n\n" + answer)
        solution = (
            f"\n\n### Reference solution\n\n```python\n{question.solution.strip()}\n```" if question.solution else ""
        )
        self.reference_view.show_markdown(
            "### Expected answer\n\n"
            + question.answer
            + solution
            + "\n\n### Rubric\n\n"
            + rubric_markdown(question.rubric)
        )
        for view in (self.your_answer, self.reference_view):
            view.verticalScrollBar().setValue(0)
