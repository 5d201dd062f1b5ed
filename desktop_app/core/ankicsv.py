"""Import Anki's "Notes in Plain Text" export (and plain front,back[,tags] CSV files) as a deck of questions.

Anki writes the file as tab-separated UTF-8 with header lines such as `#separator:tab`, `#html:true` and
`#tags column:3` (rslib/src/import_export/text/csv in Anki's source); fields are quoted CSV-style when
they hold the separator, a quote or a line break. This module reads that the way Anki's own importer does
(header lines, `#` comment lines, quoted fields) and turns each note into a question: front -> question
text, back -> answer (its HTML turned into Markdown), tags flattened, generic follow-ups and rubric.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from desktop_app.core import bank, deckfile
from desktop_app.core.ankihtml import html_to_markdown
from desktop_app.core.bank import LEVELS, Problem, Question, Topic
from desktop_app.core.deckimport import MarkdownDeck, failed, read_guarded, short, split_lines, validate

SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":"}
ANKI_STATE_TAGS = {"marked", "leech"}  # Anki's own flags on a note, not a subject
_LABELS = {"question": "the front", "answer": "the back"}
_HTML_HINT = re.compile(
    r"<(?:br|div|p|b|i|u|em|strong|ul|ol|li|span|img|code|pre|sub|sup|a|h[1-6]|table|font)\b[^>]*>|&(?:nbsp|amp|lt|gt);",
    re.IGNORECASE,
)
_CLOZE = re.compile(r"\{\{c\d+::((?:(?!\{\{|\}\}).)*?)(?:::((?:(?!\{\{|\}\}).)*?))?\}\}", re.DOTALL)
_SOUND = re.compile(r"\[sound:[^\]]*\]")
_PLACEHOLDERS = re.compile(r"\[(?:image|audio)(?::[^\]]*)?\]")


@dataclass
class _Header:
    separator: str | None = None
    html: bool | None = None
    global_tags: list[str] = field(default_factory=list)
    columns: str = ""  # the raw `#columns:` value, split once the separator is known
    meta: dict[str, int] = field(default_factory=dict)  # guid, notetype, deck, tags -> 1-based column
    lines: int = 0  # how many header lines the file starts with


def _read_header(lines: list[str]) -> _Header:
    """Anki's header: a first line `tags:...`, then any lines starting with `#`; a `#key:value` sets
    something, other `#` lines are comments."""
    header = _Header()
    for n, line in enumerate(lines):
        if n == 0 and line.startswith("tags:"):
            header.global_tags = line[5:].split()
        elif line.startswith("#"):
            key, sep, value = line[1:].partition(":")
            if sep:
                _header_value(header, key.strip().lower(), value)
        else:
            break
        header.lines = n + 1
    return header


def _header_value(header: _Header, key: str, value: str) -> None:
    if key == "separator":
        named = SEPARATORS.get(value.strip().lower())
        header.separator = named or (value if len(value) == 1 else header.separator)
    elif key == "html":
        if value.strip().lower() in ("true", "false"):
            header.html = value.strip().lower() == "true"
    elif key == "tags":
        header.global_tags = value.split()
    elif key == "columns":
        header.columns = value
    elif key.endswith(" column") and key[:-7] in ("guid", "notetype", "deck", "tags"):
        if value.strip().isdigit() and int(value.strip()) > 0:
            header.meta[key[:-7]] = int(value.strip())


def _field_end(text: str, start: int, separator: str) -> int:
    """Where an unquoted field that starts at `start` ends: the next separator or line break."""
    line_end = text.find("\n", start)
    if line_end < 0:
        line_end = len(text)
    k = text.find(separator, start, line_end)  # bounded by the line: no rescans of the rest of the file
    return line_end if k < 0 else k


def _records(text: str, separator: str, first_line: int) -> Iterator[tuple[int, list[str], str | None]]:
    """(line, fields, problem) for each record: CSV with `"` quotes (a doubled quote inside is a quote),
    fields that may span lines, and `#` lines between records skipped as comments, as Anki does. Never
    raises; a quote left open ends the file with a problem."""
    i, n, line = 0, len(text), first_line
    while i < n:
        if text[i] == "\n":
            i, line = i + 1, line + 1
            continue  # blank lines hold no note
        if text[i] == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        start_line = line
        fields: list[str] = []
        while True:
            if i < n and text[i] == '"':
                j = i + 1
                parts: list[str] = []
                while True:
                    close = text.find('"', j)
                    if close < 0:
                        yield (
                            start_line,
                            fields,
                            f'a quoted field opened on line {line} never closes: add the closing "',
                        )
                        return
                    parts.append(text[j:close])
                    if close + 1 < n and text[close + 1] == '"':
                        parts.append('"')
                        j = close + 2
                        continue
                    break
                value = "".join(parts)
                line += value.count("\n")
                i = close + 1
                # Anything between the closing quote and the separator is kept, as the csv crate does.
                k = _field_end(text, i, separator)
                value += text[i:k]
                i = k
            else:
                k = _field_end(text, i, separator)
                value = text[i:k]
                i = k
            fields.append(value)
            if i < n and text[i] == separator:
                i += 1
                continue
            break
        if i < n:  # the line break that ends the record
            i, line = i + 1, line + 1
        yield start_line, fields, None


def _plain_to_markdown(text: str, plain: bool) -> str:
    """A field exported without HTML: already text; its spacing is tidied, and on the answer side a line
    starting with '#' is escaped so it stays text instead of becoming a Markdown heading."""
    lines = [line.rstrip() for line in text.strip().split("\n")]
    if not plain:
        lines = ["\\" + line if line.startswith("#") else line for line in lines]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# ----- notes to questions ------------------------------------------------------------------------------


def _cloze(text: str, reveal: bool, html: bool) -> str:
    """`{{c1::answer::hint}}` as a blank ("[...]" or "[hint]") on the question side, and as the answer in
    bold on the answer side. Nested deletions are resolved from the inside out."""

    def sub(m: re.Match[str]) -> str:
        if reveal:
            return f"<b>{m.group(1)}</b>" if html else f"**{m.group(1)}**"
        return f"[{m.group(2).strip()}]" if m.group(2) and m.group(2).strip() else "[...]"

    for _ in range(20):
        text, count = _CLOZE.subn(sub, text)
        if not count:
            break
    return text


def flatten_tag(tag: str) -> str:
    """An Anki tag as a bank tag: `ML::Deep_Learning` -> `ml-deep-learning` (hierarchy and underscores as
    hyphens, lower case), cut to the bank's tag length."""
    flat = "-".join(part for part in re.split(r"::|_|-", tag.lower()) if part)
    return flat[: bank.MAX_TAG_CHARS].rstrip("-")


def _tags(raw: str, global_tags: list[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for tag in [*global_tags, *raw.split()]:
        if tag.lower() in ANKI_STATE_TAGS:
            continue
        flat = flatten_tag(tag)
        if flat:
            seen.setdefault(flat, None)
    return tuple(seen)[: bank.MAX_LIST_ITEMS]


def _only_media(text: str) -> bool:
    return not _PLACEHOLDERS.sub("", text).strip()


def _is_plain_header_row(fields: list[str]) -> bool:
    names = [f.strip().lower() for f in fields]
    return names[:2] in (["front", "back"], ["question", "answer"]) and names[2:] in ([], ["tags"])


def read_anki_notes(text: str, source: str, deck_id: str, title: str, level: str) -> MarkdownDeck:
    """Read an Anki "Notes in Plain Text" export, or a plain CSV of front,back[,tags], into one deck.

    Every question gets the generic follow-ups and rubric (listed in `filled`); ids come from the front
    text (deckfile.question_id), so importing the same notes again gives the same ids. Never raises: a
    note that cannot be used is a Problem naming the file and its line."""
    return read_guarded(text, source, lambda text: _read(text, source, deck_id, title, level))


def _read(text: str, source: str, deck_id: str, title: str, level: str) -> MarkdownDeck:
    if level not in LEVELS:
        return failed(source, f"level '{level}' is not one of {', '.join(LEVELS)}")
    lines = split_lines(text)
    header = _read_header(lines)
    body = "\n".join(lines[header.lines :])
    anki_file = header.lines > 0  # a header means Anki wrote the file: no header row of column names
    separator = header.separator or ("\t" if "\t" in body.split("\n", 1)[0] or "," not in body else ",")
    tags_column = header.meta.get("tags")
    if tags_column is None and header.columns:
        labels = [c.strip().lower() for c in header.columns.split(separator)]
        tags_column = labels.index("tags") + 1 if "tags" in labels else None
    records = list(_records(body, separator, header.lines + 1))
    meta_columns = {header.meta[k] for k in ("guid", "notetype", "deck") if k in header.meta}
    if tags_column is None and "notetype" not in header.meta:
        # As Anki imports into its two-field Basic note type: the column after the front and the back holds
        # the tags. (Anki's own export names its tags column whenever it writes one.)
        third = [c for c in range(1, 4 + len(meta_columns)) if c not in meta_columns][2]
        if any(len(fields) >= third for _line, fields, _p in records):
            tags_column = third
    if tags_column:
        meta_columns.add(tags_column)
    html = header.html
    if html is None:
        html = any(_HTML_HINT.search(value) for _line, fields, _p in records for value in fields)

    problems: list[Problem] = []
    topic = Topic(deck_id, title, source=source)
    built: list[Question] = []
    wheres: list[str] = []
    ids = deckfile.QuestionIds(deck_id)
    for n, (line, fields, problem) in enumerate(records):
        where = f"line {line}"
        if problem:
            problems.append(Problem(source, where, problem))
            continue
        if n == 0 and not anki_file and _is_plain_header_row(fields):
            continue
        values = [value for col, value in enumerate(fields, 1) if col not in meta_columns]
        raw_tags = fields[tags_column - 1] if tags_column and tags_column <= len(fields) else ""
        q = _note(values, html, where, source, problems)
        if q is None:
            continue
        front, answer = q
        built.append(
            Question(
                id=ids.add(front),
                topic_id=deck_id,
                question=front,
                level=level,
                answer=answer,
                follow_ups=deckfile.GENERIC_FOLLOW_UPS,
                rubric=deckfile.GENERIC_RUBRIC,
                tags=_tags(raw_tags, header.global_tags),
            )
        )
        wheres.append(where)
    if not records or (not built and not problems):
        problems.append(
            Problem(
                source,
                "",
                "no notes found: export from Anki with File > Export > Notes in Plain Text, or write one note "
                "per line as front,back[,tags]",
            )
        )
    checked_topic, questions, found = validate(topic, built, source, "", wheres, _LABELS)
    problems.extend(found)
    if checked_topic is None:
        return MarkdownDeck(None, [], problems, [])
    return MarkdownDeck(checked_topic, questions, problems, [q.id for q in questions])


def _note(values: list[str], html: bool, where: str, source: str, out: list[Problem]) -> tuple[str, str] | None:
    """The question and answer of one note's fields, or None with the reason in `out`."""

    def convert(value: str, plain: bool) -> str:
        value = _SOUND.sub("[audio]", value)
        return html_to_markdown(value, plain) if html else _plain_to_markdown(value, plain)

    front_raw = values[0] if values else ""
    extra = [v for v in values[1:] if v.strip()]
    if _CLOZE.search(front_raw):
        front = convert(_cloze(front_raw, reveal=False, html=html), plain=True)
        answer_parts = [convert(_cloze(front_raw, reveal=True, html=html), plain=False)]
        answer_parts += [convert(v, plain=False) for v in extra]
    else:
        front = convert(front_raw, plain=True)
        answer_parts = [convert(v, plain=False) for v in extra]
    answer = "\n\n".join(p for p in answer_parts if p.strip())
    if not front.strip():
        out.append(Problem(source, where, "the note's front is empty: give it a question, or delete the line"))
        return None
    if not answer.strip():
        out.append(Problem(source, where, f"the note '{short(front)}' has an empty back: give it an answer"))
        return None
    if _only_media(front) or _only_media(answer):
        side = "front" if _only_media(front) else "back"
        out.append(
            Problem(
                source,
                where,
                f"the note's {side} holds only images or sound, which MLPrep cannot show: add text to it in Anki",
            )
        )
        return None
    return front, answer
