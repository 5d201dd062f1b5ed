"""The mock interview's transcript: finished messages appended once, only the streamed one re-rendered."""

from __future__ import annotations

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QWidget

from desktop_app.core.render import MarkdownRenderer
from desktop_app.ui.textview import SafeTextBrowser

LABELS = {"question": "Interviewer", "answer": "You", "feedback": "Interviewer", "notice": "", "reference": "Reference"}


class Transcript(SafeTextBrowser):
    """Finished messages are appended once; only the message being streamed is re-rendered."""

    def __init__(self, renderer: MarkdownRenderer, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("transcriptView")
        self.setAccessibleName("Interview transcript")
        self.renderer = renderer
        self._stream_start: int | None = None
        self._stream_label = ""
        self.streamed_text = ""

    def _html(self, label: str, markdown: str) -> str:
        head = f"<p style='margin-bottom:0'><b>{label}</b></p>" if label else ""
        return f"{head}{self.renderer.render(markdown)}<p></p>"

    def append_message(self, kind: str, markdown: str, label: str | None = None) -> None:
        at_bottom = self._at_bottom()
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertHtml(self._html(LABELS.get(kind, "") if label is None else label, markdown))
        if at_bottom:
            self._scroll_down()

    def begin_stream(self, label: str) -> None:
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        self._stream_start = cursor.position()
        self._stream_label = label
        self.streamed_text = ""
        self.update_stream("…")

    def update_stream(self, markdown: str) -> None:
        if self._stream_start is None:
            return
        at_bottom = self._at_bottom()
        self.streamed_text = markdown
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._stream_start)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        cursor.insertHtml(self._html(self._stream_label, markdown))
        if at_bottom:
            self._scroll_down()

    def end_stream(self, markdown: str | None = None) -> None:
        if markdown is not None:
            self.update_stream(markdown)
        self._stream_start = None

    def _at_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - 4

    def _scroll_down(self) -> None:
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())
