"""The main study window: sidebar, filters and search, question list, question view and rubric panel."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

# Only what the first paint needs is imported here; build() imports the rest once the window shows.
from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow

from desktop_app.core.vocab import THEMES

if TYPE_CHECKING:
    from PySide6.QtCore import QModelIndex
    from PySide6.QtGui import QCloseEvent

    from desktop_app.core.bank import Problem
    from desktop_app.core.review import StudySession
    from desktop_app.core.store import Store
    from desktop_app.simulator.keys import KeyStore
    from desktop_app.simulator.session import MockConfig
    from desktop_app.ui.dialogs import HelpSheet
    from desktop_app.ui.interviewer import WorkerHost
    from desktop_app.ui.mock_window import MockInterviewWindow

_F = TypeVar("_F", bound=Callable[..., object])


def _needs_store(method: _F) -> _F:
    """Study actions do nothing until attach() has given the window its store."""

    @functools.wraps(method)
    def wrapper(self: MainWindow, *args: object, **kwargs: object) -> object:
        if self.session is None:
            return None
        return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


STATUS_CHOICES = (
    ("all", "All questions"),
    ("due", "Due now"),
    ("unreviewed", "Unreviewed"),
    ("weak_ok", "Weak or OK last time"),
    ("bookmarked", "Bookmarked"),
)
CHECKPOINT_INTERVAL_MS = 20_000  # the WAL is folded into the database off the UI thread this often
ZOOM_STEP = 1.1
ZOOM_LIMIT = 8


class MainWindow(QMainWindow):
    """Built in three steps so that it paints as soon as a bare window would: the constructor makes only
    the frame, build() the widgets (Qt's enums and the panels cost more than the first paint itself),
    attach() gives it the store and fills them. create_window() runs all three at once."""

    def __init__(self, settings: QSettings, keys: KeyStore | None = None):
        super().__init__()
        self.keys = keys
        self.mock_windows: list[MockInterviewWindow] = []
        self.store: Store | None = None
        self.session: StudySession | None = None
        self.settings = settings
        self.bank_problems: list[Problem] = []
        self.setObjectName("mainWindow")
        self.setAccessibleName("MLPrep")
        self.setWindowTitle("MLPrep")
        self.always_show = bool(settings.value("alwaysShow", False, type=bool))
        self.zoom_steps = int(settings.value("zoom", 0, type=int))  # type: ignore[call-overload]
        self.theme = str(settings.value("theme", "system"))
        if self.theme not in THEMES:
            self.theme = "system"
        self._topic_titles: dict[str, str] = {}
        self._topic_counts: dict[str, list[int]] = {}
        self._note_qid: str | None = None
        self._due: list[int] | None = None  # [due now, new left today], kept in step after each score
        self._help: HelpSheet | None = None
        self.built = False
        geometry = settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        self.statusBar().showMessage("Loading your questions…")

    def build(self) -> None:
        if self.built:
            return
        self.built = True
        self._build()
        self._bind_shortcuts()
        self._apply_theme()
        self._apply_zoom()
        self._restore_layout()
        self.statusBar().clearMessage()
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)

    def _system_scheme_changed(self) -> None:
        if self.theme == "system":
            self._apply_theme()
            if self.session is not None:
                self._show_current()

    def attach(self, store: Store, bank_problems: list[Problem] | None = None) -> None:
        """Give the window its data; called once, right after the first paint in the app."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QPushButton

        from desktop_app.core.review import StudySession

        self.build()
        self.store = store
        self.session = StudySession(store)
        self.bank_problems = list(bank_problems or [])
        self.bank_action.setEnabled(bool(self.bank_problems))
        if self.bank_problems:
            button = QPushButton(f"{len(self.bank_problems)} problem(s) in the question bank")
            button.setObjectName("bankProblemsButton")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(self.show_bank_problems)
            self.statusBar().addWidget(button)
        self.sidebar.topicSelected.connect(lambda _t: self.refresh_list())
        self.search_box.textChanged.connect(lambda _t: self.refresh_list())
        self.level_filter.currentIndexChanged.connect(lambda _i: self._filter_changed())
        self.status_filter.currentIndexChanged.connect(lambda _i: self._filter_changed())
        self.question_list.selectionModel().currentChanged.connect(self._on_list_current)
        self.rubric_panel.scored.connect(self.score)
        self.rubric_panel.bookmarkToggled.connect(self._set_bookmark)
        self.rubric_panel.noteEdited.connect(self._save_note)
        from desktop_app.ui.sidebar import ALL_TOPICS

        self.refresh_topics(current=str(self.settings.value("lastTopic", ALL_TOPICS)))
        self.refresh_list(keep_qid=str(self.settings.value("lastQuestion", "")) or None)
        self.question_list.setFocus()
        from PySide6.QtCore import QTimer

        self._checkpoints = QTimer(self, interval=CHECKPOINT_INTERVAL_MS)
        self._checkpoints.timeout.connect(store.checkpoint_in_background)
        self._checkpoints.start()

    # -- construction --------------------------------------------------------------------

    def _build(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QSplitter, QVBoxLayout, QWidget

        from desktop_app.core.vocab import LEVELS
        from desktop_app.ui.question_list import QuestionListModel, QuestionListView
        from desktop_app.ui.question_view import QuestionView
        from desktop_app.ui.rubric_panel import RubricPanel
        from desktop_app.ui.sidebar import TopicSidebar

        self.sidebar = TopicSidebar()
        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setAccessibleName("Search questions")
        self.search_box.setPlaceholderText("Search  ( / )")
        self.search_box.setClearButtonEnabled(True)
        self.level_filter = QComboBox()
        self.level_filter.setObjectName("levelFilter")
        self.level_filter.setAccessibleName("Level filter")
        self.level_filter.addItem("All levels", "")
        for level in LEVELS:
            self.level_filter.addItem(level.capitalize(), level)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.setAccessibleName("Status filter")
        for value, label in STATUS_CHOICES:
            self.status_filter.addItem(label, value)
        for combo in (self.level_filter, self.status_filter):
            combo.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

        self.list_model = QuestionListModel(self)
        self.question_list = QuestionListView(self.list_model)
        self.question_view = QuestionView()
        self.rubric_panel = RubricPanel()

        middle = QWidget()
        mid_layout = QVBoxLayout(middle)
        mid_layout.setContentsMargins(0, 0, 0, 0)
        mid_layout.addWidget(self.search_box)
        filters = QHBoxLayout()
        filters.addWidget(self.level_filter)
        filters.addWidget(self.status_filter)
        mid_layout.addLayout(filters)
        mid_layout.addWidget(self.question_list)

        self.right_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.right_splitter.setObjectName("rightSplitter")
        self.right_splitter.addWidget(self.question_view)
        self.right_splitter.addWidget(self.rubric_panel)
        self.right_splitter.setStretchFactor(0, 3)
        self.right_splitter.setStretchFactor(1, 1)

        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(self.sidebar)
        self.main_splitter.addWidget(middle)
        self.main_splitter.addWidget(self.right_splitter)
        self.main_splitter.setStretchFactor(2, 1)
        self.main_splitter.setSizes([250, 330, 700])
        self.setCentralWidget(self.main_splitter)

        self.progress_label = QLabel()
        self.progress_label.setObjectName("progressLabel")
        self.progress_label.setAccessibleName("Progress")
        self.statusBar().addPermanentWidget(self.progress_label)
        self.progress_label.setText("Loading…")
        self._build_menus()
        toolbar = self.addToolBar("Interview")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        mock_action = toolbar.addAction("Mock interview (Ctrl+M)")
        mock_action.setObjectName("mockInterviewAction")
        mock_action.triggered.connect(self.open_mock_setup)
        history_action = toolbar.addAction("History")
        history_action.triggered.connect(self.show_mock_history)
        for action in toolbar.actions():
            toolbar.widgetForAction(action).setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.search_box.returnPressed.connect(self.back_to_list)

    def _build_menus(self) -> None:
        """Menus list the same actions as the shortcut table; the key shown is the table's first key."""
        from PySide6.QtGui import QAction

        from desktop_app.ui.dialogs import native_key
        from desktop_app.ui.shortcuts import SHORTCUTS

        menus: dict[str, object] = {}
        for spec in SHORTCUTS:
            menu = menus.get(spec.group)
            if menu is None:
                menu = self.menuBar().addMenu(f"&{spec.group}")
                menus[spec.group] = menu
            action = QAction(f"{spec.description}\t{native_key(spec.keys[0])}", self)
            action.setObjectName(f"action_{spec.action}")
            action.triggered.connect(getattr(self, spec.action))
            menu.addAction(action)  # type: ignore[attr-defined]
        self.bank_action = QAction("Problems in the question bank…", self)
        self.bank_action.triggered.connect(self.show_bank_problems)
        self.bank_action.setEnabled(False)
        menus["App"].addAction(self.bank_action)  # type: ignore[attr-defined]

    def _bind_shortcuts(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeySequence, QShortcut

        from desktop_app.ui.shortcuts import bindings

        self.shortcuts: list[QShortcut] = []
        for key, handler in bindings(self):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(handler)
            self.shortcuts.append(shortcut)

    def _restore_layout(self) -> None:
        for key, splitter in (("mainSplitter", self.main_splitter), ("rightSplitter", self.right_splitter)):
            state = self.settings.value(key)
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
        level = str(self.settings.value("level", ""))
        status = str(self.settings.value("status", "all"))
        for combo, value in ((self.level_filter, level), (self.status_filter, status)):
            index = combo.findData(value)
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, index))
            combo.blockSignals(False)

    @property
    def _db(self) -> Store:
        assert self.store is not None, "attach() gives the window its store"
        return self.store

    @property
    def _study(self) -> StudySession:
        assert self.session is not None, "attach() gives the window its store"
        return self.session

    # -- data to widgets -----------------------------------------------------------------

    @_needs_store
    def refresh_topics(self, current: str | None = None) -> None:
        topics = self._db.questions.topics()
        self._topic_titles = {t.id: t.title for t in topics}
        self._topic_counts = {t.id: [t.reviewed, t.total] for t in topics}
        self.sidebar.set_topics(topics, current)
        self._update_status()

    @_needs_store
    def refresh_list(self, keep_qid: str | None = None) -> None:
        from desktop_app.ui.sidebar import DUE

        current = self._study.current
        keep = keep_qid or (current.qid if current else None)
        topic = self.sidebar.current_topic()
        level = self.level_filter.currentData() or None
        status = self.status_filter.currentData()
        if topic == DUE or status == "due":
            items = self._db.sched.due(topic_id=None if topic == DUE else topic or None, level=level)
            text = self.search_box.text().strip()
            if text:
                matching = {q.qid for q in self._db.questions.list(search=text)}
                items = [q for q in items if q.qid in matching]
        else:
            items = self._db.questions.list(
                topic_id=topic or None, level=level, status=status, search=self.search_box.text()
            )
        self._study.set_items(items, keep)
        self.list_model.set_items(self._study.items)
        self._show_current()

    def _filter_changed(self) -> None:
        self.refresh_list()
        self.question_list.setFocus()

    @_needs_store
    def _show_current(self) -> None:
        item = self._study.current
        self._select_row(self._study.index)
        question = self._db.questions.get(item.qid) if item else None
        revealed = self._study.revealed or self.always_show
        title = self._topic_titles.get(question.topic_id, question.topic_id) if question else ""
        self.question_view.show_question(question, title, revealed)
        self.rubric_panel.show_rubric(question.rubric if question else None, revealed)
        if question is not None:
            self.rubric_panel.show_last(
                self._db.reviews.last(question.id, "self"), self._db.reviews.last(question.id, "mock")
            )
            self.rubric_panel.set_bookmarked(item.bookmarked if item else False)
            self.rubric_panel.load_note(self._db.notes.note(question.id))
            self._note_qid = question.id
        else:
            self.rubric_panel.show_last(None, None)
            self.rubric_panel.load_note("")
            self._note_qid = None

    def _select_row(self, row: int) -> None:
        from PySide6.QtCore import QItemSelectionModel, QModelIndex

        selection = self.question_list.selectionModel()
        index = self.list_model.index(row, 0) if row >= 0 else QModelIndex()
        if selection.currentIndex() == index:
            return
        selection.blockSignals(True)
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        selection.blockSignals(False)
        self.question_list.viewport().update()
        if index.isValid():
            self.question_list.scrollTo(index)

    def _on_list_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and self._study.go_to(current.row()):
            self._show_current()

    def _update_status(self, recount_due: bool = True) -> None:
        reviewed = sum(c[0] for c in self._topic_counts.values())
        total = sum(c[1] for c in self._topic_counts.values())
        streak = self._db.sched.streak()
        days = "day" if streak == 1 else "days"
        if recount_due or self._due is None:
            self._due = list(self._db.sched.due_counts())
        due, new = self._due
        self.sidebar.set_due(due, new)
        self.progress_label.setText(f"{reviewed} / {total} reviewed  ·  {due} due  ·  streak {streak} {days}")

    # -- actions (named in the shortcut table) ------------------------------------------

    @_needs_store
    def next_question(self) -> None:
        if self._study.next():
            self._show_current()

    @_needs_store
    def previous_question(self) -> None:
        if self._study.previous():
            self._show_current()

    @_needs_store
    def toggle_reveal(self) -> None:
        if self._study.current is None:
            return
        self._study.toggle_reveal()
        self._show_current()

    def score_weak(self) -> None:
        self.score("weak")

    def score_ok(self) -> None:
        self.score("ok")

    def score_strong(self) -> None:
        self.score("strong")

    def score_easy(self) -> None:
        self.score("easy")

    @_needs_store
    def score(self, tier: str) -> None:
        item = self._study.current
        if item is None:
            return
        first_review = item.last_score is None
        import time

        card = self._db.sched.card(item.qid)
        was_due = card is not None and card.due <= time.time()
        step = self._study.score(tier)
        if step is None:
            return
        self.list_model.update_row(step.index, self._study.items[step.index])
        if self._due is not None:
            # A scored card is never due again at once (FSRS's shortest step is a minute): count it out.
            self._due[0] -= int(was_due)
            self._due[1] = max(0, self._due[1] - int(card is None))
        if first_review:
            self._count_reviewed(item.topic_id, +1)
        else:
            self._update_status(recount_due=False)
        self._show_current()
        self.statusBar().showMessage(f"Scored {tier.upper()}. Press U to undo.", 3000)

    @_needs_store
    def undo_score(self) -> None:
        before = {i.qid: i.last_score for i in self._study.items}
        step = self._study.undo()
        if step is None:
            self.statusBar().showMessage("Nothing to undo.", 2000)
            return
        item = self._study.items[self._study.index]
        self.list_model.update_row(self._study.index, item)
        if before.get(step.qid) is not None and item.last_score is None:
            self._count_reviewed(item.topic_id, -1)
        self._show_current()
        self.statusBar().showMessage("Score undone.", 2000)

    def _count_reviewed(self, topic_id: str, delta: int) -> None:
        # Counted here rather than re-queried: a GROUP BY over a large bank costs more than a keystroke.
        if topic_id in self._topic_counts:
            self._topic_counts[topic_id][0] += delta
        self.sidebar.update_counts(self._topic_counts)
        self._update_status(recount_due=delta < 0)

    @_needs_store
    def toggle_bookmark(self) -> None:
        item = self._study.current
        if item is not None:
            self._set_bookmark(not item.bookmarked)

    @_needs_store
    def _set_bookmark(self, on: bool) -> None:
        item = self._study.current
        if item is None:
            return
        self._db.notes.set_bookmark(item.qid, on)
        self._study.update_item(item.qid, bookmarked=on)
        self.list_model.update_row(self._study.index, self._study.items[self._study.index])
        self.rubric_panel.set_bookmarked(on)

    def _save_note(self, text: str) -> None:
        if self._note_qid is not None:
            self._db.notes.set_note(self._note_qid, text)

    @_needs_store
    def edit_note(self) -> None:
        if self._study.current is not None:
            self.rubric_panel.note_edit.setFocus()

    @_needs_store
    def toggle_always_show(self) -> None:
        self.always_show = not self.always_show
        self._show_current()
        self.statusBar().showMessage(
            "Answers always shown." if self.always_show else "Study mode: answers hidden until revealed.", 2500
        )

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def back_to_list(self) -> None:
        self.rubric_panel.flush_note()
        self.question_list.setFocus()

    def cycle_level(self) -> None:
        self.level_filter.setCurrentIndex((self.level_filter.currentIndex() + 1) % self.level_filter.count())

    def show_help(self) -> None:
        from desktop_app.ui.dialogs import HelpSheet

        if self._help is None:
            self._help = HelpSheet(self)
        self._help.show()
        self._help.raise_()

    def show_bank_problems(self) -> None:
        from desktop_app.ui.dialogs import ProblemsDialog

        ProblemsDialog(self.bank_problems, self).exec()

    def zoom_in(self) -> None:
        self._set_zoom(self.zoom_steps + 1)

    def zoom_out(self) -> None:
        self._set_zoom(self.zoom_steps - 1)

    def zoom_reset(self) -> None:
        self._set_zoom(0)

    def _set_zoom(self, steps: int) -> None:
        self.zoom_steps = max(-ZOOM_LIMIT, min(ZOOM_LIMIT, steps))
        self._apply_zoom()

    def _apply_zoom(self) -> None:
        from PySide6.QtGui import QFont
        from PySide6.QtWidgets import QApplication

        base = QApplication.font().pointSizeF()
        font = QFont(QApplication.font())
        font.setPointSizeF(base * ZOOM_STEP**self.zoom_steps)
        for widget in (self.question_view, self.rubric_panel, self.question_list, self.sidebar):
            widget.setFont(font)

    def cycle_theme(self) -> None:
        self.theme = THEMES[(THEMES.index(self.theme) + 1) % len(THEMES)]
        self._apply_theme()
        self._show_current()
        self.statusBar().showMessage(f"Theme: {self.theme}", 2000)

    def _apply_theme(self) -> None:
        from PySide6.QtWidgets import QApplication

        from desktop_app.ui.theme import apply_theme

        app = QApplication.instance()
        if isinstance(app, QApplication):
            self.question_view.set_dark(apply_theme(app, self.theme))

    def quit(self) -> None:
        self.close()

    # -- mock interviews ----------------------------------------------------------------

    def _keys(self) -> KeyStore:
        if self.keys is None:
            from desktop_app.simulator.keys import KeyStore

            self.keys = KeyStore()
        return self.keys

    @_needs_store
    def open_mock_setup(self) -> None:
        """The setup dialog, non-modal; its worker thread lists the models and then runs the session."""
        from PySide6.QtCore import Qt

        from desktop_app.ui.interviewer import WorkerHost
        from desktop_app.ui.mock_setup import MockSetupDialog

        host = WorkerHost(self._keys())
        dialog = MockSetupDialog(
            self._db.questions.topics(), self._keys(), host, self.sidebar.current_topic(), parent=self
        )
        dialog.accepted.connect(lambda: self.begin_mock(dialog.config(), host))
        dialog.rejected.connect(host.shutdown)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.mock_setup = dialog
        dialog.show()

    @_needs_store
    def begin_mock(self, config: MockConfig, host: WorkerHost | None = None) -> MockInterviewWindow | None:
        import random

        from desktop_app.simulator.session import MockInterview, pick_questions
        from desktop_app.ui.interviewer import WorkerHost
        from desktop_app.ui.mock_window import MockInterviewWindow

        questions = pick_questions(self._db, config, random.Random())
        if not questions:
            if host is not None:
                host.shutdown()
            self.statusBar().showMessage("No questions match that mock-interview set-up.", 4000)
            return None
        if config.offline:
            if host is not None:
                host.shutdown()
            host = None
        elif host is None:
            host = WorkerHost(self._keys())
        interview = MockInterview(self._db, config, questions, dict(self._topic_titles))
        window = MockInterviewWindow(self._db, interview, host)
        window.sessionFinished.connect(lambda _sid: self._after_mock())
        self.mock_windows.append(window)
        window.show()
        window.start()
        return window

    def _after_mock(self) -> None:
        # Mock grades go into the same review log: refresh counts, list and the rubric panel.
        if self.session is not None:
            self.refresh_topics()
            self.refresh_list()

    @_needs_store
    def show_mock_history(self) -> None:
        from PySide6.QtCore import Qt

        from desktop_app.ui.mock_history import MockHistoryDialog

        dialog = MockHistoryDialog(self._db, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.history_dialog = dialog
        dialog.show()

    @_needs_store
    def open_dashboard(self) -> None:
        from PySide6.QtCore import Qt

        from desktop_app.ui.dashboard import open_dashboard

        window = open_dashboard(self._db, self)
        window.setWindowFlag(Qt.WindowType.Window)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dashboard = window
        window.show()

    @_needs_store
    def open_study_settings(self) -> None:
        from PySide6.QtCore import Qt

        from desktop_app.ui.dashboard import StudySettingsDialog

        dialog = StudySettingsDialog(self._db.sched.config(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply_study_settings(dialog.config()))
        self.study_settings = dialog
        dialog.show()

    def apply_study_settings(self, config: object) -> None:
        self._db.sched.set_config(config)  # type: ignore[arg-type]
        self.refresh_list()
        self._update_status()
        self.statusBar().showMessage("Study settings saved; the schedule follows them from now on.", 3000)

    def edit_api_key(self) -> None:
        from PySide6.QtCore import Qt

        from desktop_app.ui.mock_setup import ApiKeyDialog

        dialog = ApiKeyDialog(self._keys(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def warm_up(self) -> None:
        if self.built:
            self.question_view.warm_up()

    # -- shutdown ------------------------------------------------------------------------

    def save_settings(self) -> None:
        if not self.built:
            return  # closed before it was built: keep what was saved last time
        s = self.settings
        s.setValue("geometry", self.saveGeometry())
        s.setValue("mainSplitter", self.main_splitter.saveState())
        s.setValue("rightSplitter", self.right_splitter.saveState())
        current = self.session.current if self.session else None
        if self.session is not None:  # a window closed before it loaded keeps the old position
            s.setValue("lastQuestion", current.qid if current else "")
            s.setValue("lastTopic", self.sidebar.current_topic())
        s.setValue("level", self.level_filter.currentData())
        s.setValue("status", self.status_filter.currentData())
        s.setValue("alwaysShow", self.always_show)
        s.setValue("zoom", self.zoom_steps)
        s.setValue("theme", self.theme)
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        for window in self.mock_windows:
            window.close()  # each stops its reply and waits for its thread
        if self.built:
            self.rubric_panel.flush_note()
        self.save_settings()
        super().closeEvent(event)
