"""The background-jobs helper: results on the UI thread, the latest of a kind wins, closed windows get nothing."""

from __future__ import annotations

import threading
import time

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop_app.ui import background


def test_result_and_progress_arrive_on_the_ui_thread(qtbot: QtBot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    ui_thread = threading.get_ident()
    got: list[tuple[str, object, int]] = []

    def work(job: background.Job[str]) -> str:
        for i in range(3):
            job.progress(i + 1, 3)
        return f"done on {threading.get_ident() != ui_thread}"

    background.run(
        owner,
        work,
        lambda r: got.append(("done", r, threading.get_ident())),
        on_progress=lambda d, t: got.append(("progress", (d, t), threading.get_ident())),
    )
    qtbot.waitUntil(lambda: any(kind == "done" for kind, _v, _t in got))
    assert [v for kind, v, _t in got if kind == "progress"] == [(1, 3), (2, 3), (3, 3)]
    assert ("done", "done on True", ui_thread) in got
    assert all(t == ui_thread for _k, _v, t in got)


def test_an_error_is_delivered_not_lost(qtbot: QtBot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    errors: list[BaseException] = []

    def work(_job: background.Job[None]) -> None:
        raise ValueError("disk full")

    background.run(owner, work, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ValueError) and str(errors[0]) == "disk full"


def test_the_latest_job_of_a_key_wins(qtbot: QtBot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    results: list[str] = []

    def slow(job: background.Job[str]) -> str:
        time.sleep(0.3)
        return "old"

    first = background.run(owner, slow, results.append, key="search")
    second = background.run(owner, lambda _job: "new", results.append, key="search")
    qtbot.waitUntil(lambda: not background.busy(), timeout=5000)
    assert results == ["new"] and first.cancelled and not second.cancelled


def test_a_closed_owner_receives_nothing(qtbot: QtBot) -> None:
    owner = QWidget()
    results: list[str] = []
    started = threading.Event()

    def work(_job: background.Job[str]) -> str:
        started.set()
        time.sleep(0.2)
        return "late"

    background.run(owner, work, results.append)
    started.wait(5)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not background.busy(), timeout=5000)
    assert results == []


def test_shutdown_cancels_and_waits(qtbot: QtBot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    loops: list[int] = []

    def work(job: background.Job[int]) -> int:
        while not job.cancelled:
            loops.append(1)
            time.sleep(0.01)
        return len(loops)

    job = background.run(owner, work)
    qtbot.waitUntil(lambda: len(loops) > 2)
    assert background.shutdown(5000) and job.cancelled
