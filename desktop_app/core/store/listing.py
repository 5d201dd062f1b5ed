"""The question lists: which questions a filter, a search or the Due queue shows, in what order.

A list is answered in two parts, so a large bank never holds up the window:
- `first_page`: the first rows, read through an index in a few milliseconds (for a search, the best
  matches of a bounded candidate set); the window shows them and the first question at once.
- `whole_list`: every row number in order, with the total; the list grows to its full length when it
  arrives. Rows beyond the first page are read a page at a time when they are shown (`summaries`).

Both take a connection's `execute`, so they run on the list reader's thread (store/reader.py) as well as
on the caller's. Row numbers travel as one hex string built inside SQLite and unpacked with two C calls:
a Python loop over 100,000 rows would hold the interpreter lock long enough to stall the window.
"""

from __future__ import annotations

import difflib
import sqlite3
import sys
import time
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from desktop_app.core.schedule import StudyConfig, day_start
from desktop_app.core.store import search as fts
from desktop_app.core.store.records import SUMMARY_COLUMNS, SUMMARY_JOINS, QuestionSummary

PAGE = 100  # rows in a list's first answer
STATUSES = ("all", "unreviewed", "weak_ok", "bookmarked", "due")
LEVELS_IN_ORDER = ("beginner", "intermediate", "advanced")

Execute = Callable[..., sqlite3.Cursor]  # a connection's execute(sql, params): sqlite3's or peewee's


@dataclass(frozen=True)
class ListQuery:
    """What the window's filters ask for."""

    topic_id: str | None = None
    level: str | None = None
    status: str = "all"
    search: str = ""
    extra_new: int = 0  # for the Due queue: new questions asked for beyond today's limit
    now: float | None = None  # for the Due queue; None for the time of the query

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status filter {self.status!r}")


@dataclass(frozen=True)
class FirstPage:
    rows: list[QuestionSummary]
    nums: array | None = None  # the whole order, when it is already known (a short list, the Due queue)

    @property
    def complete(self) -> bool:
        return self.nums is not None


@dataclass(frozen=True)
class WholeList:
    nums: array  # every row number, in order; begins with the first page's rows
    suggestions: list[str] = field(default_factory=list)  # closest spellings, when a search found nothing

    @property
    def total(self) -> int:
        return len(self.nums)


def empty_nums() -> array:
    return array("I")


def nums_of(execute: Execute, sql: str, params: Sequence[object] = ()) -> array:
    """The `n` column of a query, in its order, as an array (see the module docstring)."""
    hexed = execute(f"SELECT group_concat(printf('%08x', n), '') FROM ({sql})", list(params)).fetchone()[0]
    out = empty_nums()
    assert out.itemsize == 4
    if hexed:
        out.frombytes(bytes.fromhex(hexed))
        if sys.byteorder == "little":
            out.byteswap()
    return out


def _split(execute: Execute, sql: str, params: Sequence[object], head: list[int]) -> tuple[set[int], array]:
    """One pass over a query's rows (`n`): those among `head`, and the others in order."""
    if not head:
        return set(), nums_of(execute, sql, params)
    marks = ",".join("?" * len(head))
    hexed = execute(
        f"SELECT group_concat(CASE WHEN n IN ({marks}) THEN printf('%08x', n) END, ''),"
        f" group_concat(CASE WHEN n IN ({marks}) THEN NULL ELSE printf('%08x', n) END, '') FROM ({sql})",
        [*head, *head, *params],
    ).fetchone()
    found, rest = empty_nums(), empty_nums()
    for out, text in ((found, hexed[0]), (rest, hexed[1])):
        if text:
            out.frombytes(bytes.fromhex(text))
            if sys.byteorder == "little":
                out.byteswap()
    return set(found), rest


def summaries(execute: Execute, nums: Sequence[int]) -> list[QuestionSummary]:
    """The list rows of these questions, in this order (a number no longer stored is left out)."""
    found: dict[int, QuestionSummary] = {}
    for start in range(0, len(nums), 500):
        chunk = list(nums[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for r in execute(
            f"SELECT {SUMMARY_COLUMNS} FROM question_row q {SUMMARY_JOINS} WHERE q.num IN ({marks})", chunk
        ).fetchall():
            found[int(r[6])] = QuestionSummary.from_row(r)
    return [found[n] for n in nums if n in found]


# -- browsing: filters without a search -------------------------------------------------------


def _live(q: ListQuery, where: list[str], params: list[object]) -> tuple[list[str], list[object]]:
    """Live questions of the query's topic and level, either optional (alias q)."""
    where = [*where, "q.retired = 0"]
    params = list(params)
    if q.topic_id:
        where.append("q.topic_id = ?")
        params.append(q.topic_id)
    if q.level:
        where.append("q.level = ?")
        params.append(q.level)
    return where, params


def _browse_sql(q: ListQuery, columns: str) -> tuple[str, list[object]]:
    where, params = _live(q, [], [])
    # The small tables lead where the filter keeps few questions (CROSS JOIN fixes the join order), so
    # ten bookmarks among 100,000 questions are found without walking the other 99,990.
    if q.status == "bookmarked":
        source = "bookmark b0 CROSS JOIN question_row q ON q.qid = b0.qid"
    elif q.status == "weak_ok":
        source = "progress p0 CROSS JOIN question_row q ON q.qid = p0.qid"
        where.append("p0.last_score IN ('weak', 'ok')")
    else:
        source = "question_row q"
    if q.status == "unreviewed":
        where.append("NOT EXISTS (SELECT 1 FROM progress p1 WHERE p1.qid = q.qid)")
    joins = SUMMARY_JOINS if columns == SUMMARY_COLUMNS else ""
    return f"SELECT {columns} FROM {source} {joins} WHERE {' AND '.join(where)} ORDER BY q.sort_key", params


# -- the Due queue --------------------------------------------------------------------------------


def new_allowance(execute: Execute, now: float, extra_new: int = 0) -> int:
    """New questions still allowed today: the daily limit less those first seen today, plus any extra."""
    per_day = StudyConfig.from_settings(dict(execute("SELECT key, value FROM app_setting").fetchall())).new_per_day
    start = day_start(datetime.fromtimestamp(now).date())
    seen = execute("SELECT COUNT(*) FROM card_state WHERE first_review >= ?", (start,)).fetchone()[0]
    return max(0, per_day - int(seen)) + max(0, extra_new)


def due_nums(execute: Execute, q: ListQuery) -> array:
    """Due cards, most overdue first, then today's new questions dealt across topics in turn, beginner
    first within each topic, so a session mixes subjects instead of exhausting the first topic's basics."""
    now = time.time() if q.now is None else q.now
    where, params = _live(q, ["c.due <= ?"], [now])
    due = nums_of(
        execute,
        f"SELECT q.num AS n FROM card_state c JOIN question_row q ON q.qid = c.qid WHERE {' AND '.join(where)}"
        " ORDER BY c.due, c.qid",
        params,
    )
    allowance = new_allowance(execute, now, q.extra_new)
    if allowance <= 0:
        return due
    topics = (
        [q.topic_id]
        if q.topic_id
        else [
            str(r[0])
            for r in execute('SELECT id FROM topic_row WHERE retired = 0 ORDER BY "order", lower(title), id').fetchall()
        ]
    )
    levels = [q.level] if q.level else list(LEVELS_IN_ORDER)
    per_topic: list[list[int]] = []
    for topic in topics:
        picked: list[int] = []
        for level in levels:
            if len(picked) >= allowance:
                break
            picked.extend(
                int(r[0])
                for r in execute(
                    "SELECT q.num FROM question_row q WHERE q.topic_id = ? AND q.level = ? AND q.retired = 0"
                    " AND NOT EXISTS (SELECT 1 FROM card_state c WHERE c.qid = q.qid) ORDER BY q.sort_key LIMIT ?",
                    (topic, level, allowance - len(picked)),
                ).fetchall()
            )
        per_topic.append(picked)
    new: list[int] = []
    for turn in range(allowance):
        for picked in per_topic:
            if turn < len(picked):
                new.append(picked[turn])
    due.extend(new[:allowance])
    return due


# -- answering a query ------------------------------------------------------------------------------


def first_page(execute: Execute, q: ListQuery, size: int = PAGE) -> FirstPage:
    parsed = fts.parse(q.search)
    if q.search and not parsed:
        return FirstPage([], empty_nums())  # only punctuation: nothing can match
    if q.status == "due":
        nums = due_nums(execute, q)
        if parsed:
            matching = set(nums_of(execute, *_search_sql(parsed, q)))
            nums = array("I", (n for n in nums if n in matching))
        return FirstPage(summaries(execute, nums[:size]), nums)
    if not parsed:
        sql, params = _browse_sql(q, SUMMARY_COLUMNS)
        rows = [QuestionSummary.from_row(r) for r in execute(sql + " LIMIT ?", [*params, size + 1]).fetchall()]
        if len(rows) <= size:
            return FirstPage(rows, array("I", (r.num for r in rows)))
        return FirstPage(rows[:size])
    return FirstPage(_ranked_candidates(execute, parsed, q))


def whole_list(execute: Execute, q: ListQuery, first: FirstPage) -> WholeList:
    """Every row of the list in order, beginning with `first`'s rows."""
    parsed = fts.parse(q.search)
    if first.nums is not None:
        nums = first.nums
    elif not parsed:
        sql, params = _browse_sql(q, "q.num AS n")
        nums = nums_of(execute, sql, params)
    else:
        # The ranked candidates first (each one checked against the exact search: the word list they came
        # from may be stale), then every other match in the order it was added to the bank.
        ranked = [r.num for r in first.rows]
        matched, rest = _split(execute, *_search_sql(parsed, q), ranked)
        nums = array("I", (n for n in ranked if n in matched))
        nums.extend(rest)
    suggestions = suggest(execute, q.search) if parsed and not nums else []
    return WholeList(nums, suggestions)


def _search_sql(parsed: fts.SearchQuery, q: ListQuery) -> tuple[str, list[object]]:
    """Every match of a search, under the status filter, as a query of row numbers (`n`)."""
    sql = f"SELECT rowid AS n FROM {fts.FTS_TABLE} WHERE {fts.FTS_TABLE} MATCH ?"
    params: list[object] = [fts.exact_match(parsed, q.topic_id, q.level)]
    reviewed = "SELECT q.num FROM progress p JOIN question_row q ON q.qid = p.qid"
    if q.status == "unreviewed":
        sql += f" AND rowid NOT IN ({reviewed})"
    elif q.status == "weak_ok":
        sql += f" AND rowid IN ({reviewed} WHERE p.last_score IN ('weak', 'ok'))"
    elif q.status == "bookmarked":
        sql += " AND rowid IN (SELECT q.num FROM bookmark b JOIN question_row q ON q.qid = b.qid)"
    return sql, params


def _ranked_candidates(execute: Execute, parsed: fts.SearchQuery, q: ListQuery) -> list[QuestionSummary]:
    found = fts.candidates(execute, parsed, q.topic_id, q.level)
    if not found:
        return []
    rows = summaries(execute, found)
    if q.status == "unreviewed":
        rows = [r for r in rows if r.last_score is None]
    elif q.status == "weak_ok":
        rows = [r for r in rows if r.last_score in ("weak", "ok")]
    elif q.status == "bookmarked":
        rows = [r for r in rows if r.bookmarked]
    marks = ",".join("?" * len(rows))
    tags = (
        dict(execute(f"SELECT num, tags FROM question_row WHERE num IN ({marks})", [r.num for r in rows]).fetchall())
        if rows
        else {}
    )
    order = {num: i for i, num in enumerate(found)}
    patterns = parsed.patterns()
    return sorted(rows, key=lambda r: (-fts.relevance(patterns, r.question, str(tags.get(r.num, ""))), order[r.num]))


def full(execute: Execute, q: ListQuery, limit: int | None = None) -> list[QuestionSummary]:
    """A whole list at once, for the command line, the mock interview's draw and tests."""
    first = first_page(execute, q, size=limit or PAGE)
    if limit is not None and (first.complete or len(first.rows) >= limit):
        return first.rows[:limit]
    nums = whole_list(execute, q, first).nums
    return summaries(execute, nums[:limit] if limit is not None else nums)


def suggest(execute: Execute, text: str, limit: int = 3) -> list[str]:
    """Searches that would find something, for a search that found nothing: each word that starts no word
    of the bank is replaced by the closest words the bank does have ("attenton" -> "attention")."""
    tokens = fts.search_tokens(text)
    if not tokens:
        return []
    fixed: list[list[str]] = []
    for token in tokens:
        if execute(
            "SELECT 1 FROM search_term WHERE term >= ? AND term < ? LIMIT 1", (token, token + "\uffff")
        ).fetchone():
            fixed.append([token])
            continue
        nearby = [
            r[0]
            for r in execute(
                "SELECT term FROM search_term WHERE term >= ? AND term < ? AND length(term) BETWEEN ? AND ?",
                (token[:1], token[:1] + "\uffff", len(token) - 2, len(token) + 2),
            ).fetchall()
        ]
        close = difflib.get_close_matches(token, nearby, n=limit, cutoff=0.75)
        if not close:
            return []
        fixed.append(close)
    combos = [" ".join(words) for words in zip(*[f * limit if len(f) == 1 else f for f in fixed], strict=False)]
    original = " ".join(tokens)
    return [c for c in dict.fromkeys(combos) if c != original][:limit]
