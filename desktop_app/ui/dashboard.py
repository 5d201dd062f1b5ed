"""The readiness dashboard, drawn with Qt's own painter: readiness, activity heatmap, scores, calibration, forecast.

Every chart uses palette colours (so it reads in light and dark themes) and gives exact numbers in tooltips
or in a table beside it.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QMainWindow,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.dashboard import Dashboard, ReadinessRow, day_label
from desktop_app.core.vocab import SCORES
from desktop_app.ui.theme import SCORE_COLORS


def _ready_color(value: float | None) -> QColor:
    if value is None:
        return QColor(0, 0, 0, 0)
    hue = int(120 * max(0.0, min(1.0, (value - 0.5) / 0.5)))  # red at 50% recall or less, green at 100%
    return QColor.fromHsv(hue, 150, 220)


class Heatmap(QWidget):
    """A year of study days: 53 weekly columns, Monday at the top."""

    CELL = 12

    def __init__(self, activity: dict[int, int], today: date, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("activityHeatmap")
        self.activity = activity
        self.today = today
        self.first = today - timedelta(days=today.weekday() + 52 * 7)
        self.peak = max(activity.values(), default=0)
        self.setMinimumSize(self.sizeHint())
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(53 * (self.CELL + 2) + 4, 7 * (self.CELL + 2) + 4)

    def _cell(self, day: date) -> QRect:
        offset = (day - self.first).days
        return QRect(2 + (offset // 7) * (self.CELL + 2), 2 + (offset % 7) * (self.CELL + 2), self.CELL, self.CELL)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        window = self.palette().color(QPalette.ColorRole.Window)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        # Empty days: the window colour nudged towards the text colour, visible in light and dark themes.
        base = QColor(
            (window.red() * 85 + text.red() * 15) // 100,
            (window.green() * 85 + text.green() * 15) // 100,
            (window.blue() * 85 + text.blue() * 15) // 100,
        )
        day = self.first
        while day <= self.today:
            n = self.activity.get(day.toordinal(), 0)
            color = QColor(base) if n == 0 else QColor.fromHsv(140, 60 + int(195 * n / max(1, self.peak)), 200)
            p.fillRect(self._cell(day), color)
            day += timedelta(days=1)
        p.end()

    def day_at(self, pos: QPoint) -> date | None:
        col, row = (pos.x() - 2) // (self.CELL + 2), (pos.y() - 2) // (self.CELL + 2)
        if not (0 <= col < 53 and 0 <= row < 7):
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
    """Vertical bars with a tooltip per bar: the review forecast."""

    def __init__(self, values: list[int], labels: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("forecastChart")
        self.values, self.labels = values, labels
        self.setMinimumSize(QSize(30 * 14, 120))
        self.setMouseTracking(True)

    def _bar(self, i: int) -> QRect:
        w = max(4, self.width() // max(1, len(self.values)))
        peak = max(self.values, default=0) or 1
        h = int((self.height() - 16) * self.values[i] / peak)
        return QRect(i * w + 1, self.height() - 14 - h, w - 2, h)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        color = self.palette().color(QPalette.ColorRole.Highlight)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        for i in range(len(self.values)):
            p.fillRect(self._bar(i), color)
        p.setPen(text)
        p.drawText(QRect(0, self.height() - 13, self.width(), 13), Qt.AlignmentFlag.AlignLeft, self.labels[0])
        p.drawText(QRect(0, self.height() - 13, self.width(), 13), Qt.AlignmentFlag.AlignRight, self.labels[-1])
        p.end()

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            w = max(4, self.width() // max(1, len(self.values)))
            i = e.pos().x() // w
            if 0 <= i < len(self.values):
                QToolTip.showText(e.globalPos(), f"{self.labels[i]}: {self.values[i]} due", self)
            return True
        return super().event(e)


def _table(
    name: str, headers: list[str], rows: list[list[str]], colors: list[list[QColor | None]] | None = None
) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(value)
            if c:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if colors and colors[r][c] is not None:
                item.setBackground(colors[r][c])  # type: ignore[arg-type]
                item.setForeground(QColor("#111111"))
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    table.setMinimumHeight(min(420, 28 + 26 * len(rows)))
    return table


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{v:.0%}"


class DashboardWindow(QMainWindow):
    def __init__(self, data: Dashboard, titles: dict[str, str], today: date, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("dashboard")
        self.setAccessibleName("Readiness dashboard")
        self.setWindowTitle("Readiness")
        self.data = data
        body = QWidget()
        layout = QVBoxLayout(body)
        when = data.target.strftime("%a %d %b %Y")
        headline = QLabel(
            f"<h2>Readiness for {when}: {_pct(data.overall.readiness)}</h2>"
            f"<p>Predicted recall of the {data.overall.seen} questions you have studied; "
            f"{data.overall.unseen} not yet seen. Study streak: <b>{data.streak} day{'s' if data.streak != 1 else ''}</b>.</p>"
        )
        headline.setObjectName("readinessHeadline")
        layout.addWidget(headline)

        grid = QGridLayout()
        rows: list[ReadinessRow] = [*data.readiness, data.overall]
        ready = _table(
            "readinessTable",
            ["Topic", "Seen", "Unseen", "Readiness"],
            [[r.title, str(r.seen), str(r.unseen), _pct(r.readiness)] for r in rows]
            + [[f"  {r.level}", str(r.seen), str(r.unseen), _pct(r.readiness)] for r in data.by_level],
            [[None, None, None, _ready_color(r.readiness)] for r in rows + data.by_level],
        )
        grid.addWidget(self._box("Readiness per topic and level", ready), 0, 0, 2, 1)

        heat = Heatmap(data.activity, today)
        total = sum(data.activity.values())
        active = len(data.activity)
        grid.addWidget(self._box(f"Study activity, past year: {total} reviews on {active} days", heat), 0, 1)

        labels = [(today + timedelta(days=i)).strftime("%d %b") for i in range(len(data.forecast))]
        forecast = Bars(data.forecast, labels)
        grid.addWidget(self._box(f"Reviews due, next {len(data.forecast)} days: {sum(data.forecast)}", forecast), 1, 1)

        score_rows, score_colors = [], []
        for topic_id, by_source in data.scores.items():
            for source in ("self", "mock"):
                counts = by_source[source]
                if sum(counts.values()):
                    score_rows.append(
                        [f"{titles.get(topic_id, topic_id)} ({'you' if source == 'self' else 'interviewer'})"]
                        + [str(counts[s]) for s in ("weak", "ok", "strong", "easy")]
                    )
                    score_colors.append(
                        [None] + [QColor(SCORE_COLORS[s]).lighter(160) for s in ("weak", "ok", "strong", "easy")]
                    )
        scores = _table("scoreTable", ["Topic (scored by)", "Weak", "OK", "Strong", "Easy"], score_rows, score_colors)
        grid.addWidget(self._box("Last scores per topic: your own and the interviewer's", scores), 2, 0)

        calib_rows = [
            [f"You: {own.upper()}"] + [str(data.calibration[(own, mock)]) for mock in SCORES] for own in SCORES
        ]
        agree = sum(data.calibration[(s, s)] for s in SCORES)
        both = sum(data.calibration.values())
        calib = _table("calibrationTable", ["", "Interviewer: WEAK", "OK", "STRONG"], calib_rows)
        note = (
            f"You and the interviewer agree on {agree} of {both} questions graded by both."
            if both
            else "Run a mock interview to compare your self-scores with the interviewer's grades."
        )
        grid.addWidget(self._box("Calibration: " + note, calib), 2, 1)
        layout.addLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.setCentralWidget(scroll)
        self.resize(1180, 820)

    @staticmethod
    def _box(title: str, widget: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        v = QVBoxLayout(box)
        v.addWidget(widget)
        return box


def dashboard_window(data: Dashboard, parent: QWidget | None = None) -> DashboardWindow:
    titles = {row.topic_id: row.title for row in data.readiness}
    return DashboardWindow(data, titles, date.today(), parent)
