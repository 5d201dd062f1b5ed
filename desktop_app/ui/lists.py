"""The window's side of the list reader (core/store/reader.py): its answers arrive as a Qt signal, on the
UI thread, and only the newest request's answers are passed on."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop_app.core.store.listing import ListQuery
from desktop_app.core.store.reader import Answer, ListReader


class ListFeed(QObject):
    answered = Signal(object)  # an Answer of the latest request
    _arrived = Signal(object)  # emitted on the reader's thread, delivered queued on this object's thread

    def __init__(self, store_path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self._arrived.connect(self._pass_on)
        self.reader = ListReader(store_path, self._arrived.emit)

    def request(self, query: ListQuery) -> int:
        return self.reader.request(query)

    def _pass_on(self, answer: Answer) -> None:
        if answer.generation == self.reader.latest:  # an older request's answer is out of date
            self.answered.emit(answer)

    def close(self) -> None:
        self.reader.close()
