"""Shown when the Due queue is empty: what was studied today, when the next review falls due, what to do next."""

from __future__ import annotations

import time
from datetime import datetime
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.core.store.scheduling import TodaySummary
from desktop_app.core.vocab import REVIEW_SCORES, SCORE_NAMES

MORE_NEW = 10  # "Learn more" adds this many new questions to today's queue


def when_text(ts: float | None, now: float | None = None) -> str:
    if ts is None:
        return "nothing is scheduled yet"
    now = time.time() if now is None else now
    moment = datetime.fromtimestamp(ts)
    today = datetime.fromtimestamp(now).date()
    days = (moment.date() - today).days
    clock = moment.strftime("%H:%M")
    if days <= 0:
        return f"today at {clock}"
    if days == 1:
        return f"tomorrow at {clock}"
    return f"on {moment.strftime('%a %d %b')} ({days} days)"


class DoneForToday(QWidget):
    moreNew = Signal()
    mockInterview = Signal()
    dashboard = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("doneForToday")
        self.setAccessibleName("Done for today")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 36, 40, 36)
        layout.setSpacing(14)
        self.title = QLabel("<h2>Done for today</h2>")
        self.title.setObjectName("doneTitle")
        self.summary = QLabel()
        self.summary.setObjectName("doneSummary")
        self.summary.setAccessibleName("What you studied today")
        self.summary.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        buttons = QVBoxLayout()  # stacked: the screen must fit a narrow window too
        self.more_button = QPushButton(f"Learn {MORE_NEW} more new questions")
        self.more_button.setObjectName("primaryButton")
        self.more_button.setAccessibleName(f"Learn {MORE_NEW} more new questions today")
        self.more_button.clicked.connect(self.moreNew.emit)
        self.mock_button = QPushButton("Mock interview   Ctrl+M")
        self.mock_button.setObjectName("doneMockButton")
        self.mock_button.clicked.connect(self.mockInterview.emit)
        self.dashboard_button = QPushButton("Readiness dashboard   D")
        self.dashboard_button.setObjectName("doneDashboardButton")
        self.dashboard_button.clicked.connect(self.dashboard.emit)
        for b in (self.more_button, self.mock_button, self.dashboard_button):
            b.setMinimumWidth(200)
            b.setMaximumWidth(340)
            buttons.addWidget(b)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def show_summary(self, today: TodaySummary, new_left: int) -> None:
        reviews = sum(today.scores.values())
        if reviews:
            mix = ", ".join(f"{today.scores[s]} {SCORE_NAMES[s]}" for s in REVIEW_SCORES if today.scores.get(s))
            studied = (
                f"You studied <b>{today.questions}</b> question{'s' if today.questions != 1 else ''} today "
                f"({reviews} score{'s' if reviews != 1 else ''}: {escape(mix)})."
            )
        else:
            studied = "Nothing is due right now."
        nxt = f"The next review falls due {when_text(today.next_due)}"
        nxt += f"; {today.due_by_tomorrow} by the end of tomorrow." if today.due_by_tomorrow else "."
        more = (
            f"{new_left} new question{'s' if new_left != 1 else ''} left in today's limit."
            if new_left
            else "Today's new questions are done; you can learn more now, or rest and let the schedule work."
        )
        self.summary.setText(f"<p>{studied}</p><p>{nxt}</p><p>{more}</p>")
