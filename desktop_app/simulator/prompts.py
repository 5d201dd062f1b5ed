"""Prompt texts live in resources/prompts so they can be read and tuned without touching code."""

from __future__ import annotations

import functools
import tomllib

from desktop_app.core.bank import Question
from desktop_app.paths import resource_path


@functools.cache
def prompt(name: str) -> str:
    return (resource_path("resources") / "prompts" / f"{name}.txt").read_text(encoding="utf-8").strip()


def question_context(question: Question, topic_title: str) -> str:
    text = prompt("question_context").format(
        topic=topic_title,
        level=question.level,
        question=question.question,
        answer=question.answer,
        strong=question.rubric.strong_text(),
        also_good=question.rubric.also_good_text() or "(none listed)",
        ok=question.rubric.ok,
        weak=question.rubric.weak,
        follow_ups="\n".join(f"- {f}" for f in question.follow_ups),
    )
    if question.solution:  # a coding question: the candidate writes code that runs against real tests
        text += "\n\n" + prompt("coding_context").format(solution=question.solution.strip(), tests=question.tests or "")
    return text


@functools.cache
def _prices() -> list[dict[str, object]]:
    data = tomllib.loads((resource_path("resources") / "prices.toml").read_text(encoding="utf-8"))
    return list(data.get("model", []))


def estimate_cost(model: str, usage: dict[str, int]) -> float:
    """Dollars for one reply, from resources/prices.toml; 0 for a model the table does not know."""
    for entry in _prices():
        if str(entry["match"]) in model.lower():
            per = 1_000_000.0
            return (
                usage.get("input_tokens", 0) * float(entry["input"])  # type: ignore[arg-type]
                + usage.get("output_tokens", 0) * float(entry["output"])  # type: ignore[arg-type]
                + usage.get("cache_creation_input_tokens", 0) * float(entry["cache_write"])  # type: ignore[arg-type]
                + usage.get("cache_read_input_tokens", 0) * float(entry["cache_read"])  # type: ignore[arg-type]
            ) / per
    return 0.0
