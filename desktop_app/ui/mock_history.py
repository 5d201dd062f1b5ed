"""Past mock interviews: a list, the full transcript of the one selected, and export to Markdown."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.simulator.session import export_markdown, result_word
from desktop_app.ui.dialogs import closes_with_keys
from desktop_app.ui.textview import MarkdownView

if TYPE_CHECKING:
    from desktop_app.core.store import MockSessionRecord, Store


def session_label(s: MockSessionRecord) -> str:
    """A history row in words: when, how, how it ended, and each question's result (no letters to decode)."""
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(s.started_at))
    questions: list[dict[str, object]] = s.summary.get("questions", []) if s.summary else []  # type: ignore[assignment]
    results = ", ".join(result_word(q) for q in questions)
    mode = "self-graded" if s.mode == "offline" else s.model
    return f"{when} · {mode} · {s.status}\n{results or 'no answers'}"


class MockHistoryDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mockHistoryDialog")
        closes_with_keys(self)
        self.setWindowTitle("Mock interview history")
        self.store = store
        layout = QVBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.sessions = QListWidget()
        self.sessions.setObjectName("historyList")
        self.sessions.setAccessibleName("Past mock interviews")
        self.view = MarkdownView()
        self.view.setObjectName("historyTranscript")
        self.view.setAccessibleName("Transcript of the selected interview")
        splitter.addWidget(self.sessions)
        splitter.addWidget(self.view)
        splitter.setSizes([320, 640])
        layout.addWidget(splitter, 1)
        row = QHBoxLayout()
        self.export_button = QPushButton("Export as Markdown…")
        self.export_button.setObjectName("historyExportButton")
        self.export_button.setAccessibleName("Export the selected interview as Markdown")
        self.export_button.clicked.connect(self._export_dialog)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        row.addStretch(1)
        row.addWidget(self.export_button)
        row.addWidget(close)
        layout.addLayout(row)
        self.sessions.currentItemChanged.connect(lambda item, _prev: self._show(item))
        for s in store.mocks.sessions():
            item = QListWidgetItem(session_label(s))
            item.setData(Qt.ItemDataRole.UserRole, s.id)
            self.sessions.addItem(item)
        self.export_button.setEnabled(self.sessions.count() > 0)
        if self.sessions.count():
            self.sessions.setCurrentRow(0)
        else:
            self.view.setPlainText("No mock interviews yet. Start one with Ctrl+M.")
        self.resize(1000, 640)

    def markdown(self, session_id: int) -> str:
        session = self.store.mocks.session(session_id)
        assert session is not None
        return export_markdown(session, self.store.mocks.turns(session_id))

    def _show(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.view.show_markdown(self.markdown(item.data(Qt.ItemDataRole.UserRole)))

    def export_to(self, path: Path) -> None:
        item = self.sessions.currentItem()
        if item is not None:
            path.write_text(self.markdown(item.data(Qt.ItemDataRole.UserRole)), encoding="utf-8")

    def _export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export mock interview", "mock-interview.md", "Markdown (*.md)")
        if path:
            self.export_to(Path(path))
