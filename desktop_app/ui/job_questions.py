"""Questions for a job: paste a job description, Claude proposes questions for what the bank lacks, the
user reviews each one (keep, edit, drop), and only the kept ones are saved, to a deck of the job's own.

The request runs on the interviewer's worker thread (the same SDK client, faults and Retry as a mock
interview). Each proposal is checked with the deck validator before it can be kept.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import decks as core_decks
from desktop_app.core.bank import Question, Rubric, Topic
from desktop_app.core.deckfile import question_id, slug
from desktop_app.core.render import rubric_markdown
from desktop_app.simulator.client import Reply
from desktop_app.simulator.generate import BankMap, GenerateRequest, JobProposal
from desktop_app.simulator.requests import Request
from desktop_app.simulator.vocab import RequestKind
from desktop_app.ui import background
from desktop_app.ui.dialogs import closes_with_keys
from desktop_app.ui.interviewer import WorkerHost
from desktop_app.ui.textview import MarkdownView

if TYPE_CHECKING:
    from desktop_app.core.store import Store
    from desktop_app.simulator.keys import KeyStore


def bank_map(store: Store) -> BankMap:
    """The bank as the model sees it: each topic with its question titles (a worker thread reads it)."""
    topics = []
    for t in store.questions.topics():
        titles = tuple(s.question for s in store.questions.list(topic_id=t.id))
        topics.append((t.id, t.title, titles))
    return BankMap(tuple(topics))


class JobQuestionsDialog(QDialog):
    saved = Signal(str)  # the first saved question's id

    def __init__(self, store: Store, keys: KeyStore, data_dir: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("jobQuestionsDialog")
        self.setWindowTitle("Questions for a job")
        closes_with_keys(self)
        self.resize(1100, 760)
        self.store = store
        self.data_dir = data_dir
        self.host = WorkerHost(keys, parent=self)
        self.host.worker.text.connect(self._on_text)
        self.host.worker.done.connect(self._on_done)
        self.host.worker.failed.connect(self._on_failed)
        self.request: Request | None = None
        self.proposal: JobProposal | None = None
        self.questions: list[Question] = []
        self.saved_message = ""

        self.job = QPlainTextEdit()
        self.job.setObjectName("jobDescription")
        self.job.setAccessibleName("Job description")
        self.job.setPlaceholderText("Paste the job description here (or a list of the topics the job needs).")
        self.job.setTabChangesFocus(True)
        self.count = QSpinBox(minimum=3, maximum=12, value=8)
        self.count.setObjectName("jobCount")
        self.count.setAccessibleName("How many questions")
        self.generate = QPushButton("Propose questions")
        self.generate.setObjectName("generateButton")
        self.generate.clicked.connect(self.start)
        self.stop = QPushButton("Stop")
        self.stop.setObjectName("stopGenerating")
        self.stop.clicked.connect(self.host.stop_reply)
        self.stop.setEnabled(False)
        self.status = QLabel("Claude reads the job description and your bank, and proposes questions for the gaps.")
        self.status.setObjectName("jobStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        top = QHBoxLayout()
        top.addWidget(QLabel("How many questions"))
        top.addWidget(self.count)
        top.addStretch(1)
        top.addWidget(self.stop)
        top.addWidget(self.generate)

        self.list = QListWidget()
        self.list.setObjectName("proposalList")
        self.list.setAccessibleName("Proposed questions: tick the ones to keep")
        self.list.currentRowChanged.connect(self._show)
        self.list.setWordWrap(True)  # a proposal's whole question is read before it is kept
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSpacing(2)
        self.preview = MarkdownView()
        self.preview.setObjectName("proposalPreview")
        self.preview.setAccessibleName("The proposed question")
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.list)
        split.addWidget(self.preview)
        split.setSizes([420, 640])

        self.deck_title = QLineEdit()
        self.deck_title.setObjectName("jobDeckTitle")
        self.deck_title.setAccessibleName("Title of the job's deck")
        self.edit = QPushButton("Edit…")
        self.edit.setObjectName("editProposal")
        self.edit.clicked.connect(self._edit)
        self.save = QPushButton("Save the ticked questions")
        self.save.setObjectName("saveProposals")
        self.save.clicked.connect(self.save_kept)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel("Deck"))
        bottom.addWidget(self.deck_title, 1)
        bottom.addWidget(self.edit)
        bottom.addWidget(self.save)
        for w in (self.edit, self.save, self.deck_title):
            w.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.job, 1)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(split, 3)
        layout.addLayout(bottom)

    # -- asking ------------------------------------------------------------------------------------

    def start(self) -> None:
        text = self.job.toPlainText().strip()
        if len(text) < 20:
            self.status.setText("Paste the job description first (a few lines at least).")
            return
        self.generate.setEnabled(False)
        self.stop.setEnabled(True)
        self.status.setText("Reading your bank…")
        store = self.store

        def work(_job: background.Job[BankMap]) -> BankMap:
            with store.thread_connection():
                return bank_map(store)

        background.run(self, work, lambda bank: self._ask(text, bank), self._map_failed)  # type: ignore[arg-type]

    def _map_failed(self, exc: BaseException) -> None:
        self._idle(f"Could not read the bank: {exc}")

    def _ask(self, text: str, bank: BankMap) -> None:
        self.status.setText("Asking Claude…")
        self.request = self.host.submit(
            Request(RequestKind.GENERATE, generate=GenerateRequest(text, bank, self.count.value()))
        )

    def _on_text(self, request_id: int, text: str) -> None:
        if self.request is not None and request_id == self.request.id:
            self.status.setText(text)

    def _on_failed(self, request_id: int, _kind: str, message: str, _partial: str) -> None:
        if self.request is not None and request_id == self.request.id:
            self._idle(message)

    def _idle(self, message: str) -> None:
        self.status.setText(message)
        self.generate.setEnabled(True)
        self.generate.setText("Retry" if self.proposal is None else "Propose again")
        self.stop.setEnabled(False)

    def _on_done(self, request_id: int, reply: object) -> None:
        if self.request is None or request_id != self.request.id or not isinstance(reply, Reply):
            return
        if reply.stopped or reply.proposal is None:
            self._idle("Stopped. Nothing was saved.")
            return
        self.proposal = reply.proposal
        self.deck_title.setText(f"Job: {reply.proposal.job_title}")
        deck_id = slug(self.deck_title.text())
        taken = set(self.store.questions.known_ids().question_topics)
        self.questions = []
        for p in reply.proposal.questions:
            qid = question_id(deck_id, p.question, taken)
            taken.add(qid)
            self.questions.append(
                Question(
                    qid,
                    deck_id,
                    p.question,
                    p.level,
                    p.answer,
                    p.follow_ups,
                    Rubric(p.strong, p.ok, p.weak, p.also_good),
                    p.tags,
                )
            )
        self._fill()
        cost = f" (about ${reply.cost_usd:.2f})" if reply.cost_usd else ""
        self._idle(
            f"{len(self.questions)} questions proposed{cost}. Tick the ones to keep, edit any of them, then save."
        )

    # -- reviewing --------------------------------------------------------------------------------------

    def problems(self, q: Question) -> list[str]:
        return [p.message for p in core_decks.check_question(q, Topic(q.topic_id, "Job"))]

    def _fill(self) -> None:
        self.list.clear()
        for q in self.questions:
            problems = self.problems(q)
            item = QListWidgetItem(f"{q.question}\n{q.level.capitalize()}" + ("  ·  needs a fix" if problems else ""))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if problems else Qt.CheckState.Checked)
            self.list.addItem(item)
        for w in (self.edit, self.save, self.deck_title):
            w.setEnabled(bool(self.questions))
        if self.questions:
            self.list.setCurrentRow(0)

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.questions) or self.proposal is None:
            return
        q = self.questions[row]
        gap = self.proposal.questions[row].gap if row < len(self.proposal.questions) else ""
        parts = [f"## {q.question}", f"*{q.level.capitalize()}*  " + " ".join(f"`{t}`" for t in q.tags)]
        if gap:
            parts.append(f"> Why this job needs it: {gap}")
        parts += ["### Expected answer", q.answer, "### Follow-ups", "\n".join(f"- {f}" for f in q.follow_ups)]
        parts += ["### Rubric", rubric_markdown(q.rubric)]
        problems = self.problems(q)
        if problems:
            parts += ["### To fix before it can be kept", "\n".join(f"- {p}" for p in problems)]
        self.preview.show_markdown("\n\n".join(parts))

    def _edit(self) -> None:
        from desktop_app.ui.question_editor import QuestionEditor

        row = self.list.currentRow()
        if not 0 <= row < len(self.questions):
            return
        q = self.questions[row]
        taken = set(self.store.questions.known_ids().question_topics) | {x.id for x in self.questions if x is not q}
        editor = QuestionEditor(
            [(q.topic_id, self.deck_title.text())],
            core_decks.check_question,
            taken,
            q,
            q.topic_id,
            q.id,
            "Edit the proposed question",
            self,
        )
        self.editor = editor

        def keep(_deck: str, edited: Question, _replacing: object) -> None:
            self.questions[row] = replace(edited, topic_id=q.topic_id)
            self.list.item(row).setText(f"{edited.question}\n{edited.level.capitalize()}")
            self.list.item(row).setCheckState(Qt.CheckState.Checked)
            self._show(row)
            editor.accept()

        editor.saved.connect(keep)
        editor.open()

    def kept(self) -> list[Question]:
        return [q for i, q in enumerate(self.questions) if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def save_kept(self) -> None:
        """The ticked questions into the job's deck (made if it does not exist), with the job's focus, so a
        mock interview can be set up for this job."""
        kept = self.kept()
        if not kept or self.proposal is None:
            self.status.setText("Tick at least one question to keep.")
            return
        bad = [q for q in kept if self.problems(q)]
        if bad:
            self.status.setText(f"Fix or untick first: {bad[0].question}")
            return
        title = self.deck_title.text().strip() or f"Job: {self.proposal.job_title}"
        deck_id = slug(title)
        known = self.store.questions.known_ids()
        try:
            if not (self.data_dir / core_decks.DECKS_DIR / f"{deck_id}.toml").exists():
                core_decks.new_deck(self.data_dir, title, known, deck_id)
            for q in kept:
                problems = core_decks.save_question(self.data_dir, deck_id, replace(q, topic_id=deck_id), known)
                if problems:
                    self.status.setText(f"Not saved: {problems[0].message}")
                    return
            core_decks.write_job(self.data_dir, deck_id, self.job.toPlainText().strip(), self.proposal.focus)
        except (core_decks.DeckError, OSError) as exc:
            self.status.setText(f"Not saved: {exc}")
            return
        self.saved_message = (
            f"Saved {len(kept)} questions to the deck '{title}'. A mock interview can now be set up for this job."
        )
        self.status.setText(self.saved_message)
        self.saved.emit(kept[0].id)
        self.accept()

    def done(self, result: int) -> None:
        self.host.shutdown()
        super().done(result)
