"""Command line and start-up: `mlprep` opens the window; validate, stats and --smoke-test need no screen.

Qt is imported only on the paths that show something, so `mlprep validate` stays quick.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app import __version__
from desktop_app.paths import default_data_dir, resource_path

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from desktop_app.core.store import Store, SyncReport

EXIT_OK, EXIT_PROBLEMS, EXIT_STORE = 0, 1, 2


def bank_paths() -> list[Path]:
    return [resource_path("question_data")]


def open_synced_store(data_dir: Path) -> tuple[Store, SyncReport]:
    """Open the user's store and bring it up to date with the shipped bank; raises StoreError."""
    from desktop_app.core.store import open_store

    store = open_store(data_dir)
    report = store.bank.sync(bank_paths())
    return store, report


def _settings(data_dir: Path):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings

    return QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat)


def create_window(data_dir: Path) -> QMainWindow:
    """The window `mlprep` shows, loaded, but not shown and without entering the event loop.

    A store that cannot be opened gives a window that says why, instead of a crash.
    """
    from desktop_app.core.store import StoreError
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.store_error import StoreErrorWindow

    try:
        store, report = open_synced_store(data_dir)
    except StoreError as exc:
        return StoreErrorWindow(str(exc))
    from desktop_app.simulator.keys import KeyStore

    window = MainWindow(_settings(data_dir), KeyStore())
    window.attach(store, report.problems)
    return window


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


def run_gui(data_dir: Path) -> int:
    """Show the window first, then open the store: the first paint waits for no disk or database work."""
    from PySide6.QtCore import QTimer

    from desktop_app.ui.main_window import MainWindow

    app = _make_app(sys.argv[:1])
    from desktop_app.simulator.keys import KeyStore

    window: QMainWindow = MainWindow(_settings(data_dir), KeyStore())
    if os.environ.get("MLPREP_EXIT_AFTER_FIRST_PAINT"):
        _exit_after_first_paint(app, window)
    window.show()

    def load() -> None:
        nonlocal window
        from desktop_app.core.store import StoreError
        from desktop_app.ui.store_error import StoreErrorWindow

        try:
            store, report = open_synced_store(data_dir)
        except StoreError as exc:
            print(exc, file=sys.stderr)
            shell, window = window, StoreErrorWindow(str(exc))
            window.show()
            shell.hide()  # hidden, not closed: closing would save its empty state over the settings
            return
        window.attach(store, report.problems)  # type: ignore[attr-defined]
        if os.environ.get("MLPREP_EXIT_AFTER_LOADED"):  # for bench/startup.py
            _after_first_paint(window, lambda: (print(f"loaded {time.time():.6f}", flush=True), app.quit()))
            window.update()
        QTimer.singleShot(50, window.warm_up)  # type: ignore[attr-defined]

    _after_first_paint(window, load)
    code = app.exec()
    store = getattr(window, "store", None)
    if store is not None:
        store.close()
    return int(code)


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


def smoke_test(data_dir: Path) -> int:
    """Everything a frozen or installed app needs, without showing a window; packaging relies on it."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop_app.ui.main_window import MainWindow

    app = _make_app(sys.argv[:1])
    window = create_window(data_dir)
    if not isinstance(window, MainWindow):
        print(f"smoke test failed: {window.message}", file=sys.stderr)  # type: ignore[attr-defined]
        return EXIT_STORE
    store = window.store
    assert store is not None
    reviewed, total = store.questions.progress_counts()
    rendered = window.question_view.toPlainText().strip()
    store.close()
    app.processEvents()
    if window.bank_problems:
        for p in window.bank_problems:
            print(p, file=sys.stderr)
        return EXIT_PROBLEMS
    if total == 0 or not rendered:
        print("smoke test failed: no question was rendered", file=sys.stderr)
        return EXIT_PROBLEMS
    sdk = _probe_interviewer(app)
    if sdk is None:
        return EXIT_PROBLEMS
    print(f"smoke test ok: {total} questions, {reviewed} reviewed, anthropic {sdk} in the worker, data in {data_dir}")
    return EXIT_OK


def _probe_interviewer(app) -> str | None:  # type: ignore[no-untyped-def]
    """The mock interview's path: a worker thread that imports the SDK (bundled apps must carry it)."""
    from desktop_app.simulator.keys import KeyStore
    from desktop_app.simulator.requests import Request
    from desktop_app.simulator.vocab import RequestKind
    from desktop_app.ui.interviewer import WorkerHost

    host = WorkerHost(KeyStore())
    result: list[object] = []
    host.worker.done.connect(lambda _id, value: result.append(value))
    host.worker.failed.connect(lambda _id, kind, message, _p: result.append(RuntimeError(f"{kind}: {message}")))
    host.submit(Request(RequestKind.PROBE))
    deadline = time.monotonic() + 60
    while not result and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    host.shutdown()
    if not result or isinstance(result[0], Exception):
        print(
            f"smoke test failed: the interviewer's SDK did not load ({result[0] if result else 'timed out'})",
            file=sys.stderr,
        )
        return None
    return str(result[0])


def cmd_validate(paths: list[str]) -> int:
    from desktop_app.core.bank import load_bank

    bank, problems = load_bank([Path(p) for p in paths])
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"OK: {len(bank.topics)} topics, {len(bank.questions)} questions.")
    return EXIT_OK


def _cli_store(data_dir: Path) -> Store | None:
    """The store for a command, or None after printing why it cannot be opened."""
    from desktop_app.core.store import StoreError

    try:
        return open_synced_store(data_dir)[0]
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return None


def cmd_stats(data_dir: Path) -> int:
    store = _cli_store(data_dir)
    if store is None:
        return EXIT_STORE
    try:
        from desktop_app.core import dashboard

        print(dashboard.scores_table(store))
        print(f"Study streak: {dashboard.days(store.sched.streak())}")
        print()
        print(dashboard.readiness_table(dashboard.build(store)))
    finally:
        store.close()
    return EXIT_OK


def cmd_rebuild(data_dir: Path) -> int:
    store = _cli_store(data_dir)
    if store is None:
        return EXIT_STORE
    try:
        started = time.perf_counter()
        store.sched.rebuild()
        reviews = len(store.reviews.all())
        print(f"Rebuilt the schedule from {reviews:,} reviews in {time.perf_counter() - started:.1f} s.")
    finally:
        store.close()
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    # --data-dir is accepted before or after the subcommand; SUPPRESS keeps one from erasing the other.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help="where your progress is stored (default: $MLPREP_DATA_DIR, else the platform's user data folder)",
    )
    parser = argparse.ArgumentParser(
        prog="mlprep", description="Study for machine-learning interviews.", parents=[common]
    )
    parser.add_argument("--version", action="version", version=f"mlprep {__version__}")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="start without showing a window, render the first question, exit 0 if all is well",
    )
    sub = parser.add_subparsers(dest="command")
    validate = sub.add_parser("validate", help="check question-bank TOML files or folders")
    validate.add_argument("paths", nargs="+", metavar="PATH")
    sub.add_parser("stats", parents=[common], help="print progress, score counts and readiness per topic")
    sub.add_parser("rebuild-schedule", parents=[common], help="recompute spaced-repetition state from the review log")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    given = getattr(args, "data_dir", None)
    data_dir = given.expanduser() if given else default_data_dir()
    try:
        return _dispatch(args, data_dir)
    except BrokenPipeError:
        # `mlprep stats | head`: the reader left early. End quietly, and keep Python from complaining
        # again when it flushes stdout at exit (the recipe in Python's signal documentation).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


def _dispatch(args: argparse.Namespace, data_dir: Path) -> int:
    if args.command == "validate":
        return cmd_validate(args.paths)
    if args.command == "stats":
        return cmd_stats(data_dir)
    if args.command == "rebuild-schedule":
        return cmd_rebuild(data_dir)
    if args.smoke_test:
        return smoke_test(data_dir)
    return run_gui(data_dir)


if __name__ == "__main__":
    raise SystemExit(main())
