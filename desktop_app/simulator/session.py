"""A mock interview without Qt: which questions, which round, what was said and graded, and the summary.

Every step is written to the store as it happens, so a session closed mid-way (or a crash) keeps its
transcript and is marked interrupted rather than lost.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from desktop_app.core.bank import Question
from desktop_app.core.store import MockSessionRecord, MockTurnRecord, QuestionSummary, Store, WriteError
from desktop_app.core.vocab import SCORE_NAMES, SKIPPED
from desktop_app.simulator.client import GradeRequest
from desktop_app.simulator.grading import Grade, grade_markdown
from desktop_app.simulator.vocab import TurnKind

# How much more likely a question is to be drawn, by what the user last scored on it.
DRAW_WEIGHTS = {None: 3.0, "weak": 3.0, "ok": 2.0, "strong": 1.0}


@dataclass
class MockConfig:
    topics: list[str] = field(default_factory=list)  # empty: all topics
    level: str | None = None
    count: int = 5
    time_limit_s: int | None = None  # shown as a target; the clock never cuts the user off
    model: str = ""
    follow_up_rounds: int = 1
    offline: bool = False
    topic_weights: dict[str, float] = field(default_factory=dict)  # for a job: share of questions per topic
    coding: int = 0  # coding questions (write code that runs against tests) among the `count`


def allocate(count: int, weights: dict[str, float]) -> dict[str, int]:
    """`count` questions shared out by weight (largest remainders), so a job's interview mirrors the job."""
    total = sum(w for w in weights.values() if w > 0)
    if total <= 0:
        return {}
    exact = {k: count * w / total for k, w in weights.items() if w > 0}
    shares = {k: int(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: exact[k] - shares[k], reverse=True)[: count - sum(shares.values())]:
        shares[k] += 1
    return {k: n for k, n in shares.items() if n}


def pick_questions(store: Store, config: MockConfig, rng: random.Random) -> list[Question]:
    """Weighted draw without replacement, favouring unreviewed questions and those last scored Weak. For a
    job, each topic gives its share of the questions; a topic with too few leaves the rest to the others."""
    chosen: list[str] = []
    # Coding questions are coding rounds (the editor, the tests): they come through `config.coding`, not the
    # spoken draw, unless the chosen topics hold too few others to fill the interview.
    coding_pool = store.questions.coding(level=config.level)
    coding_ids = {s.qid for s in coding_pool}

    def spoken(items: list[QuestionSummary]) -> list[QuestionSummary]:
        return [item for item in items if item.qid not in coding_ids]

    if config.topic_weights:
        shares = allocate(config.count, config.topic_weights)
        pools = {t: spoken(store.questions.list(topic_id=t, level=config.level)) for t in shares}
        for topic, n in shares.items():
            chosen.extend(_draw(pools[topic], n, rng))
        taken = set(chosen)
        rest = [item for t in pools for item in pools[t] if item.qid not in taken]
        chosen.extend(_draw(rest, config.count - len(chosen), rng))
    else:
        pool = []
        every: list[str | None] = [None]
        for topic_or_all in list(config.topics) or every:
            pool.extend(spoken(store.questions.list(topic_id=topic_or_all, level=config.level)))
        chosen = _draw(pool, config.count, rng)
    topics = set(config.topic_weights or config.topics)
    short = config.count - config.coding - len(chosen)
    if short > 0:  # the topics hold too few spoken questions: their coding questions fill the gap
        taken = set(chosen)
        fill = [c for c in coding_pool if c.qid not in taken and (not topics or c.topic_id in topics)]
        chosen += _draw(fill, short, rng)
    if config.coding:
        taken = set(chosen)
        picked = _draw([c for c in coding_pool if c.qid not in taken], config.coding, rng)
        chosen = chosen[: max(0, config.count - len(picked))] + picked
    questions = [store.questions.get(qid) for qid in chosen]
    return [q for q in questions if q is not None]


def _draw(pool: list[QuestionSummary], n: int, rng: random.Random) -> list[str]:
    pool = list(pool)
    weights = [DRAW_WEIGHTS.get(item.last_score, 1.0) for item in pool]
    chosen: list[str] = []
    while pool and len(chosen) < n:
        i = rng.choices(range(len(pool)), weights=weights)[0]
        chosen.append(pool.pop(i).qid)
        weights.pop(i)
    return chosen


@dataclass
class QuestionResult:
    qid: str
    question: str
    topic_id: str
    tier: str | None = None  # of the bank question (round 0); None when skipped or ungraded
    skipped: bool = False
    covered: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    factual_errors: list[str] = field(default_factory=list)
    follow_up_tiers: list[str] = field(default_factory=list)


class MockInterview:
    def __init__(self, store: Store, config: MockConfig, questions: list[Question], topic_titles: dict[str, str]):
        self.store = store
        self.config = config
        self.questions = questions
        self.topic_titles = topic_titles
        self.index = 0
        self.round = 0
        self.asked = ""  # what the interviewer asked in the current round, as shown
        self.results = [QuestionResult(q.id, q.question, q.topic_id) for q in questions]
        self.session_id = store.mocks.create_session(
            "offline" if config.offline else "claude", config.model, asdict(config)
        )
        self.finished = False
        self.finish_error: str | None = None

    # -- where we are ---------------------------------------------------------------------

    @property
    def current(self) -> Question | None:
        return self.questions[self.index] if self.index < len(self.questions) else None

    @property
    def done(self) -> bool:
        return self.index >= len(self.questions)

    def position(self) -> str:
        label = f"Question {min(self.index + 1, len(self.questions))} of {len(self.questions)}"
        return label + (f", follow-up {self.round}" if self.round else "")

    # -- the transcript -------------------------------------------------------------------

    def record_question(self, text: str) -> int:
        """The interviewer's words for this round (or, offline, the bank question itself)."""
        question = self.current
        assert question is not None
        turn = self.store.mocks.add_turn(self.session_id, question.id, self.round, TurnKind.QUESTION, text)
        self.asked = text
        return turn

    def save_answer(self, text: str, seconds: float) -> int:
        """Written before the answer is sent anywhere: a failed request can never lose it."""
        question = self.current
        assert question is not None
        return self.store.mocks.add_turn(
            self.session_id, question.id, self.round, TurnKind.ANSWER, text, seconds=seconds
        )

    def is_coding(self) -> bool:
        """The current round is a coding round: a question with tests, before its follow-ups."""
        question = self.current
        return question is not None and bool(question.tests and question.solution) and self.round == 0

    def grade_request(self, answer: str) -> GradeRequest:
        """What the grader needs for the latest answer: what was said about this question before it."""
        question = self.current
        assert question is not None
        turns = self.store.mocks.turns(self.session_id)
        earlier = turns[:-1] if turns and turns[-1].kind == TurnKind.ANSWER else turns
        return GradeRequest(
            transcript=transcript_for_grading(earlier, question.id),
            asked=self.asked,
            answer=answer,
            round=self.round,
            max_rounds=self.config.follow_up_rounds,
            code=self.is_coding(),
        )

    def record_grade(self, grade: Grade, seconds: float = 0.0) -> None:
        """The interviewer's grade; the bank question's grade also goes into the review log as "mock"."""
        question = self.current
        assert question is not None
        with self.store.transaction():  # the transcript and the review log agree, or neither changes
            self.store.mocks.add_turn(
                self.session_id,
                question.id,
                self.round,
                TurnKind.FEEDBACK,
                grade_markdown(grade),
                grade=grade.to_json(),
            )
            if self.round == 0:
                self.store.reviews.record(question.id, grade.tier, source="mock", seconds=seconds)
        result = self.results[self.index]
        if self.round == 0:
            result.tier = grade.tier
        else:
            result.follow_up_tiers.append(grade.tier)
        result.covered.extend(grade.covered)
        result.missed.extend(grade.missed)
        result.factual_errors.extend(grade.factual_errors)

    def record_self_score(self, tier: str, seconds: float = 0.0) -> None:
        """Offline: the user scored their own answer against the expected answer and rubric."""
        question = self.current
        assert question is not None
        with self.store.transaction():
            self.store.mocks.add_turn(
                self.session_id,
                question.id,
                self.round,
                TurnKind.FEEDBACK,
                f"**Self-score: {SCORE_NAMES[tier]}**",
                grade={"tier": tier, "source": "self"},
            )
            self.store.reviews.record(question.id, tier, source="self", seconds=seconds)
        self.results[self.index].tier = tier

    def note(self, text: str) -> None:
        """A note in the transcript (a skip, a fault). Best effort: a note that cannot be saved is not
        worth interrupting the interview for; the window shows the fault itself."""
        question = self.current
        try:
            self.store.mocks.add_turn(
                self.session_id, question.id if question else "", self.round, TurnKind.NOTICE, text
            )
        except WriteError:
            pass

    # -- moving on ------------------------------------------------------------------------

    def wants_follow_up(self) -> bool:
        return not self.config.offline and self.round < self.config.follow_up_rounds

    def next_round(self) -> None:
        self.round += 1

    def next_question(self) -> None:
        self.index += 1
        self.round = 0
        self.asked = ""

    def skip(self) -> None:
        if self.current is not None:
            if self.results[self.index].tier is None and self.round == 0:
                self.results[self.index].skipped = True
            self.note("Skipped.")
            self.next_question()

    def add_usage(self, usage: dict[str, int], cost_usd: float) -> None:
        try:
            self.store.mocks.add_usage(self.session_id, usage, cost_usd)
        except WriteError:
            pass  # the running total in the window is still right; only the history's figure lags

    def finish(self, interrupted: bool = False) -> dict[str, object]:
        """The summary; the session is saved as completed or interrupted. If that write fails, the summary
        is still returned and `finish_error` says why (the transcript itself was saved turn by turn)."""
        if self.finished:
            return self.summary()
        summary = self.summary()
        status = "interrupted" if interrupted else "completed"
        try:
            self.store.mocks.finish(self.session_id, status, summary)
        except WriteError as exc:
            self.finish_error = exc.message
        self.finished = True
        return summary

    def summary(self) -> dict[str, object]:
        return summarize(self.results, self.topic_titles)


def summarize(results: list[QuestionResult], topic_titles: dict[str, str]) -> dict[str, object]:
    """Per-question tiers, strengths, gaps and the topics to revisit, from the grades alone."""
    strengths = _unique(p for r in results if r.tier == "strong" for p in r.covered)[:12]
    gaps = _unique(p for r in results for p in r.missed)[:12]
    errors = _unique(e for r in results for e in r.factual_errors)
    weak_topics = Counter(r.topic_id for r in results if r.tier in ("weak", "ok") or r.skipped)
    return {
        "questions": [
            {"qid": r.qid, "question": r.question, "topic": r.topic_id, "tier": r.tier, "skipped": r.skipped}
            for r in results
        ],
        "strengths": strengths,
        "gaps": gaps,
        "factual_errors": errors,
        "revisit": [topic_titles.get(t, t) for t, _n in weak_topics.most_common()],
    }


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def result_word(q: dict[str, object]) -> str:
    """One way everywhere: Strong, OK, Weak, Easy, Skipped, or Not graded."""
    if q.get("skipped"):
        return SKIPPED
    tier = q.get("tier")
    return SCORE_NAMES.get(str(tier), "Not graded") if tier else "Not graded"


def summary_markdown(summary: dict[str, object]) -> str:
    lines = ["## Summary", "", "| # | Question | Result |", "|---|---|---|"]
    questions: list[dict[str, object]] = summary.get("questions", [])  # type: ignore[assignment]
    for i, q in enumerate(questions, 1):
        lines.append(f"| {i} | {str(q['question']).replace('|', '/')} | {result_word(q)} |")
    for title, key in (("Strengths", "strengths"), ("Gaps", "gaps"), ("Factual errors", "factual_errors")):
        items: list[str] = summary.get(key) or []  # type: ignore[assignment]
        if items:
            lines += ["", f"**{title}**", *[f"- {s}" for s in items]]
    revisit: list[str] = summary.get("revisit") or []  # type: ignore[assignment]
    lines += ["", "**Topics to revisit:** " + (", ".join(revisit) if revisit else "none, well done.")]
    return "\n".join(lines)


def export_markdown(session: MockSessionRecord, turns: list[MockTurnRecord]) -> str:
    """The whole session as a Markdown file. It never contains the API key: only what the store holds."""
    started = time.strftime("%Y-%m-%d %H:%M", time.localtime(session.started_at))
    offline = session.mode == "offline"
    mode = "self-graded (offline)" if offline else f"with Claude ({session.model})"
    lines = [f"# Mock interview, {started}", "", f"- Mode: {mode}", f"- Status: {session.status}"]
    if not offline:  # a self-graded session has no tokens and no cost to report
        lines.append(
            f"- Tokens: {session.input_tokens:,} in, {session.output_tokens:,} out "
            f"({session.cache_read_tokens:,} read from cache); estimated cost ${session.cost_usd:.4f}"
        )
    lines.append("")
    labels: dict[str, str] = {
        TurnKind.QUESTION: "Question" if offline else "Interviewer",
        TurnKind.ANSWER: "You",
        TurnKind.FEEDBACK: "Your score" if offline else "Feedback",
        TurnKind.NOTICE: "Note",
    }
    last_qid = None
    for turn in turns:
        if turn.qid != last_qid and turn.kind == TurnKind.QUESTION and turn.round == 0:
            lines += ["---", ""]
            last_qid = turn.qid
        if not turn.text.strip():
            continue  # never an empty "Feedback:" heading
        suffix = f" ({turn.seconds:.0f} s)" if turn.kind == TurnKind.ANSWER and turn.seconds else ""
        lines += [f"**{labels.get(turn.kind, turn.kind)}{suffix}:**", "", turn.text, ""]
    if session.summary:
        lines += ["---", "", summary_markdown(session.summary)]
    return "\n".join(lines).rstrip() + "\n"


def transcript_for_grading(turns: list[MockTurnRecord], qid: str) -> str:
    """What has been said about one question so far, for the grader's context."""
    labels: dict[str, str] = {
        TurnKind.QUESTION: "Interviewer",
        TurnKind.ANSWER: "Candidate",
        TurnKind.FEEDBACK: "Interviewer feedback",
    }
    return "\n\n".join(f"{labels[t.kind]}: {t.text}" for t in turns if t.qid == qid and t.kind in labels)
