"""Full-text search: what the user typed, as FTS5 queries: one fast and approximate, one exact.

The index (`question_search`) is contentless: the text lives once, in question_row, and the index holds
only the live questions' terms. Every word typed matches words of a question by prefix, so that results
follow the typing; a "quoted phrase" matches those words in that order.

A prefix query makes FTS5 merge the doclists of every word with that prefix before it returns a row: a
short or common prefix ("m", "gra") costs 60-90 ms at 100,000 questions, whatever the LIMIT. So a search
is answered twice. First, each prefix is expanded into the most frequent words of the bank that start with
it (from `search_term`), an OR that FTS5 evaluates lazily, so LIMIT stops it after a few hundred rows:
the best matches are on screen in a few milliseconds. Then the exact prefix query runs to the end, on the
list reader's thread, for the whole list and the total count.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

SEARCH_CANDIDATES = 200  # per stage of the fast answer: matches in the question text or tags, then anywhere
EXPANSION = 64  # words a prefix stands for in the fast answer (the most frequent ones)
MAX_WORDS = 8
_WORD = re.compile(r"[^\W_]+", re.UNICODE)  # what FTS5's unicode61 tokenizer keeps: letters and digits
FTS_TABLE = "question_search"
FTS_COLUMNS = ("question", "answer", "follow_ups", "tags", "facets")
# The question text and tags alone, in a small index of their own: the best matches of a broad search are
# those in the question, and finding 200 of them by a column filter on the big index walked every answer.
TITLE_FTS_TABLE = "title_search"
TITLE_FTS_COLUMNS = ("question", "tags", "facets")
TEXT_COLUMNS = "{question answer follow_ups tags}"  # everything but the facets
TITLE_COLUMNS = "{question tags}"

Execute = Callable[..., sqlite3.Cursor]  # a connection's execute(sql, params): sqlite3's or peewee's


def fold(text: str) -> str:
    """Lower case without diacritics, as the tokenizer indexes words ("Café" is found by "cafe")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class SearchQuery:
    """A search as typed: words (each a prefix) and quoted phrases (exact words in order; the last word of a
    phrase whose closing quote is not typed yet is still a prefix)."""

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    open_phrase: bool = False  # the last phrase has no closing quote yet

    def __bool__(self) -> bool:
        return bool(self.words or self.phrases)

    def exact(self) -> str:
        """The FTS5 expression that matches exactly what the search means."""
        parts = [f'"{w}"*' for w in self.words]
        for i, phrase in enumerate(self.phrases):
            prefix = "*" if self.open_phrase and i == len(self.phrases) - 1 else ""
            parts.append('"' + " ".join(phrase) + '"' + prefix)
        return " AND ".join(parts)

    def patterns(self) -> list[re.Pattern[str]]:
        """What to look for in a question's text, to rank candidates and to highlight matches."""
        out = [re.compile(r"\b" + re.escape(w), re.IGNORECASE) for w in self.words]
        for phrase in self.phrases:
            out.append(re.compile(r"\b" + r"\W+".join(re.escape(w) for w in phrase), re.IGNORECASE))
        return out


def parse(text: str) -> SearchQuery:
    """Words and "phrases" of a search box's text; anything else (punctuation, operators) is ignored, so
    no text can inject FTS5 syntax."""
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    pieces = text.split('"')  # odd pieces are inside quotes; with an odd number of quotes, the last is open
    open_phrase = False
    for i, piece in enumerate(pieces):
        found = [fold(w) for w in _WORD.findall(piece)]
        if i % 2 == 1 and len(found) > 1:
            phrases.append(tuple(found[:MAX_WORDS]))
            open_phrase = i == len(pieces) - 1
        else:
            words.extend(found)  # a one-word "phrase" is a word
    words = list(dict.fromkeys(words))[:MAX_WORDS]
    return SearchQuery(tuple(words), tuple(phrases[:MAX_WORDS]), open_phrase and len(phrases) <= MAX_WORDS)


def facet_tokens(topic_id: str | None = None, level: str | None = None) -> list[str]:
    """Search tokens for a topic and a level: letters and digits only, so the tokenizer keeps each whole.
    A filtered search intersects doclists inside the index instead of testing every match."""
    tokens = []
    if topic_id:
        tokens.append("tp" + hashlib.blake2b(topic_id.encode("utf-8"), digest_size=6).hexdigest())
    if level:
        tokens.append("lv" + level)
    return tokens


def with_facets(expression: str, topic_id: str | None, level: str | None) -> str:
    for facet in facet_tokens(topic_id, level):
        expression = f'({expression}) AND facets : "{facet}"'
    return expression


def index_values(
    question: str, answer: str, follow_ups_json: str, tags_json: str, topic_id: str, level: str
) -> tuple[str, ...]:
    """A question's row of the index, from the values question_row stores.

    The index is contentless, so removing a row means handing FTS5 the very values it was given: both
    directions call this one function on the stored row. Change it only with a migration that rebuilds
    the index.
    """
    return (
        question,
        answer,
        "\n".join(json.loads(follow_ups_json)),
        " ".join(json.loads(tags_json)),
        " ".join(facet_tokens(topic_id, level)),
    )


def expansions(execute: Execute, prefix: str, limit: int = EXPANSION) -> list[str]:
    """The bank's most frequent words that start with `prefix`."""
    rows = execute(
        "SELECT term FROM search_term WHERE term >= ? AND term < ? ORDER BY docs DESC LIMIT ?",
        (prefix, prefix + "\uffff", limit),
    )
    return [r[0] for r in rows.fetchall()]


def fast_expression(execute: Execute, query: SearchQuery) -> str | None:
    """Each word as an OR of the words it stands for (lazy in FTS5, so LIMIT stops it early); None when some
    word starts no word of the bank."""
    parts = []
    for word in query.words:
        terms = expansions(execute, word)
        if not terms:
            return None
        parts.append("(" + " OR ".join(f'"{t}"' for t in terms) + ")")
    exact_phrases = SearchQuery(phrases=query.phrases, open_phrase=query.open_phrase).exact()
    if exact_phrases:
        parts.append(exact_phrases)
    return " AND ".join(parts)


def candidates(execute: Execute, query: SearchQuery, topic_id: str | None, level: str | None) -> list[int]:
    """A bounded set of matching rows, quickly: matches in the question text or tags first, then anywhere."""
    expression = fast_expression(execute, query)
    if expression is None:
        return []
    found: dict[int, None] = {}
    for table, columns in ((TITLE_FTS_TABLE, TITLE_COLUMNS), (FTS_TABLE, TEXT_COLUMNS)):
        match = with_facets(f"{columns} : ({expression})", topic_id, level)
        sql = f"SELECT rowid FROM {table} WHERE {table} MATCH ? LIMIT {SEARCH_CANDIDATES}"
        for (num,) in execute(sql, (match,)).fetchall():
            found.setdefault(int(num), None)
    return list(found)


def relevance(patterns: list[re.Pattern[str]], question: str, tags_json: str) -> int:
    """Cheap ranking of a candidate: words found in the question text weigh most, then tags."""
    return sum(3 * bool(p.search(question)) + 2 * bool(p.search(tags_json)) for p in patterns)


def exact_match(query: SearchQuery, topic_id: str | None, level: str | None) -> str:
    return with_facets(f"{TEXT_COLUMNS} : ({query.exact()})", topic_id, level)


def search_tokens(text: str) -> list[str]:
    """The words of a search (phrases included), folded as the index folds them; for highlighting."""
    query = parse(text)
    return list(query.words) + [w for phrase in query.phrases for w in phrase]
