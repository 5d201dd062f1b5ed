"""Moving the user's progress between stores as one JSON file: to a new machine, or merging two machines.

The file holds what the user made (the review log, bookmarks, notes, mock interviews, study settings),
not what is derived from it: after an import, card states, per-question progress and daily activity are
rebuilt from the merged log. An import only adds; importing the same file twice adds nothing the second
time, and a file that is not exactly what it should be is refused whole, with what is wrong and where.
"""

from __future__ import annotations

import json
import math
import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NoReturn

from desktop_app.core.schedule import CODE_TIME_LIMITS_S
from desktop_app.core.store import MockSessionRecord, MockTurnRecord, Store
from desktop_app.core.store.models import AppSetting
from desktop_app.core.vocab import REVIEW_SCORES, SOURCES

FORMAT = "mlprep-progress"
VERSION = 1
MAX_FILE_BYTES = 512 * 1024 * 1024  # about five million reviews: far beyond a real history
MAX_ID = 200  # characters of a question id, a mode, a model or a setting's name
MAX_TEXT = 1_000_000  # characters of a note, a transcript entry or a setting's value
MAX_TIME = 4_102_444_800.0  # 2100-01-01 UTC: a later time is a corrupted number, not a date


class ProgressError(Exception):
    """A progress file cannot be imported (or written); the message says what is wrong and where."""


@dataclass(frozen=True)
class ProgressCounts:
    """How many of each kind were exported, or added by an import."""

    reviews: int = 0
    bookmarks: int = 0
    notes: int = 0
    mock_sessions: int = 0
    settings: int = 0
    code_attempts: int = 0  # runs of the coding round; files from before it have none

    @property
    def total(self) -> int:
        return sum(getattr(self, f.name) for f in fields(self))


# -- export ---------------------------------------------------------------------------------------


def export_progress(store: Store, path: Path) -> ProgressCounts:
    """Write the store's progress to `path`, atomically: a reader never sees half a file, and a failed
    export leaves whatever was at `path` before."""
    reviews = [
        {"qid": r.qid, "reviewed_at": r.reviewed_at, "score": r.score, "source": r.source, "seconds": r.seconds}
        for r in store.reviews.all()
    ]
    bookmarks = [{"qid": qid, "created_at": at} for qid, at in store.notes.bookmarks()]
    notes = [{"qid": qid, "text": text, "updated_at": at} for qid, text, at in store.notes.notes()]
    sessions = [_session_json(store, s) for s in reversed(store.mocks.sessions())]  # oldest first
    settings = {str(row.key): str(row.value) for row in AppSetting.select().order_by(AppSetting.key)}
    attempts = [
        {
            "qid": a.qid,
            "code": a.code,
            "passed": a.passed,
            "total": a.total,
            "outcome": a.outcome,
            "seconds": a.seconds,
            "revealed": a.revealed,
            "created_at": a.created_at,
        }
        for a in store.attempts.every()
    ]
    data = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "reviews": reviews,
        "bookmarks": bookmarks,
        "notes": notes,
        "mock_sessions": sessions,
        "settings": settings,
        "code_attempts": attempts,
    }
    _write_atomically(path, json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False) + "\n")
    return ProgressCounts(len(reviews), len(bookmarks), len(notes), len(sessions), len(settings), len(attempts))


def _session_json(store: Store, s: MockSessionRecord) -> dict[str, object]:
    turns = [
        {
            "seq": t.seq,
            "qid": t.qid,
            "round": t.round,
            "kind": t.kind,
            "text": t.text,
            "grade": t.grade,
            "seconds": t.seconds,
            "created_at": t.created_at,
        }
        for t in store.mocks.turns(s.id)
    ]
    return {
        "started_at": s.started_at,
        "ended_at": s.ended_at,
        "mode": s.mode,
        "model": s.model,
        "status": s.status,
        "config": s.config,
        "input_tokens": s.input_tokens,
        "output_tokens": s.output_tokens,
        "cache_read_tokens": s.cache_read_tokens,
        "cache_write_tokens": s.cache_write_tokens,
        "cost_usd": s.cost_usd,
        "summary": s.summary,
        "turns": turns,
    }


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ProgressError(f"Cannot write {path}: {exc.strerror or exc}. Nothing was written.") from exc


# -- import ---------------------------------------------------------------------------------------


@dataclass
class _Progress:
    """A progress file, checked and typed, ready to merge."""

    reviews: list[tuple[str, float, str, str, float]]
    bookmarks: list[tuple[str, float]]
    notes: list[tuple[str, str, float]]
    sessions: list[tuple[MockSessionRecord, list[MockTurnRecord]]]
    settings: dict[str, str]
    attempts: list[tuple[str, str, int, int, str, float, bool, float]]


def import_progress(store: Store, path: Path, max_bytes: int = MAX_FILE_BYTES) -> ProgressCounts:
    """Merge a progress file into the store; returns what was added.

    The whole file is read and checked before anything is written, then everything lands in one
    transaction, together with the rebuild of the derived rows, so the store gets all of it or none.
    Raises ProgressError for a file that is not a valid progress file, and the store's WriteError when
    the store cannot be written; either way the store is unchanged.
    """
    progress = _parse(_load(path, max_bytes), path)
    with store.transaction():
        reviews = store.reviews.merge(progress.reviews)
        bookmarks = store.notes.merge_bookmarks(progress.bookmarks)
        notes = store.notes.merge_notes(progress.notes)
        sessions = sum(store.mocks.merge_session(s, turns) for s, turns in progress.sessions)
        have = {str(row.key) for row in AppSetting.select(AppSetting.key)}
        missing = {k: v for k, v in progress.settings.items() if k not in have}
        for key, value in missing.items():
            AppSetting.insert(key=key, value=value).execute()
        attempts = store.attempts.merge(progress.attempts)
        if reviews or missing:  # a new setting (the retention) changes the schedule too
            store.sched.rebuild()
    return ProgressCounts(reviews, bookmarks, notes, sessions, len(missing), attempts)


def _load(path: Path, max_bytes: int) -> object:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ProgressError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    if size > max_bytes:
        raise ProgressError(
            f"{path} is {size:,} bytes, more than a progress file can be ({max_bytes:,}); it is not one, or it is damaged."
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ProgressError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    except UnicodeDecodeError as exc:
        raise ProgressError(
            f"{path} is not a text file (byte {exc.start} is not UTF-8); it is not a progress file."
        ) from exc

    def no_constant(name: str) -> NoReturn:
        raise ValueError(f"{name} is not a number JSON allows")

    try:
        return json.loads(text, parse_constant=no_constant)
    except json.JSONDecodeError as exc:
        raise ProgressError(
            f"{path}: line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg}). "
            "Is it a progress file exported by MLPrep?"
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise ProgressError(f"{path}: not valid JSON ({exc}).") from exc


class _Checker:
    """Reads values out of the parsed JSON, raising ProgressError with the place of the first bad one."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, where: str, problem: str) -> NoReturn:
        raise ProgressError(f"{self.path}: {where}: {problem}. Fix the file, or export it again.")

    def obj(self, value: object, where: str) -> Mapping[str, object]:
        if not isinstance(value, dict):
            self.fail(where, f"expected an object, found {_kind(value)}")
        return value

    def array(self, value: object, where: str) -> Sequence[object]:
        if not isinstance(value, list):
            self.fail(where, f"expected a list, found {_kind(value)}")
        return value

    def field(self, record: Mapping[str, object], key: str, where: str) -> object:
        if key not in record:
            self.fail(where, f'"{key}" is missing')
        return record[key]

    def text(self, value: object, where: str, limit: int = MAX_TEXT, empty: bool = True) -> str:
        if not isinstance(value, str):
            self.fail(where, f"expected text, found {_kind(value)}")
        if len(value) > limit:
            self.fail(where, f"{len(value):,} characters is too long (at most {limit:,})")
        if not empty and not value.strip():
            self.fail(where, "is empty")
        return value

    def number(self, value: object, where: str, low: float, high: float) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(where, f"expected a number, found {_kind(value)}")
        number = float(value)
        if not math.isfinite(number) or not low <= number <= high:
            self.fail(where, f"{value!r} is out of range ({low:g} to {high:g})")
        return number

    def integer(self, value: object, where: str, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, f"expected a whole number, found {_kind(value)}")
        if not low <= value <= high:
            self.fail(where, f"{value!r} is out of range ({low} to {high})")
        return value

    def time(self, value: object, where: str) -> float:
        return self.number(value, where, 0.0, MAX_TIME)

    def choice(self, value: object, where: str, allowed: Sequence[str]) -> str:
        if not isinstance(value, str) or value not in allowed:
            self.fail(where, f"{value!r} is not one of {', '.join(allowed)}")
        return value

    def json_object(self, value: object, where: str) -> dict[str, object]:
        record = self.obj(value, where)
        if len(json.dumps(record)) > MAX_TEXT:
            self.fail(where, f"is too large (more than {MAX_TEXT:,} characters)")
        return dict(record)


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"text {shown!r}"
    return {dict: "an object", list: "a list", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def _parse(data: object, path: Path) -> _Progress:
    c = _Checker(path)
    top = c.obj(data, "the file")
    if top.get("format") != FORMAT:
        found = f"{top['format']!r} is not" if "format" in top else "is missing, not"
        c.fail('"format"', f"{found} {FORMAT!r}: this is not an MLPrep progress file")
    version = c.field(top, "version", "the file")
    if version != VERSION or isinstance(version, bool):
        c.fail(
            '"version"',
            f"{version!r} is not a version this MLPrep reads (it reads {VERSION}); a newer MLPrep may have written it",
        )
    if "exported_at" in top:
        c.text(top["exported_at"], '"exported_at"', MAX_ID)
    return _Progress(
        reviews=_reviews(c, c.array(c.field(top, "reviews", "the file"), "reviews")),
        bookmarks=_bookmarks(c, c.array(c.field(top, "bookmarks", "the file"), "bookmarks")),
        notes=_notes(c, c.array(c.field(top, "notes", "the file"), "notes")),
        sessions=_sessions(c, c.array(c.field(top, "mock_sessions", "the file"), "mock_sessions")),
        settings=_settings(c, c.obj(c.field(top, "settings", "the file"), "settings")),
        # Optional: files written before the coding round have no attempts.
        attempts=_attempts(c, c.array(top.get("code_attempts", []), "code_attempts")),
    )


class _Record:
    """One object of a list in the file, and its place there, e.g. reviews[12]."""

    def __init__(self, c: _Checker, value: object, where: str):
        self.c = c
        self.where = where
        self.fields = c.obj(value, where)

    def __call__(self, key: str) -> object:
        return self.c.field(self.fields, key, self.where)


def _records(c: _Checker, items: Sequence[object], name: str) -> list[_Record]:
    return [_Record(c, item, f"{name}[{i}]") for i, item in enumerate(items)]


def _qid(c: _Checker, value: object, where: str) -> str:
    return c.text(value, where, MAX_ID, empty=False)


def _reviews(c: _Checker, items: Sequence[object]) -> list[tuple[str, float, str, str, float]]:
    rows = []
    for get in _records(c, items, "reviews"):
        where = get.where
        rows.append(
            (
                _qid(c, get("qid"), f"{where}.qid"),
                c.time(get("reviewed_at"), f"{where}.reviewed_at"),
                c.choice(get("score"), f"{where}.score", REVIEW_SCORES),
                c.choice(get("source"), f"{where}.source", SOURCES),
                c.number(get("seconds"), f"{where}.seconds", 0.0, 1e9),
            )
        )
    return rows


def _bookmarks(c: _Checker, items: Sequence[object]) -> list[tuple[str, float]]:
    earliest: dict[str, float] = {}
    for get in _records(c, items, "bookmarks"):
        where = get.where
        qid = _qid(c, get("qid"), f"{where}.qid")
        at = c.time(get("created_at"), f"{where}.created_at")
        earliest[qid] = min(at, earliest.get(qid, at))
    return list(earliest.items())


def _notes(c: _Checker, items: Sequence[object]) -> list[tuple[str, str, float]]:
    newest: dict[str, tuple[str, str, float]] = {}
    for get in _records(c, items, "notes"):
        where = get.where
        qid = _qid(c, get("qid"), f"{where}.qid")
        text = c.text(get("text"), f"{where}.text")
        at = c.time(get("updated_at"), f"{where}.updated_at")
        if text.strip() and (qid not in newest or at > newest[qid][2]):  # a blank note is no note
            newest[qid] = (qid, text, at)
    return list(newest.values())


def _attempts(c: _Checker, items: Sequence[object]) -> list[tuple[str, str, int, int, str, float, bool, float]]:
    rows = []
    for get in _records(c, items, "code_attempts"):
        where = get.where
        revealed = get("revealed")
        if not isinstance(revealed, bool):
            c.fail(f"{where}.revealed", f"found {_kind(revealed)}, expected true or false")
        total = c.integer(get("total"), f"{where}.total", 0, 100_000)
        rows.append(
            (
                _qid(c, get("qid"), f"{where}.qid"),
                c.text(get("code"), f"{where}.code"),
                c.integer(get("passed"), f"{where}.passed", 0, total),
                total,
                c.text(get("outcome"), f"{where}.outcome"),
                c.number(get("seconds"), f"{where}.seconds", 0.0, 1e9),
                revealed,
                c.time(get("created_at"), f"{where}.created_at"),
            )
        )
    return rows


def _sessions(c: _Checker, items: Sequence[object]) -> list[tuple[MockSessionRecord, list[MockTurnRecord]]]:
    out = []
    for get in _records(c, items, "mock_sessions"):
        where = get.where
        ended = get("ended_at")
        session = MockSessionRecord(
            id=0,
            started_at=c.time(get("started_at"), f"{where}.started_at"),
            ended_at=None if ended is None else c.time(ended, f"{where}.ended_at"),
            mode=c.text(get("mode"), f"{where}.mode", MAX_ID, empty=False),
            model=c.text(get("model"), f"{where}.model", MAX_ID),
            status=c.text(get("status"), f"{where}.status", MAX_ID, empty=False),
            config=c.json_object(get("config"), f"{where}.config"),
            input_tokens=c.integer(get("input_tokens"), f"{where}.input_tokens", 0, 10**12),
            output_tokens=c.integer(get("output_tokens"), f"{where}.output_tokens", 0, 10**12),
            cache_read_tokens=c.integer(get("cache_read_tokens"), f"{where}.cache_read_tokens", 0, 10**12),
            cache_write_tokens=c.integer(get("cache_write_tokens"), f"{where}.cache_write_tokens", 0, 10**12),
            cost_usd=c.number(get("cost_usd"), f"{where}.cost_usd", 0.0, 1e9),
            summary=c.json_object(get("summary"), f"{where}.summary"),
        )
        turns = []
        seen: set[int] = set()
        for turn in _records(c, c.array(get("turns"), f"{where}.turns"), f"{where}.turns"):
            turn_where = turn.where
            seq = c.integer(turn("seq"), f"{turn_where}.seq", 0, 10**9)
            if seq in seen:
                c.fail(f"{turn_where}.seq", f"{seq} appears twice in this session's turns")
            seen.add(seq)
            grade = turn("grade")
            turns.append(
                MockTurnRecord(
                    id=0,
                    seq=seq,
                    qid=_qid(c, turn("qid"), f"{turn_where}.qid"),
                    round=c.integer(turn("round"), f"{turn_where}.round", 0, 1000),
                    kind=c.text(turn("kind"), f"{turn_where}.kind", MAX_ID, empty=False),
                    text=c.text(turn("text"), f"{turn_where}.text"),
                    grade=None if grade is None else c.json_object(grade, f"{turn_where}.grade"),
                    seconds=c.number(turn("seconds"), f"{turn_where}.seconds", 0.0, 1e9),
                    created_at=c.time(turn("created_at"), f"{turn_where}.created_at"),
                )
            )
        out.append((session, turns))
    return out


def _check_retention(value: str) -> str | None:
    try:
        ok = 0.7 <= float(value) <= 0.99
    except ValueError:
        ok = False
    return None if ok else f"{value!r} is not a retention between 0.70 and 0.99"


def _check_new_per_day(value: str) -> str | None:
    return None if value.isdigit() and int(value) <= 1000 else f"{value!r} is not a whole number from 0 to 1000"


def _check_date(value: str) -> str | None:
    try:
        if value:
            date.fromisoformat(value)
    except ValueError:
        return f"{value!r} is not a date (YYYY-MM-DD) or empty"
    return None


def _check_code_time_limit(value: str) -> str | None:
    low, high = CODE_TIME_LIMITS_S
    ok = value.isdigit() and low <= int(value) <= high
    return None if ok else f"{value!r} is not a whole number of seconds from {low} to {high}"


# The settings the scheduler reads: a value it cannot parse would break every later start, so they are
# checked here. Other keys (from a newer MLPrep) travel as they are.
_SETTING_CHECKS: dict[str, Callable[[str], str | None]] = {
    "desired_retention": _check_retention,
    "new_per_day": _check_new_per_day,
    "interview_date": _check_date,
    "code_time_limit_s": _check_code_time_limit,
}


def _settings(c: _Checker, settings: Mapping[str, object]) -> dict[str, str]:
    out = {}
    for key, value in settings.items():
        where = f"settings.{key}"
        if len(key) > MAX_ID or not key.strip():
            c.fail("settings", f"{key[:40]!r} is not a setting's name")
        text = c.text(value, where)
        check = _SETTING_CHECKS.get(key)
        problem = check(text) if check is not None else None
        if problem is not None:
            c.fail(where, problem)
        out[key] = text
    return out
