"""What the store derives from the questions it holds: the search index and its word list, the list order,
and the question counts per topic and level. Bank sync and the schema migrations keep these in step.

Each is derived so that reading it costs little at 100,000 questions: the list order is one indexed
column (not a join and a sort), the counts are read from a few rows (not a GROUP BY over every
question), and the index holds only the live questions (so a search needs no join to leave the retired
ones out).
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Callable, Iterable, Sequence

from desktop_app.core.store.search import FTS_COLUMNS, FTS_TABLE, TITLE_FTS_COLUMNS, TITLE_FTS_TABLE, index_values

Execute = Callable[..., sqlite3.Cursor]  # a connection's execute(sql, params): sqlite3's or peewee's
_PACKED = b"\x00z"  # no text starts with NUL: marks an answer stored compressed
_POSITION_BITS = 24  # sort_key = topic rank << 24 | position within the topic


def pack_text(text: str) -> bytes | str:
    """Answers are stored compressed (about half the size): the store's largest column, read one at a time."""
    raw = text.encode("utf-8")
    if len(raw) < 200:
        return text
    return _PACKED + zlib.compress(raw, 6)


def unpack_text(value: bytes | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        return zlib.decompress(value[len(_PACKED) :]).decode("utf-8") if value.startswith(_PACKED) else value.decode()
    return value


def _rows(execute: Execute, nums: Sequence[int]) -> Iterable[tuple[object, ...]]:
    for start in range(0, len(nums), 500):
        chunk = list(nums[start : start + 500])
        marks = ",".join("?" * len(chunk))
        yield from execute(
            f"SELECT num, question, answer, follow_ups, tags, topic_id, level FROM question_row WHERE num IN ({marks})",
            chunk,
        ).fetchall()


def _values(row: tuple[object, ...]) -> tuple[object, ...]:
    num, question, answer, follow_ups, tags, topic_id, level = row
    text = unpack_text(answer if isinstance(answer, (bytes, str)) else None)
    return (num, *index_values(str(question), text, str(follow_ups), str(tags), str(topic_id), str(level)))


_COLUMNS = ", ".join(FTS_COLUMNS)
_MARKS = ", ".join("?" * len(FTS_COLUMNS))
_TITLE_COLUMNS = ", ".join(TITLE_FTS_COLUMNS)
_TITLE_MARKS = ", ".join("?" * len(TITLE_FTS_COLUMNS))


def _title(row: Sequence[object]) -> tuple[object, ...]:
    """A row of the main index (row number first) as a row of the title index: question, tags, facets."""
    return (row[0], row[1], row[4], row[5])


def index_rows(execute: Execute, cursor: Callable[[], sqlite3.Cursor], nums: Sequence[int]) -> None:
    """Add these (live) questions to the search indexes, from what question_row stores."""
    insert_index_rows(cursor, [_values(r) for r in _rows(execute, nums)])


def insert_index_rows(cursor: Callable[[], sqlite3.Cursor], rows: Sequence[Sequence[object]]) -> None:
    """Index rows (row number, then index_values) into both indexes."""
    cursor().executemany(f"INSERT INTO {FTS_TABLE} (rowid, {_COLUMNS}) VALUES (?, {_MARKS})", rows)
    cursor().executemany(
        f"INSERT INTO {TITLE_FTS_TABLE} (rowid, {_TITLE_COLUMNS}) VALUES (?, {_TITLE_MARKS})", [_title(r) for r in rows]
    )


def unindex_rows(execute: Execute, cursor: Callable[[], sqlite3.Cursor], nums: Sequence[int]) -> None:
    """Take these questions out of the indexes, before their stored text changes or they are retired."""
    rows = [_values(r) for r in _rows(execute, nums)]
    cursor().executemany(
        f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, {_COLUMNS}) VALUES ('delete', ?, {_MARKS})", rows
    )
    cursor().executemany(
        f"INSERT INTO {TITLE_FTS_TABLE} ({TITLE_FTS_TABLE}, rowid, {_TITLE_COLUMNS}) VALUES ('delete', ?, {_TITLE_MARKS})",
        [_title(r) for r in rows],
    )


def reindex_all(execute: Execute, cursor: Callable[[], sqlite3.Cursor]) -> None:
    """The indexes from scratch: every live question (for a migration)."""
    for table in (FTS_TABLE, TITLE_FTS_TABLE):
        execute(f"INSERT INTO {table} ({table}) VALUES ('delete-all')")
    nums = [int(r[0]) for r in execute("SELECT num FROM question_row WHERE retired = 0").fetchall()]
    index_rows(execute, cursor, nums)


def refresh_terms(execute: Execute) -> None:
    """The index's words with how many questions hold each: prefixes expand to them, misspellings are
    corrected from them. Read from the index itself, so it always agrees with what a search can find."""
    execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab USING fts5vocab(main, {FTS_TABLE}, 'col')")
    execute("DELETE FROM search_term")
    execute(
        "INSERT INTO search_term (term, docs) SELECT term, MAX(doc) FROM temp.search_vocab"
        " WHERE col != 'facets' GROUP BY term"
    )


def refresh_order(execute: Execute) -> None:
    """The list order as one number per question: topics in their order (then by title), then the position
    of the question in its topic's file."""
    execute(
        f"UPDATE question_row SET sort_key = (t.rank << {_POSITION_BITS}) + question_row.position"
        ' FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY "order", lower(title), id) AS rank FROM topic_row) AS t'
        f" WHERE t.id = question_row.topic_id AND question_row.sort_key != (t.rank << {_POSITION_BITS}) + question_row.position"
    )


def refresh_counts(execute: Execute) -> None:
    execute("DELETE FROM topic_count")
    execute(
        "INSERT INTO topic_count (topic_id, level, questions)"
        " SELECT topic_id, level, COUNT(*) FROM question_row WHERE retired = 0 GROUP BY topic_id, level"
    )


def compress_answers(execute: Execute, cursor: Callable[[], sqlite3.Cursor]) -> None:
    """Stores from before schema 5 hold answers as plain text."""
    rows = execute("SELECT num, answer FROM question_row WHERE typeof(answer) = 'text'").fetchall()
    packed = [(pack_text(str(answer)), num) for num, answer in rows]
    cursor().executemany(
        "UPDATE question_row SET answer = ? WHERE num = ?", [p for p in packed if not isinstance(p[0], str)]
    )
