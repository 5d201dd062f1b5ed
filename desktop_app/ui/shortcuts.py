"""Every keyboard shortcut as data: the key bindings and the help sheet are both built from this table."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Shortcut:
    action: str  # name of the MainWindow method it calls
    keys: tuple[str, ...]  # QKeySequence strings, portable form
    description: str
    group: str


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("next_question", ("J", "Down"), "Next question", "Study"),
    Shortcut("previous_question", ("K", "Up"), "Previous question", "Study"),
    Shortcut("toggle_reveal", ("Space",), "Reveal / hide the expected answer", "Study"),
    Shortcut("score_weak", ("1",), "Score Weak, then next", "Study"),
    Shortcut("score_ok", ("2",), "Score OK, then next", "Study"),
    Shortcut("score_strong", ("3",), "Score Strong, then next", "Study"),
    Shortcut("score_easy", ("4",), "Score Easy (it was effortless), then next", "Study"),
    Shortcut("undo_score", ("U", "Ctrl+Z"), "Undo the last score", "Study"),
    Shortcut("toggle_bookmark", ("B",), "Bookmark / unbookmark", "Study"),
    Shortcut("edit_note", ("N",), "Write a note on this question", "Study"),
    Shortcut("toggle_always_show", ("A",), "Always show answers (browse mode)", "Study"),
    Shortcut("focus_search", ("/", "Ctrl+F"), "Search", "Navigate"),
    Shortcut("back_to_list", ("Escape",), "Back to the question list", "Navigate"),
    Shortcut("cycle_level", ("L",), "Cycle the level filter", "Navigate"),
    Shortcut("open_mock_setup", ("Ctrl+M",), "Start a mock interview", "Interview"),
    Shortcut("show_mock_history", ("Ctrl+H",), "Mock interview history", "Interview"),
    Shortcut("edit_api_key", ("Ctrl+K",), "Anthropic API key", "Interview"),
    Shortcut("open_dashboard", ("D",), "Readiness dashboard", "App"),
    Shortcut("open_study_settings", ("Ctrl+,",), "Study settings: retention, new per day, interview date", "App"),
    Shortcut("show_help", ("?", "F1"), "This help sheet", "App"),
    Shortcut("zoom_in", ("Ctrl++", "Ctrl+="), "Zoom in", "App"),
    Shortcut("zoom_out", ("Ctrl+-",), "Zoom out", "App"),
    Shortcut("zoom_reset", ("Ctrl+0",), "Reset zoom", "App"),
    Shortcut("cycle_theme", ("Ctrl+Shift+T",), "Theme: system, light, dark", "App"),
    Shortcut("quit", ("Ctrl+Q",), "Quit", "App"),
)


def bindings(target: object, table: Sequence[Shortcut] = SHORTCUTS) -> list[tuple[str, Callable[[], object]]]:
    """(key, callable) pairs for a window, like Anki's reviewer: one place to bind, one to test."""
    pairs: list[tuple[str, Callable[[], object]]] = []
    for shortcut in table:
        handler = getattr(target, shortcut.action)
        pairs.extend((key, handler) for key in shortcut.keys)
    return pairs


def help_html(table: Sequence[Shortcut] = SHORTCUTS, native: Callable[[str], str] = lambda k: k) -> str:
    """The help sheet, grouped; `native` turns a key into the platform's spelling (⌘ on macOS)."""
    parts: list[str] = []
    group = None
    for shortcut in table:
        if shortcut.group != group:
            if group is not None:
                parts.append("</table>")
            group = shortcut.group
            parts.append(f"<h3>{html.escape(group)}</h3><table cellspacing='0' cellpadding='4'>")
        keys = " or ".join(f"<b>{html.escape(native(k))}</b>" for k in shortcut.keys)
        parts.append(f"<tr><td width='160'>{keys}</td><td>{html.escape(shortcut.description)}</td></tr>")
    parts.append("</table>")
    return "".join(parts)
