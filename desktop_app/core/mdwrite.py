"""Markdown decks written out, so a deck can be edited by hand and read back to the same questions.

The writer follows the layout mdlayout describes and mdformat reads (documented in question_data/README.md,
"Markdown decks"); what the layout cannot hold is changed as little as possible (see deck_to_markdown).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from desktop_app.core import deckfile
from desktop_app.core.bank import Question, Topic
from desktop_app.core.mdlayout import FENCE_OPEN, closing_fence, fence_mask, near_miss, section_name, structure


def _demoted(line: str) -> str:
    """A line of an answer or description that the reader would take for the deck's own structure (or
    report as a heading missing its space), moved down to ### (#### when named like a section)."""
    found = structure(line)
    if found is not None:
        text = found[1]
    elif near_miss(line):
        text = line.lstrip("#")
    else:
        return line
    return ("#### " if section_name(text) else "### ") + text if text else "###"


def _content_lines(text: str) -> list[str]:
    """Markdown placed at the start of lines (an answer, a description), made safe to read back: see
    _demoted, and a code block left open is closed so it cannot swallow what follows."""
    lines = text.split("\n")
    mask, _open = fence_mask(lines)
    out = [line if in_fence else _demoted(line) for line, in_fence in zip(lines, mask, strict=True)]
    return out + closing_fence(out)


def _indented(text: str, first_prefix: str) -> list[str]:
    """Text after a bullet or a tier label: its first line on the label's line, the rest indented by two
    spaces, which keeps every line of it from reading as a label, a heading or a new item. A first line
    that opens a code block goes under the label instead."""
    lines = text.split("\n")
    if FENCE_OPEN.match(lines[0]):
        head, rest = [first_prefix.rstrip()], lines
    else:
        head, rest = [first_prefix + lines[0]], lines[1:]
    body = ["  " + line if line else "" for line in rest]
    return head + body + closing_fence(body, "  ")


def _code_fence(code: str) -> list[str]:
    """A fence longer than any run of backticks that starts a line of the code, so none can close it."""
    runs = [len(m.group(1)) for m in re.finditer(r"(?m)^[ \t]*(`+)", code)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    lines = code.split("\n")
    if lines[-1] == "":
        lines = lines[:-1]
    return [f"{fence}python", *lines, fence]


def deck_to_markdown(topic: Topic, questions: Sequence[Question]) -> str:
    """A deck as a Markdown file that read_markdown_deck reads back to the same topic and questions.

    Exact for everything the layout can hold. What it cannot hold is changed as little as possible: line
    breaks in a title or question become spaces (a heading is one line); `#` and `##` headings inside an
    answer or description become `###`, and a `###` heading named like a section becomes `####`; a code
    block an answer leaves open is closed; a solution or tests without a final line break get one; commas
    in a tag become spaces (the `tags:` line is split at commas); line breaks are written as \\n."""
    out = [f"# {' '.join(topic.title.split())}", f"id: {topic.id}"]
    if topic.order != deckfile.DEFAULT_ORDER:
        out.append(f"order: {topic.order}")
    if topic.description:
        out += ["", *_content_lines(topic.description)]
    for q in questions:
        out += ["", "", f"## {' '.join(q.question.split())}", f"id: {q.id}", f"level: {q.level}"]
        if q.tags:
            out.append("tags: " + ", ".join(" ".join(tag.replace(",", " ").split()) for tag in q.tags))
        out += ["", "### Answer", "", *_content_lines(q.answer)]
        out += ["", "### Follow-ups", ""]
        for item in q.follow_ups:
            out += _indented(item, "- ")
        out += ["", "### Rubric", ""]
        strong = q.rubric.strong
        if len(strong) == 1:
            out += _indented(strong[0], "Strong: ")
        else:
            out.append("Strong:")
            for item in strong:
                out += _indented(item, "- ")
        if q.rubric.also_good:
            out += ["", "Also good:"]
            for item in q.rubric.also_good:
                out += _indented(item, "- ")
        out += ["", *_indented(q.rubric.ok, "OK: "), "", *_indented(q.rubric.weak, "Weak: ")]
        if q.solution is not None:
            out += ["", "### Solution", "", *_code_fence(q.solution)]
        if q.tests is not None:
            out += ["", "### Tests", "", *_code_fence(q.tests)]
    return "\n".join(out) + "\n"
