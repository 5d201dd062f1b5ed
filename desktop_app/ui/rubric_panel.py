"""The rubric beside the answer (its essentials, what else counts, what makes an answer OK or Weak), the last
scores, the bookmark and the note. The score buttons live in the bar under the question (score_bar.py)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPlainTextEdit, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from desktop_app.core.vocab import SCORE_NAMES
from desktop_app.ui.theme import SCORE_COLORS

if TYPE_CHECKING:
    from desktop_app.core.bank import Rubric
    from desktop_app.core.store import ReviewRecord

HIDDEN = "The rubric appears with the answer (Space)."


def rubric_html(rubric: Rubric) -> str:
    """The rubric as escaped rich text: essentials first, each tier headed in its score's colour."""

    def heading(score: str, title: str) -> str:
        return f"<p style='margin-top:8px; margin-bottom:2px'><b style='color:{SCORE_COLORS[score]}'>{title}</b></p>"

    parts = [heading("strong", "Strong: the essentials")]
    parts.append("<ul style='margin-left:-20px'>" + "".join(f"<li>{escape(p)}</li>" for p in rubric.strong) + "</ul>")
    if rubric.also_good:
        parts.append("<p style='margin-top:6px; margin-bottom:2px'><b>Also good</b></p>")
        parts.append(
            "<ul style='margin-left:-20px'>" + "".join(f"<li>{escape(p)}</li>" for p in rubric.also_good) + "</ul>"
        )
    parts.append(heading("ok", "OK") + f"<p style='margin-top:0'>{escape(rubric.ok)}</p>")
    parts.append(heading("weak", "Weak") + f"<p style='margin-top:0'>{escape(rubric.weak)}</p>")
    return "".join(parts)


class RubricPanel(QFrame):
    noteEdited = Signal(str)  # text, after the user pauses typing
    bookmarkToggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("rubricPanel")
        self.setAccessibleName("Rubric")
        self.setMinimumWidth(180)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        title = QLabel("<b>Rubric</b>")
        title.setObjectName("rubricTitle")
        layout.addWidget(title)
        self.rubric_label = QLabel(HIDDEN)
        self.rubric_label.setObjectName("rubricText")
        self.rubric_label.setAccessibleName("Rubric text")
        self.rubric_label.setWordWrap(True)
        self.rubric_label.setTextFormat(Qt.TextFormat.RichText)  # built by rubric_html from escaped text
        self.rubric_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rubric_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        self.rubric_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.rubric_label)
        self.last_label = QLabel()
        self.last_label.setObjectName("lastScoreLabel")
        self.last_label.setAccessibleName("Last scores")
        self.last_label.setWordWrap(True)
        self.last_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        layout.addWidget(self.last_label)
        self.bookmark_button = QPushButton("Bookmark   B")
        self.bookmark_button.setObjectName("bookmarkButton")
        self.bookmark_button.setAccessibleName("Bookmark this question")
        self.bookmark_button.setCheckable(True)
        self.bookmark_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.bookmark_button.toggled.connect(self.bookmarkToggled.emit)
        layout.addWidget(self.bookmark_button)
        note_hint = QLabel("Note   N to write, Esc to leave")
        note_hint.setObjectName("noteHint")
        layout.addWidget(note_hint)
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setAccessibleName("Note on this question")
        self.note_edit.setAccessibleDescription("Your own notes; saved as you type")
        self.note_edit.setPlaceholderText("Your own notes on this question")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMinimumHeight(70)
        self.note_edit.setMaximumHeight(140)
        layout.addWidget(self.note_edit)
        layout.addStretch(1)
        self._note_timer = QTimer(self, singleShot=True, interval=600)
        self._note_timer.timeout.connect(self.flush_note)
        self._loading = False
        self.note_edit.textChanged.connect(self._on_note_changed)

    def show_rubric(self, rubric: Rubric | None, revealed: bool) -> None:
        if rubric is None:
            self.rubric_label.setText("")
        elif revealed:
            self.rubric_label.setText(rubric_html(rubric))
        else:
            self.rubric_label.setText(f"<span>{escape(HIDDEN)}</span>")
        self.bookmark_button.setEnabled(rubric is not None)
        self.note_edit.setEnabled(rubric is not None)

    def show_last(self, self_score: ReviewRecord | None, mock_grade: ReviewRecord | None) -> None:
        mine = SCORE_NAMES.get(self_score.score, self_score.score) if self_score else "not scored yet"
        mock = SCORE_NAMES.get(mock_grade.score, mock_grade.score) if mock_grade else "no mock interview yet"
        self.last_label.setText(f"Your last score: <b>{mine}</b><br>Interviewer's last grade: <b>{mock}</b>")

    def set_bookmarked(self, on: bool) -> None:
        self.bookmark_button.blockSignals(True)
        self.bookmark_button.setChecked(on)
        self.bookmark_button.setText("Bookmarked   B" if on else "Bookmark   B")
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
