"""Issue 15: backups from the window (now, daily, on close) and the newest good backup offered when the
store is found damaged at start, on the real store files."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.app import backup_on_close, create_window
from desktop_app.core.backup import list_backups
from desktop_app.synced_store import open_synced_store
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.store_error import StoreErrorWindow
from tests.conftest import damage_interior_page
from tests.ui.helpers import open_window


def test_back_up_now_and_daily_from_the_window(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    assert window.store is not None
    qtbot.keyClick(
        window.question_list, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: window.last_backup is not None, timeout=15_000)
    backups = list_backups(data_dir / "backups")
    assert len(backups) == 1 and "checked" in window.statusBar().currentMessage()
    window.backup_if_due(timedelta(hours=24))  # one was just made: not due
    time.sleep(0.2)
    assert len(list_backups(data_dir / "backups")) == 1


def test_a_backup_on_close_at_most_every_half_hour(data_dir: Path) -> None:
    store, _ = open_synced_store(data_dir)
    backup_on_close(store)
    backup_on_close(store)  # minutes later: not again
    store.close()
    assert len(list_backups(data_dir / "backups")) == 1


def test_a_damaged_store_at_start_offers_the_newest_good_backup(qtbot: QtBot, data_dir: Path) -> None:
    store, _ = open_synced_store(data_dir)
    qid = store.questions.list()[0].qid
    store.reviews.record(qid, "ok")
    backup_on_close(store)  # the backup has one review
    store.reviews.record(qid, "strong")
    store.close()
    damaged = damage_interior_page(data_dir / "mlprep.sqlite3")
    window = create_window(data_dir)
    qtbot.addWidget(window)
    if isinstance(window, MainWindow):  # found by the background check after the window opened
        with qtbot.waitSignal(window.storeDamaged, timeout=10_000):
            pass
        refusal = window._refusal  # type: ignore[attr-defined]
        qtbot.addWidget(refusal)
    else:
        refusal = window
    assert isinstance(refusal, StoreErrorWindow) and refusal.restore_button is not None
    assert "Restore the backup of" in refusal.restore_button.text()
    qtbot.mouseClick(refusal.restore_button, Qt.MouseButton.LeftButton)
    assert "Restored your progress" in refusal.outcome.text() and "damaged store is kept" in refusal.outcome.text()
    kept = list((data_dir / "backups").glob("damaged-*.sqlite3"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged, "the damaged store is kept as it was"
    again, _ = open_synced_store(data_dir)
    assert [(r.qid, r.score) for r in again.reviews.all()] == [(qid, "ok")]
    again.close()


def test_no_backup_no_offer(qtbot: QtBot, data_dir: Path) -> None:
    store, _ = open_synced_store(data_dir)
    store.close()
    damage_interior_page(data_dir / "mlprep.sqlite3")
    window = create_window(data_dir)
    qtbot.addWidget(window)
    if isinstance(window, MainWindow):
        with qtbot.waitSignal(window.storeDamaged, timeout=10_000):
            pass
        window = window._refusal  # type: ignore[attr-defined]
        qtbot.addWidget(window)
    assert isinstance(window, StoreErrorWindow) and window.restore_button is None
