"""The shape of a Markdown deck, shared by its reader and its writer so what is written reads back the same.

Structure is read line by line: a heading counts only at the start of a line and outside fenced code
blocks, so answers can hold code and `####` headings. This module says which lines are structure (the
`# Title`, `## Question` and `### <Section>` headings, and near misses such as `##Title`) and which
lines are code; the reader (mdformat) and the writer (mdwrite) both go by it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_SECTION_NAMES = {
    "answer": "answer",
    "expected answer": "answer",
    "follow-ups": "follow-ups",
    "follow ups": "follow-ups",
    "followups": "follow-ups",
    "follow-up questions": "follow-ups",
    "rubric": "rubric",
    "solution": "solution",
    "tests": "tests",
}
SECTION_TITLES = {
    "answer": "Answer",
    "follow-ups": "Follow-ups",
    "rubric": "Rubric",
    "solution": "Solution",
    "tests": "Tests",
}

_HEADING = re.compile(r"^(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_NO_SPACE_HEADING = re.compile(r"^(##|###)([^#\s].*)$")
# Fences may be indented by any amount (CommonMark allows three spaces, more inside list items): text
# moved under a bullet or a tier label is indented, and must keep its code blocks where they were.
FENCE_OPEN = re.compile(r"^([ \t]*)(`{3,}|~{3,})(.*)$")
_FENCE_CLOSE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*$")


# ----- fenced code blocks ----------------------------------------------------------------------------


def fence_spans(lines: Sequence[str]) -> tuple[list[tuple[int, int]], int | None]:
    """The fenced code blocks in `lines` as (opening line, closing line) index pairs, and the index of a
    fence left open at the end, if any. CommonMark's rules, but with any indentation: a closing fence is of
    the same character and at least as long as the opening one; a backtick fence's info string has no
    backtick."""
    spans: list[tuple[int, int]] = []
    opener: tuple[str, int, int] | None = None  # character, length, line index
    for i, line in enumerate(lines):
        if opener is None:
            m = FENCE_OPEN.match(line)
            if m and not (m.group(2)[0] == "`" and "`" in m.group(3)):
                opener = (m.group(2)[0], len(m.group(2)), i)
            continue
        m = _FENCE_CLOSE.match(line)
        if m and m.group(1)[0] == opener[0] and len(m.group(1)) >= opener[1]:
            spans.append((opener[2], i))
            opener = None
    if opener is not None:
        spans.append((opener[2], len(lines) - 1))
    return spans, (opener[2] if opener else None)


def fence_mask(lines: Sequence[str]) -> tuple[list[bool], int | None]:
    """Which lines belong to a fenced code block (its fence lines included), and the open fence, if any."""
    spans, open_at = fence_spans(lines)
    mask = [False] * len(lines)
    for start, end in spans:
        mask[start : end + 1] = [True] * (end + 1 - start)
    return mask, open_at


def closing_fence(lines: Sequence[str], indent: str = "") -> list[str]:
    """The line that closes a fence left open in `lines`, or nothing when all are closed."""
    _spans, open_at = fence_spans(lines)
    if open_at is None:
        return []
    m = FENCE_OPEN.match(lines[open_at])
    return [indent + m.group(2)] if m else []


# ----- headings --------------------------------------------------------------------------------------


def section_name(text: str) -> str | None:
    """The section a `###` heading's text names ("answer", "follow-ups", ...), or None for any other."""
    name = re.sub(r"[ \t]+#+$", "", text).strip().rstrip(":").strip().lower()
    return _SECTION_NAMES.get(re.sub(r"[ \t]+", " ", name))


def structure(line: str) -> tuple[int, str] | None:
    """(level, text) when a line outside code is a heading that gives the deck its shape: `# Title`,
    `## Question` or `### <Section>`. Other headings are part of the text they are in."""
    m = _HEADING.match(line)
    if not m:
        return None
    level, text = len(m.group(1)), m.group(2) or ""
    if level <= 2 or (level == 3 and section_name(text)):
        return level, text
    return None


def near_miss(line: str) -> bool:
    """`##What is X?` (no space) would silently join the previous answer; it is reported instead."""
    m = _NO_SPACE_HEADING.match(line)
    return m is not None and (m.group(1) == "##" or section_name(m.group(2)) is not None)
