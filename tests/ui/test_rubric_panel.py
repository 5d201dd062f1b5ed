"""The rubric panel beside the answer: a long rubric in a short window is read by scrolling, never clipped
or drawn under the widgets below it."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop_app.core.bank import Rubric
from desktop_app.ui.rubric_panel import RubricPanel

LONG = Rubric(
    strong=tuple(f"Essential point {i}: " + "a sentence that wraps over several lines " * 3 for i in range(6)),
    ok="Gets the formulas right on ordinary input but misses the edge cases. " * 4,
    weak="Confuses the two ideas and cannot say when each applies. " * 4,
    also_good=tuple(f"Also good {i}: " + "worth a mention " * 6 for i in range(3)),
)


def test_a_long_rubric_in_a_short_panel_scrolls_instead_of_being_clipped(qtbot: QtBot) -> None:
    panel = RubricPanel()
    qtbot.addWidget(panel)
    panel.resize(260, 520)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_rubric(LONG, revealed=True)
    qtbot.waitUntil(lambda: panel.rubric_label.width() > 0)
    label = panel.rubric_label

    def whole() -> bool:
        return label.height() >= label.heightForWidth(label.width()) > 0

    qtbot.waitUntil(whole, timeout=2_000)  # the layout settles on the next pass of the event loop
    bar = panel.rubric_scroll.verticalScrollBar()
    assert bar.maximum() > 0, "what does not fit can be scrolled to"
    last = panel.last_label
    panel.show_last(None, None)
    qtbot.waitUntil(lambda: last.height() >= last.heightForWidth(last.width()) > 0, timeout=2_000)
    # The widgets under the rubric are still all in the panel, not pushed out of it.
    for widget in (panel.last_label, panel.bookmark_button, panel.note_edit):
        bottom = widget.mapTo(panel, widget.rect().bottomLeft()).y()
        assert bottom <= panel.height(), widget.objectName()


def test_a_short_rubric_needs_no_scroll_bar(qtbot: QtBot) -> None:
    panel = RubricPanel()
    qtbot.addWidget(panel)
    panel.resize(260, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel.show_rubric(Rubric(("Names both.",), "Names one.", "Names none."), revealed=True)
    qtbot.waitUntil(lambda: panel.rubric_label.width() > 0)
    assert panel.rubric_scroll.verticalScrollBar().maximum() == 0
