"""The readiness dashboard, drawn with Qt's own painter: readiness, coverage and recall, a year of activity,
the reviews coming due, last scores per topic, and how the user's scores compare with the interviewer's.

Every chart takes its colours from the palette (so it reads in both themes), has labelled axes, and gives
exact numbers in text or tooltips beside it.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QKeySequence, QPainter, QPaintEvent, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.dashboard import Dashboard, ReadinessRow, day_label, pct
from desktop_app.core.vocab import REVIEW_SCORES, SCORE_NAMES, SCORES
from desktop_app.ui.theme import SCORE_COLORS

WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "")
ACCESSIBLE_TABLES = {
    "readinessTable": "Readiness, coverage and recall per topic and level",
    "scoreTable": "Last scores per topic",
    "calibrationTable": "Your scores beside the interviewer's grades",
}


def _ready_color(value: float | None) -> QColor:
    if value is None:
        return QColor(0, 0, 0, 0)
    hue = int(120 * max(0.0, min(1.0, value)))  # red at 0%, green at 100%
    return QColor.fromHsv(hue, 80, 240)


def _mix(a: QColor, b: QColor, share_b: float) -> QColor:
    return QColor(
        int(a.red() * (1 - share_b) + b.red() * share_b),
        int(a.green() * (1 - share_b) + b.green() * share_b),
        int(a.blue() * (1 - share_b) + b.blue() * share_b),
    )


class Heatmap(QWidget):
    """A year of study days: 53 weekly columns, Monday at the top, months along the top, weekdays at left."""

    CELL = 12
    LEFT = 34  # weekday labels
    TOP = 18  # month labels

    def __init__(self, activity: dict[int, int], today: date, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("activityHeatmap")
        self.setAccessibleName("Study activity over the past year")
        self.activity = activity
        self.today = today
        self.first = today - timedelta(days=today.weekday() + 52 * 7)
        self.peak = max(activity.values(), default=0)
        self.setMinimumSize(self.sizeHint())
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(self.LEFT + 53 * (self.CELL + 2) + 4, self.TOP + 7 * (self.CELL + 2) + 4)

    def _cell(self, day: date) -> QRect:
        offset = (day - self.first).days
        x = self.LEFT + (offset // 7) * (self.CELL + 2)
        return QRect(x, self.TOP + (offset % 7) * (self.CELL + 2), self.CELL, self.CELL)

    def month_labels(self) -> list[tuple[int, str]]:
        """(x, "Jan") at the first week of each month shown."""
        out: list[tuple[int, str]] = []
        last_month = None
        for week in range(53):
            day = self.first + timedelta(days=7 * week)
            if day.month != last_month:
                out.append((self.LEFT + week * (self.CELL + 2), day.strftime("%b")))
                last_month = day.month
        return out

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        window = self.palette().color(QPalette.ColorRole.Base)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        base = _mix(window, text, 0.12)
        green = QColor("#2e9d4f")
        day = self.first
        while day <= self.today:
            n = self.activity.get(day.toordinal(), 0)
            color = QColor(base) if n == 0 else _mix(base, green, 0.35 + 0.65 * n / max(1, self.peak))
            p.fillRect(self._cell(day), color)
            day += timedelta(days=1)
        p.setPen(text)
        font = p.font()
        font.setPointSizeF(font.pointSizeF() * 0.85)
        p.setFont(font)
        for x, label in self.month_labels():
            p.drawText(QRect(x, 0, 40, self.TOP - 2), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, label)
        for row, label in enumerate(WEEKDAYS):
            if label:
                rect = QRect(0, self.TOP + row * (self.CELL + 2) - 2, self.LEFT - 6, self.CELL + 4)
                p.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
        p.end()

    def day_at(self, pos: QPoint) -> date | None:
        col, row = (pos.x() - self.LEFT) // (self.CELL + 2), (pos.y() - self.TOP) // (self.CELL + 2)
        if not (0 <= col < 53 and 0 <= row < 7) or pos.x() < self.LEFT or pos.y() < self.TOP:
            return None
        day = self.first + timedelta(days=col * 7 + row)
        return day if day <= self.today else None

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            day = self.day_at(e.pos())
            if day is not None:
                n = self.activity.get(day.toordinal(), 0)
                QToolTip.showText(
                    e.globalPos(), f"{day_label(day.toordinal())}: {n} review{'s' if n != 1 else ''}", self
                )
            return True
        return super().event(e)


class Bars(QWidget):
    """The reviews coming due: a bar per day with its count, a y axis with its scale, dates along the x axis."""

    LEFT = 30
    BOTTOM = 18

    def __init__(self, values: list[int], labels: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("forecastChart")
        self.setAccessibleName("Reviews due in the next 30 days")
        self.values, self.labels = values, labels
        self.setMinimumSize(QSize(30 * 14 + self.LEFT, 150))
        self.setMouseTracking(True)

    def _width(self) -> int:
        return max(4, (self.width() - self.LEFT) // max(1, len(self.values)))

    def _bar(self, i: int) -> QRect:
        w = self._width()
        peak = max(self.values, default=0) or 1
        h = int((self.height() - self.BOTTOM - 18) * self.values[i] / peak)
        return QRect(self.LEFT + i * w + 1, self.height() - self.BOTTOM - h, w - 2, h)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        color = self.palette().color(QPalette.ColorRole.Link)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        axis = _mix(self.palette().color(QPalette.ColorRole.Base), text, 0.35)
        font = p.font()
        font.setPointSizeF(font.pointSizeF() * 0.85)
        p.setFont(font)
        bottom = self.height() - self.BOTTOM
        p.setPen(axis)
        p.drawLine(self.LEFT, bottom, self.width(), bottom)
        p.drawLine(self.LEFT, 16, self.LEFT, bottom)
        peak = max(self.values, default=0)
        p.setPen(text)
        p.drawText(QRect(0, 8, self.LEFT - 4, 16), Qt.AlignmentFlag.AlignRight, str(peak))
        p.drawText(QRect(0, bottom - 12, self.LEFT - 4, 16), Qt.AlignmentFlag.AlignRight, "0")
        w = self._width()
        for i, n in enumerate(self.values):
            bar = self._bar(i)
            p.fillRect(bar, color)
            if n and w >= 14:
                p.drawText(
                    QRect(bar.left() - 4, bar.top() - 15, bar.width() + 8, 14), Qt.AlignmentFlag.AlignCenter, str(n)
                )
        for i in range(0, len(self.labels), 7):
            p.drawText(
                QRect(self.LEFT + i * w, bottom + 2, 60, self.BOTTOM), Qt.AlignmentFlag.AlignLeft, self.labels[i]
            )
        p.end()

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            i = (e.pos().x() - self.LEFT) // self._width()
            if 0 <= i < len(self.values):
                n = self.values[i]
                QToolTip.showText(e.globalPos(), f"{self.labels[i]}: {n} review{'s' if n != 1 else ''} due", self)
            return True
        return super().event(e)


def _table(
    name: str, headers: list[str], rows: list[list[str]], colors: list[list[QColor | None]] | None = None
) -> QTableWidget:
    """A read-only table sized to its content: the first column stretches, the others fit their numbers."""
    table = QTableWidget(len(rows), len(headers))
    table.setObjectName(name)
    table.setAccessibleName(ACCESSIBLE_TABLES.get(name, name))
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(value)
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if colors and colors[r][c] is not None:
                item.setBackground(colors[r][c])  # type: ignore[arg-type]
                item.setForeground(QColor("#111111"))
            table.setItem(r, c, item)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for c in range(1, len(headers)):
        header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
    table.resizeColumnsToContents()
    width = sum(table.columnWidth(c) for c in range(len(headers))) + 24
    table.setMinimumWidth(min(width, 500))
    table.setMinimumHeight(min(440, 30 + 26 * len(rows)))
    return table


class DashboardWindow(QMainWindow):
    def __init__(self, data: Dashboard, titles: dict[str, str], today: date, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.setAccessibleName("Readiness dashboard")
        self.setWindowTitle("Readiness")
        self.data = data
        for keys in (QKeySequence("Ctrl+W"), QKeySequence("Escape")):  # Ctrl+W and Esc
            QShortcut(keys, self).activated.connect(self.close)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(12)
        when = data.target.strftime("%a %d %b %Y")
        overall = data.overall
        headline = QLabel(
            f"<h2 style='margin-bottom:2px'>Readiness for {when}: {pct(overall.readiness)}</h2>"
            f"<p>Predicted recall over all {overall.total} questions, unseen ones counting as 0. "
            f"You have seen <b>{overall.seen}</b> ({pct(overall.coverage)} coverage); of those you would recall "
            f"<b>{pct(overall.recall_seen)}</b>. Study streak: <b>{data.streak} day{'s' if data.streak != 1 else ''}</b>.</p>"
        )
        headline.setObjectName("readinessHeadline")
        headline.setWordWrap(True)
        layout.addWidget(headline)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(12)
        rows: list[ReadinessRow] = [*data.readiness, overall]
        level_rows = [
            ReadinessRow(r.topic_id, f"   {r.level.capitalize()}", r.level, r.seen, r.unseen, r.recall_seen)
            for r in data.by_level
        ]
        shown = rows + level_rows
        ready = _table(
            "readinessTable",
            ["Topic", "Readiness", "Coverage", "Recall (seen)"],
            [[r.title, pct(r.readiness), pct(r.coverage), pct(r.recall_seen)] for r in shown],
            [[None, _ready_color(r.readiness), None, None] for r in shown],
        )
        ready.setToolTip("Readiness: predicted recall over all questions (unseen = 0). Coverage: share seen.")
        heat = Heatmap(data.activity, today)
        total = sum(data.activity.values())
        active = len(data.activity)
        grid.addWidget(
            self._box(f"Study activity, past year: {total} reviews on {active} day{'s' if active != 1 else ''}", heat),
            0,
            0,
            1,
            2,
        )
        grid.addWidget(self._box("Readiness per topic and level", ready), 1, 0)
        labels = [(today + timedelta(days=i)).strftime("%d %b") for i in range(len(data.forecast))]
        forecast = Bars(data.forecast, labels)
        grid.addWidget(self._box(f"Reviews due, next {len(data.forecast)} days: {sum(data.forecast)}", forecast), 1, 1)

        score_rows, score_colors = [], []
        for topic_id, by_source in data.scores.items():
            for source in ("self", "mock"):
                counts = by_source[source]
                if sum(counts.values()):
                    who = "you" if source == "self" else "interviewer"
                    score_rows.append(
                        [f"{titles.get(topic_id, topic_id)} ({who})"] + [str(counts[s]) for s in REVIEW_SCORES]
                    )
                    score_colors.append([None] + [QColor(SCORE_COLORS[s]).lighter(150) for s in REVIEW_SCORES])
        scores = _table(
            "scoreTable", ["Topic (scored by)", *[SCORE_NAMES[s] for s in REVIEW_SCORES]], score_rows, score_colors
        )
        grid.addWidget(self._box("Last scores per topic: yours and the interviewer's", scores), 2, 0)
        grid.addWidget(self._box("Your scores beside the interviewer's", self._calibration()), 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self.setCentralWidget(scroll)
        self.resize(1200, 900)

    def _calibration(self) -> QWidget:
        data = self.data
        words = {s: SCORE_NAMES[s] for s in SCORES}
        rows = [[f"You said {words[own]}"] + [str(data.calibration[(own, mock)]) for mock in SCORES] for own in SCORES]
        table = _table("calibrationTable", ["", *[f"Interviewer said {words[m]}" for m in SCORES]], rows)
        for r, own in enumerate(SCORES):
            for c, mock in enumerate(SCORES, start=1):
                n = data.calibration[(own, mock)]
                item = table.item(r, c)
                if item is not None:
                    item.setToolTip(f"You said {words[own]}, the interviewer said {words[mock]}: {n}")
        both = sum(data.calibration.values())
        agree = sum(data.calibration[(s, s)] for s in SCORES)
        lines = []
        if both:
            lines.append(f"You and the interviewer agree on {agree} of {both} questions graded by both.")
            rank = {s: i for i, s in enumerate(SCORES)}
            mismatches = sorted(
                ((n, own, mock) for (own, mock), n in data.calibration.items() if n and own != mock), reverse=True
            )
            for n, own, mock in mismatches[:3]:
                kind = "higher" if rank[own] > rank[mock] else "lower"
                lines.append(
                    f"You said {words[own]}, the interviewer said {words[mock]}: {n} (you scored yourself {kind})."
                )
        else:
            lines.append("Run a mock interview with Claude to compare your own scores with the interviewer's grades.")
        summary = QLabel("<br>".join(lines))
        summary.setObjectName("calibrationSummary")
        summary.setWordWrap(True)
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(summary)
        v.addWidget(table)
        return box

    @staticmethod
    def _box(title: str, widget: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        v = QHBoxLayout(box)
        v.addWidget(widget)
        return box


def dashboard_window(data: Dashboard, parent: QWidget | None = None) -> DashboardWindow:
    titles = {row.topic_id: row.title for row in data.readiness}
    return DashboardWindow(data, titles, date.today(), parent)
