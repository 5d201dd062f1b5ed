"""Load and validate question-bank TOML files; the format is a public contract, so every problem is named precisely."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.core import markdown_budget
from desktop_app.core.vocab import LEVELS

__all__ = ["LEVELS"]
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

TOPIC_KEYS = {"id": str, "title": str, "description": str, "order": int}
TOPIC_REQUIRED = ("id", "title")
QUESTION_KEYS = {
    "id": str,
    "question": str,
    "level": str,
    "tags": list,
    "answer": str,
    "follow_ups": list,
    "rubric": dict,
    "solution": str,
    "tests": str,
}
QUESTION_REQUIRED = ("id", "question", "level", "answer", "follow_ups", "rubric")
RUBRIC_TIERS = ("strong", "ok", "weak")
RUBRIC_KEYS = (*RUBRIC_TIERS, "also_good")

# Limits that no honest deck reaches; they stop a runaway file from freezing the app.
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_QUESTIONS_PER_FILE = 20_000
MAX_ID_CHARS = 100
MAX_TITLE_CHARS = 200
MAX_QUESTION_CHARS = 2_000
MAX_TEXT_CHARS = 30_000
MAX_LIST_ITEMS = 30
MAX_TAG_CHARS = 50

_TYPE_NAMES = {str: "a string", int: "an integer", list: "a list", dict: "a table"}


@dataclass(frozen=True)
class Rubric:
    """What separates the tiers. `strong` lists the essentials a strong answer must hit (a deck may write
    one sentence instead); `also_good` lists points that add to an answer without being required."""

    strong: tuple[str, ...]
    ok: str
    weak: str
    also_good: tuple[str, ...] = ()

    def strong_text(self) -> str:
        """The essentials as one text: a sentence, or one line per point."""
        return bullet_text(self.strong)

    def also_good_text(self) -> str:
        return bullet_text(self.also_good)


def bullet_text(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return "\n".join(f"- {item}" for item in items)


@dataclass(frozen=True)
class Question:
    id: str
    topic_id: str
    question: str
    level: str
    answer: str
    follow_ups: tuple[str, ...]
    rubric: Rubric
    tags: tuple[str, ...] = ()
    solution: str | None = None
    tests: str | None = None

    def content_hash(self) -> str:
        """Hash of everything the store copies, so an unchanged bank syncs without writes."""
        payload = json.dumps(
            [
                self.topic_id,
                self.question,
                self.level,
                self.answer,
                list(self.follow_ups),
                [list(self.rubric.strong), self.rubric.ok, self.rubric.weak, list(self.rubric.also_good)],
                list(self.tags),
                self.solution,
                self.tests,
            ],
            ensure_ascii=False,
        )
        return hashlib.blake2b(payload.encode("utf-8"), digest_size=16).hexdigest()


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    description: str = ""
    order: int = 1000
    source: str = ""


@dataclass
class Bank:
    topics: list[Topic] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)

    def by_topic(self, topic_id: str) -> list[Question]:
        return [q for q in self.questions if q.topic_id == topic_id]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a bank file, worded for the person who wrote it."""

    path: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.where}: {self.message}" if self.where else f"{self.path}: {self.message}"


def bank_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand folders to their *.toml files (sorted, so order is stable across machines)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.glob("*.toml") if p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), "", "no such file or folder"))
    return files, problems


def _check_type(value: Any, expected: type, label: str, where: str, path: str, out: list[Problem]) -> bool:
    # bool is a subclass of int in Python, but `order = true` is a typo, not a number.
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        out.append(Problem(path, where, f"'{label}' must be {_TYPE_NAMES[expected]}, got {type(value).__name__}"))
        return False
    return True


def _check_keys(
    raw: dict[str, Any], allowed: Mapping[str, type], required: Sequence[str], where: str, path: str, out: list[Problem]
) -> bool:
    """Unknown keys (a typo like `folow_ups` is caught, not ignored), missing keys, and each key's type."""
    ok = True
    for key in raw:
        if key not in allowed:
            out.append(Problem(path, where, f"unknown key '{key}' (allowed: {', '.join(allowed)})"))
            ok = False
    for key in required:
        if key not in raw:
            out.append(Problem(path, where, f"missing '{key}'"))
            ok = False
    for key, expected in allowed.items():
        if key in raw and not _check_type(raw[key], expected, key, where, path, out):
            ok = False
    return ok


def _check_text(value: str, label: str, limit: int, where: str, path: str, out: list[Problem]) -> bool:
    if not value.strip():
        out.append(Problem(path, where, f"'{label}' is empty"))
        return False
    if len(value) > limit:
        out.append(Problem(path, where, f"'{label}' is {len(value):,} characters; the limit is {limit:,}"))
        return False
    return True


def _check_renderable(text: str, label: str, where: str, path: str, out: list[Problem]) -> bool:
    """Markdown the window could not lay out in time would be shown as plain text: reject it here."""
    found = markdown_budget.problems(text)
    for problem in found:
        out.append(Problem(path, where, f"'{label}' {problem}: split it into shorter paragraphs or a code block"))
    return not found


def _check_str_list(
    value: list[Any], label: str, item_limit: int, where: str, path: str, out: list[Problem]
) -> tuple[str, ...] | None:
    if len(value) > MAX_LIST_ITEMS:
        out.append(Problem(path, where, f"'{label}' has {len(value)} items; the limit is {MAX_LIST_ITEMS}"))
        return None
    items: list[str] = []
    ok = True
    for i, item in enumerate(value, 1):
        if not isinstance(item, str):
            out.append(Problem(path, where, f"'{label}' item {i} must be a string, got {type(item).__name__}"))
            ok = False
        elif not _check_text(item, f"{label}[{i}]", item_limit, where, path, out):
            ok = False
        else:
            items.append(item.strip())
    return tuple(items) if ok else None


def parse_file(path: Path) -> tuple[Topic | None, list[Question], list[Problem]]:
    """Parse one topic file. Never raises for bad content: problems are returned instead."""
    spath = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [], [Problem(spath, "", f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [], [Problem(spath, "", f"cannot read file: {exc.strerror or exc}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [], [Problem(spath, f"line {line}", f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8")]
    return parse_text(text, spath)


def parse_text(text: str, spath: str) -> tuple[Topic | None, list[Question], list[Problem]]:
    """Parse a topic file's text (`spath` names it in problems): what parse_file does once the file is read.
    The question editor checks what it is about to save with this, so it applies the same rules."""
    problems: list[Problem] = []
    import tomllib  # here, not at the top: an unchanged bank is never parsed, and start-up skips it

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, [], [Problem(spath, "", f"TOML syntax error: {exc}")]
    except (RecursionError, MemoryError):
        return None, [], [Problem(spath, "", "the file nests arrays or tables too deeply to read")]

    if not data:
        return (
            None,
            [],
            [
                Problem(
                    spath,
                    "",
                    "the file is empty: a topic file has a [topic] table, then [[questions]] (see the format)",
                )
            ],
        )
    for key in data:
        if key not in ("topic", "questions"):
            problems.append(Problem(spath, "", f"unknown top-level key '{key}' (expected [topic] and [[questions]])"))

    topic = _parse_topic(data.get("topic"), spath, problems)
    questions: list[Question] = []
    raw_questions = data.get("questions", [])
    if not isinstance(raw_questions, list):
        problems.append(Problem(spath, "", "'questions' must be an array of tables: write [[questions]]"))
        raw_questions = []
    if len(raw_questions) > MAX_QUESTIONS_PER_FILE:
        problems.append(
            Problem(spath, "", f"{len(raw_questions):,} questions; the limit is {MAX_QUESTIONS_PER_FILE:,}")
        )
        raw_questions = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw_questions, 1):
        try:
            q = _parse_question(item, index, topic.id if topic else "", spath, problems)
        except Exception as exc:  # a hostile file must cost one question, never the load
            problems.append(Problem(spath, f"question #{index}", f"could not be checked ({type(exc).__name__}: {exc})"))
            continue
        if q is None:
            continue
        if topic is None:
            problems.append(
                Problem(
                    spath, f"question '{q.id}' (#{index})", "not loaded: the file's [topic] table is missing or invalid"
                )
            )
            continue
        if q.id in seen:
            problems.append(
                Problem(spath, f"question '{q.id}' (#{index})", f"duplicate id; question #{seen[q.id]} already uses it")
            )
            continue
        seen[q.id] = index
        questions.append(q)
    return topic, questions, problems


def _parse_topic(raw: Any, path: str, out: list[Problem]) -> Topic | None:
    where = "[topic]"
    if raw is None:
        out.append(Problem(path, where, "missing [topic] table"))
        return None
    if not isinstance(raw, dict):
        out.append(Problem(path, where, "'topic' must be a table: write [topic]"))
        return None
    if not _check_keys(raw, TOPIC_KEYS, TOPIC_REQUIRED, where, path, out):
        return None
    ok = True
    if not SLUG_RE.match(raw["id"]) or len(raw["id"]) > MAX_ID_CHARS:
        out.append(Problem(path, where, f"id '{raw['id']}' must be a slug of a-z, 0-9 and single hyphens"))
        ok = False
    ok = _check_text(raw["title"], "title", MAX_TITLE_CHARS, where, path, out) and ok
    description = raw.get("description", "")
    if len(description) > MAX_QUESTION_CHARS:
        out.append(
            Problem(
                path, where, f"'description' is {len(description):,} characters; the limit is {MAX_QUESTION_CHARS:,}"
            )
        )
        ok = False
    if not ok:
        return None
    return Topic(raw["id"], raw["title"].strip(), description.strip(), raw.get("order", 1000), path)


def _parse_question(raw: Any, index: int, topic_id: str, path: str, out: list[Problem]) -> Question | None:
    if not isinstance(raw, dict):
        out.append(Problem(path, f"question #{index}", "must be a table: write [[questions]]"))
        return None
    qid = raw.get("id")
    where = f"question '{qid}' (#{index})" if isinstance(qid, str) and qid else f"question #{index}"
    if not _check_keys(raw, QUESTION_KEYS, QUESTION_REQUIRED, where, path, out):
        return None
    ok = True
    qid = str(qid)  # type-checked above
    if not SLUG_RE.match(qid) or len(qid) > MAX_ID_CHARS:
        out.append(Problem(path, where, f"id '{qid}' must be a slug of a-z, 0-9 and single hyphens"))
        ok = False
    ok = _check_text(raw["question"], "question", MAX_QUESTION_CHARS, where, path, out) and ok
    ok = _check_text(raw["answer"], "answer", MAX_TEXT_CHARS, where, path, out) and ok
    ok = _check_renderable(raw["answer"], "answer", where, path, out) and ok
    if raw["level"] not in LEVELS:
        out.append(Problem(path, where, f"level '{raw['level']}' is not one of {', '.join(LEVELS)}"))
        ok = False
    follow_ups = _check_str_list(raw["follow_ups"], "follow_ups", MAX_QUESTION_CHARS, where, path, out)
    if follow_ups is not None and not follow_ups:
        out.append(Problem(path, where, "'follow_ups' needs at least one question"))
        follow_ups = None
    tags = _check_str_list(raw.get("tags", []), "tags", MAX_TAG_CHARS, where, path, out)
    rubric = _parse_rubric(raw["rubric"], where, path, out)
    code: dict[str, str | None] = {}
    for key in ("solution", "tests"):
        src = raw.get(key)
        code[key] = None
        if src is None:
            continue
        if not _check_text(src, key, MAX_TEXT_CHARS, where, path, out):
            ok = False
            continue
        try:
            compile(src, f"{path}:{qid}:{key}", "exec")
        except SyntaxError as exc:
            out.append(Problem(path, where, f"'{key}' does not compile: {exc.msg} (line {exc.lineno} of the {key})"))
            ok = False
            continue
        except (RecursionError, MemoryError):
            out.append(Problem(path, where, f"'{key}' is too deeply nested to compile; simplify the expression"))
            ok = False
            continue
        except ValueError as exc:  # e.g. a null byte in the source
            out.append(Problem(path, where, f"'{key}' cannot be compiled: {exc}"))
            ok = False
            continue
        code[key] = src
    if "tests" in raw and "solution" not in raw:
        out.append(Problem(path, where, "'tests' given without a 'solution' to run them against"))
        ok = False
    if not ok or follow_ups is None or tags is None or rubric is None:
        return None
    return Question(
        id=qid,
        topic_id=topic_id,
        question=raw["question"].strip(),
        level=raw["level"],
        answer=raw["answer"].strip(),
        follow_ups=follow_ups,
        rubric=rubric,
        tags=tags,
        solution=code["solution"],
        tests=code["tests"],
    )


def _parse_rubric(raw: dict[str, Any], where: str, path: str, out: list[Problem]) -> Rubric | None:
    ok = True
    for key in raw:
        if key not in RUBRIC_KEYS:
            out.append(Problem(path, where, f"unknown rubric key '{key}' (allowed: {', '.join(RUBRIC_KEYS)})"))
            ok = False
    lists: dict[str, tuple[str, ...]] = {"strong": (), "also_good": ()}
    for key in ("strong", "also_good"):
        value = raw.get(key)
        if value is None:
            if key == "strong":
                out.append(Problem(path, where, "rubric is missing the 'strong' tier"))
                ok = False
            continue
        if isinstance(value, str):
            if _check_text(value, f"rubric.{key}", MAX_TEXT_CHARS, where, path, out):
                lists[key] = (value.strip(),)
            else:
                ok = False
            continue
        if not isinstance(value, list):
            out.append(
                Problem(
                    path, where, f"'rubric.{key}' must be a string or a list of strings, got {type(value).__name__}"
                )
            )
            ok = False
            continue
        items = _check_str_list(value, f"rubric.{key}", MAX_QUESTION_CHARS, where, path, out)
        if items is None:
            ok = False
        elif key == "strong" and not items:
            out.append(Problem(path, where, "'rubric.strong' needs at least one point"))
            ok = False
        else:
            lists[key] = items
    for tier in ("ok", "weak"):
        if tier not in raw:
            out.append(Problem(path, where, f"rubric is missing the '{tier}' tier"))
            ok = False
        elif not _check_type(raw[tier], str, f"rubric.{tier}", where, path, out):
            ok = False
        elif not _check_text(raw[tier], f"rubric.{tier}", MAX_TEXT_CHARS, where, path, out):
            ok = False
        elif not _check_renderable(raw[tier], f"rubric.{tier}", where, path, out):
            ok = False
    if not ok:
        return None
    return Rubric(lists["strong"], raw["ok"].strip(), raw["weak"].strip(), lists["also_good"])


def load_bank(paths: Iterable[Path], progress: Callable[[int, int], None] | None = None) -> tuple[Bank, list[Problem]]:
    """Load every file; a bad question is left out and reported, the rest of the bank still loads.
    `progress(files read, files)` is called after each file."""
    files, problems = bank_files(paths)
    bank = Bank()
    topic_files: dict[str, str] = {}
    question_files: dict[str, str] = {}
    for done, path in enumerate(files, 1):
        if progress is not None:
            progress(done - 1, len(files))
        topic, questions, file_problems = parse_file(path)
        problems.extend(file_problems)
        if topic is None:
            continue
        if topic.id in topic_files:
            problems.append(
                Problem(str(path), "[topic]", f"topic id '{topic.id}' is already used by {topic_files[topic.id]}")
            )
            continue
        topic_files[topic.id] = str(path)
        bank.topics.append(topic)
        for q in questions:
            if q.id in question_files:
                problems.append(
                    Problem(str(path), f"question '{q.id}'", f"duplicate id; {question_files[q.id]} already uses it")
                )
                continue
            question_files[q.id] = str(path)
            bank.questions.append(q)
    bank.topics.sort(key=lambda t: (t.order, t.title.lower()))
    return bank, problems
