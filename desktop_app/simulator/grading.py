"""The interviewer's grade: a tool schema the model fills in, and a strict reader that never guesses."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from desktop_app.core.vocab import SCORES

TOOL_NAME = "record_grade"

GRADE_TOOL: dict[str, Any] = {
    "name": TOOL_NAME,
    "description": "Record the grade of the candidate's latest answer, with feedback and one follow-up question.",
    "input_schema": {
        "type": "object",
        "properties": {
            "tier": {"type": "string", "enum": ["strong", "ok", "weak"]},
            "covered": {"type": "array", "items": {"type": "string"}},
            "missed": {"type": "array", "items": {"type": "string"}},
            "factual_errors": {"type": "array", "items": {"type": "string"}},
            "feedback": {"type": "string", "description": "Feedback to the candidate, in Markdown."},
            "follow_up": {"type": "string", "description": "One follow-up question that probes deeper."},
            "complexity": {
                "type": "string",
                "description": "For code: its time and memory complexity, and better ones.",
            },
            "code_quality": {"type": "string", "description": "For code: readability, numerical care, edge cases."},
        },
        "required": ["tier", "covered", "missed", "factual_errors", "feedback", "follow_up"],
    },
}


class GradeError(ValueError):
    """The grade the model returned is not usable; the message says what was wrong with it."""


@dataclass(frozen=True)
class Grade:
    tier: str
    covered: tuple[str, ...]
    missed: tuple[str, ...]
    factual_errors: tuple[str, ...]
    feedback: str
    follow_up: str
    complexity: str = ""  # code answers: the complexity remarks
    code_quality: str = ""  # code answers: the code-quality remarks

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


def parse_grade(data: object) -> Grade:
    """Accept exactly the schema; anything else is reported, never repaired by guessing."""
    if not isinstance(data, dict):
        raise GradeError(f"expected an object, got {type(data).__name__}")
    tier = data.get("tier")
    if tier not in SCORES:
        raise GradeError(f"tier is {tier!r}, not one of strong, ok, weak")
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("covered", "missed", "factual_errors"):
        value = data.get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise GradeError(f"'{key}' is missing or is not a list of strings")
        lists[key] = tuple(v.strip() for v in value if v.strip())
    texts: dict[str, str] = {}
    for key in ("feedback", "follow_up"):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise GradeError(f"'{key}' is missing or empty")
        texts[key] = value.strip()
    extras = {}
    for key in ("complexity", "code_quality"):  # optional: only code answers carry them
        value = data.get(key, "")
        if not isinstance(value, str):
            raise GradeError(f"'{key}' is not a string")
        extras[key] = value.strip()
    return Grade(
        str(tier),
        lists["covered"],
        lists["missed"],
        lists["factual_errors"],
        texts["feedback"],
        texts["follow_up"],
        extras["complexity"],
        extras["code_quality"],
    )


def grade_markdown(grade: Grade) -> str:
    """The grade as the transcript shows it (and the export writes it)."""
    parts = [f"**Grade: {grade.tier.upper()}**", "", grade.feedback]
    if grade.covered:
        parts += ["", "*Covered:* " + "; ".join(grade.covered)]
    if grade.missed:
        parts += ["", "*Missed:* " + "; ".join(grade.missed)]
    if grade.factual_errors:
        parts += ["", "*Factual errors:*", *[f"- {e}" for e in grade.factual_errors]]
    if grade.complexity:
        parts += ["", "*Complexity:* " + grade.complexity]
    if grade.code_quality:
        parts += ["", "*Code quality:* " + grade.code_quality]
    return "\n".join(parts)
