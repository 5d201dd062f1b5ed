"""Reading the bank as the store holds it: topics with their counts, question lists and single questions."""

from __future__ import annotations

import builtins
import difflib
import json

from peewee import SqliteDatabase

from desktop_app.core.bank import Question, Rubric
from desktop_app.core.store import search as fts
from desktop_app.core.store.models import TopicRow
from desktop_app.core.store.records import SUMMARY_COLUMNS, SUMMARY_JOINS, QuestionSummary, TopicInfo
from desktop_app.core.store.sql import live_filters

STATUSES = ("all", "unreviewed", "weak_ok", "bookmarked")


class Questions:
    def __init__(self, db: SqliteDatabase):
        self._db = db

    def topics(self) -> list[TopicInfo]:
        rows = self._db.execute_sql(
            """
            SELECT t.id, t.title, t.description, COUNT(q.num), COUNT(p.qid)
            FROM topic_row t
            LEFT JOIN question_row q ON q.topic_id = t.id AND q.retired = 0
            LEFT JOIN progress p ON p.qid = q.qid
            WHERE t.retired = 0
            GROUP BY t.id
            ORDER BY t."order", lower(t.title)
            """
        ).fetchall()
        return [TopicInfo(*r) for r in rows]

    def progress_counts(self) -> tuple[int, int]:
        """(reviewed, total) over the live bank."""
        reviewed, total = self._db.execute_sql(
            "SELECT COUNT(p.qid), COUNT(q.num) FROM question_row q LEFT JOIN progress p ON p.qid = q.qid WHERE q.retired = 0"
        ).fetchone()
        return int(reviewed), int(total)

    def list(
        self,
        topic_id: str | None = None,
        level: str | None = None,
        status: str = "all",
        search: str = "",
        limit: int | None = None,
    ) -> list[QuestionSummary]:
        """The question list for the current filters; with search text, the best matches first."""
        where, params = live_filters(topic_id, level, "q.")
        if status == "unreviewed":
            where.append("p.qid IS NULL")
        elif status == "weak_ok":
            where.append("p.last_score IN ('weak', 'ok')")
        elif status == "bookmarked":
            where.append("b.qid IS NOT NULL")
        elif status != "all":
            raise ValueError(f"unknown status filter {status!r}")
        tokens = fts.search_tokens(search)
        if search and not tokens:
            return []
        if not tokens:
            sql = (
                f"SELECT {SUMMARY_COLUMNS} FROM question_row q JOIN topic_row t ON t.id = q.topic_id {SUMMARY_JOINS} "
                f'WHERE {" AND ".join(where)} ORDER BY t."order", lower(t.title), q.position'
            )
            if limit is not None:
                sql += f" LIMIT {int(limit)}"
            return [QuestionSummary.from_row(r) for r in self._db.execute_sql(sql, params).fetchall()]

        found = fts.candidates(self._db, tokens, topic_id, level)
        if not found:
            return []
        placeholders = ",".join("?" * len(found))
        # The candidates are row ids: look them up by rowid. The unary + keeps the planner off the
        # `retired` index, which would walk every live question to find a few hundred.
        filters = " AND ".join("+" + clause for clause in where)
        sql = (
            f"SELECT {SUMMARY_COLUMNS}, q.num, q.tags FROM question_row q {SUMMARY_JOINS} "
            f"WHERE {filters} AND q.num IN ({placeholders})"
        )
        rows = self._db.execute_sql(sql, params + found).fetchall()
        order = {num: i for i, num in enumerate(found)}
        patterns = fts.word_prefixes(tokens)
        ranked = sorted(rows, key=lambda r: (-fts.relevance(patterns, r[3], r[7]), order[r[6]]))
        if limit is not None:
            ranked = ranked[: int(limit)]
        return [QuestionSummary.from_row(r) for r in ranked]

    def get(self, qid: str) -> Question | None:
        # Raw SQL: this runs on every move through the list, where query building would cost more than the query.
        row = self._db.execute_sql(
            "SELECT qid, topic_id, question, level, answer, follow_ups, rubric_strong, rubric_ok, rubric_weak,"
            " tags, solution, tests, rubric_also_good FROM question_row WHERE qid = ?",
            (qid,),
        ).fetchone()
        if row is None:
            return None
        return Question(
            id=row[0],
            topic_id=row[1],
            question=row[2],
            level=row[3],
            answer=row[4],
            follow_ups=tuple(json.loads(row[5])),
            rubric=Rubric(tuple(json.loads(row[6])), row[7], row[8], tuple(json.loads(row[12]))),
            tags=tuple(json.loads(row[9])),
            solution=row[10],
            tests=row[11],
        )

    def suggest(self, text: str, limit: int = 3) -> builtins.list[str]:
        """Searches that would find something, for a search that found nothing: each word that matches no
        word of the bank is replaced by the closest word the bank does have ("attenton" -> "attention")."""
        tokens = fts.search_tokens(text)
        if not tokens:
            return []
        self._db.execute_sql(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.bank_words USING fts5vocab(main, question_search, 'row')"
        )
        fixed: list[list[str]] = []
        for token in tokens:
            if self._db.execute_sql(
                "SELECT 1 FROM temp.bank_words WHERE term >= ? AND term < ? LIMIT 1", (token, token + "\uffff")
            ).fetchone():
                fixed.append([token])
                continue
            nearby = [
                r[0]
                for r in self._db.execute_sql(
                    "SELECT term FROM temp.bank_words WHERE term >= ? AND term < ? AND length(term) BETWEEN ? AND ?",
                    (token[:1], token[:1] + "\uffff", len(token) - 2, len(token) + 2),
                )
            ]
            close = difflib.get_close_matches(token, nearby, n=limit, cutoff=0.75)
            if not close:
                return []
            fixed.append(close)
        combos = [" ".join(words) for words in zip(*[f * limit if len(f) == 1 else f for f in fixed], strict=False)]
        original = " ".join(tokens)
        return [c for c in dict.fromkeys(combos) if c != original][:limit]

    def topic_title(self, topic_id: str) -> str:
        row = TopicRow.get_or_none(TopicRow.id == topic_id)
        return row.title if row else topic_id
