"""The "Your data" menu's actions apart from the window: backups and moving progress between computers.

Each one runs as a background job (ui/background.py) and reports in the status bar; the files themselves
are made and read by core/backup.py and core/progress_io.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from datetime import timedelta
    from pathlib import Path

    from PySide6.QtWidgets import QWidget

    from desktop_app.core.backup import Backup
    from desktop_app.core.progress_io import ProgressCounts
    from desktop_app.core.store import Store


class DataActions(QObject):
    """Owner of the Your data menu's actions (see ui/shortcuts.py)."""

    def __init__(
        self,
        store: Store,
        window: QWidget,
        show_message: Callable[[str, int], None],
        after_merge: Callable[[], None],
    ):
        super().__init__(window)
        self.store = store
        self.window = window
        self._show_message = show_message
        self._after_merge = after_merge  # a merged progress file changes what is due
        self.last_backup: Backup | None = None
        self.last_progress: ProgressCounts | None = None

    def backup_if_due(self, every: timedelta) -> None:
        """A checked backup of the store on a worker thread when the newest is older than `every`."""
        from datetime import datetime

        from desktop_app.core.backup import due

        if due(self.store.path.parent / "backups", datetime.now(), every):
            self.backup_now(quiet=True)

    def backup_now(self, quiet: bool = False) -> None:
        from desktop_app.core.backup import make_backup
        from desktop_app.ui import background

        store = self.store

        def done(backup: Backup) -> None:
            self.last_backup = backup
            if not quiet:
                self._show_message(f"Backed up to {backup.path} (checked).", 6000)

        background.run(
            self.window,
            lambda _job: make_backup(store.path, store.path.parent / "backups"),
            done,
            lambda exc: self._show_message(f"The backup failed: {exc}", 10000),
            key="backup",
        )

    def export_progress(self, path: Path | None = None) -> None:
        """Reviews, bookmarks, notes, mocks and settings into one JSON file, to merge on another computer."""
        from desktop_app.core.progress_io import export_progress

        self._move_progress(path, export_progress, "Exported", "The export")

    def import_progress(self, path: Path | None = None) -> None:
        """Merge a progress file from another computer; importing the same file twice adds nothing."""
        from desktop_app.core.progress_io import import_progress

        self._move_progress(path, import_progress, "Merged", "The import")

    def _move_progress(
        self, path: Path | None, move: Callable[[Store, Path], ProgressCounts], verb: str, what: str
    ) -> None:
        from pathlib import Path as _Path

        from PySide6.QtWidgets import QFileDialog

        from desktop_app.ui import background

        store = self.store
        if path is None:
            if verb == "Exported":
                chosen, _ = QFileDialog.getSaveFileName(
                    self.window, "Export your progress", "mlprep-progress.json", "*.json"
                )
            else:
                chosen, _ = QFileDialog.getOpenFileName(
                    self.window, "Import progress", "", "JSON (*.json);;All files (*)"
                )
            if not chosen:
                return
            path = _Path(chosen)
        target = path

        def work(_job: background.Job[ProgressCounts]) -> ProgressCounts:
            with store.thread_connection():
                return move(store, target)

        def done(c: ProgressCounts) -> None:
            self.last_progress = c
            self._show_message(
                f"{verb}: {c.reviews} reviews, {c.bookmarks} bookmarks, {c.notes} notes, "
                f"{c.mock_sessions} mock interviews, {c.code_attempts} coding runs.",
                8000,
            )
            if verb == "Merged":
                self._after_merge()

        background.run(
            self.window, work, done, lambda exc: self._show_message(f"{what} failed: {exc}", 12000), key="progress"
        )
