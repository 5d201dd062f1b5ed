"""The question list: a model over the study session's rows, drawn two lines a row: the question, then its
level (and its topic, where the list mixes topics) and the last score."""

from __future__ import annotations

from array import array
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desktop_app.core.rows import QuestionRows
from desktop_app.core.vocab import SCORE_NAMES
from desktop_app.ui.theme import SCORE_COLORS, UNSCORED_COLOR

if TYPE_CHECKING:
    from desktop_app.core.store import QuestionSummary

META_ROLE = Qt.ItemDataRole.UserRole + 1  # the second line: level, topic, last score

_Index = QModelIndex | QPersistentModelIndex


class QuestionListModel(QAbstractListModel):
    """A view of the study session's QuestionRows: it holds no rows of its own, and a row is read from the
    store only when the view draws it (core/rows.py), so 100,000 questions cost what a screenful does."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._rows: QuestionRows = QuestionRows.of([])
        self._icons: dict[tuple[str | None, bool], QIcon] = {}
        self.topic_titles: dict[str, str] = {}
        self.show_topic = False  # the list mixes topics: say which topic each question is from

    def set_rows(self, rows: QuestionRows, show_topic: bool = False) -> None:
        self.beginResetModel()
        self._rows = rows
        self.show_topic = show_topic
        self.endResetModel()

    def set_items(self, items: list[QuestionSummary], show_topic: bool = False) -> None:
        self.set_rows(QuestionRows.of(items), show_topic)

    def complete(self, nums: array) -> bool:
        """The whole list arrived: the rows after the first page join the end (selection and scroll stay).
        False if the list no longer begins with the rows shown; the caller starts it afresh."""
        shown = len(self._rows)
        if len(nums) > shown and nums[:shown] == self._rows.nums:
            self.beginInsertRows(QModelIndex(), shown, len(nums) - 1)
            self._rows.complete_with(nums)
            self.endInsertRows()
            return True
        return self._rows.complete_with(nums)

    def update_row(self, row: int, item: QuestionSummary | None = None) -> None:
        """A row's values changed (the session already holds them, or `item` gives them)."""
        if not 0 <= row < len(self._rows):
            return
        if item is not None:
            self._rows.replace(row, item)
        index = self.index(row, 0)
        self.dataChanged.emit(index, index)

    def remove_row(self, row: int, remove: Callable[[], object]) -> None:
        """A question scored in the Due queue leaves it. The rows are shared with the study session, which
        does the removing (`remove`); the model tells the view around it."""
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            remove()
            self.endRemoveRows()

    def item(self, row: int) -> QuestionSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    @property
    def rows(self) -> QuestionRows:
        return self._rows

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        item = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{item.question}"
        if role == META_ROLE:
            return self.meta(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return None  # the second line says it all; a tooltip would repeat it (and could render markup)
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(item.last_score, item.bookmarked)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{item.question}. {self.meta(item)}"
        return None

    def meta(self, item: QuestionSummary) -> str:
        parts = [item.level.capitalize()]
        if self.show_topic:
            parts.append(self.topic_titles.get(item.topic_id, item.topic_id))
        parts.append(f"last: {SCORE_NAMES.get(item.last_score, item.last_score)}" if item.last_score else "new")
        if item.bookmarked:
            parts.append("bookmarked")
        return " · ".join(parts)

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


class QuestionListView(QTableView):
    """A flat list drawn by QTableView with one column and fixed row heights: inserting or removing rows and
    updating one row cost the same at 100,000 rows as at 100. QTreeView rebuilt its row layout on every
    insertion or removal (65 ms at 100,000 rows), QListView on every changed row (125 ms)."""

    def __init__(self, model: QuestionListModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("questionList")
        self.setAccessibleName("Questions")
        self.setModel(model)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setTabKeyNavigation(False)  # Tab leaves the list for the next pane, as in every other pane
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.horizontalHeader().hide()
        self.horizontalHeader().setStretchLastSection(True)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # one height for every row: no per-row layout
        self.setItemDelegate(TwoLineDelegate(self))
        self._fit_rows()

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        """Home and End go to the first and the last question, as in a list (a table keeps them in the row)."""
        model = self.model()
        if action == QAbstractItemView.CursorAction.MoveHome and model.rowCount():
            return model.index(0, 0)
        if action == QAbstractItemView.CursorAction.MoveEnd and model.rowCount():
            return model.index(model.rowCount() - 1, 0)
        return super().moveCursor(action, modifiers)

    def _fit_rows(self) -> None:
        self.verticalHeader().setDefaultSectionSize(TwoLineDelegate.row_height(self.font()))
        self.verticalHeader().setMinimumSectionSize(1)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_rows()  # zoom changes the font: rows follow


class TwoLineDelegate(QStyledItemDelegate):
    """Question on the first line, level and topic in a smaller, muted second line; one fixed row height,
    so the table view lays out 100,000 rows in O(1)."""

    @staticmethod
    def row_height(font: QFont) -> int:
        return 2 * QFontMetrics(font).height() + 10

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return QSize(200, self.row_height(option.font))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        title = opt.text
        icon = index.data(Qt.ItemDataRole.DecorationRole)  # opt.icon is a reference, cleared just below
        opt.text = ""
        opt.icon = QIcon()
        opt.state &= ~QStyle.StateFlag.State_HasFocus  # the selected row shows which is current: no dotted frame
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette = opt.palette
        text_color = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        rect = opt.rect.adjusted(8, 4, -8, -4)
        line = QFontMetrics(opt.font).height()
        if isinstance(icon, QIcon):
            icon.paint(painter, QRect(rect.left(), rect.top() + (line - 14) // 2, 14, 14))
        text_left = rect.left() + 22
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(text_color)
        width = rect.right() - text_left
        first = QRect(text_left, rect.top(), width, line)
        painter.drawText(
            first,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(opt.font).elidedText(title, Qt.TextElideMode.ElideRight, width),
        )
        small = opt.font
        small.setPointSizeF(max(6.0, small.pointSizeF() * 0.88))
        painter.setFont(small)
        muted = QColor(text_color)
        muted.setAlpha(165)
        painter.setPen(muted)
        meta = str(index.data(META_ROLE) or "")
        second = QRect(text_left, rect.top() + line + 1, width, line)
        painter.drawText(
            second,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(small).elidedText(meta, Qt.TextElideMode.ElideRight, width),
        )
        painter.restore()
