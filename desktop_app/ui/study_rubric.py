"""The study screen's rubric panel: the current question's rubric, last scores, bookmark and note, saved as they change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.core.store import WriteError

if TYPE_CHECKING:
    from desktop_app.core.bank import Question
    from desktop_app.core.review import StudySession
    from desktop_app.core.store import QuestionSummary, Store
    from desktop_app.ui.study import StudyWidgets

__all__ = ["StudyRubric"]


class StudyRubric:
    """The rubric panel's side of the study loop, owned by the StudyController: it fills the panel for the
    question on screen and writes the bookmark and the note the user changes there."""

    def __init__(self, store: Store, session: StudySession, widgets: StudyWidgets) -> None:
        self.store = store
        self.session = session
        self.w = widgets
        self._note_qid: str | None = None  # the question whose note the panel holds
        widgets.rubric_panel.bookmarkToggled.connect(self.set_bookmark)
        widgets.rubric_panel.noteEdited.connect(self._save_note)

    def show(self, question: Question | None, item: QuestionSummary | None, revealed: bool) -> None:
        """The panel for `question` (None: an empty panel), its rubric shown once the answer is."""
        panel = self.w.rubric_panel
        panel.show_rubric(question.rubric if question else None, revealed)
        if question is not None:
            panel.show_last(self.store.reviews.last(question.id, "self"), self.store.reviews.last(question.id, "mock"))
            panel.set_bookmarked(item.bookmarked if item else False)
            panel.load_note(self.store.notes.note(question.id))
            self._note_qid = question.id
        else:
            panel.last_label.setText("")
            panel.load_note("")
            self._note_qid = None

    def toggle_bookmark(self) -> None:
        item = self.session.current
        if item is not None:
            self.set_bookmark(not item.bookmarked)

    def set_bookmark(self, on: bool) -> None:
        item = self.session.current
        if item is None:
            return
        try:
            self._land_bookmark(item.qid, on)
        except WriteError as exc:
            self.w.rubric_panel.set_bookmarked(item.bookmarked)  # the button shows what is saved
            self.w.problems.report("Your bookmark", exc, lambda: self._land_bookmark(item.qid, on))

    def _land_bookmark(self, qid: str, on: bool) -> None:
        self.store.notes.set_bookmark(qid, on)
        index = self.session.update_item(qid, bookmarked=on)
        if index >= 0:
            self.w.list_model.update_row(index)
        current = self.session.current
        if current is not None and current.qid == qid:
            self.w.rubric_panel.set_bookmarked(on)

    def _save_note(self, text: str) -> None:
        qid = self._note_qid
        if qid is None:
            return
        try:
            self.store.notes.set_note(qid, text)
        except WriteError as exc:
            # The text is kept here even if the editor has moved on to another question.
            self.w.problems.report("Your note", exc, lambda: self.store.notes.set_note(qid, text))
