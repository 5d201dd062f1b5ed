"""The question list: a flat model over QuestionSummary rows, cheap to replace on every search keystroke."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from desktop_app.ui import background
from desktop_app.ui.theme import SCORE_COLORS, UNSCORED_COLOR

if TYPE_CHECKING:
    from desktop_app.core.store import QuestionSummary

LEVEL_MARK = {"beginner": "B", "intermediate": "I", "advanced": "A"}

_Index = QModelIndex | QPersistentModelIndex
BIG_LIST = 5000


def _release_in_background(owner: QObject, items: list[QuestionSummary]) -> None:
    """Freeing 100,000 rows at once takes ~7 ms of the UI thread on the keystroke that leaves the full list;
    dropping them a slice at a time from another thread gives the GIL back between slices."""

    def drain(_job: background.Job[None]) -> None:
        while items:
            del items[-2000:]
            time.sleep(0.001)

    background.run(owner, drain)


class QuestionListModel(QAbstractListModel):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._items: list[QuestionSummary] = []
        self._icons: dict[tuple[str | None, bool], QIcon] = {}

    def set_items(self, items: list[QuestionSummary]) -> None:
        self.beginResetModel()
        previous, self._items = self._items, items
        self.endResetModel()
        if previous is not items and len(previous) > BIG_LIST:
            _release_in_background(self, previous)

    def update_row(self, row: int, item: QuestionSummary) -> None:
        self._items[row] = item
        index = self.index(row, 0)
        self.dataChanged.emit(index, index)

    def item(self, row: int) -> QuestionSummary | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{item.question}"
        if role == Qt.ItemDataRole.ToolTipRole:
            last = f"last scored {item.last_score.upper()}" if item.last_score else "not reviewed yet"
            mark = ", bookmarked" if item.bookmarked else ""
            return f"{item.level.capitalize()} · {last}{mark}"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(item.last_score, item.bookmarked)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{item.question} ({item.level}, {item.last_score or 'not reviewed'})"
        return None

    def _icon(self, score: str | None, bookmarked: bool) -> QIcon:
        key = (score, bookmarked)
        if key not in self._icons:
            pix = QPixmap(14, 14)
            pix.fill(QColor(0, 0, 0, 0))
            painter = QPainter(pix)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(SCORE_COLORS[score] if score else UNSCORED_COLOR))
            if bookmarked:
                painter.drawRect(2, 2, 10, 10)
            else:
                painter.drawEllipse(3, 3, 8, 8)
            painter.end()
            self._icons[key] = QIcon(pix)
        return self._icons[key]


class QuestionListView(QTreeView):
    """A flat list drawn by QTreeView: with uniform row heights it updates one row in O(1), where
    QListView re-walks every row on each dataChanged (170 ms at 100,000 questions)."""

    def __init__(self, model: QuestionListModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("questionList")
        self.setAccessibleName("Questions")
        self.setModel(model)
        self.setUniformRowHeights(True)
        self.setRootIsDecorated(False)
        self.setItemsExpandable(False)
        self.setHeaderHidden(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
