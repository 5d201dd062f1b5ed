"""The question view: question, level and tags, then the expected answer and follow-ups once revealed; the
words of the current search highlighted; scrolled from the keyboard."""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit, QWidget

from desktop_app.core.store import search_tokens
from desktop_app.ui.textview import SafeTextBrowser
from desktop_app.ui.theme import tokens

if TYPE_CHECKING:
    from desktop_app.core.bank import Question
    from desktop_app.core.render import MarkdownRenderer

HIDDEN_HINT = "Answer it in your head or out loud, then press <b>Space</b> to reveal the expected answer."
CODING_HINT = "Write it in the editor below and run the tests with <b>F5</b>; <b>Space</b> reveals the expected answer."


class QuestionView(SafeTextBrowser):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("questionView")
        self.setAccessibleName("Question")
        self.setAccessibleDescription("The question; after Space, the expected answer and follow-up questions")
        # Click to select text, but never keep keyboard focus: the study keys must reach the window.
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.document().setDocumentMargin(6)
        self._renderers: dict[bool, MarkdownRenderer] = {}
        self.dark = False
        self._cache: dict[tuple[str, bool], str] = {}
        self.answer_visible = False
        self.highlighted_words: list[str] = []  # the words highlighted now (for tests and screen readers)

    def set_dark(self, dark: bool) -> None:
        self.dark = dark

    def renderer(self, dark: bool) -> MarkdownRenderer:
        """Built on first use: markdown and Pygments cost more to load than the whole first paint."""
        if dark not in self._renderers:
            from desktop_app.core.render import MarkdownRenderer

            self._renderers[dark] = MarkdownRenderer(dark=dark)
        return self._renderers[dark]

    def warm_up(self) -> None:
        """Load the renderer ahead of the first reveal (called once the window has painted)."""
        self.renderer(self.dark).render("`warm` up\n\n```python\nx = 1\n```")

    def answer_html(self, question: Question) -> str:
        key = (question.id + "\0" + question.answer, self.dark)
        if key not in self._cache:
            if len(self._cache) > 256:
                self._cache.clear()
            self._cache[key] = self.renderer(self.dark).render_bounded(question.answer)
        return self._cache[key]

    def show_question(self, question: Question | None, topic_title: str, revealed: bool) -> None:
        self.answer_visible = bool(question) and revealed
        muted = tokens(self.dark).muted
        if question is None:
            self.setHtml(f"<p style='color:{muted}'>No questions match. Change the topic, filters or search.</p>")
            return
        tags = "  ".join(f"#{escape(t)}" for t in question.tags)
        parts = [
            f"<p style='color:{muted}; margin-bottom:4px'>{escape(topic_title)} · "
            f"{escape(question.level.capitalize())}{'   ' + tags if tags else ''}</p>",
            f"<h2 style='margin-top:2px'>{escape(question.question)}</h2>",
        ]
        if revealed:
            parts.append("<h3 style='margin-top:18px'>Expected answer</h3>")
            parts.append(self.answer_html(question))
            parts.append("<h3 style='margin-top:18px'>Follow-up questions</h3><ol>")
            parts.extend(f"<li style='margin-bottom:4px'>{escape(f)}</li>" for f in question.follow_ups)
            parts.append("</ol>")
        else:
            hint = CODING_HINT if question.tests and question.solution else HIDDEN_HINT
            parts.append(f"<p style='color:{muted}'><i>{hint}</i></p>")
        self.setHtml("".join(parts))

    def highlight(self, search: str) -> None:
        """Mark each word of the search where a word of the question starts with it, as the search matched."""
        words = search_tokens(search)
        self.highlighted_words = []
        selections: list[QTextEdit.ExtraSelection] = []
        if words:
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(tokens(self.dark).highlight))
            fmt.setForeground(self.palette().color(QPalette.ColorRole.Text))
            pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\w*", re.IGNORECASE)
            text = self.document().toPlainText()
            for m in pattern.finditer(text):
                cursor = QTextCursor(self.document())
                cursor.setPosition(m.start())
                cursor.setPosition(m.end(), QTextCursor.MoveMode.KeepAnchor)
                selection = QTextEdit.ExtraSelection()
                selection.cursor = cursor  # type: ignore[misc]
                selection.format = fmt  # type: ignore[misc]
                selections.append(selection)
                self.highlighted_words.append(m.group(0))
        self.setExtraSelections(selections)

    # -- reading from the keyboard -----------------------------------------------------------

    def scroll_page(self, pages: float) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + int(pages * bar.pageStep()))
