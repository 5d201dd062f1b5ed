"""The aggregates behind the dashboard and `mlprep stats`, each one SQL query over the derived tables."""

from __future__ import annotations

from peewee import SqliteDatabase

from desktop_app.core.store.sql import RETIRED_QIDS
from desktop_app.core.vocab import REVIEW_SCORES

DAY_SECONDS = 86400


class Stats:
    def __init__(self, db: SqliteDatabase):
        self._db = db

    def recall_by_topic_level(
        self, target: float, decay: float, factor: float
    ) -> dict[tuple[str, str], tuple[int, float]]:
        """(topic, level) -> (questions seen, mean predicted recall at `target`), from the narrow card table.

        FSRS's forgetting curve R(t) = (1 + factor * t / S) ** decay, with t in whole days since the last
        review: the same formula fsrs applies, evaluated in SQL so 100,000 cards cost one pass.
        """
        rows = self._db.execute_sql(
            f"""
            SELECT topic_id, level, COUNT(*),
                   AVG(pow(1 + ? * max(0, CAST((? - last_review) / {DAY_SECONDS} AS INTEGER)) / stability, ?))
            FROM card_state WHERE stability > 0 AND qid NOT IN ({RETIRED_QIDS})
            GROUP BY topic_id, level
            """,
            (factor, target, decay),
        ).fetchall()
        return {(t, lv): (int(n), float(r)) for t, lv, n, r in rows}

    def totals_by_topic_level(self) -> list[tuple[str, str, str, int]]:
        """(topic id, title, level, live questions), in sidebar order."""
        return self._db.execute_sql(
            "SELECT t.id, t.title, c.level, c.questions FROM topic_count c JOIN topic_row t ON t.id = c.topic_id "
            'WHERE t.retired = 0 ORDER BY t."order", lower(t.title), t.id'
        ).fetchall()

    def activity_since(self, day: int) -> dict[int, int]:
        """Reviews per local day (ordinal), after `day`."""
        return dict(self._db.execute_sql("SELECT day, reviews FROM activity WHERE day > ?", (day,)).fetchall())

    def last_scores(self) -> list[tuple[str, str | None, str | None, int]]:
        """(topic, last self-score, last interviewer grade, questions) over the live questions seen."""
        return self._db.execute_sql(
            f"SELECT topic_id, last_self_score, last_mock_score, COUNT(*) FROM card_state "
            f"WHERE qid NOT IN ({RETIRED_QIDS}) GROUP BY 1, 2, 3"
        ).fetchall()

    def due_by_day(self, start: float, days: int) -> list[int]:
        """Cards due on each of `days` days from `start`; day 0 includes everything overdue."""
        rows = self._db.execute_sql(
            f"SELECT MAX(0, CAST((due - ?) / {DAY_SECONDS} AS INTEGER)), COUNT(*) FROM card_state "
            f"WHERE due < ? AND qid NOT IN ({RETIRED_QIDS}) GROUP BY 1",
            (start, start + days * DAY_SECONDS),
        ).fetchall()
        counts = [0] * days
        for offset, n in rows:
            if 0 <= offset < days:
                counts[offset] += n
        return counts

    def score_counts(self) -> dict[str, dict[str, int]]:
        """Per topic: how many live questions were last scored weak / ok / strong / easy."""
        rows = self._db.execute_sql(
            """
            SELECT q.topic_id, p.last_score, COUNT(*) FROM question_row q JOIN progress p ON p.qid = q.qid
            WHERE q.retired = 0 GROUP BY q.topic_id, p.last_score
            """
        ).fetchall()
        out: dict[str, dict[str, int]] = {}
        for topic_id, score, n in rows:
            out.setdefault(topic_id, dict.fromkeys(REVIEW_SCORES, 0))[score] = n
        return out
