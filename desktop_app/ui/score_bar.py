"""The bar under the question: "Show answer" until the answer is revealed, then the four scores in key order,
each saying what it does to the schedule ("Weak · 1 min", "Strong · 4 d"), as Anki's answer buttons do."""

from __future__ import annotations

import math

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from desktop_app.core.vocab import REVIEW_SCORES
from desktop_app.core.vocab import SCORE_NAMES as SCORE_LABELS

SCORE_KEYS = {"weak": "1", "ok": "2", "strong": "3", "easy": "4"}
SCORE_HELP = {
    "weak": "Missed the essentials: see it again soon",
    "ok": "Got the gist but missed points: see it again fairly soon",
    "strong": "Hit the essentials: the interval grows",
    "easy": "Effortless: the interval grows a lot",
}


def interval_text(seconds: float) -> str:
    """A short, honest interval: under an hour in minutes, under two days in hours, then days, months, years."""
    minutes = seconds / 60
    if minutes < 59.5:
        return f"{max(1, math.ceil(minutes - 0.01))} min"  # a 1-minute step read a few ms later is still 1 min
    hours = minutes / 60
    if hours < 36:
        return f"{round(hours)} h"
    days = hours / 24
    if days < 60:
        return f"{round(days)} d"
    if days < 365:
        return f"{days / 30.4:.1f} mo".replace(".0 ", " ")
    return f"{days / 365:.1f} y".replace(".0 ", " ")


class ScoreBar(QFrame):
    revealRequested = Signal()
    scored = Signal(str)  # the score

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("scoreBar")
        self.setAccessibleName("Score")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(8)
        self.hint = QLabel("")
        self.hint.setObjectName("scoreHint")
        self.hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.hint, 1)
        self._intervals: dict[str, float] | None = None
        self._compact = False
        self.reveal_button = QPushButton("Show answer   Space")
        self.reveal_button.setObjectName("revealButton")
        self.reveal_button.setAccessibleName("Show the expected answer")
        self.reveal_button.setAccessibleDescription("Reveal the expected answer and the rubric, then score yourself")
        self.reveal_button.clicked.connect(self.revealRequested.emit)
        layout.addWidget(self.reveal_button)
        self.buttons: dict[str, QPushButton] = {}
        for score in REVIEW_SCORES:  # key order: Weak 1, OK 2, Strong 3, Easy 4
            button = QPushButton()
            button.setObjectName(f"score{score.capitalize()}")
            button.setAccessibleName(f"Score {SCORE_LABELS[score]}")
            button.setAccessibleDescription(f"{SCORE_HELP[score]}. Key {SCORE_KEYS[score]}.")
            button.setToolTip(f"{SCORE_HELP[score]} (key {SCORE_KEYS[score]})")
            button.clicked.connect(lambda _checked=False, s=score: self.scored.emit(s))
            button.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            button.setMinimumWidth(50)
            layout.addWidget(button)
            self.buttons[score] = button
        for button in (self.reveal_button, *self.buttons.values()):
            # Buttons never keep focus, so Space and the digit keys always reach the study shortcuts.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.show_state(None, revealed=False)

    def show_state(self, intervals: dict[str, float] | None, revealed: bool) -> None:
        """No question: nothing. Before the reveal: Show answer. After: the scores with their intervals."""
        has_question = intervals is not None
        self._intervals = intervals
        self.reveal_button.setVisible(has_question and not revealed)
        self.hint.setText("" if has_question else "No question selected.")
        if has_question and not revealed:
            self.hint.setText("Answer in your head or out loud first.")
        for button in self.buttons.values():
            button.setVisible(has_question and revealed)
        if has_question and revealed:
            self.hint.setText("How did you do?")
        self.suggest(None)
        self._label_buttons()

    def suggest(self, score: str | None) -> None:
        """Mark the score a coding run suggests (the user may still pick another); None clears it."""
        if score is None and not any(b.property("suggested") for b in self.buttons.values()):
            return
        for name, button in self.buttons.items():
            button.setProperty("suggested", name == score)
            button.style().unpolish(button)
            button.style().polish(button)
        if score is not None:
            self.hint.setText(f"Suggested: {SCORE_LABELS[score]}")

    def _label_buttons(self) -> None:
        """Full labels ("Strong · 4 d   3") when there is room; short ones ("Strong 4d") in a narrow window."""
        for score, button in self.buttons.items():
            when = interval_text(self._intervals[score]) if self._intervals else ""
            if self._compact:
                button.setText(f"{SCORE_LABELS[score]} {when.replace(' ', '')}")
            else:
                button.setText(f"{SCORE_LABELS[score]} · {when}   {SCORE_KEYS[score]}")

    def _full_width(self) -> int:
        """What the four full labels need, with the bar's margins and spacing and each button's padding."""
        metrics = self.fontMetrics()
        texts = [f"{SCORE_LABELS[s]} · 10 min   {SCORE_KEYS[s]}" for s in self.buttons]
        return sum(metrics.horizontalAdvance(t) + 34 for t in texts) + 3 * 8 + 20

    def resizeEvent(self, event: QResizeEvent) -> None:
        compact = event.size().width() < self._full_width() + 120  # the hint needs a little room too
        if compact != self._compact:
            self._compact = compact
            self.hint.setVisible(not compact)
            self._label_buttons()
        super().resizeEvent(event)

    def minimumSizeHint(self) -> QSize:
        return QSize(220, super().minimumSizeHint().height())
