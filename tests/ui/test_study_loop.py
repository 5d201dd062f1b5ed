"""Issue 13: the study loop as a session, honest numbers on screen, the whole app from the keyboard, both
themes on every pane, zoom without clipping, and accessible names a screen reader can use."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop_app.simulator.session import MockConfig
from desktop_app.ui import background
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.sidebar import ALL_TOPICS, DUE
from tests.ui.helpers import open_window, settle


def press(qtbot: QtBot, window: MainWindow, *keys: Qt.Key) -> None:
    for k in keys:
        qtbot.keyClick(QApplication.focusWidget() or window, k)


def background_of(widget: QWidget) -> QColor:
    """The most common colour of the widget as painted: its background, whatever is drawn on it."""
    image: QImage = widget.grab().toImage()
    counts: Counter[int] = Counter()
    for x in range(2, image.width() - 2, max(1, image.width() // 40)):
        for y in range(2, image.height() - 2, max(1, image.height() // 40)):
            counts[image.pixel(x, y)] += 1
    return QColor.fromRgb(counts.most_common(1)[0][0])


# -- a session, not a list ---------------------------------------------------------------------


def test_the_due_queue_is_a_session_that_ends_on_a_done_for_today_screen(qtbot: QtBot, data_dir: Path) -> None:
    from desktop_app.core.schedule import StudyConfig

    window = open_window(qtbot, data_dir)
    assert window.store is not None and window.study is not None
    window.apply_study_settings(StudyConfig(new_per_day=3))
    qtbot.waitUntil(lambda: not background.busy())
    window.sidebar.select_topic(DUE)
    settle(qtbot, window)
    queue = [window.list_model.item(i) for i in range(window.list_model.rowCount())]
    assert len(queue) == 3 and len({q.topic_id for q in queue}) == 3, "new questions are dealt across topics"
    assert all(q.level == "beginner" for q in queue), "beginners first within a topic"
    for _ in range(3):
        press(qtbot, window, Qt.Key.Key_Space, Qt.Key.Key_3)  # reveal, Strong: each leaves the queue
    assert window.list_model.rowCount() == 0
    done = window.done_page
    assert window.pages.currentWidget() is done and done.isVisible() and done.objectName() == "doneForToday"
    summary = done.summary.text()
    assert "You studied <b>3</b> questions today" in summary and "3 Strong" in summary
    assert "next review falls due" in summary
    qtbot.mouseClick(done.more_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert window.list_model.rowCount() == 10 and window.pages.currentIndex() == 0
    press(qtbot, window, Qt.Key.Key_Space, Qt.Key.Key_1)
    assert window.list_model.rowCount() == 9
    press(qtbot, window, Qt.Key.Key_U)  # undo brings the question back to the queue
    assert window.list_model.rowCount() == 10


def test_the_app_opens_on_the_due_queue_when_anything_is_due(qtbot: QtBot, data_dir: Path) -> None:
    from desktop_app.synced_store import open_synced_store

    store, _ = open_synced_store(data_dir)
    qid = store.questions.list()[0].qid
    store.reviews.record(qid, "weak", at=time.time() - 3 * 86400)  # a Weak three days ago: due now
    store.close()
    window = open_window(qtbot, data_dir)
    assert window.sidebar.current_topic() == DUE
    assert window.study is not None and window.study.session.current is not None
    assert window.study.session.current.qid == qid


def test_restart_restores_the_last_question_scrolled_into_view(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    window.sidebar.select_topic(ALL_TOPICS)
    settle(qtbot, window)
    for _ in range(60):
        press(qtbot, window, Qt.Key.Key_J)
    assert window.study is not None and window.study.session.current is not None
    remembered = window.study.session.current.qid
    window.close()
    assert window.store is not None
    window.store.close()
    again = open_window(qtbot, data_dir)
    assert again.study is not None and again.study.session.current is not None
    assert again.study.session.current.qid == remembered
    view = again.question_list
    qtbot.waitUntil(lambda: view.viewport().rect().intersects(view.visualRect(view.currentIndex())))


def test_search_counts_highlights_and_suggests(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    window.search_box.setText("gradient")
    settle(qtbot, window)
    count = window.list_model.rowCount()
    assert window.match_label.isVisible() and window.match_label.text() == f"{count:,} questions match"
    assert any(w.lower().startswith("gradient") for w in window.question_view.highlighted_words)
    window.search_box.setText("attenton")
    settle(qtbot, window)
    assert window.list_model.rowCount() == 0
    assert "Did you mean: attention" in window.match_label.text()


def test_list_rows_show_the_level_and_the_topic_where_topics_mix(qtbot: QtBot, data_dir: Path) -> None:
    from desktop_app.ui.question_list import META_ROLE

    window = open_window(qtbot, data_dir)
    window.sidebar.select_topic(ALL_TOPICS)
    settle(qtbot, window)
    first = window.list_model.item(0)
    assert first is not None
    meta = window.list_model.data(window.list_model.index(0, 0), META_ROLE)
    assert first.level.capitalize() in meta and window.store is not None
    assert window.store.questions.topic_title(first.topic_id) in meta
    window.sidebar.select_topic(first.topic_id)
    settle(qtbot, window)
    meta = window.list_model.data(window.list_model.index(0, 0), META_ROLE)
    assert window.store.questions.topic_title(first.topic_id) not in meta  # one topic: not repeated


# -- the whole app from the keyboard --------------------------------------------------------------


def test_tab_reaches_every_pane_and_arrows_move_within_it(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    press(qtbot, window, Qt.Key.Key_T)
    assert QApplication.focusWidget() is window.sidebar
    before = window.sidebar.current_topic()
    press(qtbot, window, Qt.Key.Key_Down)
    assert window.sidebar.current_topic() != before, "arrows in the sidebar move between topics"
    settle(qtbot, window)
    seen = []
    for _ in range(6):
        press(qtbot, window, Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    for widget in (window.search_box, window.level_filter, window.status_filter, window.question_list):
        assert widget in seen, widget.objectName()
    window.question_list.setFocus()
    assert window.study is not None
    first = window.study.session.index
    press(qtbot, window, Qt.Key.Key_Down)
    assert window.study.session.index == first + 1, "arrows in the list move between questions"


def test_long_answers_scroll_from_the_keyboard(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    window.resize(900, 500)
    press(qtbot, window, Qt.Key.Key_Space)
    bar = window.question_view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    index = window.study.session.index if window.study else -1
    press(qtbot, window, Qt.Key.Key_PageDown)
    assert bar.value() > 0 and (window.study.session.index if window.study else -1) == index
    press(qtbot, window, Qt.Key.Key_PageUp)
    assert bar.value() == 0


def test_esc_and_ctrl_w_close_the_dashboard_and_dialogs(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    window.question_list.setFocus()
    press(qtbot, window, Qt.Key.Key_D)
    qtbot.waitUntil(lambda: getattr(window, "dashboard", None) is not None and window.dashboard.isVisible())
    board = window.dashboard
    qtbot.keyClick(board, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not board.isVisible())
    assert window.focusWidget() is window.question_list  # the focus goes back where it was
    window.show_help()
    sheet = window._help
    assert sheet is not None and sheet.isVisible()
    sheet.activateWindow()
    qtbot.waitUntil(sheet.isActiveWindow)
    qtbot.keyClick(sheet, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not sheet.isVisible())
    window.open_study_settings()
    dialog = window.study_settings
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())


# -- both themes, every pane ----------------------------------------------------------------------


def test_every_pane_takes_the_new_theme_on_the_same_press(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    assert window.view is not None and window.mocks is not None
    press(qtbot, window, Qt.Key.Key_Space)
    window.open_dashboard()
    qtbot.waitUntil(lambda: getattr(window, "dashboard", None) is not None)
    board = window.dashboard
    mock = window.mocks.begin_mock(MockConfig(count=1, offline=True))
    assert mock is not None
    qtbot.addWidget(mock)
    panes = {
        "question view": window.question_view.viewport(),
        "rubric panel": window.rubric_panel,
        "question list": window.question_list.viewport(),
        "sidebar": window.sidebar.viewport(),
        "dashboard": board,
        "mock transcript": mock.transcript.viewport(),
        "mock answer": mock.answer_edit.viewport(),
    }
    window.view.theme = "system"
    window.activateWindow()  # the theme key belongs to the main window
    qtbot.waitUntil(window.isActiveWindow)
    for wanted in ("light", "dark", "light"):
        while window.view.theme != wanted:  # the real key, as a user switches: one press per step
            qtbot.keyClick(
                window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
            )
        QApplication.processEvents()
        for name, pane in panes.items():
            bg = background_of(pane).lightness()
            text = pane.palette().color(QPalette.ColorRole.Text).lightness()
            if wanted == "dark":
                assert bg < 90 and text > 170, f"{name} in dark: background {bg}, text {text}"
            else:
                assert bg > 200 and text < 90, f"{name} in light: background {bg}, text {text}"
    mock.close()


# -- zoom -----------------------------------------------------------------------------------------


def test_zoom_scales_every_pane_and_nothing_clips_at_plus_three(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    window.resize(1280, 800)
    press(qtbot, window, Qt.Key.Key_Space)
    sizes = {
        w.objectName(): w.font().pointSizeF()
        for w in (window.rubric_panel, window.search_box, window.level_filter, window.progress_label)
    }
    for _ in range(3):
        qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    QApplication.processEvents()
    for w in (window.rubric_panel, window.search_box, window.level_filter, window.progress_label):
        assert w.font().pointSizeF() > sizes[w.objectName()] * 1.25, w.objectName()
    clipped = []
    for w in window.findChildren(QWidget):
        if not w.isVisible() or w.width() == 0:
            continue
        if isinstance(w, QPushButton) and w.text():
            if w.fontMetrics().horizontalAdvance(w.text()) > w.width() - 4:
                clipped.append(("button", w.objectName(), w.text()))
        elif isinstance(w, QLabel) and w.text() and not w.wordWrap() and w.textFormat() == Qt.TextFormat.PlainText:
            if w.fontMetrics().horizontalAdvance(w.text()) > w.width():
                clipped.append(("label", w.objectName(), w.text()))
    assert clipped == []
    panel = window.rubric_panel
    assert panel.width() <= panel.parentWidget().width(), "the rubric panel never runs off its pane"
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)


# -- accessible names ------------------------------------------------------------------------------

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QTextEdit, QPlainTextEdit, QAbstractSpinBox)


def unnamed_controls(root: QWidget) -> list[str]:
    """Controls a screen reader would announce without a name (Qt's own accessibility tree is asked)."""
    missing = []
    for w in [root, *root.findChildren(QWidget)]:
        if not isinstance(w, CONTROLS) or not w.isVisibleTo(root) or w.objectName().startswith("qt_"):
            continue
        if isinstance(w, QHeaderView) or isinstance(w.parentWidget(), QAbstractSpinBox | QComboBox):
            continue  # parts of a named table, spin box or combo box, announced through it
        iface = QAccessible.queryAccessibleInterface(w)
        if iface is None or not iface.text(QAccessible.Text.Name).strip():
            missing.append(f"{type(w).__name__}:{w.objectName() or '?'}")
    return missing


@pytest.mark.parametrize("screen", ["main", "dashboard", "mock", "setup", "history", "settings", "help", "key"])
def test_every_control_has_an_accessible_name(qtbot: QtBot, data_dir: Path, screen: str) -> None:
    window = open_window(qtbot, data_dir)
    assert window.mocks is not None
    press(qtbot, window, Qt.Key.Key_Space)
    root: QWidget
    if screen == "main":
        root = window
    elif screen == "dashboard":
        window.open_dashboard()
        qtbot.waitUntil(lambda: getattr(window, "dashboard", None) is not None)
        root = window.dashboard
    elif screen == "mock":
        mock = window.mocks.begin_mock(MockConfig(count=1, offline=True))
        assert mock is not None
        qtbot.addWidget(mock)
        root = mock
    elif screen == "setup":
        window.mocks.open_mock_setup()
        root = window.mocks.setup_dialog  # type: ignore[assignment]
    elif screen == "history":
        window.mocks.show_mock_history()
        root = window.mocks.history_dialog  # type: ignore[assignment]
    elif screen == "settings":
        window.open_study_settings()
        root = window.study_settings
    elif screen == "help":
        window.show_help()
        root = window._help  # type: ignore[assignment]
    else:
        from desktop_app.simulator.keys import KeyStore
        from desktop_app.ui.mock_setup import ApiKeyDialog

        root = ApiKeyDialog(KeyStore(), window)
        qtbot.addWidget(root)
    root.show()
    assert unnamed_controls(root) == []
    if screen == "setup":
        root.close()
        qtbot.waitUntil(lambda: not background.busy(), timeout=10_000)
