"""Starting mock interviews from the main window: the set-up dialog, the interview windows, history, the key."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from desktop_app.core.store import Store
    from desktop_app.simulator.keys import KeyStore
    from desktop_app.simulator.session import MockConfig
    from desktop_app.ui.interviewer import WorkerHost
    from desktop_app.ui.mock_window import MockInterviewWindow


class MockLauncher(QObject):
    finished = Signal()  # a session ended: its grades are in the review log

    def __init__(
        self,
        store: Store,
        keys: KeyStore | None,
        window: QWidget,
        topic_titles: Callable[[], dict[str, str]],
        current_topic: Callable[[], str],
        show_message: Callable[[str, int], None],
    ):
        super().__init__(window)
        self.store = store
        self.keys = keys
        self.window = window
        self._topic_titles = topic_titles
        self._current_topic = current_topic
        self._show_message = show_message
        self.windows: list[MockInterviewWindow] = []
        self.setup_dialog: QWidget | None = None
        self.history_dialog: QWidget | None = None

    def _keys(self) -> KeyStore:
        if self.keys is None:
            from desktop_app.simulator.keys import KeyStore

            self.keys = KeyStore()
        return self.keys

    def open_mock_setup(self) -> None:
        """The set-up dialog, non-modal; its worker thread lists the models and then runs the session."""
        from desktop_app.ui.interviewer import WorkerHost
        from desktop_app.ui.mock_setup import MockSetupDialog

        host = WorkerHost(self._keys())
        from desktop_app.core.decks import list_jobs

        dialog = MockSetupDialog(
            self.store.questions.topics(),
            self._keys(),
            host,
            self._current_topic(),
            parent=self.window,
            jobs=list_jobs(self.store.path.parent),
        )
        dialog_accepted = False

        def accepted() -> None:
            nonlocal dialog_accepted
            dialog_accepted = True  # the host now belongs to the interview window
            self.begin_mock(dialog.config(), host)

        dialog.accepted.connect(accepted)
        dialog.rejected.connect(host.shutdown)
        dialog.destroyed.connect(lambda _obj=None: host.shutdown() if not dialog_accepted else None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setup_dialog = dialog
        dialog.show()

    def begin_mock(self, config: MockConfig, host: WorkerHost | None = None) -> MockInterviewWindow | None:
        from desktop_app.simulator.session import MockInterview, pick_questions
        from desktop_app.ui.interviewer import WorkerHost
        from desktop_app.ui.mock_window import MockInterviewWindow

        questions = pick_questions(self.store, config, random.Random())
        if not questions:
            if host is not None:
                host.shutdown()
            self._show_message("No questions match that mock-interview set-up.", 4000)
            return None
        if config.offline:
            if host is not None:
                host.shutdown()
            host = None
        elif host is None:
            host = WorkerHost(self._keys())
        from desktop_app.core.store import WriteError

        try:
            interview = MockInterview(self.store, config, questions, dict(self._topic_titles()))
        except WriteError as exc:
            if host is not None:
                host.shutdown()
            self._show_message(f"The mock interview could not start: {exc.message}", 10_000)
            return None
        window = MockInterviewWindow(self.store, interview, host)
        window.sessionFinished.connect(lambda _sid: self.finished.emit())
        self.windows.append(window)
        window.show()
        window.start()
        return window

    def show_mock_history(self) -> None:
        from desktop_app.ui.mock_history import MockHistoryDialog

        dialog = MockHistoryDialog(self.store, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.history_dialog = dialog
        dialog.show()

    def edit_api_key(self) -> None:
        from desktop_app.ui.mock_setup import ApiKeyDialog

        dialog = ApiKeyDialog(self._keys(), self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def close_all(self) -> None:
        for window in self.windows:
            window.close()  # each stops its reply and waits for its thread
