"""Markdown decks read into the bank's questions: a layout people can write by hand, checked as it is read.

The layout is documented in question_data/README.md ("Markdown decks"). In short: `# Title` (with
optional `id:` and `order:` lines under it, then an optional description), then per question a
`## Question` heading (optional `level:`, `tags:`, `id:` lines) and `### Answer`, `### Follow-ups`,
`### Rubric`, `### Solution`, `### Tests` sections. Structure is read line by line: a heading counts
only at the start of a line and outside fenced code blocks, so answers can hold code and `####` headings
(mdlayout says which lines are structure; mdwrite writes decks back out).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from desktop_app.core import deckfile
from desktop_app.core.bank import Problem, Question, Rubric, Topic
from desktop_app.core.deckimport import MarkdownDeck, read_guarded, short, split_lines, validate
from desktop_app.core.mdlayout import SECTION_TITLES, fence_mask, fence_spans, near_miss, section_name, structure

DEFAULT_LEVEL = "intermediate"
TOPIC_KEYS = ("id", "order")
QUESTION_KEYS = ("level", "tags", "id")
TIERS = {"strong": "Strong", "also good": "Also good", "ok": "OK", "weak": "Weak"}

_SETTING = re.compile(r"^([A-Za-z][A-Za-z _-]{0,30}?)[ \t]*:[ \t]*(.*?)[ \t]*$")
_BULLET = re.compile(r"^( {0,3})([-*+]|\d{1,9}[.)])([ \t]+|$)(.*)$")
_LABEL = r"strong|also[ _-]?good|ok|weak"
# `Strong:`, and the bold or italic forms people write: `**Strong:**`, `**Strong**:`, `*Strong:*`.
_TIER = re.compile(
    rf"^(?:(\*\*|__|\*|_)(?P<a>{_LABEL})(?:\1[ \t]*:|[ \t]*:\1)|(?P<b>{_LABEL})[ \t]*:)[ \t]*(?P<rest>.*)$",
    re.IGNORECASE,
)


@dataclass
class _Block:
    """One `##` question as found in the file, before it becomes a Question."""

    text: str
    line: int  # 1-based line of the heading
    body: list[int] = field(default_factory=list)  # indices of the lines under the heading
    settings: dict[str, tuple[str, int]] = field(default_factory=dict)
    sections: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    broken: bool = False  # its layout had a problem: it is left out rather than imported half-read

    @property
    def where(self) -> str:
        return f"## {short(self.text)} (line {self.line})"


@dataclass
class _Parsed:
    title: str | None = None
    title_line: int = 0
    settings: dict[str, tuple[str, int]] = field(default_factory=dict)
    description: str = ""
    blocks: list[_Block] = field(default_factory=list)

    @property
    def topic_where(self) -> str:
        if self.title is None:
            return "line 1"
        return f"# {short(self.title)}".rstrip() + f" (line {self.title_line})"


class _Reader:
    def __init__(self, text: str, source: str):
        self.source = source
        self.problems: list[Problem] = []
        self.lines = split_lines(text)
        self.mask, self.open_fence = fence_mask(self.lines)

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.source, where, message))

    def read(self) -> _Parsed:
        if self.open_fence is not None:
            fence = self.lines[self.open_fence].strip()
            self.problem(
                f"line {self.open_fence + 1}",
                f"the code block opened here ({short(fence)}) is never closed, so everything after it is read "
                f"as code; add a closing {fence[:3]} line after the code",
            )
        parsed = _Parsed()
        before_title: list[Problem] = []  # reported only if a title turns up (else "no title" says it all)
        topic_body: list[int] = []
        ignored: list[int] = []
        target: list[int] | None = None
        for i, line in enumerate(self.lines):
            found = None if self.mask[i] else structure(line)
            if found is None:
                if not self.mask[i] and near_miss(line):
                    hashes = line[:3] if line.startswith("###") else "##"
                    what = "a section" if hashes == "###" else "a question"
                    self.problem(f"line {i + 1}", f"'{short(line)}' needs a space after '{hashes}' to start {what}")
                if target is not None:
                    target.append(i)
                elif line.strip() and not before_title:
                    before_title.append(
                        Problem(
                            self.source, f"line {i + 1}", "text before the deck title: start the file with '# Title'"
                        )
                    )
                continue
            level, text = found
            if level == 1:
                if parsed.title is None:
                    parsed.title, parsed.title_line = text.strip(), i + 1
                    if parsed.blocks:
                        self.problem(
                            f"line {i + 1}", "the deck title must come first: move it above the first question"
                        )
                    target = topic_body
                else:
                    self.problem(
                        f"line {i + 1}",
                        f"a second '# ' title ('{short(text)}'): a file holds one deck, so start a new file for "
                        "it; inside an answer, use '####' for a heading",
                    )
                    target = ignored
                continue
            if level == 2:
                parsed.blocks.append(_Block(text.strip(), i + 1))
                target = parsed.blocks[-1].body
                continue
            if target is ignored:
                continue
            if not parsed.blocks or target is not parsed.blocks[-1].body:
                self.problem(
                    f"line {i + 1}",
                    f"'### {text.strip()}' comes before any question: put a '## Question' heading above it",
                )
                continue
            target.append(i)
        if parsed.title is None:
            self.problem("", "no deck title: a Markdown deck starts with a '# Title' line")
        else:
            self.problems[:0] = before_title
        parsed.settings, used = self._settings(topic_body, TOPIC_KEYS, parsed.topic_where)
        parsed.description = "\n".join(self.lines[i] for i in topic_body[used:]).strip()
        for block in parsed.blocks:
            self._read_block(block)
        return parsed

    def _settings(
        self, indices: Sequence[int], keys: Sequence[str], where: str
    ) -> tuple[dict[str, tuple[str, int]], int]:
        """`key: value` lines at the top of a block (blank lines allowed around them): the values with their
        line numbers, and how many of the lines they took."""
        found: dict[str, tuple[str, int]] = {}
        used = 0
        for n, i in enumerate(indices):
            line = self.lines[i]
            if not line.strip():
                used = n + 1
                continue
            m = _SETTING.match(line)
            if self.mask[i] or not m or m.group(1).strip().lower() not in keys:
                break
            key = m.group(1).strip().lower()
            if key in found:
                self.problem(where, f"'{key}:' is given twice (lines {found[key][1]} and {i + 1}); keep one")
            found[key] = (m.group(2), i + 1)
            used = n + 1
        return found, used

    def _read_block(self, block: _Block) -> None:
        reported = len(self.problems)
        self._read_sections(block)
        block.broken = len(self.problems) > reported

    def _read_sections(self, block: _Block) -> None:
        block.settings, used = self._settings(block.body, QUESTION_KEYS, block.where)
        current: str | None = None
        stray = False
        for i in block.body[used:]:
            line = self.lines[i]
            found = None if self.mask[i] else structure(line)
            if found is not None:
                name = section_name(found[1]) or ""
                if name in block.sections:
                    first = block.sections[name][0]
                    self.problem(
                        block.where,
                        f"a second '### {SECTION_TITLES[name]}' section (lines {first} and {i + 1}); "
                        "merge them into one",
                    )
                    current = None
                    stray = True  # its lines are not reported again as stray text
                    continue
                block.sections[name] = (i + 1, [])
                current = name
                continue
            if current is not None:
                block.sections[current][1].append(line)
            elif line.strip() and not stray:
                stray = True
                m = _SETTING.match(line)
                if m and not self.mask[i] and len(m.group(1).split()) == 1 and m.group(2):
                    self.problem(
                        block.where,
                        f"unknown setting '{m.group(1)}:' on line {i + 1} (known: {', '.join(QUESTION_KEYS)})",
                    )
                else:
                    self.problem(
                        block.where,
                        f"text on line {i + 1} comes before the question's first section: put the answer "
                        "under a '### Answer' heading",
                    )


def _dedent(line: str, spaces: int) -> str:
    indent = len(line) - len(line.lstrip(" "))
    return line[min(indent, spaces) :]


def parse_items(lines: Sequence[str]) -> list[str] | None:
    """A bullet list as its items (continuation lines de-indented by the item's own indent), or None when
    the lines are not just a list: text before the first bullet, or unindented text after a blank line."""
    spans, _open = fence_spans(lines)
    interior = [False] * len(lines)  # inside a code block, past its opening fence: never a new bullet
    for start, end in spans:
        interior[start + 1 : end + 1] = [True] * (end - start)
    items: list[list[str]] = []
    offset = 0
    pending_blank = False
    for line, code in zip(lines, interior, strict=True):
        m = None if code else _BULLET.match(line)
        if m and (not items or len(m.group(1)) < offset):
            spaces = len(m.group(3))
            offset = len(m.group(1)) + len(m.group(2)) + (spaces if 0 < spaces <= 4 else 1)
            items.append([m.group(4)])
            pending_blank = False
            continue
        if not items:
            if line.strip():
                return None
            continue
        if not line.strip():
            items[-1].append(_dedent(line, offset))
            pending_blank = True
            continue
        if pending_blank and not code and len(line) - len(line.lstrip(" ")) < offset:
            return None
        pending_blank = False
        items[-1].append(_dedent(line, offset))
    return ["\n".join(item).strip() for item in items]


def _tier_text(first: str, lines: Sequence[str]) -> str:
    return "\n".join([first, *(_dedent(line, 2) for line in lines)]).strip()


def _parse_rubric(lines: list[str], where: str, out: list[Problem], source: str) -> Rubric | None:
    mask, _open = fence_mask(lines)
    tiers: dict[str, tuple[str, list[str]]] = {}
    current: str | None = None
    stray = False
    for line, in_fence in zip(lines, mask, strict=True):
        m = None if in_fence else _TIER.match(line)
        if m:
            name = re.sub(r"[ _-]+", " ", (m.group("a") or m.group("b")).lower())
            if name in tiers:
                out.append(Problem(source, where, f"the rubric gives '{TIERS[name]}:' twice; keep one"))
                return None
            tiers[name] = (m.group("rest"), [])
            current = name
        elif current is not None:
            tiers[current][1].append(line)
        elif line.strip():
            stray = True
    if stray:
        out.append(
            Problem(
                source,
                where,
                "the rubric has text before its first tier: start each tier with 'Strong:', 'Also good:', "
                "'OK:' or 'Weak:' at the start of a line",
            )
        )
        return None
    missing = [f"'{TIERS[t]}:'" for t in ("strong", "ok", "weak") if t not in tiers]
    if missing:
        out.append(
            Problem(
                source,
                where,
                f"the rubric has no {' or '.join(missing)} line; add {'it' if len(missing) == 1 else 'them'}, "
                "or delete the '### Rubric' section to use the generic rubric",
            )
        )
        return None

    def points(name: str) -> tuple[str, ...]:
        first, rest = tiers.get(name, ("", []))
        if not first.strip():
            items = parse_items(rest)
            if items is not None and items:
                return tuple(items)
        text = _tier_text(first, rest)
        return (text,) if text or name == "strong" else ()

    return Rubric(
        strong=points("strong"),
        ok=_tier_text(*tiers["ok"]),
        weak=_tier_text(*tiers["weak"]),
        also_good=points("also good"),
    )


def _code_block(lines: list[str], name: str, where: str, out: list[Problem], source: str) -> str | None:
    """The code of a Solution or Tests section, which holds exactly one fenced code block."""
    title = SECTION_TITLES[name]
    shape = f"write the {name} as one fenced code block: a line ```python, the code, then a line ```"
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    while lines and not lines[0].strip():
        lines = lines[1:]
    spans, open_at = fence_spans(lines)
    if not lines:
        message = f"the '### {title}' section is empty; {shape}"
    elif not spans or spans[0][0] != 0:
        message = f"the '### {title}' section is not a code block; {shape}"
    elif open_at is not None:
        message = f"the code block in '### {title}' is never closed; {shape}"
    elif spans[0][1] != len(lines) - 1:
        message = f"the '### {title}' section has text after its code block; {shape}"
    else:
        code = lines[1:-1]
        return "\n".join(code) + "\n" if code else ""
    out.append(Problem(source, where, message))
    return None


def _split_tags(value: str) -> tuple[str, ...]:
    return tuple(tag.strip() for tag in value.split(",") if tag.strip())


def read_markdown_deck(text: str, source: str, default_id: str) -> MarkdownDeck:
    """Read one Markdown deck. Never raises: whatever is wrong becomes a Problem naming the file, the
    question (its heading and line) and what to do; the questions that are fine are still returned. The
    deck id is the `id:` line under the title, else `default_id` (pass deckfile.slug of the file's stem)."""
    return read_guarded(text, source, lambda text: _read(text, source, default_id))


def _read(text: str, source: str, default_id: str) -> MarkdownDeck:
    reader = _Reader(text, source)
    parsed = reader.read()
    problems = reader.problems

    order = deckfile.DEFAULT_ORDER
    if "order" in parsed.settings:
        value, line = parsed.settings["order"]
        try:
            order = int(value)
        except ValueError:
            problems.append(
                Problem(source, parsed.topic_where, f"'order: {value}' on line {line} must be a whole number")
            )
    deck_id = parsed.settings["id"][0] if "id" in parsed.settings else default_id
    title = parsed.title if parsed.title is not None else "Untitled"  # no title: checked, then not returned
    topic = Topic(deck_id, title, parsed.description, order, source)

    # Ids written in the file first, so the ids made up for the others avoid them.
    ids = deckfile.QuestionIds(topic.id, {b.settings["id"][0].strip() for b in parsed.blocks if "id" in b.settings})
    built: list[Question] = []
    wheres: list[str] = []
    filled: set[str] = set()
    for block in parsed.blocks:
        q, generic = _build(block, topic.id, ids, problems, source)
        if q is None:
            continue
        built.append(q)
        wheres.append(block.where)
        if generic:
            filled.add(q.id)
    if not parsed.blocks and parsed.title is not None:
        problems.append(Problem(source, parsed.topic_where, "the deck has no questions: add a '## Question' heading"))

    checked_topic, questions, found = validate(topic, built, source, parsed.topic_where, wheres)
    problems.extend(found)
    if parsed.title is None or checked_topic is None:
        return MarkdownDeck(None, [], problems, [])
    return MarkdownDeck(checked_topic, questions, problems, [q.id for q in questions if q.id in filled])


def _build(
    block: _Block, topic_id: str, ids: deckfile.QuestionIds, out: list[Problem], source: str
) -> tuple[Question | None, bool]:
    """One question from its block, or None (with the reasons in `out`); the flag says generic follow-ups
    or a generic rubric were filled in."""
    if block.broken:
        return None, False
    where = block.where
    ok = True
    answer_section = block.sections.get("answer")
    answer = "\n".join(answer_section[1]).strip() if answer_section else ""
    if not answer:
        out.append(
            Problem(
                source,
                where,
                "has no answer: add a '### Answer' section with the expected answer"
                if answer_section is None
                else "the '### Answer' section is empty: write the expected answer under it",
            )
        )
        ok = False
    generic = False
    follow_ups = deckfile.GENERIC_FOLLOW_UPS
    section = block.sections.get("follow-ups")
    if section and any(line.strip() for line in section[1]):
        items = parse_items(section[1])
        if items is None:
            out.append(Problem(source, where, "'### Follow-ups' must be a bullet list: start each one with '- '"))
            ok = False
        else:
            follow_ups = tuple(items)
    else:
        generic = True
    rubric: Rubric | None = deckfile.GENERIC_RUBRIC
    section = block.sections.get("rubric")
    if section and any(line.strip() for line in section[1]):
        rubric = _parse_rubric(section[1], where, out, source)
        ok = ok and rubric is not None
    else:
        generic = True
    code: dict[str, str | None] = {"solution": None, "tests": None}
    for name in ("solution", "tests"):
        section = block.sections.get(name)
        if section is not None:
            code[name] = _code_block(section[1], name, where, out, source)
            ok = ok and code[name] is not None
    if not ok or rubric is None:
        return None, False
    level = block.settings["level"][0].strip().lower() if "level" in block.settings else DEFAULT_LEVEL
    tags = _split_tags(block.settings["tags"][0]) if "tags" in block.settings else ()
    if "id" in block.settings:
        qid = block.settings["id"][0].strip()
    else:
        qid = ids.add(block.text)
    question = Question(
        id=qid,
        topic_id=topic_id,
        question=block.text,
        level=level,
        answer=answer,
        follow_ups=follow_ups,
        rubric=rubric,
        tags=tags,
        solution=code["solution"],
        tests=code["tests"],
    )
    return question, generic
