"""The banner that says a write did not land, and stays until it has: what failed, why, what to do.

Each failed write is kept as a retry (the score, the note text, the bookmark); Retry runs them in order,
and for a lock or a full disk they are retried every few seconds on their own, so the banner goes away
when the other program lets go. A damaged store offers no retry: nothing more will be written to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop_app.core.store import WriteError

AUTO_RETRY_MS = 3000
AUTO_RETRY_KINDS = ("locked", "checking", "full", "io")


@dataclass
class _Pending:
    what: str  # "Your Strong score", "Your note on this question"
    retry: Callable[[], object]
    error: WriteError


class WriteProblemBanner(QFrame):
    resolved = Signal()  # every pending write has landed

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("problemBanner")
        self.setAccessibleName("Saving problem")
        self.setProperty("severity", "error")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.label = QLabel()
        self.label.setObjectName("problemMessage")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.retry_button = QPushButton("Retry")
        self.retry_button.setObjectName("retryWritesButton")
        self.retry_button.setAccessibleName("Retry saving")
        self.retry_button.clicked.connect(self.retry)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.retry_button)
        self.pending: list[_Pending] = []
        self._timer = QTimer(self, interval=AUTO_RETRY_MS)
        self._timer.timeout.connect(self.retry)
        self.hide()

    def report(self, what: str, error: WriteError, retry: Callable[[], object] | None) -> None:
        """A write failed. Keep it (unless the store is damaged: then there is nothing to retry)."""
        if retry is not None and error.kind != "damaged":
            self.pending.append(_Pending(what, retry, error))
        self._show(what, error)

    def _show(self, what: str, error: WriteError) -> None:
        count = len(self.pending)
        more = f" ({count} changes waiting to be saved)" if count > 1 else ""
        self.label.setText(f"{what} was not saved{more}. {error.message}")
        self.retry_button.setVisible(bool(self.pending))
        if self.pending and error.kind in AUTO_RETRY_KINDS:
            self._timer.start()
        self.show()

    def retry(self) -> None:
        """Run the kept writes in order; stop at the first that fails again, keeping it and the rest."""
        while self.pending:
            item = self.pending[0]
            try:
                item.retry()
            except WriteError as exc:
                item.error = exc
                self._show(item.what, exc)
                return
            self.pending.pop(0)
        self._timer.stop()
        self.hide()
        self.resolved.emit()
