"""Setting up a mock interview (topics, level, length, clock, model) and the API key dialog."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.vocab import LEVELS
from desktop_app.simulator.client import DEFAULT_MODEL
from desktop_app.simulator.session import MockConfig
from desktop_app.simulator.vocab import RequestKind
from desktop_app.ui import background
from desktop_app.ui.dialogs import closes_with_keys

if TYPE_CHECKING:
    from desktop_app.core.decks import JobInfo
    from desktop_app.core.store import TopicInfo
    from desktop_app.simulator.keys import KeyStore
    from desktop_app.simulator.requests import Request
    from desktop_app.ui.interviewer import WorkerHost


class MockSetupDialog(QDialog):
    def __init__(
        self,
        topics: list[TopicInfo],
        keys: KeyStore,
        host: WorkerHost | None = None,
        preselect: str = "",
        parent: QWidget | None = None,
        jobs: Sequence[JobInfo] = (),
    ):
        super().__init__(parent)
        self.setObjectName("mockSetupDialog")
        closes_with_keys(self)
        self.setWindowTitle("Start a mock interview")
        self.setMaximumWidth(720)  # long messages wrap: the dialog must fit a 1280 x 800 screen
        self.keys = keys
        self.host = host
        self._models_request: Request | None = None
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.topic_list = QListWidget()
        self.topic_list.setObjectName("mockTopics")
        for t in topics:
            item = QListWidgetItem(f"{t.title} ({t.total})")
            item.setData(Qt.ItemDataRole.UserRole, t.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if t.id == preselect else Qt.CheckState.Unchecked)
            self.topic_list.addItem(item)
        form.addRow("Topics (none ticked: all)", self.topic_list)
        self.job = QComboBox()
        self.job.setObjectName("mockJob")
        self.job.setAccessibleName("For a job")
        self.job.addItem("No: the topics above", "")
        self._jobs = {j.deck_id: j for j in jobs}
        for j in jobs:
            self.job.addItem(j.title, j.deck_id)
        self.job.currentIndexChanged.connect(lambda _i: self.topic_list.setEnabled(not self.job.currentData()))
        if jobs:
            form.addRow("For a job", self.job)
        self.level = QComboBox()
        self.level.setObjectName("mockLevel")
        self.level.addItem("Any level", "")
        for lv in LEVELS:
            self.level.addItem(lv.capitalize(), lv)
        form.addRow("Level", self.level)
        self.count = QSpinBox(minimum=1, maximum=30, value=5)
        self.count.setObjectName("mockCount")
        form.addRow("Questions", self.count)
        self.time_limit = QSpinBox(minimum=0, maximum=30, value=0, suffix=" min")
        self.time_limit.setObjectName("mockTimeLimit")
        self.time_limit.setSpecialValueText("No target")
        form.addRow("Time per answer", self.time_limit)
        self.coding = QSpinBox(minimum=0, maximum=3, value=0)
        self.coding.setObjectName("mockCoding")
        self.coding.setAccessibleName("Coding questions")
        self.coding.setSpecialValueText("None")
        self.coding.setToolTip("Questions where you write code and run the tests before you submit it")
        form.addRow("Coding questions", self.coding)
        self.follow_ups = QSpinBox(minimum=0, maximum=5, value=1)
        self.follow_ups.setObjectName("mockFollowUps")
        form.addRow("Follow-up rounds", self.follow_ups)
        self.claude = QRadioButton("Claude as the interviewer (needs an API key and a network)")
        self.claude.setObjectName("mockModeClaude")
        self.offline = QRadioButton("Self-graded, offline: compare with the expected answer yourself")
        self.offline.setObjectName("mockModeOffline")
        self.claude.setChecked(True)
        form.addRow("Mode", self.claude)
        form.addRow("", self.offline)
        model_row = QHBoxLayout()
        self.model = QComboBox()
        self.model.setObjectName("mockModel")
        self.model.setEditable(True)  # any model name can be typed
        self.model.addItem(DEFAULT_MODEL)
        self.model_status = QLabel("")
        self.model_status.setObjectName("modelStatus")
        self.model_status.setTextFormat(Qt.TextFormat.PlainText)
        self.model_status.setWordWrap(True)
        key_button = QPushButton("API key…")
        key_button.clicked.connect(self._edit_key)
        model_row.addWidget(self.model, 1)
        model_row.addWidget(key_button)
        form.addRow("Model", model_row)
        form.addRow("", self.model_status)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.claude.toggled.connect(lambda on: self.model.setEnabled(on))
        if host is not None:
            host.worker.done.connect(self._on_models)
            host.worker.failed.connect(self._on_models_failed)
            self.refresh_models()

    def refresh_models(self) -> None:
        """Ask the Models API in the background; the dialog stays usable, with the default, meanwhile."""
        from desktop_app.simulator.requests import Request

        if self.host is None:
            return
        self.model_status.setText("Looking up the available models…")
        self._models_request = self.host.submit(
            Request(RequestKind.MODELS, model=self.model.currentText() or DEFAULT_MODEL)
        )

    def _on_models(self, request_id: int, models: object) -> None:
        if self._models_request is None or request_id != self._models_request.id or not isinstance(models, list):
            return
        current = self.model.currentText()
        self.model.clear()
        self.model.addItems(models or [DEFAULT_MODEL])
        self.model.setCurrentText(
            current if current in models else (DEFAULT_MODEL if DEFAULT_MODEL in models else models[0])
        )
        self.model_status.setText(f"{len(models)} models available.")

    def _on_models_failed(self, request_id: int, kind: str, message: str, _partial: str) -> None:
        if self._models_request is None or request_id != self._models_request.id:
            return
        if kind == "no_key":
            # Nothing is running yet, so nothing to "end": say where a key goes, and pick what works now.
            self.offline.setChecked(True)
            self.model_status.setText(
                "No Anthropic API key yet, so the self-graded mode is selected. To have Claude interview you, "
                "add a key with \u201cAPI key\u2026\u201d here (Ctrl+K in the main window) or set ANTHROPIC_API_KEY."
            )
            return
        self.model_status.setText(f"Could not list the models ({message}) The model below will be used as typed.")

    def _edit_key(self) -> None:
        dialog = ApiKeyDialog(self.keys, self)
        dialog.exec()
        self.refresh_models()

    def config(self) -> MockConfig:
        topics = [
            self.topic_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.topic_list.count())
            if self.topic_list.item(i).checkState() == Qt.CheckState.Checked
        ]
        minutes = self.time_limit.value()
        job = self._jobs.get(str(self.job.currentData() or ""))
        return MockConfig(
            topics=[] if job else topics,
            topic_weights=dict(job.weights) if job else {},
            coding=min(self.coding.value(), self.count.value()),
            level=self.level.currentData() or None,
            count=self.count.value(),
            time_limit_s=minutes * 60 if minutes else None,
            model=self.model.currentText().strip() or DEFAULT_MODEL,
            follow_up_rounds=self.follow_ups.value(),
            offline=self.offline.isChecked(),
        )


class ApiKeyDialog(QDialog):
    """Enter the key; it goes to the system keychain (or this run only), never to a file MLPrep writes."""

    def __init__(self, keys: KeyStore, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("apiKeyDialog")
        closes_with_keys(self)
        self.setWindowTitle("Anthropic API key")
        self.keys = keys
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "MLPrep uses ANTHROPIC_API_KEY when it is set. Otherwise enter a key here: it is stored in your\n"
                "system keychain, never in MLPrep's files."
            )
        )
        self.edit = QLineEdit()
        self.edit.setObjectName("apiKeyEdit")
        self.edit.setAccessibleName("Anthropic API key")
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setPlaceholderText("sk-ant-…")
        layout.addWidget(self.edit)
        self.show_key = QCheckBox("Show")
        self.show_key.toggled.connect(
            lambda on: self.edit.setEchoMode(QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password)
        )
        layout.addWidget(self.show_key)
        self.status = QLabel("")
        self.status.setObjectName("apiKeyStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> None:
        key = self.edit.text()
        self.status.setText("Saving…")
        # The keychain can block on its service: talk to it off the UI thread.
        background.run(self, lambda _job: self.keys.save(key), self._on_saved, lambda exc: self._on_saved(str(exc)))

    def _on_saved(self, message: str) -> None:
        self.edit.clear()
        self.status.setText(message)
