"""The Due queue, the Easy key, study settings and the readiness dashboard, through the window."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QTableWidget
from pytestqt.qtbot import QtBot

from desktop_app.app import main
from desktop_app.core import dashboard as core_dashboard
from desktop_app.core.schedule import StudyConfig
from desktop_app.ui import background
from desktop_app.ui.dashboard import DashboardWindow, Heatmap
from desktop_app.ui.sidebar import DUE
from tests.ui.helpers import open_window, settle


def test_due_queue_in_the_sidebar_with_daily_new_limit(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    store = window.store
    assert store is not None
    window.apply_study_settings(StudyConfig(new_per_day=3))
    qtbot.waitUntil(lambda: not background.busy())
    assert window.sidebar.item(0).text() == "Due now\n0 due · 3 new"
    window.sidebar.select_topic(DUE)
    settle(qtbot, window)
    first_three = [window.list_model.item(i).qid for i in range(window.list_model.rowCount())]
    assert len(first_three) == 3
    for k in (Qt.Key.Key_Space, Qt.Key.Key_4, Qt.Key.Key_Space, Qt.Key.Key_1):  # reveal, Easy; reveal, Weak
        qtbot.keyClick(window.question_list, k)
    assert [(r.qid, r.score) for r in store.reviews.all()] == [(first_three[0], "easy"), (first_three[1], "weak")]
    assert store.sched.card(first_three[0]) is not None
    assert window.sidebar.item(0).text().endswith("1 new")
    assert "due" in window.progress_label.text()
    # Within a topic: the status filter's "Due now".
    window.sidebar.select_topic(window.store.questions.topics()[0].id)  # type: ignore[union-attr]
    window.status_filter.setCurrentIndex(window.status_filter.findData("due"))
    settle(qtbot, window)
    assert 0 < window.list_model.rowCount() <= 3


def test_study_settings_dialog_sets_the_interview_date(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    window.open_study_settings()
    dialog = window.study_settings
    dialog.retention.setValue(0.85)
    dialog.new_per_day.setValue(11)
    dialog.has_date.setChecked(True)
    dialog.date.setDate(date.today() + timedelta(days=14))
    dialog.accept()
    qtbot.waitUntil(lambda: not background.busy())
    assert window.store is not None
    assert window.store.sched.config() == StudyConfig(0.85, 11, date.today() + timedelta(days=14))


def test_dashboard_shows_the_same_numbers_as_the_core(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    for key in (Qt.Key.Key_3, Qt.Key.Key_3, Qt.Key.Key_3, Qt.Key.Key_3, Qt.Key.Key_1, Qt.Key.Key_1):
        qtbot.keyClick(window.question_list, key)  # each first press reveals, the second scores
    qtbot.keyClick(window.question_list, Qt.Key.Key_D)
    qtbot.waitUntil(lambda: getattr(window, "dashboard", None) is not None)
    board = window.dashboard
    assert isinstance(board, DashboardWindow) and board.objectName() == "dashboard"
    assert window.store is not None
    data = core_dashboard.build(window.store)
    table = board.findChild(QTableWidget, "readinessTable")
    overall_row = len(data.readiness)
    assert table.item(overall_row, 0).text() == "All topics" and data.overall.seen == 3
    assert table.item(overall_row, 1).text() == f"{data.overall.readiness:.0%}"
    assert table.item(overall_row, 2).text() == f"{data.overall.coverage:.0%}"
    assert table.item(overall_row, 3).text() == f"{data.overall.recall_seen:.0%}"
    # Issue 13: three questions seen of hundreds is not "Readiness 100%".
    assert data.overall.readiness is not None and data.overall.readiness < 0.05
    assert "Readiness for" in board.findChild(QLabel, "readinessHeadline").text()
    heat = board.findChild(Heatmap, "activityHeatmap")
    today = date.today()
    assert heat.day_at(heat._cell(today).center()) == today
    assert heat.activity[today.toordinal()] == 3
    forecast = board.findChild(QTableWidget, "calibrationTable")
    assert forecast.rowCount() == 3
    # Readable in both themes: paints without errors, colours from the palette.
    for theme in ("dark", "light"):
        window.view.theme = theme
        window.view.apply_theme()
        image = board.grab()
        assert not image.isNull()
    QApplication.processEvents()
    assert heat.day_at(QPoint(-5, -5)) is None


def test_stats_prints_readiness_and_rebuild_works(data_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.synced_store import open_synced_store

    store, _ = open_synced_store(data_dir)
    qid = store.questions.list()[0].qid
    store.reviews.record(qid, "strong")
    before = store.sched.card(qid)
    store.close()
    assert main(["rebuild-schedule", "--data-dir", str(data_dir)]) == 0
    assert "Rebuilt the schedule from 1 reviews" in capsys.readouterr().out
    store, _ = open_synced_store(data_dir)
    assert store.sched.card(qid) == before
    store.close()
    assert main(["stats", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "Readiness on" in out and "Coverage" in out and "beginner" in out
