"""How the window looks: zoom and theme, remembered in the settings and following the system scheme live."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QApplication

from desktop_app.core.vocab import THEMES
from desktop_app.ui.theme import apply_theme

ZOOM_STEP = 1.1
ZOOM_LIMIT = 8


_BASE_FONT: list[QFont] = []


def base_font() -> QFont:
    """The application's font before any zoom: taken once, so each zoom is relative to it."""
    if not _BASE_FONT:
        _BASE_FONT.append(QFont(QApplication.font()))
    return QFont(_BASE_FONT[0])


class ViewPrefs(QObject):
    themeChanged = Signal(bool)

    def __init__(self, settings: QSettings, show_message: Callable[[str, int], None], parent: QObject | None = None):
        super().__init__(parent)
        self.settings = settings
        self._show_message = show_message
        self._base_font = base_font()
        self.zoom_steps = int(settings.value("zoom", 0, type=int))  # type: ignore[call-overload]
        theme = str(settings.value("theme", "system"))
        self.theme = theme if theme in THEMES else "system"
        self.dark = False
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)

    def save(self) -> None:
        self.settings.setValue("zoom", self.zoom_steps)
        self.settings.setValue("theme", self.theme)

    # -- zoom -----------------------------------------------------------------------------

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom_steps + 1)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom_steps - 1)

    def zoom_reset(self) -> None:
        self.set_zoom(0)

    def set_zoom(self, steps: int) -> None:
        self.zoom_steps = max(-ZOOM_LIMIT, min(ZOOM_LIMIT, steps))
        self.apply_zoom()

    def point_size(self) -> float:
        return self._base_font.pointSizeF() * ZOOM_STEP**self.zoom_steps

    def apply_zoom(self) -> None:
        """Zoom is the text size of the whole application: every pane, the status bar, the toolbar, dialogs
        and the mock window scale together, and layouts grow with the text instead of clipping it."""
        self.apply_theme(announce=False)

    # -- theme ----------------------------------------------------------------------------

    def cycle_theme(self) -> None:
        self.theme = THEMES[(THEMES.index(self.theme) + 1) % len(THEMES)]
        self.apply_theme()
        self._show_message(f"Theme: {self.theme}", 2000)

    def apply_theme(self, announce: bool = True) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            dark = apply_theme(app, self.theme, self.point_size())
            if announce or dark != self.dark:
                self.dark = dark
                self.themeChanged.emit(dark)

    def _system_scheme_changed(self) -> None:
        if self.theme == "system":
            self.apply_theme()
