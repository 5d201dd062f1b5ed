"""Start-up: `mlprep` opens the window; its subcommands (cli.py) and --smoke-test (smoke.py) need no screen.

Qt is imported only on the paths that show something, so `mlprep validate` stays quick.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app import __version__
from desktop_app.cli import BACKUPS_DIR, EXIT_OK, EXIT_PROBLEMS, EXIT_STORE, build_parser, cmd_validate, run_command
from desktop_app.paths import default_data_dir, resource_path
from desktop_app.synced_store import open_synced_store, sync_bank

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from desktop_app.core.bank import Problem
    from desktop_app.core.store import Store, SyncReport

BACKUP_ON_CLOSE_EVERY_MIN = 30  # a backup when the window closes, at most one per this much study
BACKUP_DAILY_HOURS = 24


def _settings(data_dir: Path):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings

    return QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat)


def create_window(data_dir: Path, bank: Path | None = None) -> QMainWindow:
    """The window `mlprep` shows, with its store, but not shown and without entering the event loop; its
    list arrives from the list reader once the event loop runs (`settle` waits for it).

    A store that cannot be opened gives a window that says why, instead of a crash.
    """
    from desktop_app.core.store import StoreError
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.store_error import StoreErrorWindow

    try:
        store, report = open_synced_store(data_dir, verify=False, bank=bank)
    except StoreError as exc:
        return StoreErrorWindow(str(exc), data_dir, offer_restore=_restorable(str(exc)))
    from desktop_app.simulator.keys import KeyStore

    window = MainWindow(_settings(data_dir), KeyStore())
    window.bank = bank
    refusal = _attach(window, store, report.problems, data_dir)
    return refusal if refusal is not None else window


def _restorable(message: str) -> bool:
    """Whether a refusal is about damage, where the newest good backup is worth offering (not a lock, a
    newer version or a folder in the way: a backup would not help with those)."""
    return "damaged" in message


def _attach(
    window: QMainWindow,
    store: Store,
    problems: list[Problem],
    data_dir: Path,
    reopen: Callable[[], None] | None = None,
) -> QMainWindow | None:
    """Give the window its store. A damaged page can break a read before the background integrity check
    answers: then the check runs now and the store is refused (nothing was written: writes wait for it)."""
    import sqlite3

    import peewee

    window.storeDamaged.connect(lambda message: _refuse_damaged(window, message, data_dir, reopen))  # type: ignore[attr-defined]
    try:
        window.attach(store, problems)  # type: ignore[attr-defined]
    except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
        message = store.verdict(timeout=60) or f"{store.path} could not be read ({exc})."
        store.close()
        window.store = None  # type: ignore[attr-defined]
        return _refuse_damaged(window, message, data_dir, reopen)
    return None


def _release(window: QMainWindow) -> None:
    """Let go of a refused store (its list reader, then the store), so a backup can be put in its place."""
    study = getattr(window, "study", None)
    if study is not None:
        study.close()
    store = getattr(window, "store", None)
    if store is not None:
        store.close()
        window.store = None  # type: ignore[attr-defined]


def _refuse_damaged(
    window: QMainWindow, message: str, data_dir: Path, reopen: Callable[[], None] | None = None
) -> QMainWindow:
    """The integrity check found damage after the window opened: nothing was written (writes wait for the
    check); the window gives way to one that says what happened and offers the newest good backup."""
    from desktop_app.ui.store_error import StoreErrorWindow

    print(message, file=sys.stderr)
    refusal = StoreErrorWindow(message, data_dir, offer_restore=True, release=lambda: _release(window), reopen=reopen)
    refusal.show()
    window.hide()  # hidden, not closed: closing would save its state over the settings
    window._refusal = refusal  # type: ignore[attr-defined]  # kept alive with the window
    return refusal


def _make_app(argv: list[str]):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
    app.setApplicationName("MLPrep")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("MLPrep")
    icon = resource_path("resources") / "icons" / "mlprep.png"
    if icon.exists():
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(icon)))
    return app


def settle(window: QMainWindow, timeout: float = 60.0) -> bool:
    """Run the event loop until the window's question list is all there (for the smoke test, scripts and
    benchmarks; the app itself never waits)."""
    from PySide6.QtWidgets import QApplication

    study = getattr(window, "study", None)
    deadline = time.monotonic() + timeout
    while study is not None and not study.settled and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.002)
    return study is None or bool(study.settled)


def load_window(
    window: QMainWindow,
    data_dir: Path,
    bank: Path | None,
    refuse: Callable[[str], None],
    loaded: Callable[[], None] | None = None,
    reopen: Callable[[], None] | None = None,
) -> None:
    """Open the store (on this thread: quick, unless it is being upgraded), then sync the bank on a worker
    thread with the window's progress bar, then give the window its store. `refuse(message)` is called
    instead when the store cannot be opened or read."""
    from desktop_app.core.store import StoreError, open_store
    from desktop_app.core.store.banksync import overall
    from desktop_app.ui import background

    try:
        store = open_store(data_dir, verify=False)
    except StoreError as exc:
        refuse(str(exc))
        return
    window.build()  # type: ignore[attr-defined]
    window.bank = bank  # type: ignore[attr-defined]

    def work(job: background.Job[SyncReport]) -> SyncReport:
        with store.thread_connection():
            return sync_bank(store, bank, lambda stage, done, total: job.progress(overall(stage, done, total), 1000))

    def synced(report: SyncReport) -> None:
        window.sync_progress(None)  # type: ignore[attr-defined]
        if _attach(window, store, report.problems, data_dir, reopen) is None and loaded is not None:
            loaded()

    def failed(exc: BaseException) -> None:
        window.sync_progress(None)  # type: ignore[attr-defined]
        store.close()
        refuse(str(exc))

    background.run(window, work, synced, failed, window.sync_progress)  # type: ignore[attr-defined]


def run_gui(data_dir: Path, bank: Path | None = None) -> int:
    """Show the window first, then open the store, then sync the bank on a worker thread (with a progress
    bar, for a large first sync): the first paint waits for no disk or database work."""
    from datetime import timedelta

    from PySide6.QtCore import QTimer

    from desktop_app.ui import background
    from desktop_app.ui.main_window import MainWindow

    app = _make_app(sys.argv[:1])
    from desktop_app.simulator.keys import KeyStore

    window: QMainWindow = MainWindow(_settings(data_dir), KeyStore())
    if os.environ.get("MLPREP_EXIT_AFTER_FIRST_PAINT"):
        _exit_after_first_paint(app, window)
    window.show()

    def refuse(message: str) -> None:
        nonlocal window
        from desktop_app.ui.store_error import StoreErrorWindow

        print(message, file=sys.stderr)
        shell, window = window, StoreErrorWindow(message, data_dir, offer_restore=_restorable(message), reopen=start)
        window.show()
        shell.hide()  # hidden, not closed: closing would save its empty state over the settings

    def start() -> None:
        """A new window on the store (after a backup was restored in place of a damaged one)."""
        nonlocal window
        window = MainWindow(_settings(data_dir), KeyStore())
        window.show()
        _after_first_paint(window, load)

    def loaded() -> None:
        window.backup_if_due(timedelta(hours=BACKUP_DAILY_HOURS))  # type: ignore[attr-defined]
        # For bench/startup.py: the time the first question was painted, then quit (or, with "stay", say
        # when the whole list is there and keep running, for a reading of idle memory).
        mode = os.environ.get("MLPREP_EXIT_AFTER_LOADED")
        if mode:
            study = window.study  # type: ignore[attr-defined]

            def painted() -> None:
                print(f"loaded {time.time():.6f}", flush=True)
                if mode != "stay":
                    app.quit()

            study.firstShown.connect(lambda: _after_first_paint(window, painted))
            if mode == "stay":
                study.listSettled.connect(lambda: print(f"settled {time.time():.6f}", flush=True))
        QTimer.singleShot(50, window.warm_up)  # type: ignore[attr-defined]

    def load() -> None:
        load_window(window, data_dir, bank, refuse, loaded, start)

    _after_first_paint(window, load)
    _report_database_errors(lambda: window)
    code = app.exec()

    background.shutdown()  # stop, then wait: no job may outlive the store it uses
    study = getattr(window, "study", None)
    if study is not None:
        study.close()
    store = getattr(window, "store", None)
    if store is not None:
        backup_on_close(store)
        store.close()
    return int(code)


def backup_on_close(store: Store) -> None:
    """A checked backup when the app closes, at most one per half hour of study; the window is gone by now,
    so it holds nothing up. A failed backup is reported and never blocks the exit."""
    from datetime import datetime, timedelta

    from desktop_app.core.backup import BackupError, due, make_backup

    folder = store.path.parent / BACKUPS_DIR
    if store.damaged or not due(folder, datetime.now(), timedelta(minutes=BACKUP_ON_CLOSE_EVERY_MIN)):
        return
    try:
        make_backup(store.path, folder)
    except BackupError as exc:
        print(f"MLPrep could not back up your progress on closing: {exc}", file=sys.stderr)


def _report_database_errors(current_window) -> None:  # type: ignore[no-untyped-def]
    """A database error raised in a Qt slot (a page that broke during the session) would only print a
    traceback: check the store now, and refuse it in the window if it is damaged."""

    def hook(exc_type, exc, tb):  # type: ignore[no-untyped-def]
        import sqlite3  # here: installed before the first paint, which must not wait for these imports

        import peewee

        window = current_window()
        store = getattr(window, "store", None)
        if issubclass(exc_type, (peewee.DatabaseError, sqlite3.DatabaseError)) and store is not None:
            problem = store.verify()
            if problem is not None:
                window.storeDamaged.emit(problem)
                return
            window.statusBar().showMessage(f"Reading your progress failed: {exc}. Nothing was changed.", 8000)
            return
        sys.__excepthook__(exc_type, exc, tb)

    sys.excepthook = hook


def _after_first_paint(window, callback) -> None:  # type: ignore[no-untyped-def]
    """Run callback once the window has painted (a zero timer alone can fire before the paint)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Once(QObject):
        def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]
            if event.type() == QEvent.Type.Paint:
                window.removeEventFilter(self)
                QTimer.singleShot(0, callback)
            return False

    window._first_paint_hook = Once(window)  # kept alive by the window
    window.installEventFilter(window._first_paint_hook)


def _exit_after_first_paint(app, window) -> None:  # type: ignore[no-untyped-def]
    """For bench/startup.py: print the wall-clock time of the first paint, then quit."""
    from PySide6.QtCore import QEvent, QObject

    class Filter(QObject):
        def eventFilter(self, obj, event):  # type: ignore[no-untyped-def]
            if event.type() == QEvent.Type.Paint and not getattr(self, "done", False):
                self.done = True
                print(f"first-paint {time.time():.6f}", flush=True)
                app.quit()
            return False

    window._paint_filter = Filter(window)  # kept alive by the window
    window.installEventFilter(window._paint_filter)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--run-tests"]:
        # The code runner's mode: the frozen app has no separate python, so it runs itself as the child
        # that executes the user's code (core/coderun.py starts it). Only the harness and its isolation
        # module are imported here.
        from desktop_app.core import harness

        return harness.main(argv[1:])
    args = build_parser().parse_args(argv)
    given = getattr(args, "data_dir", None)
    data_dir = given.expanduser() if given else default_data_dir()
    bank = getattr(args, "bank", None) or (
        Path(os.environ["MLPREP_BANK_DIR"]) if os.environ.get("MLPREP_BANK_DIR") else None
    )
    if bank is not None and not bank.expanduser().exists():
        print(f"mlprep: the question bank {bank} does not exist (from --bank or $MLPREP_BANK_DIR).", file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        return _dispatch(args, data_dir, bank.expanduser() if bank else None)
    except BrokenPipeError:
        # `mlprep stats | head`: the reader left early. End quietly, and keep Python from complaining
        # again when it flushes stdout at exit (the recipe in Python's signal documentation).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def _dispatch(args: argparse.Namespace, data_dir: Path, bank: Path | None) -> int:
    if args.command == "validate":
        return cmd_validate(args.paths)
    if args.command is None and not args.smoke_test:
        return run_gui(data_dir, bank)  # the window paints before the store's modules are even imported
    import sqlite3

    import peewee

    from desktop_app.core.store import StoreError

    try:
        if args.command is not None:
            return run_command(args, data_dir, bank)
        from desktop_app.smoke import smoke_test

        return smoke_test(data_dir, bank)
    except (StoreError, peewee.DatabaseError, sqlite3.Error) as exc:
        # A store that breaks while a command reads it: say so, never a traceback.
        print(f"{data_dir / 'mlprep.sqlite3'}: {exc}. The file was left as it was.", file=sys.stderr)
        return EXIT_STORE


if __name__ == "__main__":
    raise SystemExit(main())
