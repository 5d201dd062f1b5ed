"""Dialogs of the main window: the shortcut help sheet (built from the shortcut table) and bank problems."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop_app.ui.shortcuts import SHORTCUTS, help_html
from desktop_app.ui.textview import SafeTextBrowser

if TYPE_CHECKING:
    from desktop_app.core.bank import Problem


def closes_with_keys(dialog: QDialog) -> None:
    """Esc closes every QDialog already; Ctrl+W (Cmd+W on macOS) does too, as in every other app window."""
    shortcut = QShortcut(QKeySequence("Ctrl+W"), dialog)
    shortcut.activated.connect(dialog.reject)


def native_key(key: str) -> str:
    """A key as the platform writes it (Ctrl on Linux and Windows, ⌘ on macOS)."""
    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText) or key


class HelpSheet(QDialog):
    """All shortcuts, generated from the same table that binds them."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("helpSheet")
        closes_with_keys(self)
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        text = SafeTextBrowser()
        text.setObjectName("helpText")
        text.setAccessibleName("Keyboard shortcuts")
        text.setHtml(help_html(SHORTCUTS, native_key))
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 560)


class ProblemsDialog(QDialog):
    def __init__(self, problems: list[Problem], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("bankProblemsDialog")
        closes_with_keys(self)
        self.setWindowTitle("Problems in the question bank")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("These questions or files were skipped. Fix them and restart MLPrep:"))
        text = SafeTextBrowser()
        text.setObjectName("problemsText")
        text.setAccessibleName("Problems found in the question bank")
        text.setPlainText("\n".join(str(p) for p in problems))
        layout.addWidget(text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 360)


class TextDialog(QDialog):
    """A report in plain text (what an import did, every problem of a refused file), to read and copy."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None, name: str = "textDialog"):
        super().__init__(parent)
        self.setObjectName(name)
        closes_with_keys(self)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.text = SafeTextBrowser()
        self.text.setObjectName(f"{name}Text")
        self.text.setAccessibleName(title)
        self.text.setPlainText(text)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 420)
