"""The shortcut table itself: every key bound once, every action real, the help sheet complete."""

from __future__ import annotations

import importlib
from pathlib import Path

from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from desktop_app.app import create_window
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.shortcuts import OWNERS, SHORTCUTS, bindings, help_html


def test_no_key_is_bound_twice() -> None:
    keys = [QKeySequence(k).toString() for s in SHORTCUTS for k in s.keys]
    assert all(keys), "a key string did not parse"
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)


def test_required_study_keys_are_present() -> None:
    table = {s.action: set(s.keys) for s in SHORTCUTS}
    assert "J" in table["next_question"] and "K" in table["previous_question"]
    # The arrows belong to the focused pane (topics in the sidebar, questions in the list), not the window.
    assert not any(k in ("Up", "Down") for keys in table.values() for k in keys)
    assert table["toggle_reveal"] == {"Space"}
    assert (table["score_weak"], table["score_ok"], table["score_strong"]) == ({"1"}, {"2"}, {"3"})
    assert {"/", "Ctrl+F"} <= table["focus_search"] and "Escape" in table["back_to_list"]
    assert "?" in table["show_help"] and "Ctrl+Q" in table["quit"]
    assert {"undo_score", "toggle_bookmark", "zoom_in", "zoom_out"} <= table.keys()
    assert table["run_code"] == {"F5"}  # issue 16; Ctrl+Enter belongs to the coding panel (it is Send elsewhere)


def test_the_help_sheet_says_how_to_leave_the_code_editor() -> None:
    html = help_html()
    assert "Ctrl+Tab, or Esc then Tab" in html and "Leave the code editor" in html


def test_every_action_is_a_method_of_its_owner_and_bound(qtbot: QtBot, data_dir: Path) -> None:
    window = create_window(data_dir)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    for spec in SHORTCUTS:
        module, _, cls = OWNERS[spec.owner].rpartition(".")
        owner_type = getattr(importlib.import_module(module), cls)
        assert callable(getattr(owner_type, spec.action, None)), f"{cls} has no {spec.action}"
        assert isinstance(window.owner(spec.owner), owner_type)
    pairs = bindings(window.owner)
    assert len(pairs) == sum(len(s.keys) for s in SHORTCUTS)
    assert all(callable(handler) for _key, handler in pairs)
    bound = sorted(s.key().toString() for s in window.shortcuts)
    assert bound == sorted(QKeySequence(k).toString() for k, _h in pairs)


def test_help_sheet_is_built_from_the_table() -> None:
    import html as markup

    html = help_html()
    for spec in SHORTCUTS:
        assert markup.escape(spec.description) in html
        for k in spec.keys:
            assert f"<b>{k}</b>" in html
