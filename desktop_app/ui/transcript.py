"""The mock interview's transcript: finished messages appended once, a streamed one laid out block by block."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent
from PySide6.QtGui import QTextBlockFormat, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QWidget

from desktop_app.core.markdown_budget import blocks
from desktop_app.core.render import plain_html
from desktop_app.ui.textview import SafeTextBrowser
from desktop_app.ui.theme import ThemedRenderer, palette_is_dark

if TYPE_CHECKING:
    from desktop_app.core.render import MarkdownRenderer

LABELS = {"question": "Interviewer", "answer": "You", "feedback": "Interviewer", "notice": "", "reference": "Reference"}


class Transcript(SafeTextBrowser):
    """Finished messages are appended once. A streamed message is rendered a block at a time: each block
    of Markdown is rendered once, when the next one starts, and only the block still arriving is shown as
    plain text and replaced on each update. Re-rendering the whole reply on every chunk froze the window
    for 15 s on a 40 KB reply; now each update costs about one block."""

    def __init__(self, renderer: MarkdownRenderer | ThemedRenderer, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("transcriptView")
        self.setAccessibleName("Interview transcript")
        self.renderer = renderer
        self._stream_start = 0  # where the streamed message's body begins (after its heading)
        self._last_message_start = 0
        self._committed: int | None = None  # end of the streamed message's rendered blocks
        self._blocks_done = 0
        self.streamed_text = ""
        self._stream_label = ""
        self._messages: list[tuple[str, str]] = []  # (heading, markdown) of every finished message
        self._dark = palette_is_dark()

    def append_message(self, kind: str, markdown: str, label: str | None = None) -> None:
        at_bottom = self._at_bottom()
        heading = LABELS.get(kind, "") if label is None else label
        self._messages.append((heading, markdown))
        self._last_message_start = self._end()
        self._insert_at_end(_heading(heading) + self.renderer.render_bounded(markdown) + "<p></p>")
        if at_bottom:
            self._scroll_down()

    def begin_stream(self, label: str) -> None:
        self._stream_label = label
        self._insert_at_end(_heading(label))
        self._committed = self._end()
        self._blocks_done = 0
        self.streamed_text = ""
        self._replace_tail("…")

    def update_stream(self, markdown: str) -> None:
        """The whole reply so far; only what is new since the last update is laid out."""
        if self._committed is None:
            return
        at_bottom = self._at_bottom()
        self.streamed_text = markdown
        parts = blocks(markdown)
        done, tail = parts[:-1], parts[-1] if parts else ""
        self._commit(done)
        self._replace_tail(tail)
        if at_bottom:
            self._scroll_down()

    def end_stream(self, markdown: str | None = None) -> None:
        if self._committed is None:
            return
        text = self.streamed_text if markdown is None else markdown
        at_bottom = self._at_bottom()
        if markdown is not None and not markdown.startswith(self.streamed_text.rstrip()):
            self._restart_stream()  # the final text is not a continuation (a notice replaced the reply)
        self._commit(blocks(text))
        self._replace_tail("")
        self._insert_at_end("<p></p>")
        self._committed = None
        self._messages.append((self._stream_label, text))
        if at_bottom:
            self._scroll_down()

    def changeEvent(self, event: QEvent) -> None:
        """Code blocks carry the theme's colours: when light and dark flip, lay the finished transcript out
        again (a reply still streaming is left alone and picks the new colours up block by block)."""
        super().changeEvent(event)
        if event.type() != QEvent.Type.PaletteChange or palette_is_dark() == self._dark:
            return
        self._dark = palette_is_dark()
        if self._committed is not None or not self._messages:
            return
        position = self.verticalScrollBar().value()
        messages, self._messages = self._messages, []
        self.clear()
        for heading, markdown in messages:
            self.append_message("notice", markdown, label=heading)
        self.verticalScrollBar().setValue(position)

    # -- the streamed region ----------------------------------------------------------------

    def _commit(self, done: list[str]) -> None:
        new = done[self._blocks_done :]
        if not new or self._committed is None:
            return
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._committed)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()  # the plain-text tail, about to be replaced by its rendering
        _fresh_block(cursor)
        cursor.insertHtml(self.renderer.render_bounded("\n\n".join(new)))
        self._committed = cursor.position()
        self._blocks_done = len(done)

    def _replace_tail(self, text: str) -> None:
        assert self._committed is not None
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._committed)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        if text:
            _fresh_block(cursor)
            cursor.insertHtml(plain_html(text))

    def _restart_stream(self) -> None:
        """Drop what was shown of the streamed message (its heading stays) before showing other text."""
        start = self._stream_start
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        self._committed = start
        self._blocks_done = 0

    def _insert_at_end(self, html: str) -> None:
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertHtml(html)
        if self._committed is None:
            self._stream_start = cursor.position()  # used only by the stream that begins here

    def _end(self) -> int:
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        return cursor.position()

    def scroll_to_last_message(self) -> None:
        """Put the start of the last message at the top of the view (or as high as it can go)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(self._last_message_start, self._end()))
        top = self.cursorRect(cursor).top() + self.verticalScrollBar().value()
        self.verticalScrollBar().setValue(max(0, top - 8))

    def _at_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - 4

    def _scroll_down(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())


def _fresh_block(cursor: QTextCursor) -> None:
    """Inserted HTML merges its first paragraph into the cursor's block: start a new, plain block first
    (plain formats, so it is neither a heading nor another item of the list before it)."""
    if cursor.block().length() > 1:
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())


def _heading(label: str) -> str:
    return f"<p style='margin-bottom:0'><b>{html.escape(label)}</b></p>" if label else ""
