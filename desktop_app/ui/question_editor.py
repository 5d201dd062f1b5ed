"""The question editor: write a question for one of your decks, seeing it as it will look and what the
validator thinks of it while you type; nothing that the validator refuses can be saved."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.bank import LEVELS, Problem, Question, Rubric, Topic
from desktop_app.core.deckfile import question_id
from desktop_app.core.render import rubric_markdown
from desktop_app.ui.dialogs import closes_with_keys
from desktop_app.ui.textview import MarkdownView

NEW_DECK = "@new"  # the deck chooser's "New deck…" entry
Check = Callable[[Question, Topic], list[Problem]]


def _lines(text: str) -> tuple[str, ...]:
    """One item per line; a leading "- " (as in the preview) is not part of the item."""
    out = []
    for line in text.splitlines():
        item = line.strip()
        if item.startswith(("- ", "* ")):
            item = item[2:].strip()
        if item:
            out.append(item)
    return tuple(out)


def _editor(name: str, placeholder: str, height: int) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setAccessibleName(placeholder)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)  # Tab goes to the next field, as in a form
    edit.setMinimumHeight(height)
    return edit


class QuestionEditor(QDialog):
    """Fields on the left, the question as the study view will show it on the right, the validator's
    problems under them. `decks` are (id, title) of the user's decks; `check` is the validator."""

    saved = Signal(str, object, object)  # deck id (or NEW_DECK), the question, the id it replaces (or None)

    def __init__(
        self,
        decks: list[tuple[str, str]],
        check: Check,
        taken_ids: set[str],
        question: Question | None = None,
        deck_id: str | None = None,
        replacing: str | None = None,
        title: str = "New question",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("questionEditor")
        self.setWindowTitle(title)
        closes_with_keys(self)
        self._check = check
        self._taken = taken_ids
        self.replacing = replacing
        self._id_edited = question is not None
        self.resize(1100, 760)

        self.deck = QComboBox()
        self.deck.setObjectName("deckChooser")
        self.deck.setAccessibleName("Deck")
        for did, dtitle in decks:
            self.deck.addItem(dtitle, did)
        self.deck.addItem("New deck…", NEW_DECK)
        if deck_id is not None and self.deck.findData(deck_id) >= 0:
            self.deck.setCurrentIndex(self.deck.findData(deck_id))
        self.new_deck_title = QLineEdit()
        self.new_deck_title.setObjectName("newDeckTitle")
        self.new_deck_title.setAccessibleName("Title of the new deck")
        self.new_deck_title.setPlaceholderText("Title of the new deck")
        self.qid = QLineEdit()
        self.qid.setObjectName("questionId")
        self.qid.setAccessibleName("Question id")
        self.qid.setPlaceholderText("made from the question; letters, digits and hyphens")
        self.qid.textEdited.connect(lambda _t: setattr(self, "_id_edited", True))
        self.question = _editor("questionText", "The question, as an interviewer would ask it", 56)
        self.level = QComboBox()
        self.level.setObjectName("levelChooser")
        self.level.setAccessibleName("Level")
        for level in LEVELS:
            self.level.addItem(level.capitalize(), level)
        self.level.setCurrentIndex(1)
        self.tags = QLineEdit()
        self.tags.setObjectName("tagsEdit")
        self.tags.setAccessibleName("Tags")
        self.tags.setPlaceholderText("comma-separated, e.g. ranking, evaluation")
        self.answer = _editor("answerText", "The expected answer, in Markdown", 180)
        self.follow_ups = _editor("followUpsText", "Follow-up questions, one per line", 70)
        self.strong = _editor("strongText", "Strong: the essentials, one per line", 70)
        self.also_good = _editor("alsoGoodText", "Also good (optional), one per line", 50)
        self.ok = _editor("okText", "OK: what an OK answer gets right and misses", 44)
        self.weak = _editor("weakText", "Weak: the gap or misconception of a weak answer", 44)

        form = QFormLayout()
        form.setVerticalSpacing(6)
        deck_row = QHBoxLayout()
        deck_row.addWidget(self.deck, 1)
        deck_row.addWidget(self.new_deck_title, 1)
        form.addRow("Deck", deck_row)
        form.addRow("Question", self.question)
        top = QHBoxLayout()
        top.addWidget(self.level)
        top.addWidget(QLabel("Tags"))
        top.addWidget(self.tags, 1)
        form.addRow("Level", top)
        form.addRow("Id", self.qid)
        form.addRow("Answer", self.answer)
        form.addRow("Follow-ups", self.follow_ups)
        form.addRow("Strong", self.strong)
        form.addRow("Also good", self.also_good)
        form.addRow("OK", self.ok)
        form.addRow("Weak", self.weak)
        fields = QWidget()
        fields.setLayout(form)

        self.preview = MarkdownView()
        self.preview.setObjectName("questionPreview")
        self.preview.setAccessibleName("Preview of the question")
        self.problems = QLabel()
        self.problems.setObjectName("editorProblems")
        self.problems.setAccessibleName("Problems to fix before saving")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.preview, 1)
        right_layout.addWidget(self.problems)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(fields)
        split.addWidget(right)
        split.setSizes([600, 480])

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveQuestion")
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.buttons)

        if question is not None:
            self.fill(question)
        # Checked a moment after the last keystroke, not on every one: the validator renders Markdown.
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.refresh)
        for edit in (self.question, self.answer, self.follow_ups, self.strong, self.also_good, self.ok, self.weak):
            edit.textChanged.connect(self._timer.start)
        for line in (self.qid, self.tags, self.new_deck_title):
            line.textChanged.connect(self._timer.start)
        self.level.currentIndexChanged.connect(self._timer.start)
        self.deck.currentIndexChanged.connect(self._deck_changed)
        self._deck_changed()
        self.refresh()

    def fill(self, q: Question) -> None:
        self.qid.setText(q.id)
        self.question.setPlainText(q.question)
        self.level.setCurrentIndex(max(0, self.level.findData(q.level)))
        self.tags.setText(", ".join(q.tags))
        self.answer.setPlainText(q.answer)
        self.follow_ups.setPlainText("\n".join(q.follow_ups))
        self.strong.setPlainText("\n".join(q.rubric.strong))
        self.also_good.setPlainText("\n".join(q.rubric.also_good))
        self.ok.setPlainText(q.rubric.ok)
        self.weak.setPlainText(q.rubric.weak)

    def deck_id(self) -> str:
        return str(self.deck.currentData())

    def _deck_changed(self) -> None:
        self.new_deck_title.setVisible(self.deck_id() == NEW_DECK)
        self._timer.start()

    def current(self) -> Question:
        """The question as the fields stand (an id is made from the text until the user types one)."""
        text = self.question.toPlainText().strip()
        deck = self.deck_id() if self.deck_id() != NEW_DECK else "my-deck"
        if not self._id_edited:
            self.qid.blockSignals(True)
            self.qid.setText(question_id(deck, text, self._taken) if text else "")
            self.qid.blockSignals(False)
        return Question(
            id=self.qid.text().strip(),
            topic_id=deck,
            question=text,
            level=str(self.level.currentData()),
            answer=self.answer.toPlainText().strip(),
            follow_ups=_lines(self.follow_ups.toPlainText()),
            rubric=Rubric(
                _lines(self.strong.toPlainText()),
                self.ok.toPlainText().strip(),
                self.weak.toPlainText().strip(),
                _lines(self.also_good.toPlainText()),
            ),
            tags=tuple(t.strip() for t in self.tags.text().split(",") if t.strip()),
        )

    def current_problems(self) -> list[str]:
        q = self.current()
        problems = [p.message for p in self._check(q, Topic(q.topic_id, "Deck"))]
        if q.id in self._taken and q.id != self.replacing:
            problems.append(f"id '{q.id}' is already used by another question; choose another")
        if self.deck_id() == NEW_DECK and not self.new_deck_title.text().strip():
            problems.append("give the new deck a title")
        return problems

    def refresh(self) -> None:
        q = self.current()
        parts = [f"## {q.question or '(the question)'}", f"*{q.level.capitalize()}*"]
        if q.tags:
            parts.append(" ".join(f"`{t}`" for t in q.tags))
        parts += ["### Expected answer", q.answer or "*(the expected answer)*"]
        if q.follow_ups:
            parts += ["### Follow-ups", "\n".join(f"- {f}" for f in q.follow_ups)]
        parts += ["### Rubric", rubric_markdown(q.rubric)]
        self.preview.show_markdown("\n\n".join(parts))
        problems = self.current_problems()
        self.problems.setText(
            "Ready to save." if not problems else "To fix before saving:\n" + "\n".join(f"• {p}" for p in problems)
        )
        self.save_button.setEnabled(not problems)

    def _save(self) -> None:
        self.refresh()
        if not self.save_button.isEnabled():
            return
        self.saved.emit(self.deck_id(), self.current(), self.replacing)
