"""The study window driven from the keyboard with qtbot, checked against what the store recorded."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from desktop_app.app import create_window
from desktop_app.core.store import Store
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.store_error import StoreErrorWindow
from tests.ui.helpers import open_window, settle


def key(
    qtbot: QtBot, window: MainWindow, k: Qt.Key | str, mod: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, k, mod)


def current_qid(window: MainWindow) -> str:
    assert window.study.session.current is not None
    return window.study.session.current.qid


def progress(window: MainWindow) -> str:
    return window.findChild(QLabel, "progressLabel").text()


def test_object_names_and_accessible_names(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    for name in (
        "topicSidebar",
        "questionList",
        "questionView",
        "rubricPanel",
        "searchBox",
        "levelFilter",
        "progressLabel",
    ):
        widget = window.findChild(object, name)
        assert widget is not None, name
        assert widget.accessibleName(), name
    for name in ("scoreWeak", "scoreOk", "scoreStrong", "scoreEasy", "revealButton"):
        button = window.score_bar.findChild(QPushButton, name)
        assert button is not None and button.accessibleName()
    assert window.objectName() == "mainWindow"


def test_keyboard_review_flow_records_scores(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    total = window.store.questions.progress_counts()[1]
    assert f"0 / {total} reviewed" in progress(window)
    first = current_qid(window)
    assert not window.question_view.answer_visible
    key(qtbot, window, Qt.Key.Key_J)
    second = current_qid(window)
    assert second != first
    key(qtbot, window, Qt.Key.Key_K)
    assert current_qid(window) == first
    key(qtbot, window, Qt.Key.Key_Space)
    assert window.question_view.answer_visible
    answer = window.store.questions.get(first).answer
    assert answer.split()[0] in window.question_view.toPlainText()
    key(qtbot, window, Qt.Key.Key_3)  # Strong, then next
    assert current_qid(window) == second and not window.question_view.answer_visible
    key(qtbot, window, Qt.Key.Key_1)  # before the reveal, a score key reveals instead of scoring
    assert window.question_view.answer_visible and len(window.store.reviews.all()) == 1
    key(qtbot, window, Qt.Key.Key_1)  # Weak
    assert [(r.qid, r.score, r.source) for r in window.store.reviews.all()] == [
        (first, "strong", "self"),
        (second, "weak", "self"),
    ]
    assert f"2 / {total} reviewed" in progress(window)
    assert "streak 1 day" in progress(window)
    sidebar_all = window.sidebar.item(1).text()  # item 0 is "Due now"
    assert f"2 / {total} reviewed" in sidebar_all
    key(qtbot, window, Qt.Key.Key_U)  # undo the Weak
    assert current_qid(window) == second
    assert [r.qid for r in window.store.reviews.all()] == [first]
    assert f"1 / {total} reviewed" in progress(window)


def test_score_buttons_record_too(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    first = current_qid(window)
    reveal = window.score_bar.findChild(QPushButton, "revealButton")
    assert reveal.isVisible() and not window.score_bar.findChild(QPushButton, "scoreOk").isVisible()
    qtbot.mouseClick(reveal, Qt.MouseButton.LeftButton)
    ok = window.score_bar.findChild(QPushButton, "scoreOk")
    assert ok.isVisible() and ok.text().startswith("OK") and "min" in ok.text()  # what it does to the schedule
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert window.store.reviews.last(first).score == "ok"


def test_search_box_takes_letters_and_escape_returns(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    key(qtbot, window, Qt.Key.Key_Slash)
    search = window.findChild(QLineEdit, "searchBox")
    assert QApplication.focusWidget() is search
    before = current_qid(window)
    qtbot.keyClicks(search, "gradient j")  # J is "next" elsewhere; here it is just a letter
    assert search.text() == "gradient j"
    qtbot.keyClicks(search, "\b\b")
    settle(qtbot, window)
    assert window.store.reviews.all() == []
    results = [window.list_model.item(i).qid for i in range(window.list_model.rowCount())]
    assert results and all(
        "gradient"
        in window.store.questions.get(q).question.lower()
        + window.store.questions.get(q).answer.lower()
        + " ".join(window.store.questions.get(q).follow_ups).lower()
        + " ".join(window.store.questions.get(q).tags)
        for q in results
    )
    # The question shown is always one of the matches (kept while it still matches, else the best one).
    assert current_qid(window) in results
    assert before not in results or current_qid(window) == before
    key(qtbot, window, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.question_list
    key(qtbot, window, Qt.Key.Key_Space)
    assert window.question_view.answer_visible


def test_level_and_status_filters_and_bookmarks(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    key(qtbot, window, Qt.Key.Key_B)
    bookmarked = current_qid(window)
    assert window.store.notes.is_bookmarked(bookmarked)
    window.status_filter.setCurrentIndex(window.status_filter.findData("bookmarked"))
    settle(qtbot, window)
    assert [window.list_model.item(i).qid for i in range(window.list_model.rowCount())] == [bookmarked]
    window.status_filter.setCurrentIndex(window.status_filter.findData("all"))
    window.level_filter.setCurrentIndex(window.level_filter.findData("advanced"))
    settle(qtbot, window)
    levels = {window.list_model.item(i).level for i in range(window.list_model.rowCount())}
    assert levels == {"advanced"}


def test_topic_sidebar_filters_the_list(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    topic = window.store.questions.topics()[1]
    window.sidebar.select_topic(topic.id)
    settle(qtbot, window)
    assert window.list_model.rowCount() == topic.total
    assert {window.list_model.item(i).topic_id for i in range(window.list_model.rowCount())} == {topic.id}


def test_help_sheet_lists_every_shortcut(qtbot: QtBot, data_dir: Path) -> None:
    from desktop_app.ui.shortcuts import SHORTCUTS

    window = open_window(qtbot, data_dir)
    window.show_help()
    sheet = window._help
    assert sheet is not None and sheet.isVisible()
    text = sheet.findChild(object, "helpText").toPlainText()
    for spec in SHORTCUTS:
        assert spec.description in text
    sheet.close()


def test_settings_and_position_survive_a_restart(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    key(qtbot, window, Qt.Key.Key_J)
    key(qtbot, window, Qt.Key.Key_J)
    remembered = current_qid(window)
    window.view.zoom_in()
    window.study.toggle_always_show()
    window.level_filter.setCurrentIndex(0)
    window.resize(781, 590)  # within the offscreen screen (800 x 600), which restoreGeometry clamps to
    window.close()
    window.store.close()
    again = open_window(qtbot, data_dir)
    assert current_qid(again) == remembered
    assert again.view is not None and again.study is not None
    assert again.view.zoom_steps == 1 and again.study.always_show
    assert again.question_view.answer_visible
    assert again.width() == 781 and abs(again.height() - 590) < 40  # the offscreen frame adds a title-bar margin


def test_note_is_saved_and_escape_leaves_the_editor(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    qid = current_qid(window)
    key(qtbot, window, Qt.Key.Key_N)
    assert QApplication.focusWidget() is window.rubric_panel.note_edit
    qtbot.keyClicks(window.rubric_panel.note_edit, "jk 123 watch the bias term")
    assert window.store.reviews.all() == []  # the digit and letter keys typed text, they did not score
    key(qtbot, window, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is window.question_list
    assert window.store.notes.note(qid) == "jk 123 watch the bias term"


def test_theme_cycle_and_zoom(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    size = window.question_view.font().pointSizeF()
    key(qtbot, window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.question_view.font().pointSizeF() > size
    key(qtbot, window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.question_view.font().pointSizeF() == pytest.approx(size)
    window.view.theme = "light"
    window.view.cycle_theme()
    assert window.view.theme == "dark" and window.question_view.dark
    assert QApplication.palette().base().color().lightness() < 100
    window.view.cycle_theme()
    assert window.view.theme == "system"


def test_raw_html_in_content_is_shown_as_text(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    from desktop_app.core.bank import Question, Rubric

    window = open_window(qtbot, data_dir)
    q = Question(
        "x",
        "t",
        "<b>bold?</b>",
        "beginner",
        "<img src='http://example.invalid/a.png'> `a<b`",
        ("f",),
        Rubric(("s",), "o", "w"),
    )
    window.question_view.show_question(q, "T", revealed=True)
    text = window.question_view.toPlainText()
    assert "<b>bold?</b>" in text and "<img src=" in text and "a<b" in text


def test_corrupt_store_shows_a_message_window(qtbot: QtBot, data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    db = data_dir / "mlprep.sqlite3"
    db.write_bytes(b"garbage" * 1000)
    window = create_window(data_dir)
    qtbot.addWidget(window)
    assert isinstance(window, StoreErrorWindow)
    message = window.findChild(QLabel, "storeErrorMessage").text()
    assert str(db) in message and "left untouched" in message
    assert db.read_bytes() == b"garbage" * 1000


def test_focus_never_sticks_in_a_button(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    qtbot.mouseClick(window.rubric_panel.findChild(QPushButton, "bookmarkButton"), Qt.MouseButton.LeftButton)
    assert QApplication.focusWidget() is window.question_list
    before = current_qid(window)
    key(qtbot, window, Qt.Key.Key_Space)
    assert window.question_view.answer_visible and current_qid(window) == before


def test_store_is_a_real_file_in_the_data_dir(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    key(qtbot, window, Qt.Key.Key_Space)
    key(qtbot, window, Qt.Key.Key_2)
    window.close()
    window.store.close()
    store = Store.open(data_dir / "mlprep.sqlite3")
    assert [r.score for r in store.reviews.all()] == ["ok"]
    store.close()


def test_a_store_found_damaged_after_the_window_opens_is_refused_and_never_written(
    qtbot: QtBot, data_dir: Path
) -> None:
    from desktop_app.synced_store import open_synced_store
    from desktop_app.ui.store_error import StoreErrorWindow
    from tests.conftest import damage_interior_page

    store, _ = open_synced_store(data_dir)
    store.reviews.record(store.questions.list()[0].qid, "ok")
    store.close()
    damaged = damage_interior_page(data_dir / "mlprep.sqlite3")
    window = create_window(data_dir)
    qtbot.addWidget(window)
    if isinstance(window, MainWindow):  # the damage is found by the background check
        with qtbot.waitSignal(window.storeDamaged, timeout=10_000):
            pass
        refusal = window._refusal  # type: ignore[attr-defined]
        qtbot.addWidget(refusal)
    else:  # or while the bank sync read the damaged page
        refusal = window
    assert isinstance(refusal, StoreErrorWindow) and "is damaged" in refusal.message
    if isinstance(window, MainWindow) and window.store is not None:
        window.store.close()
    assert (data_dir / "mlprep.sqlite3").read_bytes() == damaged


def test_a_score_and_a_note_that_cannot_be_saved_stay_in_a_banner_until_they_are(qtbot: QtBot, data_dir: Path) -> None:
    """Issue 12: with another program holding the write lock, scores and notes used to vanish silently."""
    from tests.conftest import LockHolder

    window = open_window(qtbot, data_dir)
    assert window.store is not None and window.study is not None
    first = current_qid(window)
    key(qtbot, window, Qt.Key.Key_Space)
    holder = LockHolder(data_dir / "mlprep.sqlite3")
    try:
        key(qtbot, window, Qt.Key.Key_3)
        banner = window.problems
        assert banner.isVisible() and "Your Strong score was not saved" in banner.label.text()
        assert "locked by another program" in banner.label.text()
        assert current_qid(window) == first, "a score that did not land does not move on"
        # A note typed meanwhile: it is kept even when the user moves to another question.
        window.study.edit_note()
        qtbot.keyClicks(window.rubric_panel.note_edit, "my note")
        key(qtbot, window, Qt.Key.Key_Escape)
        assert "2 changes waiting" in banner.label.text()
    finally:
        holder.release()
    qtbot.mouseClick(banner.retry_button, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()
    assert [(r.qid, r.score) for r in window.store.reviews.all()] == [(first, "strong")]
    assert window.store.notes.note(first) == "my note"
    assert current_qid(window) != first, "the retried score moves on as a score does"


def test_a_full_store_is_reported_and_retried_on_its_own(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    store = window.store
    assert store is not None
    import sqlite3

    import peewee

    pages = store.execute("PRAGMA page_count")[0][0]
    store.execute(f"PRAGMA max_page_count = {pages + 2}")  # SQLite's own 'database or disk is full'
    store.execute("CREATE TABLE filler (x BLOB)")
    try:
        for _ in range(1000):  # use up every free byte the limit allows
            store.execute("INSERT INTO filler VALUES (randomblob(2000))")
    except (peewee.DatabaseError, sqlite3.Error):
        pass
    for _ in range(400):  # the free room left in the pages a score touches fills up within a few dozen
        key(qtbot, window, Qt.Key.Key_Space)
        key(qtbot, window, Qt.Key.Key_1)
        if window.problems.isVisible():
            break
    assert window.problems.isVisible() and "is full" in window.problems.label.text()
    store.execute("DROP TABLE filler")
    store.execute("PRAGMA max_page_count = 1000000000")
    qtbot.waitUntil(lambda: not window.problems.isVisible(), timeout=10_000)  # the automatic retry
    assert any(r.score == "weak" for r in store.reviews.all())


def test_a_first_sync_runs_off_the_ui_thread_with_a_progress_bar(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    """Issue 14: the window loads a new bank on a worker thread, showing how far it got, then studies it."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QProgressBar

    from bench.common import write_synthetic_bank
    from desktop_app.app import load_window

    bank = write_synthetic_bank(tmp_path / "bank", 2000)
    window = MainWindow(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    refused: list[str] = []
    seen: list[tuple[int | None, int, bool, str]] = []
    real = window.sync_progress

    def watch(done: int | None, total: int = 1000) -> None:  # the real method, with a record of each call
        real(done, total)
        bar = window.findChild(QProgressBar, "syncProgress")
        seen.append((done, total, bar is not None and bar.isVisible(), window.question_view.toPlainText()))

    window.sync_progress = watch  # type: ignore[method-assign]
    load_window(window, data_dir, bank, refused.append)
    qtbot.waitUntil(lambda: window.study is not None, timeout=30_000)
    settle(qtbot, window)
    assert refused == [] and window.list_model.rowCount() == 2000
    values = [done for done, _total, _bar, _text in seen if done is not None]
    assert len(values) >= 3 and values == sorted(values) and values[-1] >= 800, "the bar only moves forward"
    assert all(bar and "read into your store once" in text for done, _t, bar, text in seen if done is not None)
    assert seen[-1][0] is None, "the bar goes when the bank is ready"
    assert window.findChild(QProgressBar, "syncProgress") is None
