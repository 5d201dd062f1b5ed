"""What the window tests share: open the real window on a data dir, and wait for its list to arrive."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop_app.app import create_window
from desktop_app.ui.main_window import MainWindow


def open_window(qtbot: QtBot, data_dir: Path, bank: Path | None = None) -> MainWindow:
    window = create_window(data_dir, bank)
    assert isinstance(window, MainWindow) and window.study is not None
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    settle(qtbot, window)
    return window


def settle(qtbot: QtBot, window: MainWindow) -> None:
    """Wait until the list the window last asked for is all there (the list reader answers on its own
    thread; an action that changes the list marks it unsettled at once)."""
    study = window.study
    assert study is not None
    qtbot.waitUntil(lambda: study.settled, timeout=10_000)
