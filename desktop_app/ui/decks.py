"""The Decks menu: import, write, remove and export questions, and questions written for a job.

Files are read and written off the UI thread (background jobs); every change to a deck is followed by a
bank sync on a worker thread, after which the sidebar and the list are refreshed. The rules themselves
(what makes a deck acceptable, how ids may not collide) live in core/decks.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from desktop_app.core import decks as core_decks
from desktop_app.core.bank import Problem, Question
from desktop_app.ui import background

if TYPE_CHECKING:
    from desktop_app.core.store import Store, SyncReport
    from desktop_app.simulator.keys import KeyStore
    from desktop_app.ui.question_editor import QuestionEditor
    from desktop_app.ui.study import StudyController


def report_text(report: core_decks.ImportReport) -> str:
    """What an import did, for the window (the command line prints the same facts)."""
    lines = []
    for c in report.imported:
        assert c.topic is not None
        verb = "Replaced" if c.replaces else "Imported"
        lines.append(
            f"{verb} deck '{c.topic.title}' ({c.topic.id}): {len(c.questions)} questions from {c.source.name}."
        )
        if c.filled:
            lines.append(
                f"  {len(c.filled)} of them got a general rubric and follow-ups (the file had none): "
                "edit them to fit (E on the question)."
            )
    for c in report.refused:
        lines.append(f"Not imported: {c.source} ({len(c.problems)} problem{'s' if len(c.problems) != 1 else ''}):")
        lines.extend(f"  {p.where + ': ' if p.where else ''}{p.message}" for p in c.problems)
    return "\n".join(lines) or "Nothing to import."


class DeckActions(QObject):
    """Owner of the Decks menu's actions (see ui/shortcuts.py)."""

    changed = Signal()  # a deck change reached the store (after its sync)
    imported = Signal(object)  # an ImportReport, once the sync after it is done

    def __init__(
        self,
        store: Store,
        window: QWidget,
        study: StudyController,
        keys: Callable[[], KeyStore],
        bank: Path | None,
        show_message: Callable[[str, int], None],
    ):
        super().__init__(window)
        self.store = store
        self.window = window
        self.study = study
        self._keys = keys
        self.bank = bank
        self._show_message = show_message
        self.data_dir = store.path.parent
        self.editor: QuestionEditor | None = None
        self.dialog: QDialog | None = None
        self.last_report: core_decks.ImportReport | None = None
        self.last_message = ""

    # -- the bank sync after a change --------------------------------------------------------------

    def resync(self, keep_qid: str | None = None, then: Callable[[SyncReport], None] | None = None) -> None:
        from desktop_app.synced_store import sync_bank

        store, bank = self.store, self.bank

        def work(_job: background.Job[SyncReport]) -> SyncReport:
            with store.thread_connection():
                return sync_bank(store, bank)

        def done(report: SyncReport) -> None:
            self.study.after_bank_change(keep_qid)
            if then is not None:
                then(report)
            self.changed.emit()

        background.run(self, work, done, self._failed, key="deck-sync")

    def _failed(self, exc: BaseException) -> None:
        self._tell(f"That did not work: {exc}")

    def _tell(self, message: str, ms: int = 8000) -> None:
        self.last_message = message
        self._show_message(message, ms)

    # -- import and remove ---------------------------------------------------------------------------

    def import_decks(self, paths: list[Path] | None = None, level: str = "intermediate") -> None:
        """Check and import deck files (the dialog asks which, when no paths are given)."""
        if paths is None:
            from desktop_app.ui.deck_dialogs import ImportDialog

            dialog = ImportDialog(self.window)
            self.dialog = dialog
            dialog.accepted.connect(lambda: self.import_decks(dialog.chosen(), str(dialog.level.currentData())))
            dialog.open()
            return
        known = self.store.questions.known_ids()
        data_dir = self.data_dir

        def work(_job: background.Job[core_decks.ImportReport]) -> core_decks.ImportReport:
            return core_decks.import_decks(paths, data_dir, known, level)

        def done(report: core_decks.ImportReport) -> None:
            self.last_report = report
            if report.imported:
                first = report.imported[0].questions[0].id if report.imported[0].questions else None
                self.resync(first, lambda _r: self._after_import(report))
            else:
                self._after_import(report)

        self._tell("Checking the decks…", 3000)
        background.run(self, work, done, self._failed, key="deck-import")

    def _after_import(self, report: core_decks.ImportReport) -> None:
        text = report_text(report)
        self._tell(text.splitlines()[0], 8000)
        self.imported.emit(report)
        if report.refused:
            from desktop_app.ui.dialogs import TextDialog

            dialog = TextDialog("Import decks", text, self.window, name="importReport")
            self.dialog = dialog
            dialog.open()

    def remove_deck(self, deck_id: str | None = None) -> None:
        if deck_id is None:
            from desktop_app.ui.deck_dialogs import RemoveDeckDialog

            decks = core_decks.list_deck_files(self.data_dir)
            if not decks:
                self._tell("You have no decks yet: import one, or write a question (Ctrl+N).", 5000)
                return
            dialog = RemoveDeckDialog(decks, self.window)
            self.dialog = dialog
            dialog.accepted.connect(lambda: self.remove_deck(dialog.chosen()) if dialog.chosen() else None)
            dialog.open()
            return
        try:
            moved = core_decks.remove_deck(self.data_dir, deck_id)
        except (core_decks.DeckError, OSError) as exc:
            self._tell(f"Could not remove the deck: {exc}")
            return
        self.resync(
            None,
            lambda r: self._tell(
                f"Removed deck '{deck_id}': {r.retired} questions left your lists, their history kept. "
                f"The file is in {moved.parent}."
            ),
        )

    # -- writing questions --------------------------------------------------------------------------

    def _own_decks(self) -> list[tuple[str, str]]:
        return [(d.id, d.title) for d in core_decks.list_deck_files(self.data_dir)]

    def _open_editor(
        self, question: Question | None, deck_id: str | None, replacing: str | None, title: str
    ) -> QuestionEditor:
        from desktop_app.ui.question_editor import QuestionEditor

        taken = set(self.store.questions.known_ids().question_topics)
        editor = QuestionEditor(
            self._own_decks(), core_decks.check_question, taken, question, deck_id, replacing, title, self.window
        )
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(self._save_from_editor)
        editor.destroyed.connect(lambda _o=None, e=editor: setattr(self, "editor", None) if self.editor is e else None)
        self.editor = editor
        editor.open()
        return editor

    def new_question(self) -> None:
        topic = self.study.w.sidebar.current_topic()
        deck = topic if topic in {d for d, _t in self._own_decks()} else None
        self._open_editor(None, deck, None, "New question")

    def edit_question(self) -> None:
        """Edit a question of your own deck; a shipped question is copied into a deck of yours instead."""
        current = self.study.session.current
        question = self.store.questions.get(current.qid) if current else None
        if question is None:
            self._tell("Choose a question first.", 3000)
            return
        own = {d for d, _t in self._own_decks()}
        if question.topic_id in own:
            self._open_editor(question, question.topic_id, question.id, "Edit question")
            return
        taken = set(self.store.questions.known_ids().question_topics)
        new_id, n = f"{question.id}-mine", 1
        while new_id in taken:
            n += 1
            new_id = f"{question.id}-mine-{n}"
        copy = Question(
            new_id,
            "",
            question.question,
            question.level,
            question.answer,
            question.follow_ups,
            question.rubric,
            question.tags,
        )
        self._open_editor(copy, None, None, "Copy into one of your decks")

    def _save_from_editor(self, deck_id: str, question: Question, replacing: object) -> None:
        from desktop_app.ui.question_editor import NEW_DECK

        editor = self.editor
        known = self.store.questions.known_ids()
        try:
            if deck_id == NEW_DECK:
                title = editor.new_deck_title.text().strip() if editor is not None else "My deck"
                deck_id = core_decks.new_deck(self.data_dir, title, known).stem
            problems = core_decks.save_question(
                self.data_dir, deck_id, question, known, replacing if isinstance(replacing, str) else None
            )
        except (core_decks.DeckError, OSError) as exc:
            problems = [Problem("", "", str(exc))]
        if problems:
            if editor is not None:
                editor.problems.setText("Not saved:\n" + "\n".join(f"• {p.message}" for p in problems))
            return
        if editor is not None:
            editor.accept()
        self.resync(question.id, lambda _r: self._tell(f"Saved '{question.id}' in deck '{deck_id}'.", 4000))

    # -- export ---------------------------------------------------------------------------------------

    def export_questions(self, scope: str | None = None, fmt: str | None = None, target: Path | None = None) -> None:
        if scope is None or fmt is None or target is None:
            from desktop_app.ui.deck_dialogs import ExportDialog

            topics = [(t.id, t.title, t.own) for t in self.store.questions.topics()]
            dialog = ExportDialog(topics, self.study.w.sidebar.current_topic() or None, self.window)
            self.dialog = dialog
            dialog.accepted.connect(lambda: self.export_questions(*dialog.choice()))
            dialog.open()
            return
        from desktop_app.core.export import ExportReport, export

        store = self.store

        def work(_job: background.Job[ExportReport]) -> ExportReport:
            with store.thread_connection():
                return export(store, scope, fmt, target)

        def done(report: ExportReport) -> None:
            where = report.files[0] if len(report.files) == 1 else report.files[0].parent
            self._tell(f"Exported {report.questions} questions in {report.topics} topics to {where}.")

        self._tell("Exporting…", 3000)
        background.run(self, work, done, self._failed, key="export")

    # -- questions for a job --------------------------------------------------------------------------

    def generate_questions(self) -> None:
        from desktop_app.ui.job_questions import JobQuestionsDialog

        dialog = JobQuestionsDialog(self.store, self._keys(), self.data_dir, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda qid: self.resync(qid, lambda _r: self._tell(dialog.saved_message, 8000)))
        self.dialog = dialog
        dialog.show()

    def confirm(self, text: str) -> bool:
        return QMessageBox.question(self.window, "MLPrep", text) == QMessageBox.StandardButton.Yes
