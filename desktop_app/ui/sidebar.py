"""Topic sidebar: "All questions" and each topic with how many of its questions have been reviewed."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

if TYPE_CHECKING:
    from desktop_app.core.store import TopicInfo

ALL_TOPICS = ""  # item data of the "All questions" entry
DUE = "@due"  # item data of the "Due" entry: the spaced-repetition queue across topics
OWN_ROLE = Qt.ItemDataRole.UserRole + 2  # whether the entry is one of the user's decks


class TopicSidebar(QListWidget):
    topicSelected = Signal(str)  # topic id, or ALL_TOPICS

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("topicSidebar")
        self.setAccessibleName("Topics")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab reaches it; arrows move between topics
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.currentItemChanged.connect(self._on_current)
        self._updating = False

    def set_topics(self, topics: list[TopicInfo], current: str | None = None) -> None:
        """Rebuild the entries; keeps the selection and emits nothing (counts change after every score)."""
        keep = self.current_topic() if current is None else current
        self._updating = True
        try:
            self.clear()
            reviewed = sum(t.reviewed for t in topics)
            total = sum(t.total for t in topics)
            due = QListWidgetItem("Due now")
            font = due.font()
            font.setBold(True)
            due.setFont(font)
            due.setData(Qt.ItemDataRole.UserRole, DUE)
            due.setToolTip("Questions due for review by the spaced-repetition schedule, then today's new ones")
            self.addItem(due)
            self._add("All questions", ALL_TOPICS, reviewed, total, "Every topic")
            for t in topics:
                self._add(t.title, t.id, t.reviewed, t.total, t.description, own=t.own)
            row = next((i for i in range(self.count()) if self.item(i).data(Qt.ItemDataRole.UserRole) == keep), 1)
            self.setCurrentRow(row)
        finally:
            self._updating = False

    def _add(self, title: str, topic_id: str, reviewed: int, total: int, tip: str, own: bool = False) -> None:
        item = QListWidgetItem(_label(title, reviewed, total, own))
        item.setData(OWN_ROLE, own)
        item.setData(Qt.ItemDataRole.UserRole, topic_id)
        item.setData(Qt.ItemDataRole.UserRole + 1, title)
        item.setToolTip(plain_tooltip(tip))  # a deck's description is text, never markup
        self.addItem(item)

    def update_counts(self, counts: dict[str, list[int]]) -> None:
        """New reviewed / total figures per topic id, without rebuilding (and reselecting) the list."""
        reviewed = sum(c[0] for c in counts.values())
        total = sum(c[1] for c in counts.values())
        for i in range(self.count()):
            item = self.item(i)
            topic_id = item.data(Qt.ItemDataRole.UserRole)
            if topic_id == DUE:
                continue
            r, t = (reviewed, total) if topic_id == ALL_TOPICS else counts.get(topic_id, (0, 0))
            item.setText(_label(item.data(Qt.ItemDataRole.UserRole + 1), r, t, bool(item.data(OWN_ROLE))))

    def set_due(self, due: int, new: int) -> None:
        item = self.item(0)
        if item is not None and item.data(Qt.ItemDataRole.UserRole) == DUE:
            item.setText(f"Due now\n{due} due · {new} new")

    def current_topic(self) -> str:
        item = self.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else ALL_TOPICS

    def select_topic(self, topic_id: str) -> None:
        for i in range(self.count()):
            if self.item(i).data(Qt.ItemDataRole.UserRole) == topic_id:
                self.setCurrentRow(i)
                return

    def _on_current(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is not None and not self._updating:
            self.topicSelected.emit(current.data(Qt.ItemDataRole.UserRole))


def plain_tooltip(text: str) -> str:
    """Qt renders a tooltip as HTML when it looks like HTML, and would then load its images: escape it,
    inside a paragraph so the escapes show as the characters they stand for."""
    return f"<p>{html.escape(text)}</p>" if text else ""


def _label(title: str, reviewed: int, total: int, own: bool = False) -> str:
    return f"{title}\n{reviewed} / {total} reviewed{'  ·  your deck' if own else ''}"
