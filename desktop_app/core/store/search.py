"""Full-text search: prefix matching over questions, answers, follow-ups and tags, ranked cheaply.

FTS5's bm25() needs every match's statistics, a whole doclist scan per term (over 150 ms when a term
matches 100,000 questions). Fetching a bounded set of matches without ranking costs well under a
millisecond, and `relevance` then ranks just that set.
"""

from __future__ import annotations

import hashlib
import re

from peewee import SqliteDatabase

from desktop_app.core.bank import Question

SEARCH_CANDIDATES = 200  # per stage: matches in the question text or tags, then matches anywhere
_TOKEN = re.compile(r"\w+", re.UNICODE)


def search_tokens(text: str) -> list[str]:
    """The words of a search, lower-cased; each must match some word of the question by prefix."""
    return _TOKEN.findall(text.lower())[:8]


def word_prefixes(tokens: list[str]) -> list[re.Pattern[str]]:
    return [re.compile(r"\b" + re.escape(t), re.IGNORECASE) for t in tokens]


def relevance(patterns: list[re.Pattern[str]], question: str, tags_json: str) -> int:
    """Cheap ranking of a candidate: words found in the question text weigh most, then tags."""
    return sum(3 * bool(p.search(question)) + 2 * bool(p.search(tags_json)) for p in patterns)


def facet_tokens(topic_id: str | None = None, level: str | None = None) -> list[str]:
    """Search tokens for a topic and a level: letters and digits only, so the tokenizer keeps each whole."""
    tokens = []
    if topic_id:
        tokens.append("tp" + hashlib.blake2b(topic_id.encode("utf-8"), digest_size=6).hexdigest())
    if level:
        tokens.append("lv" + level)
    return tokens


def index_fields(q: Question, num: int) -> dict[str, object]:
    """A question's row in the full-text index, keyed by its row number in question_row."""
    return {
        "rowid": num,
        "question": q.question,
        "answer": q.answer,
        "follow_ups": "\n".join(q.follow_ups),
        "tags": " ".join(q.tags),
        "facets": " ".join(facet_tokens(q.topic_id, q.level)),
    }


def candidates(db: SqliteDatabase, tokens: list[str], topic_id: str | None, level: str | None) -> list[int]:
    """A bounded set of matching rows: those matching in the question text first, then anywhere."""
    match = "(" + " ".join(f'"{t}"*' for t in tokens) + ")"
    for facet in facet_tokens(topic_id, level):
        match += f' AND facets : "{facet}"'
    # Only the words the user typed may match the question, tags and text; not the facet tokens.
    words = "{question tags}"  # the title index's text columns
    sql = "SELECT rowid FROM {table} WHERE {table} MATCH ?" + f" LIMIT {SEARCH_CANDIDATES}"
    in_question = [
        r[0] for r in db.execute_sql(sql.format(table="title_search"), [match.replace("(", words + " : (", 1)])
    ]
    anywhere = [
        r[0]
        for r in db.execute_sql(
            sql.format(table="question_search"), [match.replace("(", "{question answer follow_ups tags} : (", 1)]
        )
    ]
    seen = set(in_question)
    return in_question + [n for n in anywhere if n not in seen]
