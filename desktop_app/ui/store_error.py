"""Shown instead of the main window when the store cannot be opened or is damaged: says why, changes nothing,
and offers what the user can do: restore the newest good backup (the damaged file is kept), or open the
data folder to move the file aside."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QPushButton, QVBoxLayout, QWidget

from desktop_app.ui.sidebar import plain_tooltip

if TYPE_CHECKING:
    from desktop_app.core.backup import Backup


class StoreErrorWindow(QMainWindow):
    def __init__(
        self,
        message: str,
        data_dir: Path | None = None,
        parent: QWidget | None = None,
        offer_restore: bool = False,
        release: Callable[[], None] | None = None,
        reopen: Callable[[], None] | None = None,
    ):
        """`release` closes whatever still holds the damaged store (restore needs it closed); `reopen` starts
        the app again on the restored store."""
        super().__init__(parent)
        self.message = message
        self.data_dir = data_dir
        self._release = release
        self._reopen = reopen
        self.backup: Backup | None = None
        if offer_restore and data_dir is not None:
            from desktop_app.core.backup import latest_good

            self.backup = latest_good(data_dir / "backups")
        self.setObjectName("storeErrorWindow")
        self.setWindowTitle("MLPrep cannot open your progress")
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(24, 20, 24, 20)
        heading = QLabel("<h2>MLPrep cannot open your progress</h2>")
        text = QLabel(message)
        text.setObjectName("storeErrorMessage")
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text.setAccessibleName("What went wrong")
        layout.addWidget(heading)
        layout.addWidget(text)
        self.outcome = QLabel("")
        self.outcome.setObjectName("restoreOutcome")
        self.outcome.setWordWrap(True)
        self.outcome.setTextFormat(Qt.TextFormat.PlainText)
        self.outcome.hide()
        layout.addWidget(self.outcome)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.restore_button: QPushButton | None = None
        self.open_button = QPushButton("Open MLPrep")
        self.open_button.setObjectName("openAgainButton")
        self.open_button.clicked.connect(self._open_again)
        self.open_button.hide()
        buttons.addWidget(self.open_button)
        if self.backup is not None:
            when = f"{self.backup.taken_at:%d %b %Y, %H:%M}"
            self.restore_button = QPushButton(f"Restore the backup of {when}")
            self.restore_button.setObjectName("restoreBackupButton")
            self.restore_button.setToolTip(plain_tooltip(str(self.backup.path)))
            self.restore_button.clicked.connect(self.restore_backup)
            buttons.addWidget(self.restore_button)
        if data_dir is not None:
            folder = QPushButton("Open the data folder")
            folder.setObjectName("openDataFolderButton")
            folder.setToolTip(plain_tooltip(str(data_dir)))
            folder.clicked.connect(self.open_data_folder)
            buttons.addWidget(folder)
        quit_button = QPushButton("Quit")
        quit_button.setObjectName("quitButton")
        quit_button.clicked.connect(self.close)
        buttons.addWidget(quit_button)
        layout.addLayout(buttons)
        self.setCentralWidget(body)
        self.resize(600, 280)

    def restore_backup(self) -> None:
        """Put the newest good backup in place; the damaged store is kept beside the backups, never deleted."""
        from desktop_app.core.backup import BackupError
        from desktop_app.core.restore import restore
        from desktop_app.core.store import DB_FILENAME

        if self.backup is None or self.data_dir is None:
            return
        if self._release is not None:
            self._release()
        try:
            kept = restore(self.backup.path, self.data_dir / DB_FILENAME, self.data_dir / "backups")
        except BackupError as exc:
            self.outcome.setText(f"The backup could not be restored: {exc}")
            self.outcome.show()
            return
        where = f" The damaged store is kept at {kept}." if kept is not None else ""
        self.outcome.setText(
            f"Restored your progress from the backup of {self.backup.taken_at:%Y-%m-%d %H:%M}.{where} "
            "Anything studied after that backup is not in it."
        )
        self.outcome.show()
        if self.restore_button is not None:
            self.restore_button.setEnabled(False)
        self.open_button.setVisible(self._reopen is not None)
        self.restored = True

    def _open_again(self) -> None:
        if self._reopen is not None:
            self.hide()
            self._reopen()

    def open_data_folder(self) -> None:
        if self.data_dir is not None and self.data_dir.is_dir():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.data_dir)))
