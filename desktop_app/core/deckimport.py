"""What every deck importer returns, and the checks they share, so a Markdown deck and an Anki export fail alike.

An importer reads a file someone else wrote into the bank's topic and questions. Whatever the format, the
same things hold: a file over the bank's size limit is refused, a file that breaks the reader costs its
own import and never the app, and what gets in has passed the bank's own validator, its problems said in
the importer's terms (the place in the file, the names the user knows the fields by).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from desktop_app.core import bank, deckfile
from desktop_app.core.bank import Problem, Question, Topic

_LOCATION_CHARS = 60  # a question named in a problem is cut to this many characters


@dataclass
class MarkdownDeck:
    """What reading a deck file found. `topic` is None when the deck cannot be used at all; `questions`
    holds the ones that passed the bank's own validator; `filled` lists the ids of those that got the
    generic follow-ups or rubric (deckfile.GENERIC_*), so the user can be told to write real ones."""

    topic: Topic | None
    questions: list[Question] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)


def failed(source: str, message: str) -> MarkdownDeck:
    """A deck that cannot be used at all, for one reason about the whole file."""
    return MarkdownDeck(None, problems=[Problem(source, "", message)])


def read_guarded(text: str, source: str, read: Callable[[str], MarkdownDeck]) -> MarkdownDeck:
    """`read(text)`, unless the file is over the bank's size limit. Never raises: an exception in `read`
    becomes the file's one problem."""
    try:
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > bank.MAX_FILE_BYTES:
            return failed(source, f"file is {size:,} bytes; the limit is {bank.MAX_FILE_BYTES:,}")
        return read(text)
    except Exception as exc:  # a hostile file must cost its own import, never the app
        return failed(source, f"could not be read ({type(exc).__name__}: {exc})")


def split_lines(text: str) -> list[str]:
    """A file's lines, without a byte-order mark, with any of \\r\\n, \\r or \\n ending a line."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def short(text: str) -> str:
    """Text named in a problem: on one line, cut to a length that keeps the message readable."""
    text = " ".join(text.split())
    return text if len(text) <= _LOCATION_CHARS else text[: _LOCATION_CHARS - 1].rstrip() + "…"


_FIELD_LABELS = {
    "question": "the question",
    "answer": "the answer",
    "follow_ups": "'Follow-ups'",
    "follow_ups[]": "follow-up {}",
    "tags": "'tags:'",
    "tags[]": "tag {}",
    "rubric.strong": "'Strong:'",
    "rubric.strong[]": "'Strong:' point {}",
    "rubric.also_good": "'Also good:'",
    "rubric.also_good[]": "'Also good:' point {}",
    "rubric.ok": "'OK:'",
    "rubric.weak": "'Weak:'",
    "solution": "'### Solution'",
    "tests": "'### Tests'",
    "title": "the title",
    "description": "the description",
}
_QUOTED_FIELD = re.compile(r"'([a-z_.]+)(?:\[(\d+)\])?'")
_VALIDATOR_WHERE = re.compile(r"^question (?:'.*' \(#(\d+)\)|#(\d+))$")
_QUESTION_REF = re.compile(r"question #(\d+)")
_NOT_LOADED = "not loaded: the file's [topic] table is missing or invalid"


def validate(
    topic: Topic,
    questions: Sequence[Question],
    source: str,
    topic_where: str,
    question_where: Sequence[str],
    labels: dict[str, str] | None = None,
) -> tuple[Topic | None, list[Question], list[Problem]]:
    """Run the bank's own validator on what an importer built, so nothing it would refuse gets in, and say
    its problems in the importer's terms: the place in the source file (`question_where[i]` for the i-th
    question) and the names the user knows the fields by (`labels`, over _FIELD_LABELS). Returns the
    validator's own topic and questions (stripped as the bank strips them)."""
    names = {**_FIELD_LABELS, **(labels or {})}

    def field_name(m: re.Match[str]) -> str:
        key = m.group(1) + ("[]" if m.group(2) else "")
        if key not in names:
            return m.group(0)
        return names[key].format(m.group(2)) if m.group(2) else names[key]

    def place(n: int) -> str:
        return question_where[n - 1] if 0 < n <= len(question_where) else f"question #{n}"

    parsed_topic, parsed, found = bank.parse_text(deckfile.dump_deck(topic, questions), source)
    problems: list[Problem] = []
    for p in found:
        if p.message == _NOT_LOADED:
            continue  # the topic's own problem says it, once
        message = _QUOTED_FIELD.sub(field_name, p.message)
        message = _QUESTION_REF.sub(lambda m: place(int(m.group(1))), message)
        if p.where == "[topic]":
            where = topic_where
        elif m := _VALIDATOR_WHERE.match(p.where):
            where = place(int(m.group(1) or m.group(2)))
        else:
            where = p.where
        problems.append(Problem(source, where, message))
    if parsed_topic is None:
        return None, [], problems
    return parsed_topic, parsed, problems
