"""The study loop on screen: which list is shown, which question is current, scoring, undo, the counters.

StudySession (core/review.py) decides what happens; this controller reads the widgets' filters, asks the
store, and puts the answers on screen. It is created when the window gets its store. It owns two helpers:
the coding round (study_coding.py) and the rubric panel's bookmark and note (study_rubric.py).
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import peewee
from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSplitter, QStackedWidget, QStatusBar

from desktop_app.core.review import StudySession
from desktop_app.core.rows import QuestionRows
from desktop_app.core.store import WriteError
from desktop_app.core.store.listing import FirstPage, ListQuery, WholeList
from desktop_app.core.vocab import SCORE_NAMES
from desktop_app.ui.banner import WriteProblemBanner
from desktop_app.ui.done_today import MORE_NEW, DoneForToday
from desktop_app.ui.score_bar import ScoreBar
from desktop_app.ui.sidebar import ALL_TOPICS, DUE
from desktop_app.ui.study_coding import StudyCoding
from desktop_app.ui.study_rubric import StudyRubric

if TYPE_CHECKING:
    from desktop_app.core.store import Store
    from desktop_app.core.store.reader import Answer
    from desktop_app.ui.coding_panel import CodingPanel
    from desktop_app.ui.lists import ListFeed
    from desktop_app.ui.question_list import QuestionListModel, QuestionListView
    from desktop_app.ui.question_view import QuestionView
    from desktop_app.ui.rubric_panel import RubricPanel
    from desktop_app.ui.sidebar import TopicSidebar


STATUS_CHOICES = (
    ("all", "All questions"),
    ("due", "Due now"),
    ("unreviewed", "Unreviewed"),
    ("weak_ok", "Weak or OK last time"),
    ("bookmarked", "Bookmarked"),
)


@dataclass(frozen=True)
class StudyWidgets:
    """The parts of the window the study loop reads and fills."""

    sidebar: TopicSidebar
    search_box: QLineEdit
    level_filter: QComboBox
    status_filter: QComboBox
    list_model: QuestionListModel
    question_list: QuestionListView
    question_view: QuestionView
    rubric_panel: RubricPanel
    status_bar: QStatusBar
    progress_label: QLabel
    problems: WriteProblemBanner
    score_bar: ScoreBar
    pages: QStackedWidget  # the question, or the done-for-today screen
    done_page: DoneForToday
    match_label: QLabel
    question_split: QSplitter  # the question, and under it the coding panel for a coding question


class StudyController(QObject):
    topicTitlesChanged = Signal()
    listSettled = Signal()  # the whole of the latest list is on screen
    firstShown = Signal()  # the first list of the session and its first question are on screen
    pageShown = Signal()  # the first page of a list (a search's best matches) is on screen
    readFailed = Signal(str)  # reading the store failed (perhaps it is damaged): the window decides

    def __init__(
        self,
        store: Store,
        widgets: StudyWidgets,
        settings: QSettings,
        feed: ListFeed,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.store = store
        self.w = widgets
        self.settings = settings
        self.session = StudySession(store)
        self.always_show = bool(settings.value("alwaysShow", False, type=bool))
        self.topic_titles: dict[str, str] = {}
        self._topic_counts: dict[str, list[int]] = {}
        self._due: list[int] | None = None  # [due now, new left today], kept in step after each score
        self.extra_new = 0  # new questions the user asked for beyond today's limit ("Learn more")
        self.feed = feed
        feed.answered.connect(self._on_answer)
        self._keep: str | None = None  # the question to select when the asked-for list arrives
        self._waiting = False  # nothing selected yet: the question to keep is past the first page
        self.settled = False  # the latest list is all there
        self._shown_once = False
        self.coding_round = StudyCoding(store, self.session, widgets, self.show_current)
        w = widgets
        w.sidebar.topicSelected.connect(lambda _t: self.refresh_list())
        w.search_box.textChanged.connect(lambda _t: self.refresh_list())
        w.search_box.returnPressed.connect(self.back_to_list)
        w.level_filter.currentIndexChanged.connect(lambda _i: self._filter_changed())
        w.status_filter.currentIndexChanged.connect(lambda _i: self._filter_changed())
        w.question_list.selectionModel().currentChanged.connect(self._on_list_current)
        w.score_bar.scored.connect(self.score)
        w.score_bar.revealRequested.connect(self.toggle_reveal)
        w.done_page.moreNew.connect(self.learn_more)
        self.rubric = StudyRubric(store, self.session, widgets)  # the bookmark and the note

    def start(self) -> None:
        """With anything due, open on the Due queue; otherwise back where the user left off, that question
        selected and scrolled into view."""
        due_now = self.store.sched.due_counts()[0]
        topic = DUE if due_now else str(self.settings.value("lastTopic", ALL_TOPICS))
        self.refresh_topics(current=topic)
        self.refresh_list(keep_qid=None if due_now else (str(self.settings.value("lastQuestion", "")) or None))
        self.w.question_list.setFocus()

    def close(self) -> None:
        """Stop the list reader and any code run (stop, then wait) before the store goes away."""
        self.feed.close()
        self.coding_round.shutdown()

    def _scroll_to_current(self) -> None:
        if self.session.index >= 0:
            self.w.question_list.scrollTo(self.w.list_model.index(self.session.index, 0))

    def save(self) -> None:
        current = self.session.current
        self.settings.setValue("lastQuestion", current.qid if current else "")
        self.settings.setValue("lastTopic", self.w.sidebar.current_topic())
        self.settings.setValue("alwaysShow", self.always_show)

    # -- data to widgets -----------------------------------------------------------------

    def refresh_topics(self, current: str | None = None) -> None:
        topics = self.store.questions.topics()
        self.topic_titles = {t.id: t.title for t in topics}
        self._topic_counts = {t.id: [t.reviewed, t.total] for t in topics}
        self.w.sidebar.set_topics(topics, current)
        self.update_status()
        self.topicTitlesChanged.emit()

    def query(self) -> ListQuery:
        """The list the filters and the search box ask for."""
        w = self.w
        topic = w.sidebar.current_topic()
        return ListQuery(
            topic_id=None if topic in (ALL_TOPICS, DUE) else topic,
            level=w.level_filter.currentData() or None,
            status="due" if self.in_due_queue() else str(w.status_filter.currentData()),
            search=w.search_box.text().strip(),
            extra_new=self.extra_new,
        )

    def refresh_list(self, keep_qid: str | None = None) -> None:
        """Ask the list reader for the list; it arrives in two parts (`_on_answer`), the newest request
        winning, so no keystroke or filter change waits on the database here."""
        current = self.session.current
        self._keep = keep_qid or (current.qid if current else None)
        self.settled = False
        self.feed.request(self.query())

    def _on_answer(self, answer: Answer) -> None:
        if answer.part is None:
            self._settle()
            self.readFailed.emit(answer.error)
            return
        try:
            if isinstance(answer.part, FirstPage):
                self._show_first_page(answer.query, answer.part)
            else:
                self._show_whole_list(answer.query, answer.part)
        except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
            # A damaged page met while showing the list: the window checks the store and says what to do.
            self._settle()
            self.readFailed.emit(str(exc))

    def _show_first_page(self, query: ListQuery, first: FirstPage) -> None:
        w = self.w
        rows = QuestionRows(first.rows, self.store.questions.summaries, self.store.questions.num_of, first.nums)
        keep = self._keep
        found = rows.index_of(keep) >= 0
        # The question to keep may lie past the first page: wait for the whole list instead of showing
        # another question for a moment.
        self._waiting = bool(keep) and not found and not rows.complete
        self.session.set_items(rows, keep)
        if self._waiting:
            self.session.go_to(-1)
        w.list_model.topic_titles = self.topic_titles
        w.list_model.set_rows(self.session.items, show_topic=query.topic_id is None)
        self._show_matches(query.search, len(rows) if rows.complete else None, [])
        self.show_current()
        self.pageShown.emit()
        if not self._shown_once:
            self._shown_once = True
            self.firstShown.emit()

    def _show_whole_list(self, query: ListQuery, whole: WholeList) -> None:
        w = self.w
        if not w.list_model.complete(whole.nums):
            # The list changed between its two parts: start it afresh from the whole order.
            rows = QuestionRows([], self.store.questions.summaries, self.store.questions.num_of, whole.nums)
            self.session.set_items(rows, self._keep if self._waiting else self._current_qid())
            w.list_model.set_rows(self.session.items, show_topic=query.topic_id is None)
            self._waiting = False
            self.show_current()
        if self._waiting:
            self._waiting = False
            self.session.go_to(max(0, self.session.items.index_of(self._keep)) if len(self.session.items) else -1)
            self.show_current()
        self._show_matches(query.search, whole.total, whole.suggestions)
        self._settle()

    def _current_qid(self) -> str | None:
        current = self.session.current
        return current.qid if current else None

    def _settle(self) -> None:
        self.settled = True
        QTimer.singleShot(0, self._scroll_to_current)  # once the view has laid the list out
        self.listSettled.emit()

    def in_due_queue(self) -> bool:
        return self.w.sidebar.current_topic() == DUE or self.w.status_filter.currentData() == "due"

    def _show_matches(self, text: str, count: int | None, suggestions: list[str]) -> None:
        """How many questions the search found; with none, the closest spellings the bank knows."""
        label = self.w.match_label
        if not text:
            label.setVisible(False)
            return
        label.setVisible(True)
        if count is None:
            label.setText("Counting matches…")
        elif count:
            label.setText(f"{count:,} question{'s' if count != 1 else ''} match")
        else:
            label.setText("No match." + (f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""))

    def _filter_changed(self) -> None:
        self.refresh_list()
        self.w.question_list.setFocus()

    def show_current(self) -> None:
        w = self.w
        item = self.session.current
        self._select_row(self.session.index)
        question = self.store.questions.get(item.qid) if item else None
        revealed = self.session.revealed or self.always_show
        title = self.topic_titles.get(question.topic_id, question.topic_id) if question else ""
        if item is None and self.in_due_queue() and not w.search_box.text().strip():
            w.done_page.show_summary(self.store.sched.today(), self.store.sched.due_counts()[1] + self.extra_new)
            w.pages.setCurrentWidget(w.done_page)
        else:
            w.pages.setCurrentIndex(0)
        w.question_view.show_question(question, title, revealed)
        w.question_view.highlight(w.search_box.text())
        self.coding_round.show(question, revealed)
        w.score_bar.show_state(
            self.store.sched.preview(question.id) if question and revealed else ({} if question else None), revealed
        )
        self.rubric.show(question, item, revealed)

    # -- the coding round (study_coding.py) --------------------------------------------------------

    @property
    def coding(self) -> CodingPanel | None:
        """The coding panel, once the first coding question was shown."""
        return self.coding_round.panel

    @property
    def suggested(self) -> str | None:
        """The score a coding run suggests, until the user records one."""
        return self.coding_round.suggested

    def run_code(self) -> None:
        """F5: run the coding question's tests."""
        self.coding_round.run()

    def _select_row(self, row: int) -> None:
        view = self.w.question_list
        selection = view.selectionModel()
        index = self.w.list_model.index(row, 0) if row >= 0 else QModelIndex()
        if selection.currentIndex() == index:
            return
        selection.blockSignals(True)
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        selection.blockSignals(False)
        view.viewport().update()
        if index.isValid():
            view.scrollTo(index)

    def _on_list_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and self.session.go_to(current.row()):
            self.show_current()

    def update_status(self, recount_due: bool = True) -> None:
        reviewed = sum(c[0] for c in self._topic_counts.values())
        total = sum(c[1] for c in self._topic_counts.values())
        streak = self.store.sched.streak()
        days = "day" if streak == 1 else "days"
        if recount_due or self._due is None:
            self._due = list(self.store.sched.due_counts())
        due, new = self._due
        self.w.sidebar.set_due(due, new)
        self.w.progress_label.setText(f"{reviewed} / {total} reviewed  ·  {due} due  ·  streak {streak} {days}")

    def _count_reviewed(self, topic_id: str, delta: int) -> None:
        # Counted here rather than re-queried: a GROUP BY over a large bank costs more than a keystroke.
        if topic_id in self._topic_counts:
            self._topic_counts[topic_id][0] += delta
        self.w.sidebar.update_counts(self._topic_counts)
        self.update_status(recount_due=delta < 0)

    # -- actions (named in the shortcut table) ------------------------------------------

    def next_question(self) -> None:
        if self.session.next():
            self.show_current()

    def previous_question(self) -> None:
        if self.session.previous():
            self.show_current()

    def toggle_reveal(self) -> None:
        if self.session.current is None:
            return
        self.session.toggle_reveal()
        self.show_current()

    def score_weak(self) -> None:
        self.score("weak")

    def score_ok(self) -> None:
        self.score("ok")

    def score_strong(self) -> None:
        self.score("strong")

    def score_easy(self) -> None:
        self.score("easy")

    def score(self, tier: str) -> None:
        item = self.session.current
        if item is None:
            return
        if not (self.session.revealed or self.always_show):
            # A stray digit never records a score: it shows the answer, and the next press scores.
            self.toggle_reveal()
            self.w.status_bar.showMessage("Answer shown: read it against the rubric, then score with 1-4.", 3000)
            return
        seconds = self.session.elapsed()
        try:
            self._land_score(item.qid, tier, seconds, move_on=True)
        except WriteError as exc:
            # Nothing changed: the question stays current, and the score is kept to retry.
            def retry() -> None:
                current = self.session.current
                self._land_score(item.qid, tier, seconds, move_on=current is not None and current.qid == item.qid)

            self.w.problems.report(f"Your {SCORE_NAMES[tier]} score", exc, retry)

    def _land_score(self, qid: str, tier: str, seconds: float, move_on: bool) -> None:
        """Write one score and bring the screen in line; raises WriteError, changing nothing, if it fails."""
        card = self.store.sched.card(qid)
        was_due = card is not None and card.due <= time.time()
        at = self.session.items.index_of(qid)
        before = self.session.items[at] if at >= 0 else None
        step = self.session.record(qid, tier, seconds)
        if step.index >= 0:
            self.w.list_model.update_row(step.index)
        if self._due is not None:
            # A scored card is never due again at once (FSRS's shortest step is a minute): count it out.
            self._due[0] -= int(was_due)
            self._due[1] = max(0, self._due[1] - int(card is None))
        if before is not None and before.last_score is None:
            self._count_reviewed(before.topic_id, +1)
        else:
            self.update_status(recount_due=False)
        if move_on and self.in_due_queue() and step.index >= 0:
            # Scored in the Due queue: the question leaves it (it comes back when it is due again).
            self.w.list_model.remove_row(step.index, lambda: self.session.remove(step.index))
            self.show_current()
        elif move_on:
            self.session.move_on()
            self.show_current()
        self.w.status_bar.showMessage(f"Scored {SCORE_NAMES[tier]}. Press U to undo.", 3000)

    def undo_score(self) -> None:
        try:
            self._undo_once()
        except WriteError as exc:
            self.w.problems.report("Your undo", exc, self._undo_once)

    def _undo_once(self) -> None:
        pending = self.session.pending_undo
        at = self.session.items.index_of(pending.qid) if pending is not None else -1
        had_score = at >= 0 and self.session.items[at].last_score is not None
        step = self.session.undo()  # the stack changes only once the store has
        if step is None:
            self.w.status_bar.showMessage("Nothing to undo.", 2000)
            return
        if self.session.current is None:
            return
        item = self.session.items[self.session.index]
        if self.w.list_model.rowCount() != len(self.session.items):  # a question came back to the Due queue
            self.w.list_model.set_rows(self.session.items, show_topic=self.w.list_model.show_topic)
        self.w.list_model.update_row(self.session.index)
        if had_score and item.last_score is None:
            self._count_reviewed(item.topic_id, -1)
        self.show_current()
        self.w.status_bar.showMessage("Score undone.", 2000)

    def toggle_bookmark(self) -> None:
        self.rubric.toggle_bookmark()

    def edit_note(self) -> None:
        if self.session.current is not None:
            self.w.rubric_panel.note_edit.setFocus()

    def toggle_always_show(self) -> None:
        self.always_show = not self.always_show
        self.show_current()
        self.w.status_bar.showMessage(
            "Answers always shown." if self.always_show else "Study mode: answers hidden until revealed.", 2500
        )

    def scroll_answer_down(self) -> None:
        self.w.question_view.scroll_page(0.8)

    def scroll_answer_up(self) -> None:
        self.w.question_view.scroll_page(-0.8)

    def focus_topics(self) -> None:
        self.w.sidebar.setFocus()

    def focus_search(self) -> None:
        self.w.search_box.setFocus()
        self.w.search_box.selectAll()

    def back_to_list(self) -> None:
        self.w.rubric_panel.flush_note()
        self.w.question_list.setFocus()

    def cycle_level(self) -> None:
        combo = self.w.level_filter
        combo.setCurrentIndex((combo.currentIndex() + 1) % combo.count())

    def learn_more(self) -> None:
        """From the done-for-today screen: a few more new questions into today's queue."""
        self.extra_new += MORE_NEW
        self.refresh_list()
        self.w.question_list.setFocus()

    def after_settings_change(self) -> None:
        """New study settings moved due dates: only what shows due dates needs to change."""
        self.coding_round.set_limits(self.store.sched.config())
        self.update_status()
        if self.w.sidebar.current_topic() == DUE or self.w.status_filter.currentData() == "due":
            self.refresh_list()

    def after_bank_change(self, keep_qid: str | None = None) -> None:
        """A deck was imported, written or removed and the store synced: topics, counts and the list anew,
        showing `keep_qid` (a question just written) where it is in the list."""
        self.refresh_topics()
        self.refresh_list(keep_qid)

    def after_schedule_change(self) -> None:
        """Scores from elsewhere (a mock interview) or new settings: counts, list and panel from the store."""
        self.refresh_topics()
        self.refresh_list()
