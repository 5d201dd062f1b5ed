"""Questions written for a job: what Claude is told, the tool it fills in, and a strict reader of its reply.

The model sees the job description and a compact map of the bank (each topic with the questions it
already has), and proposes questions for what the job needs that the bank does not cover, in the bank's
own shape, plus how much of an interview each bank topic deserves for this job. The reader accepts
exactly that shape and says what was wrong with anything else; the proposals are only proposals: the user
reviews each one, and the deck validator checks it, before anything is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from desktop_app.core.vocab import LEVELS

TOOL_NAME = "propose_questions"
MAX_PROPOSALS = 12
MAX_MAP_TITLES = 1200  # titles of bank questions shown to the model (about 20 tokens each)
GENERATE_MAX_TOKENS = 12_000


def tool(topic_ids: list[str]) -> dict[str, Any]:
    question = {
        "type": "object",
        "properties": {
            "question": {"type": "string", "description": "The question as an interviewer would ask it."},
            "level": {"type": "string", "enum": list(LEVELS)},
            "answer": {
                "type": "string",
                "description": "The expected answer in Markdown, 80-350 words, correct and specific.",
            },
            "follow_ups": {"type": "array", "items": {"type": "string"}, "minItems": 3, "maxItems": 5},
            "rubric": {
                "type": "object",
                "properties": {
                    "strong": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "The 2-4 essentials a strong answer must hit.",
                    },
                    "also_good": {"type": "array", "items": {"type": "string"}},
                    "ok": {"type": "string", "description": "What an OK answer gets right and misses."},
                    "weak": {"type": "string", "description": "The misconception or gap of a weak answer."},
                },
                "required": ["strong", "ok", "weak"],
            },
            "tags": {"type": "array", "items": {"type": "string"}},
            "gap": {"type": "string", "description": "Why the job needs this and the bank does not cover it."},
        },
        "required": ["question", "level", "answer", "follow_ups", "rubric", "tags", "gap"],
    }
    return {
        "name": TOOL_NAME,
        "description": "Propose interview questions for the job's gaps, and weigh the bank's topics for it.",
        "input_schema": {
            "type": "object",
            "properties": {
                "job_title": {"type": "string", "description": "A short name for the job, for the deck title."},
                "focus_topics": {
                    "type": "array",
                    "description": "The bank topics this job's interviews will draw on, with weights summing to 1.",
                    "items": {
                        "type": "object",
                        "properties": {
                            "topic_id": {"type": "string", "enum": topic_ids},
                            "weight": {"type": "number"},
                        },
                        "required": ["topic_id", "weight"],
                    },
                },
                "questions": {"type": "array", "items": question, "maxItems": MAX_PROPOSALS},
            },
            "required": ["job_title", "focus_topics", "questions"],
        },
    }


@dataclass(frozen=True)
class BankMap:
    """The bank as the model sees it: topics, their sizes and their question titles."""

    topics: tuple[tuple[str, str, tuple[str, ...]], ...]  # (id, title, question titles)

    def text(self) -> str:
        lines: list[str] = []
        budget = MAX_MAP_TITLES
        for topic_id, title, questions in self.topics:
            lines.append(f"## {title} (topic id: {topic_id}; {len(questions)} questions)")
            shown = questions[: max(0, min(len(questions), budget))]
            budget -= len(shown)
            lines.extend(f"- {q[:100]}" for q in shown)
            if len(shown) < len(questions):
                lines.append(f"- ... and {len(questions) - len(shown)} more")
        return "\n".join(lines)


@dataclass(frozen=True)
class GenerateRequest:
    job_description: str
    bank: BankMap
    count: int = 8


@dataclass(frozen=True)
class ProposedQuestion:
    question: str
    level: str
    answer: str
    follow_ups: tuple[str, ...]
    strong: tuple[str, ...]
    also_good: tuple[str, ...]
    ok: str
    weak: str
    tags: tuple[str, ...]
    gap: str


@dataclass(frozen=True)
class JobProposal:
    job_title: str
    focus: dict[str, float]  # bank topic id -> share of an interview for this job
    questions: tuple[ProposedQuestion, ...]


def request_content(request: GenerateRequest) -> str:
    from desktop_app.simulator.prompts import prompt

    return prompt("generate_questions").format(
        job=request.job_description.strip(), bank=request.bank.text(), count=request.count
    )


class ProposalError(ValueError):
    """The proposal the model returned is not usable; the message says what was wrong with it."""


def _text(data: dict[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ProposalError(f"{where}.{key} is missing or empty")
    return value.strip()


def _texts(data: dict[str, Any], key: str, where: str, minimum: int = 0) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProposalError(f"{where}.{key} is not a list of strings")
    items = tuple(v.strip() for v in value if v.strip())
    if len(items) < minimum:
        raise ProposalError(f"{where}.{key} has {len(items)} items; at least {minimum} are needed")
    return items


def parse_proposal(data: object, topic_ids: list[str]) -> JobProposal:
    """Accept exactly the schema; anything else is reported, never repaired by guessing. Focus weights
    for topics the bank does not have are dropped, and the rest are scaled to sum to 1."""
    if not isinstance(data, dict):
        raise ProposalError(f"expected an object, got {type(data).__name__}")
    title = _text(data, "job_title", "proposal")
    focus_raw = data.get("focus_topics")
    if not isinstance(focus_raw, list):
        raise ProposalError("proposal.focus_topics is not a list")
    focus: dict[str, float] = {}
    for i, item in enumerate(focus_raw):
        if not isinstance(item, dict):
            raise ProposalError(f"focus_topics[{i}] is not an object")
        weight = item.get("weight")
        topic = item.get("topic_id")
        if isinstance(topic, str) and topic in topic_ids and isinstance(weight, int | float) and weight > 0:
            focus[topic] = focus.get(topic, 0.0) + float(weight)
    total = sum(focus.values())
    focus = {k: v / total for k, v in focus.items()} if total else {}
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list):
        raise ProposalError("proposal.questions is not a list")
    questions = []
    for i, raw in enumerate(raw_questions[:MAX_PROPOSALS]):
        where = f"questions[{i}]"
        if not isinstance(raw, dict):
            raise ProposalError(f"{where} is not an object")
        level = raw.get("level")
        if level not in LEVELS:
            raise ProposalError(f"{where}.level is {level!r}, not one of {', '.join(LEVELS)}")
        rubric = raw.get("rubric")
        if not isinstance(rubric, dict):
            raise ProposalError(f"{where}.rubric is not an object")
        questions.append(
            ProposedQuestion(
                question=_text(raw, "question", where),
                level=str(level),
                answer=_text(raw, "answer", where),
                follow_ups=_texts(raw, "follow_ups", where, minimum=1),
                strong=_texts(rubric, "strong", f"{where}.rubric", minimum=1),
                also_good=_texts(rubric, "also_good", f"{where}.rubric"),
                ok=_text(rubric, "ok", f"{where}.rubric"),
                weak=_text(rubric, "weak", f"{where}.rubric"),
                tags=_texts(raw, "tags", where),
                gap=str(raw.get("gap", "")).strip(),
            )
        )
    return JobProposal(title, focus, tuple(questions))
