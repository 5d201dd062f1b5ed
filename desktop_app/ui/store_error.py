"""Shown instead of the main window when the store cannot be opened: says why, changes nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton, QVBoxLayout, QWidget


class StoreErrorWindow(QMainWindow):
    def __init__(self, message: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.message = message
        self.setObjectName("storeErrorWindow")
        self.setWindowTitle("MLPrep cannot open your progress")
        body = QWidget()
        layout = QVBoxLayout(body)
        heading = QLabel("<h2>MLPrep cannot open your progress</h2>")
        text = QLabel(message)
        text.setObjectName("storeErrorMessage")
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        quit_button = QPushButton("Quit")
        quit_button.clicked.connect(self.close)
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addStretch(1)
        layout.addWidget(quit_button, alignment=Qt.AlignmentFlag.AlignRight)
        self.setCentralWidget(body)
        self.resize(560, 260)
