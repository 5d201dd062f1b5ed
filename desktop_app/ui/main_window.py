"""The main window: its frame, menus and toolbar, and the wiring of the parts that do the work.

The study loop (ui/study.py), the mock-interview launcher (ui/mock_launcher.py), the Decks menu
(ui/decks.py), the Your data menu (ui/data_actions.py) and the view preferences (ui/view_prefs.py) each own
their actions; the shortcut table (ui/shortcuts.py) names which part carries each one, and the window binds
every key and menu entry from that table. The panes inside the frame are laid out by ui/window_layout.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# Only what the first paint needs is imported here; build() imports the rest once the window shows.
from PySide6.QtCore import QByteArray, QSettings, Signal
from PySide6.QtWidgets import QMainWindow

if TYPE_CHECKING:
    from datetime import timedelta
    from pathlib import Path

    from PySide6.QtGui import QCloseEvent

    from desktop_app.core.backup import Backup
    from desktop_app.core.bank import Problem
    from desktop_app.core.progress_io import ProgressCounts
    from desktop_app.core.store import Store
    from desktop_app.simulator.keys import KeyStore
    from desktop_app.ui.data_actions import DataActions
    from desktop_app.ui.decks import DeckActions
    from desktop_app.ui.dialogs import HelpSheet
    from desktop_app.ui.mock_launcher import MockLauncher
    from desktop_app.ui.study import StudyController
    from desktop_app.ui.view_prefs import ViewPrefs

CHECKPOINT_INTERVAL_MS = 20_000  # the WAL is folded into the database off the UI thread this often


class MainWindow(QMainWindow):
    """Built in three steps so that it paints as soon as a bare window would: the constructor makes only
    the frame, build() the widgets (Qt's enums and the panels cost more than the first paint itself),
    attach() gives it the store and fills them. create_window() runs all three at once."""

    storeDamaged = Signal(str)  # the integrity check's message

    def __init__(self, settings: QSettings, keys: KeyStore | None = None):
        super().__init__()
        self.keys = keys
        self.store: Store | None = None
        self.study: StudyController | None = None
        self.mocks: MockLauncher | None = None
        self.decks: DeckActions | None = None
        self.bank: Path | None = None  # a bank studied in place of the shipped one (--bank)
        self.data: DataActions | None = None
        self.view: ViewPrefs | None = None
        self.settings = settings
        self.bank_problems: list[Problem] = []
        self.setObjectName("mainWindow")
        self.setAccessibleName("MLPrep")
        self.setWindowTitle("MLPrep")
        self._help: HelpSheet | None = None
        self.built = False
        geometry = settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        self.statusBar().showMessage("Loading your questions…")

    def owner(self, name: str) -> object | None:
        """The object that carries a shortcut's action (see shortcuts.OWNERS); None until it exists."""
        return {
            "window": self,
            "view": self.view,
            "study": self.study,
            "mocks": self.mocks,
            "decks": self.decks,
            "data": self.data,
        }[name]

    def build(self) -> None:
        if self.built:
            return
        self.built = True
        from desktop_app.ui.view_prefs import ViewPrefs

        self._build()
        self.view = ViewPrefs(self.settings, self.statusBar().showMessage, self)
        self.view.themeChanged.connect(self._theme_changed)
        self._bind_shortcuts()
        self.view.apply_theme()
        self._restore_layout()
        self.statusBar().clearMessage()

    def _theme_changed(self, dark: bool) -> None:
        self.question_view.set_dark(dark)
        self._paint_icons(dark)
        if self.study is not None:
            self.study.show_current()

    def attach(self, store: Store, bank_problems: list[Problem] | None = None) -> None:
        """Give the window its data; called once, right after the first paint in the app."""
        from PySide6.QtCore import Qt, QTimer
        from PySide6.QtWidgets import QPushButton

        from desktop_app.ui import background
        from desktop_app.ui.data_actions import DataActions
        from desktop_app.ui.mock_launcher import MockLauncher
        from desktop_app.ui.study import StudyController

        self.build()
        self.store = store
        self.bank_problems = list(bank_problems or [])
        self.bank_action.setEnabled(bool(self.bank_problems))
        if self.bank_problems:
            button = QPushButton(f"{len(self.bank_problems)} problem(s) in the question bank")
            button.setObjectName("bankProblemsButton")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(self.show_bank_problems)
            self.statusBar().addWidget(button)
        from desktop_app.ui.lists import ListFeed

        widgets = self.panes.study_widgets(self.statusBar())
        self.study = StudyController(store, widgets, self.settings, ListFeed(store.path, self), self)
        study = self.study
        self.mocks = MockLauncher(
            store,
            self.keys,
            self,
            lambda: study.topic_titles,
            self.sidebar.current_topic,
            self.statusBar().showMessage,
        )
        self.mocks.finished.connect(study.after_schedule_change)
        from desktop_app.ui.decks import DeckActions

        self.decks = DeckActions(store, self, study, self._key_store, self.bank, self.statusBar().showMessage)
        self.data = DataActions(store, self, self.statusBar().showMessage, study.after_schedule_change)
        study.readFailed.connect(self._read_failed)
        study.start()
        # The integrity check runs on a worker thread (writes wait for it); a damaged store is refused.
        background.run(self, lambda _job: store.verdict(), self._on_verdict)
        self._checkpoints = QTimer(self, interval=CHECKPOINT_INTERVAL_MS)
        self._checkpoints.timeout.connect(lambda: background.run(self, lambda _job: store.checkpoint(), key="wal"))
        self._checkpoints.start()

    def _key_store(self) -> KeyStore:
        if self.keys is None:
            from desktop_app.simulator.keys import KeyStore

            self.keys = KeyStore()
        return self.keys

    def sync_progress(self, done: int | None, total: int = 1000) -> None:
        """The first sync of a large bank takes seconds (it runs on a worker thread): a bar in the status
        bar and a line in the question pane say how far it got. None removes them."""
        from PySide6.QtWidgets import QProgressBar

        from desktop_app.core.store.banksync import STAGE_TEXT, STAGES

        bar = getattr(self, "_sync_bar", None)
        if done is None:
            if bar is not None:
                self.statusBar().removeWidget(bar)
                bar.deleteLater()
                self._sync_bar = None
            return
        if bar is None:
            self.build()
            bar = QProgressBar()
            bar.setObjectName("syncProgress")
            bar.setAccessibleName("Loading the question bank")
            bar.setMaximumWidth(260)
            bar.setFormat("Loading the question bank %p%")
            self.statusBar().addPermanentWidget(bar)
            self._sync_bar = bar
        bar.setMaximum(max(1, total))
        bar.setValue(done)
        stage = next((name for name, (start, end) in STAGES.items() if start <= done < max(end, start + 1)), "done")
        self.progress_label.setText(f"{STAGE_TEXT[stage]}…")
        self.question_view.setPlainText(
            f"{STAGE_TEXT[stage]}… {done / max(1, total):.0%}\n\nA large bank is read into your store once; "
            "later starts take a moment."
        )

    def backup_if_due(self, every: timedelta) -> None:
        """A checked backup when the newest is older than `every` (see ui/data_actions.py)."""
        if self.data is not None:
            self.data.backup_if_due(every)

    @property
    def last_backup(self) -> Backup | None:
        return self.data.last_backup if self.data is not None else None

    @property
    def last_progress(self) -> ProgressCounts | None:
        """What the last export or import of a progress file moved."""
        return self.data.last_progress if self.data is not None else None

    def _read_failed(self, error: str) -> None:
        """A read of the store failed: damage (the integrity check will say) refuses the store; anything else
        is reported and left, as nothing was changed."""
        from desktop_app.ui import background

        store = self.store
        if store is None:
            return

        def verdict(problem: object) -> None:
            if problem:
                self.storeDamaged.emit(str(problem))
            else:
                self.statusBar().showMessage(f"Reading your questions failed: {error}. Nothing was changed.", 8000)

        background.run(self, lambda _job: store.verify(), verdict)

    def _on_verdict(self, problem: object) -> None:
        if problem:
            self.storeDamaged.emit(str(problem))

    # -- construction --------------------------------------------------------------------

    def _build(self) -> None:
        from desktop_app.ui.window_layout import WindowPanes

        panes = WindowPanes(self, lambda: self._call("mocks", "open_mock_setup"), self.open_dashboard)
        self.panes = panes
        self.sidebar = panes.sidebar
        self.search_box = panes.search_box
        self.match_label = panes.match_label
        self.level_filter = panes.level_filter
        self.status_filter = panes.status_filter
        self.list_model = panes.list_model
        self.question_list = panes.question_list
        self.question_view = panes.question_view
        self.rubric_panel = panes.rubric_panel
        self.score_bar = panes.score_bar
        self.done_page = panes.done_page
        self.question_split = panes.question_split
        self.pages = panes.pages
        self.right_splitter = panes.right_splitter
        self.main_splitter = panes.main_splitter
        self.problems = panes.problems
        self.progress_label = panes.progress_label
        self._build_menus()
        self._build_toolbar()

    def _build_toolbar(self) -> None:
        from PySide6.QtCore import QSize, Qt
        from PySide6.QtWidgets import QSizePolicy, QToolBar, QWidget

        toolbar = QToolBar("Interview")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(18, 18))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(toolbar)
        self.toolbar_actions = {}
        for name, text, tip, owner, action in (
            ("mock", "Mock interview", "Start a mock interview (Ctrl+M)", "mocks", "open_mock_setup"),
            ("history", "History", "Past mock interviews (Ctrl+H)", "mocks", "show_mock_history"),
            ("dashboard", "Dashboard", "Readiness dashboard (D)", "window", "open_dashboard"),
            (
                "settings",
                "Study settings",
                "Retention, new questions per day, interview date (Ctrl+,)",
                "window",
                "open_study_settings",
            ),
        ):
            act = toolbar.addAction(text)
            act.setObjectName(f"{name}Action")
            act.setToolTip(tip)
            act.triggered.connect(lambda _c=False, o=owner, a=action: self._call(o, a))
            self.toolbar_actions[name] = act
            if name == "mock":
                spacer = QWidget()
                spacer.setFixedWidth(6)
                toolbar.addWidget(spacer)
        stretch = QWidget()
        stretch.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(stretch)
        help_action = toolbar.addAction("Shortcuts")
        help_action.setObjectName("helpAction")
        help_action.setToolTip("All keyboard shortcuts (? or F1)")
        help_action.triggered.connect(self.show_help)
        self.toolbar_actions["help"] = help_action
        for act in toolbar.actions():
            widget = toolbar.widgetForAction(act)
            if widget is not None:
                widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        primary = toolbar.widgetForAction(self.toolbar_actions["mock"])
        primary.setObjectName("primaryAction")  # the one filled button: what to do when ready
        primary.setAccessibleName("Start a mock interview")
        self.toolbar = toolbar

    def _paint_icons(self, dark: bool) -> None:
        from desktop_app.ui.icons import icon
        from desktop_app.ui.theme import tokens

        t = tokens(dark)
        for name, act in self.toolbar_actions.items():
            act.setIcon(icon(name, t.accent_text if name == "mock" else t.text))

    def _call(self, owner: str, action: str) -> None:
        target = self.owner(owner)
        if target is not None:
            getattr(target, action)()

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
            action.triggered.connect(lambda _c=False, o=spec.owner, a=spec.action: self._call(o, a))
            menu.addAction(action)  # type: ignore[attr-defined]
        self.bank_action = QAction("Problems in the question bank…", self)
        self.bank_action.triggered.connect(self.show_bank_problems)
        self.bank_action.setEnabled(False)
        menus["App"].addAction(self.bank_action)  # type: ignore[attr-defined]

    def _bind_shortcuts(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeySequence, QShortcut

        from desktop_app.ui.shortcuts import SHORTCUTS, bindings

        self.shortcuts: list[QShortcut] = []
        app_wide = {QKeySequence(k).toString() for s in SHORTCUTS if s.app_wide for k in s.keys}
        for key, handler in bindings(self.owner):
            shortcut = QShortcut(QKeySequence(key), self)
            # Quit works from every window of the app (a mock interview, the dashboard, a dialog).
            wide = QKeySequence(key).toString() in app_wide
            shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut if wide else Qt.ShortcutContext.WindowShortcut)
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

    # -- window-level actions (named in the shortcut table) ------------------------------

    def show_help(self) -> None:
        from desktop_app.ui.dialogs import HelpSheet

        if self._help is None:
            self._help = HelpSheet(self)
        self._help.show()
        self._help.raise_()

    def show_bank_problems(self) -> None:
        from desktop_app.ui.dialogs import ProblemsDialog

        ProblemsDialog(self.bank_problems, self).exec()

    def open_dashboard(self) -> None:
        """Built off the UI thread (a few hundred ms at 100,000 questions), shown when ready."""
        store = self.store
        if store is None:
            return
        from desktop_app.core import dashboard
        from desktop_app.ui import background

        def work(_job: background.Job[dashboard.Dashboard]) -> dashboard.Dashboard:
            with store.thread_connection():
                return dashboard.build(store)

        self.statusBar().showMessage("Building the dashboard…")
        background.run(self, work, self._show_dashboard, self._background_failed, key="dashboard")

    def _show_dashboard(self, data: object) -> None:
        from PySide6.QtCore import Qt

        from desktop_app.ui.dashboard import dashboard_window

        self.statusBar().clearMessage()
        window = dashboard_window(data, self)  # type: ignore[arg-type]
        window.setWindowFlag(Qt.WindowType.Window)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dashboard = window
        window.show()

    def _background_failed(self, exc: BaseException) -> None:
        self.statusBar().showMessage(f"That failed: {exc}", 8000)

    def open_study_settings(self) -> None:
        if self.store is None:
            return
        from PySide6.QtCore import Qt

        from desktop_app.ui.study_settings import StudySettingsDialog

        dialog = StudySettingsDialog(self.store.sched.config(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.apply_study_settings(dialog.config()))
        self.study_settings = dialog
        dialog.show()

    def apply_study_settings(self, config: object) -> None:
        from desktop_app.ui.study_settings import apply_settings

        if self.store is not None and self.study is not None:
            apply_settings(self.store, config, self, self.statusBar(), self.study.after_settings_change)  # type: ignore[arg-type]

    def quit(self) -> None:
        """Close every window: each one stops what it runs (a mock interview its reply) and saves its state."""
        from PySide6.QtWidgets import QApplication

        for window in QApplication.topLevelWidgets():
            if window is not self and window.isVisible():
                window.close()
        self.close()

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
        if self.study is not None:  # a window closed before it loaded keeps the old position
            self.study.save()
        s.setValue("level", self.level_filter.currentData())
        s.setValue("status", self.status_filter.currentData())
        if self.view is not None:
            self.view.save()
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.mocks is not None:
            self.mocks.close_all()
        if self.built:
            self.rubric_panel.flush_note()
        self.save_settings()
        if self.study is not None:
            self.study.close()
        super().closeEvent(event)
