"""The main window's widget tree, built apart from its menus and actions so that each reads on its own.

The sidebar of topics, the question list with its search and filters, the question (and under it the
coding panel, added by ui/study.py), the score bar, the rubric panel, and the splitters between them; the
study loop fills them (StudyWidgets), the window keeps them as its attributes and saves the splitters.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.vocab import LEVELS
from desktop_app.ui.banner import WriteProblemBanner
from desktop_app.ui.done_today import DoneForToday
from desktop_app.ui.question_list import QuestionListModel, QuestionListView
from desktop_app.ui.question_view import QuestionView
from desktop_app.ui.rubric_panel import RubricPanel
from desktop_app.ui.score_bar import ScoreBar
from desktop_app.ui.sidebar import TopicSidebar
from desktop_app.ui.study import STATUS_CHOICES, StudyWidgets


class WindowPanes:
    """Builds the panes into `window` (its central widget and the progress label in its status bar);
    the done-for-today screen's buttons call `open_mock_setup` and `open_dashboard`."""

    def __init__(
        self, window: QMainWindow, open_mock_setup: Callable[[], None], open_dashboard: Callable[[], None]
    ) -> None:
        self.sidebar = TopicSidebar()
        self.sidebar.setMinimumWidth(130)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setAccessibleName("Search questions")
        self.search_box.setAccessibleDescription("Words match by prefix in questions, answers, follow-ups and tags")
        self.search_box.setPlaceholderText("Search   /")
        self.search_box.setClearButtonEnabled(True)
        self.match_label = QLabel()
        self.match_label.setObjectName("matchCount")
        self.match_label.setAccessibleName("Search results")
        self.match_label.setWordWrap(True)
        self.match_label.setTextFormat(Qt.TextFormat.PlainText)
        self.match_label.hide()
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
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)

        self.list_model = QuestionListModel(window)
        self.question_list = QuestionListView(self.list_model)
        self.question_view = QuestionView()
        self.rubric_panel = RubricPanel()
        self.score_bar = ScoreBar()
        self.done_page = DoneForToday()
        self.done_page.mockInterview.connect(open_mock_setup)
        self.done_page.dashboard.connect(open_dashboard)

        middle = QWidget()
        middle.setMinimumWidth(180)
        mid_layout = QVBoxLayout(middle)
        mid_layout.setContentsMargins(0, 8, 0, 8)
        mid_layout.setSpacing(6)
        mid_layout.addWidget(self.search_box)
        mid_layout.addWidget(self.match_label)
        filters = QHBoxLayout()
        filters.setSpacing(6)
        filters.addWidget(self.level_filter)
        filters.addWidget(self.status_filter)
        mid_layout.addLayout(filters)
        mid_layout.addWidget(self.question_list, 1)

        question_page = QWidget()
        question_layout = QVBoxLayout(question_page)
        question_layout.setContentsMargins(0, 0, 0, 0)
        question_layout.setSpacing(6)
        # A coding question adds the coding panel under the question (made on first use: ui/study.py).
        self.question_split = QSplitter(Qt.Orientation.Vertical)
        self.question_split.setObjectName("questionSplit")
        self.question_split.setChildrenCollapsible(False)
        self.question_split.addWidget(self.question_view)
        question_layout.addWidget(self.question_split, 1)
        question_layout.addWidget(self.score_bar)
        self.pages = QStackedWidget()
        self.pages.setObjectName("studyPages")
        self.pages.addWidget(question_page)
        self.pages.addWidget(self.done_page)
        answer_column = QWidget()
        answer_layout = QVBoxLayout(answer_column)
        answer_layout.setContentsMargins(0, 8, 0, 8)
        answer_layout.addWidget(self.pages)

        # Long rubrics scroll inside their pane instead of making the whole window taller.
        rubric_scroll = QScrollArea()
        rubric_scroll.setObjectName("rubricScroll")
        rubric_scroll.setWidgetResizable(True)
        rubric_scroll.setFrameShape(QFrame.Shape.NoFrame)
        rubric_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        rubric_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the study keys must keep reaching the window
        rubric_scroll.setWidget(self.rubric_panel)
        rubric_column = QWidget()
        rubric_column.setMinimumWidth(150)
        rubric_layout = QVBoxLayout(rubric_column)
        rubric_layout.setContentsMargins(0, 8, 8, 8)
        rubric_layout.addWidget(rubric_scroll)

        self.right_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.right_splitter.setObjectName("rightSplitter")
        self.right_splitter.addWidget(answer_column)
        self.right_splitter.addWidget(rubric_column)
        self.right_splitter.setStretchFactor(0, 3)
        self.right_splitter.setStretchFactor(1, 1)
        self.right_splitter.setSizes([560, 270])

        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(self.sidebar)
        self.main_splitter.addWidget(middle)
        self.main_splitter.addWidget(self.right_splitter)
        self.main_splitter.setStretchFactor(2, 1)
        self.main_splitter.setSizes([245, 295, 810])  # the answer gets the most width

        self.problems = WriteProblemBanner()
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.problems)
        central_layout.addWidget(self.main_splitter, 1)
        window.setCentralWidget(central)
        # Tab goes round the panes in reading order; arrows then work inside each one.
        for first, second in (
            (self.sidebar, self.search_box),
            (self.search_box, self.level_filter),
            (self.level_filter, self.status_filter),
            (self.status_filter, self.question_list),
            (self.question_list, self.rubric_panel.note_edit),
        ):
            QWidget.setTabOrder(first, second)

        self.progress_label = QLabel()
        self.progress_label.setObjectName("progressLabel")
        self.progress_label.setAccessibleName("Progress")
        window.statusBar().addPermanentWidget(self.progress_label)
        self.progress_label.setText("Loading…")

    def study_widgets(self, status_bar: QStatusBar) -> StudyWidgets:
        """The parts the study loop reads and fills."""
        return StudyWidgets(
            self.sidebar,
            self.search_box,
            self.level_filter,
            self.status_filter,
            self.list_model,
            self.question_list,
            self.question_view,
            self.rubric_panel,
            status_bar,
            self.progress_label,
            self.problems,
            self.score_bar,
            self.pages,
            self.done_page,
            self.match_label,
            self.question_split,
        )
