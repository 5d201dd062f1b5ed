"""The question view: question, level and tags, then the expected answer and follow-ups once revealed."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from desktop_app.ui.textview import SafeTextBrowser

if TYPE_CHECKING:
    from desktop_app.core.bank import Question
    from desktop_app.core.render import MarkdownRenderer

HIDDEN_HINT = "Answer it in your head (or out loud), then press <b>Space</b> to reveal the expected answer."


class QuestionView(SafeTextBrowser):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("questionView")
        self.setAccessibleName("Question")
        # Click to select text, but never keep keyboard focus: the study keys must reach the window.
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self._renderers: dict[bool, MarkdownRenderer] = {}
        self.dark = False
        self._cache: dict[tuple[str, bool], str] = {}
        self.answer_visible = False

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
        if question is None:
            self.setHtml("<p style='color:gray'>No questions match. Change the topic, filters or search.</p>")
            return
        tags = " ".join(f"#{escape(t)}" for t in question.tags)
        parts = [
            f"<p style='color:gray'>{escape(topic_title)} · {escape(question.level.capitalize())}"
            f"{' · ' + tags if tags else ''}</p>",
            f"<h2>{escape(question.question)}</h2>",
        ]
        if revealed:
            parts.append("<h3>Expected answer</h3>")
            parts.append(self.answer_html(question))
            parts.append("<h3>Follow-up questions</h3><ol>")
            parts.extend(f"<li>{escape(f)}</li>" for f in question.follow_ups)
            parts.append("</ol>")
        else:
            parts.append(f"<p style='color:gray'><i>{HIDDEN_HINT}</i></p>")
        self.setHtml("".join(parts))
