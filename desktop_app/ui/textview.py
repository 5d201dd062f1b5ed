"""The one text view every screen uses for rendered content: it loads nothing and follows no link itself.

Bank content, interviewer replies and the user's own answers are untrusted. Qt's QTextBrowser would
fetch images and style sheets from `file:`, relative and `qrc:` URLs on its own, and navigate to a
clicked link inside the pane (showing `/etc/passwd` in place of a summary). Here every resource
request gets an empty answer (so Qt's own fallback never reads a file), and a click on an http(s) link
opens the system browser; nothing else opens at all. The Markdown renderer already turns images into
text, so this is the second line of defence.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from desktop_app.ui.theme import ThemedRenderer, palette_is_dark

SAFE_SCHEMES = ("http", "https")


class SafeTextBrowser(QTextBrowser):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(open_link)
        self.resource_requests: list[str] = []  # what content asked to load (and did not get)

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        self.resource_requests.append(name.toString() if isinstance(name, QUrl) else str(name))
        # A valid, empty value: with None, QTextDocument falls back to reading local files itself.
        if type == QTextDocument.ResourceType.ImageResource:
            return QImage()
        return QByteArray()


def open_link(url: QUrl) -> bool:
    """Open an http(s) link in the system browser; any other scheme (file:, qrc:, data:, ...) is ignored."""
    if url.scheme().lower() in SAFE_SCHEMES and url.host():
        return bool(QDesktopServices.openUrl(url))
    return False


class MarkdownView(SafeTextBrowser):
    """A view of one Markdown text, rendered with the theme in force: when the theme changes, it renders the
    same text again, so its code blocks never keep the previous theme's colours."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._renderer = ThemedRenderer()
        self._markdown: str | None = None
        self._dark: bool | None = None

    def show_markdown(self, markdown: str) -> None:
        self._markdown = markdown
        self._dark = palette_is_dark()
        self.setHtml(self._renderer.render_bounded(markdown))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._markdown is not None and palette_is_dark() != self._dark:
            position = self.verticalScrollBar().value()
            self.show_markdown(self._markdown)
            self.verticalScrollBar().setValue(position)
