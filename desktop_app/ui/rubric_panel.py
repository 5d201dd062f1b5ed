"""Rubric panel: the three tiers with a score button each, the last scores, bookmark and note."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.theme import SCORE_COLORS

if TYPE_CHECKING:
    from desktop_app.core.bank import Rubric
    from desktop_app.core.store import ReviewRecord

TIERS = (  # (tier, button object name, label, key)
    ("strong", "scoreStrong", "Strong", "3"),
    ("ok", "scoreOk", "OK", "2"),
    ("weak", "scoreWeak", "Weak", "1"),
)


class RubricPanel(QFrame):
    scored = Signal(str)  # tier
    noteEdited = Signal(str)  # text, after the user pauses typing
    bookmarkToggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("rubricPanel")
        self.setAccessibleName("Rubric")
        layout = QVBoxLayout(self)
        title = QLabel("<b>Score yourself against the rubric</b>")
        layout.addWidget(title)
        self.tier_labels: dict[str, QLabel] = {}
        self.buttons: dict[str, QPushButton] = {}
        for tier, name, label, key in TIERS:
            button = QPushButton(f"{label}  ({key})")
            button.setObjectName(name)
            button.setAccessibleName(f"Score {label}")
            # Buttons never take focus, so Space and the digit keys always reach the study shortcuts.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setStyleSheet(f"QPushButton {{ border-left: 6px solid {SCORE_COLORS[tier]}; padding: 4px 10px; }}")
            button.clicked.connect(lambda _checked=False, t=tier: self.scored.emit(t))
            text = QLabel()
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
            text.setObjectName(f"{name}Text")
            layout.addWidget(button)
            layout.addWidget(text)
            self.buttons[tier] = button
            self.tier_labels[tier] = text
        easy = QPushButton("Easy: it was effortless  (4)")
        easy.setObjectName("scoreEasy")
        easy.setAccessibleName("Score Easy")
        easy.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        easy.setStyleSheet(f"QPushButton {{ border-left: 6px solid {SCORE_COLORS['easy']}; padding: 4px 10px; }}")
        easy.clicked.connect(lambda _checked=False: self.scored.emit("easy"))
        layout.addWidget(easy)
        self.buttons["easy"] = easy
        self.last_label = QLabel()
        self.last_label.setObjectName("lastScoreLabel")
        self.last_label.setWordWrap(True)
        layout.addWidget(self.last_label)
        self.bookmark_button = QPushButton("Bookmark (B)")
        self.bookmark_button.setObjectName("bookmarkButton")
        self.bookmark_button.setCheckable(True)
        self.bookmark_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.bookmark_button.toggled.connect(self.bookmarkToggled.emit)
        layout.addWidget(self.bookmark_button)
        layout.addWidget(QLabel("Note (N to edit, Esc to leave)"))
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setAccessibleName("Note on this question")
        self.note_edit.setPlaceholderText("Your own notes on this question")
        self.note_edit.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(120)
        layout.addWidget(self.note_edit)
        layout.addStretch(1)
        self._note_timer = QTimer(self, singleShot=True, interval=600)
        self._note_timer.timeout.connect(self.flush_note)
        self._loading = False
        self.note_edit.textChanged.connect(self._on_note_changed)

    def show_rubric(self, rubric: Rubric | None, revealed: bool) -> None:
        for tier, _name, _label, _key in TIERS:
            if rubric is None:
                text = ""
            elif revealed:
                text = _tier_text(rubric, tier)
            else:
                text = "(shown with the answer)"
            self.tier_labels[tier].setText(text)
            self.buttons[tier].setEnabled(rubric is not None)
        self.buttons["easy"].setEnabled(rubric is not None)
        self.bookmark_button.setEnabled(rubric is not None)
        self.note_edit.setEnabled(rubric is not None)

    def show_last(self, self_score: ReviewRecord | None, mock_grade: ReviewRecord | None) -> None:
        mine = self_score.score.upper() if self_score else "—"
        mock = mock_grade.score.upper() if mock_grade else "—"
        self.last_label.setText(f"Your last score: <b>{mine}</b> · Interviewer's grade: <b>{mock}</b>")

    def set_bookmarked(self, on: bool) -> None:
        self.bookmark_button.blockSignals(True)
        self.bookmark_button.setChecked(on)
        self.bookmark_button.setText("Bookmarked (B)" if on else "Bookmark (B)")
        self.bookmark_button.blockSignals(False)

    def load_note(self, text: str) -> None:
        self.flush_note()
        self._loading = True
        self.note_edit.setPlainText(text)
        self._loading = False

    def _on_note_changed(self) -> None:
        if not self._loading:
            self._note_timer.start()

    def flush_note(self) -> None:
        """Save a pending note edit now (before switching question or closing)."""
        if self._note_timer.isActive():
            self._note_timer.stop()
            self.noteEdited.emit(self.note_edit.toPlainText())


def _tier_text(rubric: Rubric, tier: str) -> str:
    if tier != "strong":
        return str(getattr(rubric, tier))
    lines = [f"• {point}" for point in rubric.strong] if len(rubric.strong) > 1 else list(rubric.strong)
    if rubric.also_good:
        lines += ["Also good:", *[f"  ◦ {point}" for point in rubric.also_good]]
    return "\n".join(lines)
