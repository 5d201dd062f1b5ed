"""Light and dark themes: a palette and a style sheet made from one set of colour tokens per theme.

Switching sets the palette and then the style sheet again. Qt caches each styled widget's palette when the
style sheet polishes it, so setting only the palette left every pane with the previous theme's colours
(the off-by-one issue 13 found); re-applying the sheet re-polishes every widget on the same press.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from desktop_app.core.vocab import THEMES

__all__ = [
    "SCORE_COLORS",
    "THEMES",
    "UNSCORED_COLOR",
    "Tokens",
    "apply_theme",
    "resolve_dark",
    "system_is_dark",
    "tokens",
]

# One colour per score, everywhere a score is shown (list icons, score buttons, dashboard tables).
SCORE_COLORS = {"weak": "#d0443e", "ok": "#d19a1c", "strong": "#2e9d4f", "easy": "#2f7fd3"}
UNSCORED_COLOR = "#8c8f96"


@dataclass(frozen=True)
class Tokens:
    window: str  # the app's background
    surface: str  # panes that hold content: the question, lists, editors
    raised: str  # the rubric panel, cards, code blocks
    border: str
    text: str
    muted: str  # secondary text: meta lines, hints
    accent: str  # the primary action and the selection
    accent_text: str
    selection: str  # a selected row
    selection_text: str
    error_bg: str
    error_border: str
    highlight: str  # search matches in the question


LIGHT = Tokens(
    window="#f3f4f6",
    surface="#ffffff",
    raised="#f7f8fa",
    border="#d9dce1",
    text="#1c2026",
    muted="#646b76",
    accent="#2f6fed",
    accent_text="#ffffff",
    selection="#dce7fd",
    selection_text="#101828",
    error_bg="#fdecea",
    error_border="#f1b5b0",
    highlight="#ffe58a",
)
DARK = Tokens(
    window="#1b1d21",
    surface="#23262b",
    raised="#2a2e34",
    border="#3a3f47",
    text="#e3e5e9",
    muted="#9aa1ab",
    accent="#5b8cff",
    accent_text="#0d1117",
    selection="#2d3f63",
    selection_text="#f1f4fa",
    error_bg="#3a2222",
    error_border="#7a3a36",
    highlight="#6b5a12",
)


def tokens(dark: bool) -> Tokens:
    return DARK if dark else LIGHT


def system_is_dark() -> bool:
    return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark


def resolve_dark(mode: str) -> bool:
    if mode == "dark":
        return True
    if mode == "light":
        return False
    return system_is_dark()


def palette(t: Tokens) -> QPalette:
    p = QPalette()
    roles = {
        QPalette.ColorRole.Window: t.window,
        QPalette.ColorRole.WindowText: t.text,
        QPalette.ColorRole.Base: t.surface,
        QPalette.ColorRole.AlternateBase: t.raised,
        QPalette.ColorRole.Text: t.text,
        QPalette.ColorRole.Button: t.raised,
        QPalette.ColorRole.ButtonText: t.text,
        QPalette.ColorRole.ToolTipBase: t.surface,
        QPalette.ColorRole.ToolTipText: t.text,
        QPalette.ColorRole.PlaceholderText: t.muted,
        # A selected row reads as a tint, not a block of accent: the text stays dark (light theme) or light.
        QPalette.ColorRole.Highlight: t.selection,
        QPalette.ColorRole.HighlightedText: t.selection_text,
        QPalette.ColorRole.Link: t.accent,
        QPalette.ColorRole.Mid: t.border,
        QPalette.ColorRole.Midlight: t.raised,
        QPalette.ColorRole.Dark: t.border,
        QPalette.ColorRole.Light: t.surface,
        QPalette.ColorRole.BrightText: t.accent_text,
    }
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        for role, color in roles.items():
            p.setColor(group, role, QColor(color))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(t.muted))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Base, QColor(t.raised))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Button, QColor(t.raised))
    return p


def style_sheet(t: Tokens, point_size: float | None = None) -> str:
    """Spacing, borders and the few colours a palette cannot express (score stripes, the primary button,
    the problem banner), and the zoomed text size for every widget. A font set on the application does
    not reach widgets an application style sheet has polished, so zoom is part of the sheet."""
    size = f"QWidget {{ font-size: {point_size:.2f}pt; }}" if point_size else ""
    score_rules = "\n".join(
        f"QPushButton#score{name.capitalize()}, QPushButton#selfScore{name.capitalize()} "
        f"{{ border-left: 4px solid {color}; }}"
        for name, color in SCORE_COLORS.items()
    )
    return f"""
{size}
QMainWindow, QDialog {{ background: {t.window}; }}
QToolBar#mainToolbar {{ background: {t.window}; border: none; border-bottom: 1px solid {t.border}; padding: 4px 8px; spacing: 6px; }}
QToolBar#mainToolbar QToolButton {{ padding: 5px 10px; border-radius: 6px; }}
QToolBar#mainToolbar QToolButton:hover {{ background: {t.raised}; }}
QPushButton[suggested="true"] {{ border: 2px solid {t.accent}; font-weight: 600; }}
QLabel#codingStatus {{ padding: 2px 2px; }}
QLabel#codingStatus[verdict="pass"] {{ color: {SCORE_COLORS["strong"]}; font-weight: 600; }}
QLabel#codingStatus[verdict="fail"] {{ color: {SCORE_COLORS["weak"]}; font-weight: 600; }}
QToolButton#primaryAction {{ background: {t.accent}; color: {t.accent_text}; font-weight: 600; padding: 5px 14px; }}
QToolButton#primaryAction:hover {{ background: {t.accent}; border: 1px solid {t.text}; }}
QStatusBar {{ background: {t.window}; color: {t.muted}; border-top: 1px solid {t.border}; }}
QStatusBar QLabel {{ color: {t.muted}; padding: 0 8px; }}
QSplitter::handle {{ background: {t.window}; }}
QListWidget#topicSidebar {{ background: {t.window}; border: none; padding: 6px 4px; }}
QListWidget#topicSidebar::item {{ padding: 7px 10px; border-radius: 6px; margin: 1px 2px; }}
QListWidget#topicSidebar::item:selected {{ background: {t.selection}; color: {t.selection_text}; }}
QTableView#questionList {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 6px; }}
QTableView#questionList::item:selected {{ background: {t.selection}; color: {t.selection_text}; }}
QLineEdit {{ padding: 5px 8px; border: 1px solid {t.border}; border-radius: 6px; background: {t.surface}; color: {t.text}; }}
QLineEdit:focus {{ border: 1px solid {t.accent}; }}
QLabel#matchCount {{ color: {t.muted}; padding: 0 2px; }}
QTextBrowser#questionView {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 6px; padding: 10px 16px; }}
QFrame#scoreBar {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 6px; }}
QPushButton {{ padding: 6px 12px; border: 1px solid {t.border}; border-radius: 6px; background: {t.raised}; color: {t.text}; }}
QPushButton:hover {{ border: 1px solid {t.muted}; }}
QPushButton:focus {{ border: 1px solid {t.accent}; }}
QPushButton:disabled {{ color: {t.muted}; }}
QPushButton#revealButton, QPushButton#primaryButton {{ background: {t.accent}; color: {t.accent_text}; border: none; font-weight: 600; }}
QPushButton#revealButton:hover, QPushButton#primaryButton:hover {{ border: 1px solid {t.text}; }}
{score_rules}
QFrame#rubricPanel {{ background: {t.raised}; border: 1px solid {t.border}; border-radius: 6px; }}
QFrame#rubricPanel QLabel {{ background: transparent; }}
QLabel#rubricHint, QLabel#lastScoreLabel, QLabel#noteHint, QLabel#settingsHint, QLabel#scoreHint {{ color: {t.muted}; }}
QPlainTextEdit {{ background: {t.surface}; color: {t.text}; border: 1px solid {t.border}; border-radius: 6px; padding: 4px; }}
QFrame#problemBanner, QFrame#faultBar {{ background: {t.error_bg}; border: 1px solid {t.error_border}; border-radius: 6px; }}
QFrame#problemBanner QLabel, QFrame#faultBar QLabel {{ background: transparent; color: {t.text}; }}
QWidget#doneForToday {{ background: {t.surface}; border: 1px solid {t.border}; border-radius: 6px; }}
QGroupBox {{ border: 1px solid {t.border}; border-radius: 6px; margin-top: 14px; padding: 10px 8px 8px 8px; background: {t.surface}; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 10px; padding: 0 4px; color: {t.text}; font-weight: 600; }}
QTableWidget {{ background: {t.surface}; border: none; gridline-color: {t.border}; }}
QHeaderView::section {{ background: {t.raised}; color: {t.text}; border: none; border-bottom: 1px solid {t.border}; padding: 4px 6px; }}
QTextBrowser {{ background: {t.surface}; color: {t.text}; border: 1px solid {t.border}; border-radius: 6px; }}
"""


def apply_theme(app: QApplication, mode: str, point_size: float | None = None) -> bool:
    """Apply the theme (and the zoomed text size) to every window at once; returns whether it is dark."""
    dark = resolve_dark(mode)
    t = tokens(dark)
    app.setStyle("Fusion")
    app.setStyleSheet("")  # drop the old sheet first, so that setting the new one re-polishes everything
    app.setPalette(palette(t))
    app.setStyleSheet(style_sheet(t, point_size))
    return dark


def palette_is_dark() -> bool:
    """Whether the theme in force is dark, read from the palette (so it follows every switch)."""
    return QApplication.palette().color(QPalette.ColorRole.Base).lightness() < 128


class ThemedRenderer:
    """Renders Markdown with the code colours of the theme in force at each call (a light code block in a
    dark pane is unreadable). Renderers are built on first use; building one costs more than a page."""

    def __init__(self) -> None:
        self._renderers: dict[bool, object] = {}

    def _current(self):  # type: ignore[no-untyped-def]
        from desktop_app.core.render import MarkdownRenderer

        dark = palette_is_dark()
        if dark not in self._renderers:
            self._renderers[dark] = MarkdownRenderer(dark=dark)
        return self._renderers[dark]

    def render(self, text: str) -> str:
        return str(self._current().render(text))

    def render_bounded(self, text: str) -> str:
        return str(self._current().render_bounded(text))
