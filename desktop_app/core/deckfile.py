"""Write user decks as bank TOML files: readable, diff-friendly text, saved so a crash never leaves half a file."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import stat
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

from desktop_app.core.bank import (
    MAX_ID_CHARS,
    MAX_QUESTION_CHARS,
    MAX_TAG_CHARS,
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
    Question,
    Rubric,
    Topic,
)

# For questions imported from formats that carry no follow-ups or rubric (Anki notes, plain Markdown notes).
# They fit any question honestly; importers list the questions that got them, so the user can write real ones.
GENERIC_FOLLOW_UPS: tuple[str, ...] = (
    "Explain it again in your own words, with a concrete example.",
    "When does this not hold, or what would you do differently in practice?",
)
GENERIC_RUBRIC = Rubric(
    strong=("States the main point of the expected answer correctly and can explain why it holds.",),
    ok="Gets the main point but leaves out or blurs the details that make it work.",
    weak="Misses the main point, or says something that is wrong.",
)

DEFAULT_ORDER = 1000  # bank.Topic's default: a topic file leaves `order` out when it has this value
INLINE_LIST_WIDTH = 100  # a list whose one-line form is longer than this is written one item per line
_HASH_CHARS = 8  # 32 bits of the question text: collisions within one deck are handled by a suffix
_ID_PREFIX_CHARS = MAX_ID_CHARS - _HASH_CHARS - 8  # room for "-<hash>" and a "-<n>" collision suffix

# Characters written as \uXXXX escapes: TOML forbids raw control characters, and invisible ones (bidi
# overrides, zero-width spaces, line separators) would hide in a diff. Zero-width joiners are kept raw:
# emoji and several scripts need them.
_KEEP_FORMAT_CHARS = {"\u200c", "\u200d"}
_SHORT_ESCAPES = {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"}


def _needs_escape(ch: str) -> bool:
    if ch in "\t\n":
        return False
    category = unicodedata.category(ch)
    return category in ("Cc", "Zl", "Zp") or (category == "Cf" and ch not in _KEEP_FORMAT_CHARS)


# The characters worth a closer look: ASCII controls, quotes and backslashes, and anything outside ASCII
# (judged by its Unicode category). Plain ASCII text, nearly all of a deck, is passed over by the regex.
_SUSPECT = re.compile(r'[\x00-\x08\x0b-\x1f\x7f"\\]|[^\x00-\x7f]')
_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_escape(text: str) -> bool:
    return any(_needs_escape(m.group(0)) for m in _SUSPECT.finditer(text))


def _escaped(text: str, quotes: bool) -> str:
    """Backslashes and invisible characters as escapes; double quotes too when `quotes`."""

    def sub(m: re.Match[str]) -> str:
        ch = m.group(0)
        if ch == "\\" or (ch == '"' and quotes) or _needs_escape(ch):
            return _escape_char(ch)
        return ch

    return _SUSPECT.sub(sub, text)


def _escape_char(ch: str) -> str:
    return _SHORT_ESCAPES.get(ch) or (f"\\u{ord(ch):04X}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08X}")


def _scalar_values(text: str) -> str:
    """A lone surrogate (possible in a Python str, never in a file) cannot be written as UTF-8 or as a TOML
    escape; it becomes U+FFFD so the rest of the deck can still be saved."""
    return _SURROGATE.sub("\ufffd", text)


def _can_be_literal(text: str, multiline: bool) -> bool:
    if "\r" in text or _has_escape(text):
        return False
    if multiline:
        return "'''" not in text and not text.endswith("'")
    return "'" not in text and "\n" not in text


def _basic_single(text: str) -> str:
    return '"' + _escaped(text, quotes=True) + '"'


_QUOTE_RUN = re.compile('"+')


def _basic_multiline_body(text: str) -> str:
    """Escape backslashes and invisible characters; break up runs of quotes so no three in a row close the
    string, and escape quotes at the very end (they would run into the closing delimiter)."""
    body = _escaped(text, quotes=False)
    end = len(body)

    def run(m: re.Match[str]) -> str:
        if m.end() == end:
            return '\\"' * len(m.group(0))
        return "".join('\\"' if i % 3 == 2 else '"' for i in range(len(m.group(0))))

    return _QUOTE_RUN.sub(run, body)


def toml_string(text: str, stripped: bool = True, limit: int | None = None) -> str:
    """One TOML string value, in the most readable form that reads back exactly.

    Multi-line text becomes a multi-line string whose first line break (right after the opening quotes)
    TOML drops, so the text starts on its own line. `stripped` says the reader strips this field: its
    closing quotes then go on their own line, which the reader's strip removes again. The reader checks
    a field's length before it strips, so that extra line break is left out when it would take the text
    past `limit`, the field's length limit."""
    text = _scalar_values(text)
    if "\n" not in text and "\r" not in text:
        if ("\\" in text or '"' in text) and _can_be_literal(text, multiline=False):
            return f"'{text}'"
        return _basic_single(text)
    room = limit is None or len(text) < limit
    body = text + "\n" if stripped and room and not text.endswith("\n") else text
    if _can_be_literal(body, multiline=True):
        return f"'''\n{body}'''"
    return f'"""\n{_basic_multiline_body(body)}"""'


def _toml_list(key: str, items: Sequence[str], limit: int) -> str:
    values = [toml_string(item, limit=limit) for item in items]
    inline = f"{key} = [{', '.join(values)}]"
    if len(inline) <= INLINE_LIST_WIDTH and not any("\n" in v for v in values):
        return inline
    return "\n".join([f"{key} = [", *(f"    {v}," for v in values), "]"])


def dump_topic(topic: Topic) -> str:
    lines = ["[topic]", f"id = {toml_string(topic.id)}", f"title = {toml_string(topic.title, limit=MAX_TITLE_CHARS)}"]
    if topic.description:
        lines.append(f"description = {toml_string(topic.description, limit=MAX_QUESTION_CHARS)}")
    if topic.order != DEFAULT_ORDER:
        lines.append(f"order = {int(topic.order)}")
    return "\n".join(lines) + "\n"


def dump_question(q: Question) -> str:
    """One [[questions]] block, keys in the order the shipped bank uses."""
    lines = [
        "[[questions]]",
        f"id = {toml_string(q.id)}",
        f"question = {toml_string(q.question, limit=MAX_QUESTION_CHARS)}",
        f"level = {toml_string(q.level)}",
    ]
    if q.tags:
        lines.append(_toml_list("tags", q.tags, MAX_TAG_CHARS))
    lines.append(f"answer = {toml_string(q.answer, limit=MAX_TEXT_CHARS)}")
    lines.append(_toml_list("follow_ups", q.follow_ups, MAX_QUESTION_CHARS))
    # Code is compiled and run as written, so it is not stripped on reading and is written exactly.
    if q.solution is not None:
        lines.append(f"solution = {toml_string(q.solution, stripped=False)}")
    if q.tests is not None:
        lines.append(f"tests = {toml_string(q.tests, stripped=False)}")
    lines += ["", "[questions.rubric]"]
    strong = q.rubric.strong
    # One essential is written as a string, as people write it; the reader allows a string more length
    # (MAX_TEXT_CHARS) than a list item (MAX_QUESTION_CHARS).
    if len(strong) == 1:
        lines.append(f"strong = {toml_string(strong[0], limit=MAX_TEXT_CHARS)}")
    else:
        lines.append(_toml_list("strong", strong, MAX_QUESTION_CHARS))
    if q.rubric.also_good:
        lines.append(_toml_list("also_good", q.rubric.also_good, MAX_QUESTION_CHARS))
    lines.append(f"ok = {toml_string(q.rubric.ok, limit=MAX_TEXT_CHARS)}")
    lines.append(f"weak = {toml_string(q.rubric.weak, limit=MAX_TEXT_CHARS)}")
    return "\n".join(lines) + "\n"


def dump_deck(topic: Topic, questions: Sequence[Question]) -> str:
    """The text of one topic file: bank.parse_text reads it back to the same topic and questions (texts
    compared after the strip the reader applies; solution and tests exactly)."""
    return "\n".join([dump_topic(topic), *(dump_question(q) for q in questions)])


def _temp_path(path: Path) -> Path:
    # A leading dot and a .tmp ending: a deck folder is read with *.toml, so a temp file left by a crash
    # is never taken for a deck. The random part keeps two writers from sharing one temp file.
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable. Windows cannot open a folder for this; there os.replace is
    already as durable as it gets."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def replace_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Have `write` create a temporary file next to `path`, then put it in place in one rename: a crash at
    any point leaves the old file or the new one, never a mix. A symlinked target is written through the
    link. The new file keeps the old one's permissions. On any error the temp file is removed."""
    path = Path(path)
    if path.is_symlink():
        path = path.resolve()
    temp = _temp_path(path)
    try:
        write(temp)
        with open(temp, "rb+") as f:
            f.flush()
            os.fsync(f.fileno())
        try:
            os.chmod(temp, stat.S_IMODE(path.stat().st_mode))
        except FileNotFoundError:
            pass
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)


def write_atomic(path: Path, text: str) -> None:
    """Save `text` as UTF-8 with \\n line ends (the same bytes on every platform) without ever leaving a
    partial file. Raises OSError when the folder cannot be written, and UnicodeEncodeError for text that
    is not valid Unicode; the old file is untouched in both cases."""
    data = text.encode("utf-8")  # before the temp file exists: a bad text costs nothing

    def write(temp: Path) -> None:
        # O_EXCL: never follow or reuse a file someone else put at the temp name; mode 0o666 under umask.
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        with os.fdopen(fd, "wb") as f:
            f.write(data)

    replace_atomically(path, write)


_NON_SLUG = re.compile(r"[^a-z0-9]+")


def _short_hash(text: str, chars: int = _HASH_CHARS) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()[:chars]


def _slug_within(text: str, limit: int) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = _NON_SLUG.sub("-", folded).strip("-")
    return words[:limit].rstrip("-")


def slug(text: str) -> str:
    """A valid deck or topic id from a file name or a title ("ML Basics (2024).toml" stem -> "ml-basics-2024").
    Accents are folded to ASCII; text with no ASCII letters or digits at all (a title in another script) gets
    "deck-" and a short hash of the text, so two such titles still get different ids."""
    found = _slug_within(text, MAX_ID_CHARS)
    return found or f"deck-{_short_hash(text.strip(), 6)}"


def _normalized_question(text: str) -> str:
    # Spacing and case differ between exports of the same note (HTML re-flowed, a field retyped):
    # they must not change the id, or a re-import would lose the question's history.
    return " ".join(text.split()).casefold()


def _id_base(deck_id: str, text: str) -> str:
    prefix = _slug_within(deck_id, _ID_PREFIX_CHARS) or "q"
    return f"{prefix}-{_short_hash(_normalized_question(text))}"


def _free_id(base: str, taken: set[str], n: int = 1) -> tuple[str, int]:
    candidate = base if n == 1 else f"{base}-{n}"
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate, n


def question_id(deck_id: str, text: str, taken: set[str]) -> str:
    """A stable id for an imported question: the deck id and a hash of its text, so importing the same
    notes again gives the same ids and their history comes back. Two questions with the same text get
    "-2", "-3"... in the order they are imported. The id returned is not added to `taken`."""
    return _free_id(_id_base(deck_id, text), taken)[0]


class QuestionIds:
    """question_id for the questions of one import, in order: each id is added to `taken` as it is given
    out, and the next suffix for each text is remembered, so a file of thousands of identical questions
    does not cost a scan of all the earlier ones each (the ids are the same as question_id's)."""

    def __init__(self, deck_id: str, taken: set[str] | None = None):
        self.deck_id = deck_id
        self.taken = set(taken or ())
        self._next: dict[str, int] = {}

    def add(self, text: str) -> str:
        base = _id_base(self.deck_id, text)
        qid, n = _free_id(base, self.taken, self._next.get(base, 1))
        self._next[base] = n + 1
        self.taken.add(qid)
        return qid
