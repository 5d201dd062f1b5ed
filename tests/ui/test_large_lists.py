"""Issue 14: the lazy list behaves like a full one on a bank of thousands of questions: it never reads
every row, and selection, J/K across page boundaries, undo, restoring the last question, filters and
search work as they did when the whole list was read up front."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from bench.common import write_synthetic_bank
from desktop_app.app import create_window
from desktop_app.core.rows import PAGE as ROW_PAGE
from desktop_app.core.store import Store
from desktop_app.core.store.listing import PAGE
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.sidebar import ALL_TOPICS
from tests.ui.helpers import open_window, settle

QUESTIONS = 3000


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A bank of 3,000 questions and a store synced from it once; each test copies the store."""
    tmp = tmp_path_factory.mktemp("large")
    bank = write_synthetic_bank(tmp / "bank", QUESTIONS)
    store = Store.open(tmp / "template" / "mlprep.sqlite3")
    assert store.bank.sync([bank]).added == QUESTIONS
    store.close()
    return bank, tmp / "template" / "mlprep.sqlite3"


@pytest.fixture
def large(synced: tuple[Path, Path], data_dir: Path) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(synced[1], data_dir / "mlprep.sqlite3")
    return synced[0]


def qids_in_view(window: MainWindow) -> list[str]:
    model = window.list_model
    return [model.item(i).qid for i in range(model.rowCount())]  # type: ignore[union-attr]


def current(window: MainWindow) -> str:
    assert window.study is not None and window.study.session.current is not None
    return window.study.session.current.qid


def test_the_first_question_shows_before_the_list_fills_and_only_shown_rows_are_read(
    qtbot: QtBot, data_dir: Path, large: Path
) -> None:
    window = create_window(data_dir, large)
    assert isinstance(window, MainWindow) and window.study is not None
    qtbot.addWidget(window)
    rows_at_first_question: list[int] = []
    window.study.firstShown.connect(lambda: rows_at_first_question.append(window.list_model.rowCount()))
    window.show()
    settle(qtbot, window)
    assert rows_at_first_question == [PAGE], "the first question is on screen with only the first page"
    assert window.list_model.rowCount() == QUESTIONS
    assert window.question_view.toPlainText().strip()
    QApplication.processEvents()
    assert window.list_model.rows.cached() <= PAGE + 2 * ROW_PAGE, "rows are read as they are shown"


def test_j_and_k_walk_the_same_order_as_the_full_list_across_page_boundaries(
    qtbot: QtBot, data_dir: Path, large: Path
) -> None:
    window = open_window(qtbot, data_dir, large)
    window.sidebar.select_topic(ALL_TOPICS)
    settle(qtbot, window)
    assert window.store is not None and window.study is not None
    full = [q.qid for q in window.store.questions.list()]
    assert qids_in_view(window) == full
    window.question_list.setFocus()
    seen = [current(window)]
    for i in range(1, 300):
        if i in (PAGE - 1, PAGE, ROW_PAGE, 2 * ROW_PAGE):  # real key presses where pages meet
            qtbot.keyClick(window.question_list, Qt.Key.Key_J)
        else:
            window.study.next_question()
        seen.append(current(window))
        assert window.question_list.currentIndex().row() == window.study.session.index
    assert seen == full[:300]
    for _ in range(3):
        qtbot.keyClick(window.question_list, Qt.Key.Key_K)
    assert current(window) == full[296]
    qtbot.keyClick(window.question_list, Qt.Key.Key_End)  # the last row is read when it is reached
    assert current(window) == full[-1]
    qtbot.keyClick(window.question_list, Qt.Key.Key_Home)  # Home and End span the list, as in a list
    assert current(window) == full[0]


def test_score_and_undo_deep_in_the_list(qtbot: QtBot, data_dir: Path, large: Path) -> None:
    window = open_window(qtbot, data_dir, large)
    assert window.study is not None and window.store is not None
    study = window.study
    study.session.go_to(1500)
    study.show_current()
    qid = current(window)
    window.question_list.setFocus()
    for k in (Qt.Key.Key_Space, Qt.Key.Key_2):
        qtbot.keyClick(window.question_list, k)
    assert window.store.reviews.last(qid).score == "ok"  # type: ignore[union-attr]
    assert window.list_model.item(1500).last_score == "ok"  # type: ignore[union-attr]
    assert current(window) == window.store.questions.list()[1501].qid
    qtbot.keyClick(window.question_list, Qt.Key.Key_U)
    assert current(window) == qid and study.session.index == 1500
    assert window.list_model.item(1500).last_score is None  # type: ignore[union-attr]
    assert window.store.reviews.all() == []


def test_the_last_question_is_restored_from_past_the_first_page(qtbot: QtBot, data_dir: Path, large: Path) -> None:
    window = open_window(qtbot, data_dir, large)
    assert window.study is not None
    window.study.session.go_to(2500)
    window.study.show_current()
    remembered = current(window)
    window.close()
    assert window.store is not None
    window.store.close()
    again = open_window(qtbot, data_dir, large)
    assert current(again) == remembered
    view = again.question_list
    qtbot.waitUntil(lambda: view.viewport().rect().intersects(view.visualRect(view.currentIndex())))


def test_filters_and_search_show_what_the_full_read_shows(qtbot: QtBot, data_dir: Path, large: Path) -> None:
    window = open_window(qtbot, data_dir, large)
    assert window.store is not None
    store = window.store
    window.level_filter.setCurrentIndex(window.level_filter.findData("advanced"))
    settle(qtbot, window)
    assert qids_in_view(window) == [q.qid for q in store.questions.list(level="advanced")]
    window.sidebar.select_topic("synthetic-4")
    settle(qtbot, window)
    assert qids_in_view(window) == [q.qid for q in store.questions.list(topic_id="synthetic-4", level="advanced")]
    window.level_filter.setCurrentIndex(0)
    window.sidebar.select_topic(ALL_TOPICS)
    settle(qtbot, window)
    kept = current(window)
    window.search_box.setText("model")  # in every question
    settle(qtbot, window)
    assert window.match_label.text() == f"{QUESTIONS:,} questions match"
    assert window.list_model.rowCount() == QUESTIONS
    assert sorted(qids_in_view(window)) == sorted(q.qid for q in store.questions.list())
    window.search_box.clear()
    settle(qtbot, window)
    assert qids_in_view(window) == [q.qid for q in store.questions.list()] and current(window) == kept
    assert not window.match_label.isVisible()
