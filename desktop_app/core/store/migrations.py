"""The store's schema history: each step's SQL written out once and never edited after it ships.

Steps are plain SQL rather than Peewee's create_tables() so a step means the same thing forever: a model
that gains a column later must not change what an old step creates, or the step that adds the column
would fail on a fresh store. Store._migrate() runs the missing steps in order inside one transaction.
"""

from __future__ import annotations

from collections.abc import Callable

from peewee import SqliteDatabase

from desktop_app.core.store import bankindex

_FTS_OPTIONS = "prefix='1 2 3 4 5 6', tokenize=\"unicode61 remove_diacritics 2\""

V1 = [
    'CREATE TABLE "topic_row" ("id" VARCHAR(255) NOT NULL PRIMARY KEY, "title" TEXT NOT NULL, '
    '"description" TEXT NOT NULL, "order" INTEGER NOT NULL, "source" TEXT NOT NULL, "retired" INTEGER NOT NULL)',
    'CREATE TABLE "question_row" ("num" INTEGER NOT NULL PRIMARY KEY, "qid" VARCHAR(255) NOT NULL, '
    '"topic_id" VARCHAR(255) NOT NULL, "position" INTEGER NOT NULL, "question" TEXT NOT NULL, '
    '"level" VARCHAR(255) NOT NULL, "answer" TEXT NOT NULL, "follow_ups" TEXT NOT NULL, "tags" TEXT NOT NULL, '
    '"rubric_strong" TEXT NOT NULL, "rubric_ok" TEXT NOT NULL, "rubric_weak" TEXT NOT NULL, "solution" TEXT, '
    '"tests" TEXT, "content_hash" VARCHAR(255) NOT NULL, "retired" INTEGER NOT NULL)',
    'CREATE UNIQUE INDEX "question_row_qid" ON "question_row" ("qid")',
    'CREATE INDEX "question_row_topic_id" ON "question_row" ("topic_id")',
    'CREATE INDEX "question_row_level" ON "question_row" ("level")',
    'CREATE INDEX "question_row_retired" ON "question_row" ("retired")',
    'CREATE INDEX "question_row_topic_id_position" ON "question_row" ("topic_id", "position")',
    'CREATE TABLE "review" ("id" INTEGER NOT NULL PRIMARY KEY, "qid" VARCHAR(255) NOT NULL, '
    '"reviewed_at" REAL NOT NULL, "score" VARCHAR(255) NOT NULL, "source" VARCHAR(255) NOT NULL, '
    '"seconds" REAL NOT NULL)',
    'CREATE INDEX "review_qid" ON "review" ("qid")',
    'CREATE INDEX "review_reviewed_at" ON "review" ("reviewed_at")',
    'CREATE TABLE "progress" ("qid" VARCHAR(255) NOT NULL PRIMARY KEY, "last_score" VARCHAR(255) NOT NULL, '
    '"last_reviewed_at" REAL NOT NULL, "reviews" INTEGER NOT NULL)',
    'CREATE TABLE "bookmark" ("qid" VARCHAR(255) NOT NULL PRIMARY KEY, "created_at" REAL NOT NULL)',
    'CREATE TABLE "note" ("qid" VARCHAR(255) NOT NULL PRIMARY KEY, "text" TEXT NOT NULL, "updated_at" REAL NOT NULL)',
    'CREATE TABLE "bank_file" ("path" TEXT NOT NULL PRIMARY KEY, "size" INTEGER NOT NULL, '
    '"mtime_ns" INTEGER NOT NULL, "sha" VARCHAR(255) NOT NULL)',
    f'CREATE VIRTUAL TABLE "question_search" USING fts5 ("question", "answer", "follow_ups", "tags", "facets", '
    f"{_FTS_OPTIONS})",
    f'CREATE VIRTUAL TABLE "title_search" USING fts5 ("question", "tags", "facets", {_FTS_OPTIONS})',
]

V2 = [
    'CREATE TABLE "mock_session" ("id" INTEGER NOT NULL PRIMARY KEY, "started_at" REAL NOT NULL, "ended_at" REAL, '
    '"mode" VARCHAR(255) NOT NULL, "model" VARCHAR(255) NOT NULL, "status" VARCHAR(255) NOT NULL, '
    '"config" TEXT NOT NULL, "input_tokens" INTEGER NOT NULL, "output_tokens" INTEGER NOT NULL, '
    '"cache_read_tokens" INTEGER NOT NULL, "cache_write_tokens" INTEGER NOT NULL, "cost_usd" REAL NOT NULL, '
    '"summary" TEXT NOT NULL)',
    'CREATE TABLE "mock_turn" ("id" INTEGER NOT NULL PRIMARY KEY, "session_id" INTEGER NOT NULL, '
    '"seq" INTEGER NOT NULL, "qid" VARCHAR(255) NOT NULL, "round" INTEGER NOT NULL, "kind" VARCHAR(255) NOT NULL, '
    '"text" TEXT NOT NULL, "grade" TEXT, "seconds" REAL NOT NULL, "created_at" REAL NOT NULL, '
    'FOREIGN KEY ("session_id") REFERENCES "mock_session" ("id") ON DELETE CASCADE)',
    'CREATE INDEX "mock_turn_session_id" ON "mock_turn" ("session_id")',
    'CREATE UNIQUE INDEX "mock_turn_session_id_seq" ON "mock_turn" ("session_id", "seq")',
]

V3 = [
    'CREATE TABLE "card_state" ("qid" VARCHAR(255) NOT NULL PRIMARY KEY, "topic_id" VARCHAR(255) NOT NULL, '
    '"level" VARCHAR(255) NOT NULL, "last_self_score" VARCHAR(255), "last_mock_score" VARCHAR(255), '
    '"state" INTEGER NOT NULL, "step" INTEGER, "stability" REAL, "difficulty" REAL, "due" REAL NOT NULL, '
    '"last_review" REAL, "first_review" REAL NOT NULL)',
    'CREATE INDEX "card_state_first_review" ON "card_state" ("first_review")',
    'CREATE INDEX "card_state_due_qid" ON "card_state" ("due", "qid")',
    'CREATE INDEX "card_state_topic_id_level_qid_stability_last_review" ON "card_state" '
    '("topic_id", "level", "qid", "stability", "last_review")',
    'CREATE INDEX "card_state_topic_id_last_self_score_last_mock_score_qid" ON "card_state" '
    '("topic_id", "last_self_score", "last_mock_score", "qid")',
    'CREATE TABLE "activity" ("day" INTEGER NOT NULL PRIMARY KEY, "reviews" INTEGER NOT NULL)',
    'CREATE TABLE "app_setting" ("key" VARCHAR(255) NOT NULL PRIMARY KEY, "value" TEXT NOT NULL)',
    # A low-cardinality index on `retired` made the planner scan every live question once per topic;
    # covering indexes serve the counts and joins from the index alone, without the wide rows.
    'DROP INDEX IF EXISTS "question_row_retired"',
    "CREATE INDEX question_row_live ON question_row (retired, topic_id, level, qid)",
]

V4 = [
    # Rubrics list the essentials of a strong answer, and optional "also good" points, as JSON lists.
    'ALTER TABLE "question_row" ADD COLUMN "rubric_also_good" TEXT NOT NULL DEFAULT \'[]\'',
    'UPDATE "question_row" SET "rubric_strong" = json_array("rubric_strong")',
]

V5 = [
    # The list order as one indexed number, so a page of any list is an index range (not a join and sort).
    'ALTER TABLE "question_row" ADD COLUMN "sort_key" INTEGER NOT NULL DEFAULT 0',
    # The text once: contentless indexes (their terms only) instead of two copies of every question, and no
    # prefix indexes (they were two thirds of a large store); search.py explains how prefixes stay fast.
    'DROP TABLE IF EXISTS "question_search"',
    'DROP TABLE IF EXISTS "title_search"',
    'CREATE VIRTUAL TABLE "question_search" USING fts5 ("question", "answer", "follow_ups", "tags", "facets", '
    "content='', columnsize=0, tokenize=\"unicode61 remove_diacritics 2\")",
    'CREATE VIRTUAL TABLE "title_search" USING fts5 ("question", "tags", "facets", '
    "content='', columnsize=0, tokenize=\"unicode61 remove_diacritics 2\")",
    'CREATE TABLE "search_term" ("term" TEXT NOT NULL PRIMARY KEY, "docs" INTEGER NOT NULL) WITHOUT ROWID',
    'CREATE TABLE "topic_count" ("topic_id" TEXT NOT NULL, "level" TEXT NOT NULL, "questions" INTEGER NOT NULL, '
    'PRIMARY KEY ("topic_id", "level")) WITHOUT ROWID',
    # Counts come from topic_count now; lists read pages in sort_key order, of everything or of a topic.
    'DROP INDEX IF EXISTS "question_row_topic_id"',
    'DROP INDEX IF EXISTS "question_row_level"',
    'DROP INDEX IF EXISTS "question_row_topic_id_position"',
    'DROP INDEX IF EXISTS "question_row_live"',
    'CREATE INDEX "question_row_order" ON "question_row" ("retired", "sort_key")',
    'CREATE INDEX "question_row_topic_order" ON "question_row" ("topic_id", "level", "sort_key")',
]

V6 = [
    # The coding round: every run of the user's code against a question's tests, kept like a review.
    'CREATE TABLE "code_attempt" ("id" INTEGER NOT NULL PRIMARY KEY, "qid" VARCHAR(255) NOT NULL, '
    '"code" TEXT NOT NULL, "passed" INTEGER NOT NULL, "total" INTEGER NOT NULL, "outcome" TEXT NOT NULL, '
    '"seconds" REAL NOT NULL, "revealed" INTEGER NOT NULL, "created_at" REAL NOT NULL)',
    'CREATE INDEX "code_attempt_qid_created_at" ON "code_attempt" ("qid", "created_at")',
]


def _run(statements: list[str]) -> Callable[[SqliteDatabase], None]:
    def step(db: SqliteDatabase) -> None:
        for sql in statements:
            db.execute_sql(sql)

    return step


def steps(rebuild_derived: Callable[[SqliteDatabase], None]) -> list[Callable[[SqliteDatabase], None]]:
    """Index i brings the schema from version i to i + 1.

    Step 3 also fills the derived scheduling tables from the review log (`rebuild_derived`), so an
    upgraded store is scheduled from its whole history at once; step 5 fills the bank's derived tables
    (bankindex.py) from the questions already stored.
    """

    def v3(db: SqliteDatabase) -> None:
        _run(V3)(db)
        rebuild_derived(db)

    def v5(db: SqliteDatabase) -> None:
        _run(V5)(db)
        execute, cursor = db.execute_sql, db.cursor
        bankindex.compress_answers(execute, cursor)
        bankindex.refresh_order(execute)
        bankindex.refresh_counts(execute)
        bankindex.reindex_all(execute, cursor)
        bankindex.refresh_terms(execute)

    return [_run(V1), _run(V2), v3, _run(V4), v5, _run(V6)]
