"""Reading the bank as the store holds it: topics with their counts, question lists and single questions."""

from __future__ import annotations

import builtins
import json
from collections.abc import Sequence
from pathlib import Path

from peewee import SqliteDatabase

from desktop_app.core.bank import Question, Rubric, Topic
from desktop_app.core.store import listing
from desktop_app.core.store.bankindex import unpack_text
from desktop_app.core.store.listing import ListQuery
from desktop_app.core.store.models import TopicRow
from desktop_app.core.store.records import KnownIds, QuestionSummary, TopicInfo
from desktop_app.core.store.sql import RETIRED_QIDS


class Questions:
    def __init__(self, db: SqliteDatabase, decks_dir: Path):
        self._db = db
        self._decks = decks_dir

    def topics(self) -> list[TopicInfo]:
        """Live topics in sidebar order, with their question counts (stored at sync) and how many of their
        questions were reviewed (from the card states): no pass over the questions themselves."""
        reviewed = dict(
            self._db.execute_sql(
                f"SELECT topic_id, COUNT(*) FROM card_state WHERE qid NOT IN ({RETIRED_QIDS}) GROUP BY topic_id"
            ).fetchall()
        )
        rows = self._db.execute_sql(
            """
            SELECT t.id, t.title, t.description, COALESCE(SUM(c.questions), 0), t.source
            FROM topic_row t LEFT JOIN topic_count c ON c.topic_id = t.id
            WHERE t.retired = 0
            GROUP BY t.id
            ORDER BY t."order", lower(t.title), t.id
            """
        ).fetchall()
        return [
            TopicInfo(r[0], r[1], r[2], int(r[3]), int(reviewed.get(r[0], 0)), self._is_deck(str(r[4]))) for r in rows
        ]

    def topic(self, topic_id: str) -> Topic | None:
        """A live topic as the bank describes it (for exports and the editor)."""
        row = self._db.execute_sql(
            'SELECT id, title, description, "order", source FROM topic_row WHERE id = ? AND retired = 0', (topic_id,)
        ).fetchone()
        return Topic(str(row[0]), str(row[1]), str(row[2]), int(row[3]), str(row[4])) if row else None

    def _is_deck(self, source: str) -> bool:
        return bool(source) and Path(source).resolve().parent == self._decks

    def known_ids(self) -> KnownIds:
        """Every question id the store has held, with its topic, and the topics that are not user decks:
        what a deck being imported or edited must not collide with."""
        topics = {str(tid): str(src) for tid, src in self._db.execute_sql("SELECT id, source FROM topic_row")}
        return KnownIds(
            question_topics={str(q): str(t) for q, t in self._db.execute_sql("SELECT qid, topic_id FROM question_row")},
            bank_topics={tid for tid, src in topics.items() if not self._is_deck(src)},
        )

    def progress_counts(self) -> tuple[int, int]:
        """(reviewed, total) over the live bank."""
        topics = self.topics()
        return sum(t.reviewed for t in topics), sum(t.total for t in topics)

    def list(
        self,
        topic_id: str | None = None,
        level: str | None = None,
        status: str = "all",
        search: str = "",
        limit: int | None = None,
    ) -> list[QuestionSummary]:
        """A whole question list at once (the window reads lists a page at a time, see listing.py); with
        search text, the best matches first."""
        query = ListQuery(topic_id=topic_id, level=level, status=status, search=search)
        return listing.full(self._db.execute_sql, query, limit)

    def coding(self, level: str | None = None) -> builtins.list[QuestionSummary]:
        """The live coding questions (those with tests to run), for a mock interview's coding round."""
        sql = "SELECT num FROM question_row WHERE retired = 0 AND tests IS NOT NULL AND solution IS NOT NULL"
        params: builtins.list[object] = []
        if level:
            sql += " AND level = ?"
            params.append(level)
        nums = [int(r[0]) for r in self._db.execute_sql(sql + " ORDER BY sort_key", params).fetchall()]
        return self.summaries(nums)

    def summaries(self, nums: Sequence[int]) -> builtins.list[QuestionSummary]:
        """List rows by row number, in that order: a page of a list, read when it is shown."""
        return listing.summaries(self._db.execute_sql, nums)

    def num_of(self, qid: str) -> int | None:
        row = self._db.execute_sql("SELECT num FROM question_row WHERE qid = ?", (qid,)).fetchone()
        return int(row[0]) if row else None

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
            answer=unpack_text(row[4]),
            follow_ups=tuple(json.loads(row[5])),
            rubric=Rubric(tuple(json.loads(row[6])), row[7], row[8], tuple(json.loads(row[12]))),
            tags=tuple(json.loads(row[9])),
            solution=row[10],
            tests=row[11],
        )

    def suggest(self, text: str, limit: int = 3) -> builtins.list[str]:
        """Closest spellings the bank knows, for a search that found nothing."""
        return listing.suggest(self._db.execute_sql, text, limit)

    def topic_title(self, topic_id: str) -> str:
        row = TopicRow.get_or_none(TopicRow.id == topic_id)
        return row.title if row else topic_id
