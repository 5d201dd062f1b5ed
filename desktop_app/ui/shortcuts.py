"""Every keyboard shortcut as data: the key bindings and the help sheet are both built from this table."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Shortcut:
    owner: str  # who carries the action: "study", "view", "mocks", "decks", "data" or "window" (see OWNERS)
    action: str  # name of the owner's method it calls
    keys: tuple[str, ...]  # QKeySequence strings, portable form
    description: str
    group: str
    app_wide: bool = False  # active in every window of the app, not only the main window


# The owners and the modules that define them; MainWindow.owner(name) returns the live object.
OWNERS = {
    "study": "desktop_app.ui.study.StudyController",
    "view": "desktop_app.ui.view_prefs.ViewPrefs",
    "mocks": "desktop_app.ui.mock_launcher.MockLauncher",
    "decks": "desktop_app.ui.decks.DeckActions",
    "data": "desktop_app.ui.data_actions.DataActions",
    "window": "desktop_app.ui.main_window.MainWindow",
}


SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("study", "next_question", ("J",), "Next question (or ↓ in the list)", "Study"),
    Shortcut("study", "previous_question", ("K",), "Previous question (or ↑ in the list)", "Study"),
    Shortcut("study", "toggle_reveal", ("Space",), "Reveal / hide the expected answer", "Study"),
    Shortcut("study", "score_weak", ("1",), "Score Weak, then next (before the reveal: reveal)", "Study"),
    Shortcut("study", "score_ok", ("2",), "Score OK, then next", "Study"),
    Shortcut("study", "score_strong", ("3",), "Score Strong, then next", "Study"),
    Shortcut("study", "score_easy", ("4",), "Score Easy (it was effortless), then next", "Study"),
    Shortcut("study", "scroll_answer_down", ("PgDown", "Ctrl+Down"), "Scroll the answer down", "Study"),
    Shortcut("study", "scroll_answer_up", ("PgUp", "Ctrl+Up"), "Scroll the answer up", "Study"),
    Shortcut("study", "undo_score", ("U", "Ctrl+Z"), "Undo the last score", "Study"),
    Shortcut("study", "toggle_bookmark", ("B",), "Bookmark / unbookmark", "Study"),
    Shortcut("study", "edit_note", ("N",), "Write a note on this question", "Study"),
    Shortcut("study", "toggle_always_show", ("A",), "Always show answers (browse mode)", "Study"),
    Shortcut(
        "study",
        "run_code",
        ("F5",),
        "Coding question: run the tests on your code (or Ctrl+Enter in the editor)",
        "Study",
    ),
    Shortcut("study", "focus_topics", ("T",), "Go to the topics (↑ ↓ to choose, Tab onward)", "Navigate"),
    Shortcut("study", "focus_search", ("/", "Ctrl+F"), "Search", "Navigate"),
    Shortcut(
        "study",
        "back_to_list",
        ("Escape",),
        "Back to the question list (from search, a filter or the note)",
        "Navigate",
    ),
    Shortcut("study", "cycle_level", ("L",), "Cycle the level filter", "Navigate"),
    Shortcut("mocks", "open_mock_setup", ("Ctrl+M",), "Start a mock interview", "Interview"),
    Shortcut("mocks", "show_mock_history", ("Ctrl+H",), "Mock interview history", "Interview"),
    Shortcut("mocks", "edit_api_key", ("Ctrl+K",), "Anthropic API key", "Interview"),
    Shortcut("decks", "new_question", ("Ctrl+N",), "New question in one of your decks", "Decks"),
    Shortcut("decks", "edit_question", ("E",), "Edit this question (yours), or copy it into a deck of yours", "Decks"),
    Shortcut("decks", "import_decks", ("Ctrl+I",), "Import decks: TOML, Markdown or Anki's text export", "Decks"),
    Shortcut("decks", "generate_questions", ("Ctrl+J",), "Questions for a job description (Claude)", "Decks"),
    Shortcut("decks", "export_questions", ("Ctrl+E",), "Export questions: TOML, Markdown or Anki (.apkg)", "Decks"),
    Shortcut("decks", "remove_deck", ("Ctrl+Shift+Backspace",), "Remove one of your decks (history kept)", "Decks"),
    Shortcut("data", "backup_now", ("Ctrl+Shift+B",), "Back up your progress now", "Your data"),
    Shortcut(
        "data", "export_progress", ("Ctrl+Shift+E",), "Export your progress, to move to another computer", "Your data"
    ),
    Shortcut(
        "data", "import_progress", ("Ctrl+Shift+I",), "Import progress from another computer (merged)", "Your data"
    ),
    Shortcut("window", "open_dashboard", ("D",), "Readiness dashboard", "App"),
    Shortcut(
        "window", "open_study_settings", ("Ctrl+,",), "Study settings: retention, new per day, interview date", "App"
    ),
    Shortcut("window", "show_help", ("?", "F1"), "This help sheet", "App"),
    Shortcut("view", "zoom_in", ("Ctrl++", "Ctrl+="), "Zoom in", "App"),
    Shortcut("view", "zoom_out", ("Ctrl+-",), "Zoom out", "App"),
    Shortcut("view", "zoom_reset", ("Ctrl+0",), "Reset zoom", "App"),
    Shortcut("view", "cycle_theme", ("Ctrl+Shift+T",), "Theme: system, light, dark", "App"),
    Shortcut("window", "quit", ("Ctrl+Q",), "Quit (from any window)", "App", app_wide=True),
)


def bindings(
    resolve: Callable[[str], object | None], table: Sequence[Shortcut] = SHORTCUTS
) -> list[tuple[str, Callable[[], object]]]:
    """(key, callable) pairs, like Anki's reviewer: one place to bind, one to test.

    `resolve` names the owner at the moment the key is pressed (a window binds its keys before its store
    arrives); a key whose owner does not exist yet does nothing.
    """
    pairs: list[tuple[str, Callable[[], object]]] = []
    for shortcut in table:
        handler = _handler(resolve, shortcut.owner, shortcut.action)
        pairs.extend((key, handler) for key in shortcut.keys)
    return pairs


def _handler(resolve: Callable[[str], object | None], owner: str, action: str) -> Callable[[], object]:
    def call() -> object:
        target = resolve(owner)
        return getattr(target, action)() if target is not None else None

    call.__name__ = f"{owner}.{action}"
    return call


MOVING_AROUND = (
    ("Tab / Shift+Tab", "Go round the panes: topics, search, level, status, questions, note"),
    ("↑ ↓", "Move in the pane that has the focus: topics in the sidebar, questions in the list"),
    ("Esc or Ctrl+W", "Close the dashboard or a dialog; the focus goes back where it was"),
    ("Enter", "In a dialog: its main button"),
    ("Ctrl+Tab, or Esc then Tab", "Leave the code editor (in it, Tab indents, Shift+Tab dedents, Ctrl+/ comments)"),
)


def help_html(table: Sequence[Shortcut] = SHORTCUTS, native: Callable[[str], str] = lambda k: k) -> str:
    """The help sheet, grouped; `native` turns a key into the platform's spelling (⌘ on macOS)."""
    parts: list[str] = ["<h3>Moving around</h3><table cellspacing='0' cellpadding='4'>"]
    parts += [
        f"<tr><td width='160'><b>{html.escape(keys)}</b></td><td>{html.escape(what)}</td></tr>"
        for keys, what in MOVING_AROUND
    ]
    parts.append("</table>")
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
