"""Study settings: retention, new questions per day, the interview date, the coding run's time limit; no freeze.

Saving is instant; moving the due dates of every card to the new settings runs off the UI thread with a
progress bar in the status bar, so at a million reviews the window stays responsive.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QSpinBox,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.schedule import CODE_TIME_LIMITS_S, StudyConfig
from desktop_app.ui import background
from desktop_app.ui.dialogs import closes_with_keys

if TYPE_CHECKING:
    from desktop_app.core.store import Store


class StudySettingsDialog(QDialog):
    """Desired retention, new questions per day, and the interview date the schedule and readiness aim at."""

    def __init__(self, config: StudyConfig, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("studySettingsDialog")
        closes_with_keys(self)
        self.setWindowTitle("Study settings")
        self.setMinimumWidth(480)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(18, 16, 18, 14)
        outer.setSpacing(10)
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(6)
        self.retention = QDoubleSpinBox(
            minimum=0.70, maximum=0.99, singleStep=0.01, decimals=2, value=config.desired_retention
        )
        self.retention.setObjectName("retentionSpin")
        self.retention.setAccessibleName("Desired retention")
        form.addRow("Desired retention", self.retention)
        form.addRow(
            "", _hint("The share of questions you should still know when they come back. Higher means more reviews.")
        )
        self.new_per_day = QSpinBox(minimum=0, maximum=1000, value=config.new_per_day)
        self.new_per_day.setObjectName("newPerDaySpin")
        self.new_per_day.setAccessibleName("New questions per day")
        form.addRow("New questions per day", self.new_per_day)
        form.addRow("", _hint("How many questions you have not seen yet join the Due queue each day."))
        low, high = CODE_TIME_LIMITS_S
        self.code_time = QSpinBox(minimum=low, maximum=high, value=config.code_time_limit_s, suffix=" s")
        self.code_time.setObjectName("codeTimeLimitSpin")
        self.code_time.setAccessibleName("Time limit for a coding run, in seconds")
        form.addRow("Time limit per coding run", self.code_time)
        form.addRow("", _hint("A run of your code that takes longer is stopped: an infinite loop ends here."))
        outer.addLayout(form)
        self.has_date = QCheckBox("I have an interview on")
        self.has_date.setObjectName("hasInterviewDate")
        self.has_date.setChecked(config.interview_date is not None)
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setObjectName("interviewDate")
        self.date.setAccessibleName("Interview date")
        self.date.setDisplayFormat("ddd d MMM yyyy")
        self.date.setDate(config.interview_date or date.today() + timedelta(days=21))  # type: ignore[arg-type]
        self.date.setEnabled(self.has_date.isChecked())
        self.has_date.toggled.connect(self.date.setEnabled)
        row = QHBoxLayout()
        row.addWidget(self.has_date)
        row.addWidget(self.date, 1)
        outer.addLayout(row)
        outer.addWidget(
            _hint("With a date, nothing is scheduled past it, and the dashboard shows your readiness on that day.")
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

    def config(self) -> StudyConfig:
        return StudyConfig(
            desired_retention=round(self.retention.value(), 2),
            new_per_day=self.new_per_day.value(),
            code_time_limit_s=self.code_time.value(),
            interview_date=self.date.date().toPython() if self.has_date.isChecked() else None,  # type: ignore[arg-type]
        )


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("settingsHint")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def apply_settings(
    store: Store, config: StudyConfig, owner: QWidget, status_bar: QStatusBar, on_done: Callable[[], None]
) -> background.Job[int]:
    """Save the settings, then move every card's due date to them in the background."""
    store.sched.set_config(config)
    bar = QProgressBar()
    bar.setObjectName("rescheduleProgress")
    bar.setAccessibleName("Rescheduling progress")
    bar.setMaximumWidth(220)
    bar.setFormat("Rescheduling %p%")
    status_bar.addPermanentWidget(bar)

    def work(job: background.Job[int]) -> int:
        with store.thread_connection():
            return store.sched.reschedule(progress=job.progress)

    def progress(done: int, total: int) -> None:
        bar.setMaximum(max(1, total))
        bar.setValue(done)

    def finished(count: int) -> None:
        status_bar.removeWidget(bar)
        bar.deleteLater()
        status_bar.showMessage(f"Study settings saved; {count:,} scheduled questions follow them now.", 4000)
        on_done()

    def failed(exc: BaseException) -> None:
        status_bar.removeWidget(bar)
        bar.deleteLater()
        status_bar.showMessage(f"Settings saved, but rescheduling failed ({exc}). Restart MLPrep to retry.", 8000)

    return background.run(owner, work, finished, failed, progress, key="reschedule")
