"""The rubric beside the answer, in the real window: a long rubric is laid out whole and scrolls with its
pane (the window's rubricScroll), never squeezed to a line with the rest drawn under the score line."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QScrollArea
from pytestqt.qtbot import QtBot

from desktop_app.core.bank import Rubric
from tests.ui.helpers import open_window

LONG = Rubric(
    strong=tuple(f"Essential point {i}: " + "a sentence that wraps over several lines " * 3 for i in range(6)),
    ok="Gets the formulas right on ordinary input but misses the edge cases. " * 4,
    weak="Confuses the two ideas and cannot say when each applies. " * 4,
    also_good=tuple(f"Also good {i}: " + "worth a mention " * 6 for i in range(3)),
)


def whole(label: QLabel) -> bool:
    return label.height() >= label.heightForWidth(label.width()) > 0


def test_a_long_rubric_is_laid_out_whole_and_scrolls_with_its_pane(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    window.resize(1280, 800)
    panel = window.rubric_panel
    panel.show_rubric(LONG, revealed=True)
    panel.show_last(None, None)
    qtbot.waitUntil(lambda: whole(panel.rubric_label) and whole(panel.last_label), timeout=2_000)
    rubric_bottom = panel.rubric_label.geometry().bottom()
    assert panel.last_label.geometry().top() > rubric_bottom, "the score line sits under the rubric, not on it"
    scroll = window.findChild(QScrollArea, "rubricScroll")
    assert scroll is not None and scroll.widget() is panel
    assert scroll.verticalScrollBar().maximum() > 0, "what does not fit in the window is reached by scrolling"
