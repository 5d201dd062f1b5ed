"""Shown instead of the main window when the store cannot be opened or is damaged: says why, changes nothing,
and offers what the user can do (open the data folder to move the file aside or restore a copy)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QPushButton, QVBoxLayout, QWidget

from desktop_app.ui.sidebar import plain_tooltip


class StoreErrorWindow(QMainWindow):
    def __init__(self, message: str, data_dir: Path | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.message = message
        self.data_dir = data_dir
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
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
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

    def open_data_folder(self) -> None:
        if self.data_dir is not None and self.data_dir.is_dir():
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.data_dir)))
