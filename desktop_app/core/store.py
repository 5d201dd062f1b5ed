"""The user's SQLite store: schema migrations, bank sync, review log, bookmarks, notes and search.

User data is keyed by question id and never deleted by a bank change; a store that cannot be opened
is reported and left exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple, TypeVar

import peewee
from peewee import SqliteDatabase

from desktop_app.core import migrations
from desktop_app.core.bank import Bank, Problem, Question, Rubric, Topic, bank_files, load_bank
from desktop_app.core.models import (
    MODELS,
    AppSetting,
    BankFile,
    Bookmark,
    CardState,
    MockSession,
    MockTurn,
    Note,
    QuestionRow,
    QuestionSearch,
    Review,
    TitleSearch,
    TopicRow,
)
from desktop_app.core.schedule import (
    DEFAULT_NEW_PER_DAY,
    DEFAULT_RETENTION,
    CardRow,
    StudyConfig,
    day_start,
    local_day,
    make_scheduler,
    replay,
    review,
    to_card,
)
from desktop_app.core.vocab import REVIEW_SCORES, SOURCES

DB_FILENAME = "mlprep.sqlite3"
SEARCH_CANDIDATES = 200  # per stage: matches in the question text or tags, then matches anywhere
_T = TypeVar("_T")  # bm25 is computed for at most this many matches per query


class StoreError(Exception):
    """The store cannot be used; the message says why and what to do, for the window and the terminal."""


def _rebuild_for_migration(db: SqliteDatabase) -> None:
    _rebuild_derived(db, StudyConfig())


# Applied in order; index i brings the schema from version i to i + 1. Never edit a shipped entry.
MIGRATIONS: list[Callable[[SqliteDatabase], None]] = migrations.steps(_rebuild_for_migration)
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass
class SyncReport:
    unchanged: bool = False
    added: int = 0
    updated: int = 0
    retired: int = 0
    restored: int = 0
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class TopicInfo:
    id: str
    title: str
    description: str
    total: int
    reviewed: int


class QuestionSummary(NamedTuple):
    """What a list row needs; the full question is fetched only when shown.

    A tuple of plain values, so the garbage collector stops tracking it: with 100,000 rows in a list,
    tracked objects made every full collection a visible stall while typing.
    """

    qid: str
    topic_id: str
    level: str
    question: str
    last_score: str | None
    bookmarked: bool


@dataclass(frozen=True)
class ReviewRecord:
    id: int
    qid: str
    reviewed_at: float
    score: str
    source: str
    seconds: float


STATUS_FILTERS = ("all", "unreviewed", "weak_ok", "bookmarked")
_TOKEN = re.compile(r"\w+", re.UNICODE)


def search_tokens(text: str) -> list[str]:
    """The words of a search, lower-cased; each must match some word of the question by prefix."""
    return _TOKEN.findall(text.lower())[:8]


def _word_prefixes(tokens: list[str]) -> list[re.Pattern[str]]:
    return [re.compile(r"\b" + re.escape(t), re.IGNORECASE) for t in tokens]


def _relevance(patterns: list[re.Pattern[str]], question: str, tags_json: str) -> int:
    """Cheap ranking of a candidate: words found in the question text weigh most, then tags."""
    return sum(3 * bool(p.search(question)) + 2 * bool(p.search(tags_json)) for p in patterns)


def _file_sha(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


class Store:
    """One open database. Models are bound to it on open, so one Store is active per process."""

    def __init__(self, path: Path):
        self.path = path
        self.db = SqliteDatabase(None)
        self._scheduler_cache: tuple[date, object] | None = None

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> Store:
        store = cls(path)
        store._open()
        return store

    def _open(self) -> None:
        path = self.path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"Cannot create the data folder {path.parent}: {exc.strerror or exc}.") from exc
        if path.exists():
            if path.is_dir():
                raise StoreError(
                    f"{path} is a folder, not a database file. Move it aside or choose another --data-dir."
                )
            if not os.access(path, os.R_OK | os.W_OK):
                raise StoreError(
                    f"Cannot read and write {path}: permission denied. Fix its permissions; the file was left untouched."
                )
        # No journal-mode pragma yet: switching to WAL rewrites the header, and a database we end up
        # refusing (too new, damaged) must stay byte-for-byte as it was.
        self.db.init(str(path), pragmas={"foreign_keys": 1, "busy_timeout": 2000})
        try:
            self.db.connect()
            version = self.db.execute_sql("PRAGMA user_version").fetchone()[0]
            self.db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
        except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
            self.db.close()
            raise StoreError(self._describe_open_error(exc)) from exc
        if version > SCHEMA_VERSION:
            self.db.close()
            raise StoreError(
                f"{path} was written by a newer version of MLPrep (schema {version}; this version knows up to "
                f"{SCHEMA_VERSION}). Update MLPrep to open it; the file was not changed."
            )
        try:
            self.db.execute_sql("PRAGMA journal_mode=wal")
            self.db.execute_sql("PRAGMA synchronous=normal")
            # No automatic checkpoints: they copy the WAL into the database inside whichever commit crosses
            # the threshold, a disk-heavy stall on the UI thread. checkpoint_in_background() does it instead.
            self.db.execute_sql("PRAGMA wal_autocheckpoint=0")
            self.db.bind(MODELS, bind_refs=False, bind_backrefs=False)
            self._migrate(version)
        except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
            self.db.close()
            raise StoreError(self._describe_open_error(exc)) from exc

    def _describe_open_error(self, exc: Exception) -> str:
        text = str(exc)
        if "locked" in text or "busy" in text:
            return (
                f"{self.path} is locked by another program (is MLPrep already running?). "
                "Close it and try again; the file was left untouched."
            )
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            return (
                f"{self.path} is damaged or is not an MLPrep database ({text}). It was left untouched: "
                "move it aside to start with a fresh store, or restore it from a backup."
            )
        return f"Cannot open {self.path}: {text}. The file was left untouched."

    def _migrate(self, version: int) -> None:
        if version == SCHEMA_VERSION:
            return
        with self.db.atomic():
            for step in MIGRATIONS[version:]:
                step(self.db)
            self.db.execute_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def schema_version(self) -> int:
        return int(self.db.execute_sql("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        if not self.db.is_closed():
            try:
                self.db.execute_sql("PRAGMA optimize")  # refresh the planner's statistics where they drifted
                self.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            except (peewee.DatabaseError, sqlite3.DatabaseError):
                pass  # another process holds it; the WAL stays valid and is checkpointed next time
            self.db.close()

    def checkpoint_in_background(self) -> threading.Thread:
        """Fold the write-ahead log into the database from another thread and connection (PASSIVE: it
        never blocks the app's own reads and writes)."""

        def run() -> None:
            try:
                con = sqlite3.connect(self.path, timeout=1)
                try:
                    con.execute("PRAGMA wal_checkpoint(PASSIVE)")
                finally:
                    con.close()
            except sqlite3.Error:
                pass  # busy or gone: the next checkpoint catches up

        thread = threading.Thread(target=run, name="mlprep-checkpoint", daemon=True)
        thread.start()
        return thread

    # -- bank sync -----------------------------------------------------------------------

    def sync_bank(self, paths: Sequence[Path]) -> SyncReport:
        """Bring the store in line with the bank files; costs a few stat calls when nothing changed."""
        files, missing = bank_files(paths)
        if missing:
            report = SyncReport(problems=missing)
            return report
        current = {}
        for f in files:
            st = f.stat()
            current[str(f.resolve())] = (f, st.st_size, st.st_mtime_ns)
        stored = {row.path: row for row in BankFile.select()}
        if stored.keys() == current.keys():
            changed = [
                k for k, (_, size, mtime) in current.items() if (stored[k].size, stored[k].mtime_ns) != (size, mtime)
            ]
            if not changed:
                return SyncReport(unchanged=True)
            shas = {k: _file_sha(current[k][0]) for k in changed}
            if all(shas[k] == stored[k].sha for k in changed):
                with self.db.atomic():
                    for k in changed:
                        BankFile.update(size=current[k][1], mtime_ns=current[k][2]).where(BankFile.path == k).execute()
                return SyncReport(unchanged=True)

        bank, problems = load_bank([f for f, _, _ in current.values()])
        failed_sources = {p.path for p in problems}
        report = self._apply_bank(bank, problems, {str(Path(p).resolve()) for p in failed_sources}, current)
        return report

    def _apply_bank(
        self,
        bank: Bank,
        problems: list[Problem],
        failed_files: set[str],
        current: dict[str, tuple[Path, int, int]],
    ) -> SyncReport:
        report = SyncReport(problems=problems)
        failed_topics = (
            {t.id for t in TopicRow.select() if str(Path(t.source).resolve()) in failed_files}
            if failed_files
            else set()
        )
        with self.db.atomic():
            self._sync_topics(bank.topics, failed_topics)
            existing = {
                r.qid: r
                for r in QuestionRow.select(
                    QuestionRow.num,
                    QuestionRow.qid,
                    QuestionRow.content_hash,
                    QuestionRow.retired,
                    QuestionRow.topic_id,
                )
            }
            positions: dict[str, int] = {}
            new_rows = []
            new_search = []
            for q in bank.questions:
                positions[q.topic_id] = positions.get(q.topic_id, 0) + 1
                fields = _question_fields(q, positions[q.topic_id])
                row = existing.get(q.id)
                if row is None:
                    new_rows.append(fields)
                    report.added += 1
                elif row.content_hash != fields["content_hash"] or row.retired:
                    if row.retired:
                        report.restored += 1
                    else:
                        report.updated += 1
                    QuestionRow.update(**fields, retired=False).where(QuestionRow.num == row.num).execute()
                    QuestionSearch.delete().where(QuestionSearch.rowid == row.num).execute()
                    TitleSearch.delete().where(TitleSearch.rowid == row.num).execute()
                    new_search.append(_search_fields(q, row.num))
            for chunk in _chunks(new_rows):
                QuestionRow.insert_many(chunk).execute()
            if new_rows:
                nums = dict(self.db.execute_sql("SELECT qid, num FROM question_row").fetchall())
                by_id = {q.id: q for q in bank.questions}
                new_search.extend(_search_fields(by_id[str(f["qid"])], nums[f["qid"]]) for f in new_rows)
            for chunk in _chunks(new_search):
                QuestionSearch.insert_many(chunk).execute()
                TitleSearch.insert_many(
                    [{k: f[k] for k in ("rowid", "question", "tags", "facets")} for f in chunk]
                ).execute()
            # Positions can shift without content changing (a question inserted above): keep list order right.
            self._sync_positions(bank.questions)
            in_bank = {q.id for q in bank.questions}
            to_retire = [
                r.num
                for qid, r in existing.items()
                if qid not in in_bank and not r.retired and r.topic_id not in failed_topics
            ]
            for nums_chunk in _chunks(to_retire):
                QuestionRow.update(retired=True).where(QuestionRow.num.in_(nums_chunk)).execute()
            report.retired = len(to_retire)
            # A file with problems gets no fingerprint, so it is read again (and its problems
            # reported again) at the next start instead of being skipped as unchanged.
            BankFile.delete().execute()
            fingerprints = [
                {"path": k, "size": size, "mtime_ns": mtime, "sha": _file_sha(f)}
                for k, (f, size, mtime) in current.items()
                if k not in failed_files
            ]
            for chunk in _chunks(fingerprints):
                BankFile.insert_many(chunk).execute()
            if report.updated:
                self._retag_cards()
        return report

    def _sync_topics(self, topics: list[Topic], failed_topics: set[str]) -> None:
        existing = {t.id: t for t in TopicRow.select()}
        seen = set()
        for t in topics:
            seen.add(t.id)
            values = {
                "title": t.title,
                "description": t.description,
                "order": t.order,
                "source": t.source,
                "retired": False,
            }
            if t.id in existing:
                TopicRow.update(**values).where(TopicRow.id == t.id).execute()
            else:
                TopicRow.insert(id=t.id, **values).execute()
        for tid in existing:
            if tid not in seen and tid not in failed_topics:
                TopicRow.update(retired=True).where(TopicRow.id == tid).execute()

    def _sync_positions(self, questions: list[Question]) -> None:
        wanted: dict[str, tuple[str, int]] = {}
        counter: dict[str, int] = {}
        for q in questions:
            counter[q.topic_id] = counter.get(q.topic_id, 0) + 1
            wanted[q.id] = (q.topic_id, counter[q.topic_id])
        rows = self.db.execute_sql("SELECT qid, position FROM question_row").fetchall()
        stale = [(wanted[qid][1], qid) for qid, pos in rows if qid in wanted and wanted[qid][1] != pos]
        if stale:
            self.db.cursor().executemany("UPDATE question_row SET position = ? WHERE qid = ?", stale)

    # -- reading -------------------------------------------------------------------------

    def topics(self) -> list[TopicInfo]:
        rows = self.db.execute_sql(
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
        reviewed, total = self.db.execute_sql(
            "SELECT COUNT(p.qid), COUNT(q.num) FROM question_row q LEFT JOIN progress p ON p.qid = q.qid WHERE q.retired = 0"
        ).fetchone()
        return int(reviewed), int(total)

    def list_questions(
        self,
        topic_id: str | None = None,
        level: str | None = None,
        status: str = "all",
        search: str = "",
        limit: int | None = None,
    ) -> list[QuestionSummary]:
        """The question list for the current filters; with search text, the best matches first."""
        where, params = _live_filters(topic_id, level, "q.")
        if status == "unreviewed":
            where.append("p.qid IS NULL")
        elif status == "weak_ok":
            where.append("p.last_score IN ('weak', 'ok')")
        elif status == "bookmarked":
            where.append("b.qid IS NOT NULL")
        elif status != "all":
            raise ValueError(f"unknown status filter {status!r}")
        columns = "q.qid, q.topic_id, q.level, q.question, p.last_score, b.qid IS NOT NULL"
        joins = "LEFT JOIN progress p ON p.qid = q.qid LEFT JOIN bookmark b ON b.qid = q.qid"
        tokens = search_tokens(search)
        if search and not tokens:
            return []
        if not tokens:
            sql = (
                f"SELECT {columns} FROM question_row q JOIN topic_row t ON t.id = q.topic_id {joins} "
                f'WHERE {" AND ".join(where)} ORDER BY t."order", lower(t.title), q.position'
            )
            if limit is not None:
                sql += f" LIMIT {int(limit)}"
            rows = self.db.execute_sql(sql, params).fetchall()
            return [QuestionSummary(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in rows]

        candidates = self._search_candidates(tokens, topic_id, level)
        if not candidates:
            return []
        placeholders = ",".join("?" * len(candidates))
        # The candidates are row ids: look them up by rowid. The unary + keeps the planner off the
        # `retired` index, which would walk every live question to find a few hundred.
        filters = " AND ".join("+" + clause for clause in where)
        sql = (
            f"SELECT {columns}, q.num, q.tags FROM question_row q {joins} WHERE {filters} AND q.num IN ({placeholders})"
        )
        rows = self.db.execute_sql(sql, params + candidates).fetchall()
        order = {num: i for i, num in enumerate(candidates)}
        patterns = _word_prefixes(tokens)
        ranked = sorted(rows, key=lambda r: (-_relevance(patterns, r[3], r[7]), order[r[6]]))
        if limit is not None:
            ranked = ranked[: int(limit)]
        return [QuestionSummary(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in ranked]

    def _search_candidates(self, tokens: list[str], topic_id: str | None, level: str | None) -> list[int]:
        """A bounded set of matching rows: those matching in the question text first, then anywhere.

        FTS5's bm25() needs every match's statistics, which costs a whole doclist scan per term
        (over 150 ms when a term matches 100,000 questions); fetching a bounded set without ranking
        costs well under a millisecond, and _relevance() then ranks just that set.
        """
        match = "(" + " ".join(f'"{t}"*' for t in tokens) + ")"
        for facet in facet_tokens(topic_id, level):
            match += f' AND facets : "{facet}"'
        # Only the words the user typed may match the question, tags and text; not the facet tokens.
        words = "{question tags}"  # the title index's text columns
        sql = "SELECT rowid FROM {table} WHERE {table} MATCH ?" + f" LIMIT {SEARCH_CANDIDATES}"
        in_question = [
            r[0] for r in self.db.execute_sql(sql.format(table="title_search"), [match.replace("(", words + " : (", 1)])
        ]
        anywhere = [
            r[0]
            for r in self.db.execute_sql(
                sql.format(table="question_search"), [match.replace("(", "{question answer follow_ups tags} : (", 1)]
            )
        ]
        seen = set(in_question)
        return in_question + [n for n in anywhere if n not in seen]

    def get_question(self, qid: str) -> Question | None:
        # Raw SQL: this runs on every move through the list, where query building would cost more than the query.
        row = self.db.execute_sql(
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

    def topic_title(self, topic_id: str) -> str:
        row = TopicRow.get_or_none(TopicRow.id == topic_id)
        return row.title if row else topic_id

    # -- user data -----------------------------------------------------------------------

    def record_review(
        self, qid: str, score: str, source: str = "self", seconds: float = 0.0, at: float | None = None
    ) -> int:
        if score not in REVIEW_SCORES:
            raise ValueError(f"score must be one of {REVIEW_SCORES}, not {score!r}")
        if source not in SOURCES:
            raise ValueError(f"source must be one of {SOURCES}, not {source!r}")
        at = time.time() if at is None else at
        with self.db.atomic():
            review_id = Review.insert(
                qid=qid, reviewed_at=at, score=score, source=source, seconds=max(0.0, seconds)
            ).execute()
            self._refresh_progress(qid)
            self._advance_card(qid, score, source, at)
            self._count_activity(at, +1)
        return int(review_id)

    def undo_review(self, review_id: int) -> ReviewRecord | None:
        """Take back one score (the user pressed undo); the summary is recomputed from what remains."""
        with self.db.atomic():
            row = Review.get_or_none(Review.id == review_id)
            if row is None:
                return None
            record = _record(row)
            row.delete_instance()
            self._refresh_progress(record.qid)
            self._replay_card(record.qid)
            self._count_activity(record.reviewed_at, -1)
        return record

    def _refresh_progress(self, qid: str) -> None:
        # Raw SQL: this runs on every score, inside the keystroke budget.
        self.db.execute_sql("DELETE FROM progress WHERE qid = ?", (qid,))
        self.db.execute_sql(
            "INSERT INTO progress (qid, last_score, last_reviewed_at, reviews)"
            " SELECT qid, (SELECT score FROM review WHERE qid = ? ORDER BY reviewed_at DESC, id DESC LIMIT 1),"
            " MAX(reviewed_at), COUNT(*) FROM review WHERE qid = ? GROUP BY qid",
            (qid, qid),
        )

    def rebuild_progress(self) -> None:
        """Recompute every derived row (summaries, card states, daily activity) from the review log."""
        with self.db.atomic():
            _rebuild_derived(self.db, self.study_config())
        self._scheduler_cache = None

    rebuild_schedule = rebuild_progress

    # -- spaced repetition ----------------------------------------------------------------

    def study_config(self) -> StudyConfig:
        values = dict(self.db.execute_sql("SELECT key, value FROM app_setting").fetchall())
        interview = values.get("interview_date")
        return StudyConfig(
            desired_retention=float(values.get("desired_retention", DEFAULT_RETENTION)),
            new_per_day=int(values.get("new_per_day", DEFAULT_NEW_PER_DAY)),
            interview_date=date.fromisoformat(interview) if interview else None,
        )

    def set_study_config(self, config: StudyConfig) -> None:
        """Save the settings; the schedule is replayed so every card follows them from now on."""
        if not 0.7 <= config.desired_retention <= 0.99:
            raise ValueError("desired retention must be between 0.70 and 0.99")
        if not 0 <= config.new_per_day <= 1000:
            raise ValueError("new questions per day must be between 0 and 1000")
        values = {
            "desired_retention": f"{config.desired_retention:.3f}",
            "new_per_day": str(config.new_per_day),
            "interview_date": config.interview_date.isoformat() if config.interview_date else "",
        }
        with self.db.atomic():
            for key, value in values.items():
                AppSetting.insert(key=key, value=value).on_conflict_replace().execute()
        self.rebuild_schedule()

    def _scheduler(self, today: date | None = None) -> object:
        today = today or date.today()
        if self._scheduler_cache is None or self._scheduler_cache[0] != today:
            self._scheduler_cache = (today, make_scheduler(self.study_config(), today))
        return self._scheduler_cache[1]

    def card(self, qid: str) -> CardRow | None:
        row = self.db.execute_sql(
            "SELECT qid, state, step, stability, difficulty, due, last_review FROM card_state WHERE qid = ?", (qid,)
        ).fetchone()
        return CardRow(*row) if row else None

    def _advance_card(self, qid: str, score: str, source: str, at: float) -> None:
        current = self.card(qid)
        if current is None or (current.last_review is not None and at < current.last_review):
            self._replay_card(qid)  # first review, or one dated before the last: build from the history
            return
        _card, row = review(self._scheduler(), qid, to_card(current), score, at)  # type: ignore[arg-type]
        last_column = "last_self_score" if source == "self" else "last_mock_score"
        self.db.execute_sql(
            f"UPDATE card_state SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?, last_review = ?,"
            f" {last_column} = ? WHERE qid = ?",
            (row.state, row.step, row.stability, row.difficulty, row.due, row.last_review, score, qid),
        )

    def _replay_card(self, qid: str) -> None:
        history = self.db.execute_sql(
            "SELECT r.qid, r.reviewed_at, r.score, r.source, q.topic_id, q.level FROM review r"
            " JOIN question_row q ON q.qid = r.qid WHERE r.qid = ? ORDER BY r.reviewed_at, r.id",
            (qid,),
        ).fetchall()
        CardState.delete().where(CardState.qid == qid).execute()
        if history:
            _insert_cards(self.db, self._scheduler(), history)

    def _count_activity(self, at: float, delta: int) -> None:
        day = local_day(at)
        self.db.execute_sql(
            "INSERT INTO activity (day, reviews) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET reviews = reviews + ?",
            (day, max(delta, 0), delta),
        )
        self.db.execute_sql("DELETE FROM activity WHERE day = ? AND reviews <= 0", (day,))

    def _retag_cards(self) -> None:
        """After a bank change: cards follow their question's topic and level."""
        self.db.execute_sql(
            "UPDATE card_state SET (topic_id, level) = (SELECT q.topic_id, q.level FROM question_row q"
            " WHERE q.qid = card_state.qid) WHERE EXISTS (SELECT 1 FROM question_row q WHERE q.qid = card_state.qid"
            " AND (q.topic_id != card_state.topic_id OR q.level != card_state.level))"
        )

    def new_seen_today(self, now: float | None = None) -> int:
        today = datetime.fromtimestamp(time.time() if now is None else now).date()
        return int(
            self.db.execute_sql(
                "SELECT COUNT(*) FROM card_state WHERE first_review >= ?", (day_start(today),)
            ).fetchone()[0]
        )

    def due_questions(
        self, now: float | None = None, topic_id: str | None = None, level: str | None = None
    ) -> list[QuestionSummary]:
        """Due cards, most overdue first, then new questions up to what is left of today's new limit."""
        now = time.time() if now is None else now
        where, params = _live_filters(topic_id, level, "q.")
        cols = "q.qid, q.topic_id, q.level, q.question, p.last_score, b.qid IS NOT NULL"
        joins = "LEFT JOIN progress p ON p.qid = q.qid LEFT JOIN bookmark b ON b.qid = q.qid"
        due = self.db.execute_sql(
            f"SELECT {cols} FROM card_state c JOIN question_row q ON q.qid = c.qid {joins} "
            f"WHERE c.due <= ? AND {' AND '.join(where)} ORDER BY c.due",
            [now, *params],
        ).fetchall()
        allowance = max(0, self.study_config().new_per_day - self.new_seen_today(now))
        new = self.db.execute_sql(
            f"SELECT {cols} FROM question_row q JOIN topic_row t ON t.id = q.topic_id {joins} "
            f"LEFT JOIN card_state c ON c.qid = q.qid WHERE c.qid IS NULL AND {' AND '.join(where)} "
            f'ORDER BY t."order", lower(t.title), q.position LIMIT ?',
            [*params, allowance],
        ).fetchall()
        return [QuestionSummary(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in due + new]

    def due_counts(self, now: float | None = None) -> tuple[int, int]:
        """(due now, new still allowed today) across the live bank."""
        now = time.time() if now is None else now
        live = f"qid NOT IN ({RETIRED_QIDS})"
        due = self.db.execute_sql(f"SELECT COUNT(*) FROM card_state WHERE due <= ? AND {live}", (now,)).fetchone()[0]
        seen = self.db.execute_sql(f"SELECT COUNT(*) FROM card_state WHERE {live}").fetchone()[0]
        total = self.db.execute_sql("SELECT COUNT(*) FROM question_row WHERE retired = 0").fetchone()[0]
        unseen = total - seen
        allowance = max(0, self.study_config().new_per_day - self.new_seen_today(now))
        return int(due), int(min(unseen, allowance))

    def reviews(self, qid: str | None = None) -> list[ReviewRecord]:
        query = Review.select().order_by(Review.reviewed_at, Review.id)
        if qid is not None:
            query = query.where(Review.qid == qid)
        return [_record(r) for r in query]

    def last_review(self, qid: str, source: str | None = None) -> ReviewRecord | None:
        sql = "SELECT id, qid, reviewed_at, score, source, seconds FROM review WHERE qid = ?"
        params: list[object] = [qid]
        if source:
            sql += " AND source = ?"
            params.append(source)
        row = self.db.execute_sql(sql + " ORDER BY reviewed_at DESC, id DESC LIMIT 1", params).fetchone()
        return ReviewRecord(*row) if row else None

    def streak(self, today: date | None = None) -> int:
        """Consecutive local days with at least one review, ending today (or yesterday, if today has none yet)."""
        today = today or date.today()

        # One query for the whole run of days (a streak can be hundreds of days long).
        days = self.db.execute_sql(
            "SELECT day FROM activity WHERE day <= ? ORDER BY day DESC", (today.toordinal(),)
        ).fetchall()
        expected = today.toordinal()
        if not days or days[0][0] != expected:
            expected -= 1  # today not studied yet: the streak may still end yesterday
        count = 0
        for (day,) in days:
            if day > expected:
                continue
            if day != expected:
                break
            count += 1
            expected -= 1
        return count

    def set_bookmark(self, qid: str, on: bool) -> None:
        if on:
            Bookmark.insert(qid=qid, created_at=time.time()).on_conflict_ignore().execute()
        else:
            Bookmark.delete().where(Bookmark.qid == qid).execute()

    def is_bookmarked(self, qid: str) -> bool:
        return Bookmark.select().where(Bookmark.qid == qid).exists()

    def note(self, qid: str) -> str:
        row = self.db.execute_sql("SELECT text FROM note WHERE qid = ?", (qid,)).fetchone()
        return row[0] if row else ""

    def set_note(self, qid: str, text: str) -> None:
        if text.strip():
            Note.insert(qid=qid, text=text, updated_at=time.time()).on_conflict_replace().execute()
        else:
            Note.delete().where(Note.qid == qid).execute()

    # -- mock interviews ---------------------------------------------------------------

    def create_mock_session(self, mode: str, model: str, config: dict[str, object], at: float | None = None) -> int:
        row = MockSession.create(
            started_at=time.time() if at is None else at, mode=mode, model=model, config=json.dumps(config)
        )
        return int(row.id)

    def add_mock_turn(
        self,
        session_id: int,
        qid: str,
        round: int,
        kind: str,
        text: str,
        grade: dict[str, object] | None = None,
        seconds: float = 0.0,
    ) -> int:
        """Append to a transcript; committed at once, so a crash or a network fault loses nothing typed."""
        with self.db.atomic():
            last = self.db.execute_sql("SELECT MAX(seq) FROM mock_turn WHERE session_id = ?", (session_id,)).fetchone()[
                0
            ]
            row = MockTurn.create(
                session=session_id,
                seq=(last or 0) + 1,
                qid=qid,
                round=round,
                kind=kind,
                text=text,
                grade=json.dumps(grade) if grade is not None else None,
                seconds=seconds,
                created_at=time.time(),
            )
        return int(row.id)

    def update_mock_turn(self, turn_id: int, text: str, grade: dict[str, object] | None = None) -> None:
        MockTurn.update(text=text, grade=json.dumps(grade) if grade is not None else None).where(
            MockTurn.id == turn_id
        ).execute()

    def add_mock_usage(self, session_id: int, usage: dict[str, int], cost_usd: float) -> None:
        MockSession.update(
            input_tokens=MockSession.input_tokens + usage.get("input_tokens", 0),
            output_tokens=MockSession.output_tokens + usage.get("output_tokens", 0),
            cache_read_tokens=MockSession.cache_read_tokens + usage.get("cache_read_input_tokens", 0),
            cache_write_tokens=MockSession.cache_write_tokens + usage.get("cache_creation_input_tokens", 0),
            cost_usd=MockSession.cost_usd + cost_usd,
        ).where(MockSession.id == session_id).execute()

    def finish_mock_session(self, session_id: int, status: str, summary: dict[str, object]) -> None:
        MockSession.update(status=status, ended_at=time.time(), summary=json.dumps(summary)).where(
            MockSession.id == session_id
        ).execute()

    def mock_sessions(self) -> list[MockSessionRecord]:
        return [_session_record(r) for r in MockSession.select().order_by(MockSession.started_at.desc())]

    def mock_session(self, session_id: int) -> MockSessionRecord | None:
        row = MockSession.get_or_none(MockSession.id == session_id)
        return _session_record(row) if row else None

    def mock_turns(self, session_id: int) -> list[MockTurnRecord]:
        rows = MockTurn.select().where(MockTurn.session == session_id).order_by(MockTurn.seq)
        return [
            MockTurnRecord(
                r.id,
                r.seq,
                r.qid,
                r.round,
                r.kind,
                r.text,
                json.loads(r.grade) if r.grade else None,
                r.seconds,
                r.created_at,
            )
            for r in rows
        ]

    def score_counts(self) -> dict[str, dict[str, int]]:
        """Per topic: how many live questions were last scored weak / ok / strong."""
        rows = self.db.execute_sql(
            """
            SELECT q.topic_id, p.last_score, COUNT(*) FROM question_row q JOIN progress p ON p.qid = q.qid
            WHERE q.retired = 0 GROUP BY q.topic_id, p.last_score
            """
        ).fetchall()
        out: dict[str, dict[str, int]] = {}
        for topic_id, score, n in rows:
            out.setdefault(topic_id, {s: 0 for s in REVIEW_SCORES})[score] = n
        return out


@dataclass(frozen=True)
class MockTurnRecord:
    id: int
    seq: int
    qid: str
    round: int
    kind: str
    text: str
    grade: dict[str, object] | None
    seconds: float
    created_at: float


@dataclass(frozen=True)
class MockSessionRecord:
    id: int
    started_at: float
    ended_at: float | None
    mode: str
    model: str
    status: str
    config: dict[str, object]
    input_tokens: int
    output_tokens: int
    cache_read_tokens: int
    cache_write_tokens: int
    cost_usd: float
    summary: dict[str, object]


def _session_record(row: MockSession) -> MockSessionRecord:
    return MockSessionRecord(
        row.id,
        row.started_at,
        row.ended_at,
        row.mode,
        row.model,
        row.status,
        json.loads(row.config or "{}"),
        row.input_tokens,
        row.output_tokens,
        row.cache_read_tokens,
        row.cache_write_tokens,
        row.cost_usd,
        json.loads(row.summary) if row.summary else {},
    )


RETIRED_QIDS = "SELECT qid FROM question_row WHERE retired = 1"


def _live_filters(topic_id: str | None, level: str | None, alias: str = "") -> tuple[list[str], list[object]]:
    """WHERE clauses (and their parameters) for live questions of a topic and level, either optional."""
    where: list[str] = [f"{alias}retired = 0"]
    params: list[object] = []
    if topic_id:
        where.append(f"{alias}topic_id = ?")
        params.append(topic_id)
    if level:
        where.append(f"{alias}level = ?")
        params.append(level)
    return where, params


def _insert_cards(
    db: SqliteDatabase, scheduler: object, history: Iterable[tuple[str, float, str, str, str, str]]
) -> None:
    """Replay (qid, time, score, source, topic, level) rows, grouped by qid and in time order, into card_state."""
    rows: list[tuple[object, ...]] = []
    current: list[tuple[str, float, str, str, str, str]] = []

    def flush() -> None:
        if not current:
            return
        qid, first, _score, _source, topic_id, level = current[0]
        card = replay(scheduler, qid, [(at, score) for _q, at, score, _s, _t, _l in current])  # type: ignore[arg-type]
        assert card is not None
        last = {src: score for _q, _at, score, src, _t, _l in current}
        rows.append(
            (
                qid,
                topic_id,
                level,
                last.get("self"),
                last.get("mock"),
                card.state,
                card.step,
                card.stability,
                card.difficulty,
                card.due,
                card.last_review,
                first,
            )
        )

    for item in history:
        if current and item[0] != current[0][0]:
            flush()
            current = []
        current.append(item)
    flush()
    db.cursor().executemany(
        "INSERT INTO card_state (qid, topic_id, level, last_self_score, last_mock_score, state, step, stability,"
        " difficulty, due, last_review, first_review) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def _rebuild_derived(db: SqliteDatabase, config: StudyConfig) -> None:
    """Progress, card states and daily activity, all recomputed from the review log."""
    db.execute_sql("DELETE FROM progress")
    db.execute_sql(
        """
        INSERT INTO progress (qid, last_score, last_reviewed_at, reviews)
        SELECT r.qid,
               (SELECT r2.score FROM review r2 WHERE r2.qid = r.qid ORDER BY r2.reviewed_at DESC, r2.id DESC LIMIT 1),
               MAX(r.reviewed_at), COUNT(*)
        FROM review r GROUP BY r.qid
        """
    )
    db.execute_sql("DELETE FROM card_state")
    history = db.execute_sql(
        "SELECT r.qid, r.reviewed_at, r.score, r.source, q.topic_id, q.level FROM review r"
        " JOIN question_row q ON q.qid = r.qid ORDER BY r.qid, r.reviewed_at, r.id"
    )
    _insert_cards(db, make_scheduler(config), history)
    db.execute_sql("DELETE FROM activity")
    days = db.execute_sql(
        "SELECT date(reviewed_at, 'unixepoch', 'localtime') AS d, COUNT(*) FROM review GROUP BY d"
    ).fetchall()
    db.cursor().executemany(
        "INSERT INTO activity (day, reviews) VALUES (?, ?)", [(date.fromisoformat(d).toordinal(), n) for d, n in days]
    )


def _record(row: Review) -> ReviewRecord:
    return ReviewRecord(row.id, row.qid, row.reviewed_at, row.score, row.source, row.seconds)


def _question_fields(q: Question, position: int) -> dict[str, object]:
    return {
        "qid": q.id,
        "topic_id": q.topic_id,
        "position": position,
        "question": q.question,
        "level": q.level,
        "answer": q.answer,
        "follow_ups": json.dumps(list(q.follow_ups), ensure_ascii=False),
        "tags": json.dumps(list(q.tags), ensure_ascii=False),
        "rubric_strong": json.dumps(list(q.rubric.strong), ensure_ascii=False),
        "rubric_also_good": json.dumps(list(q.rubric.also_good), ensure_ascii=False),
        "rubric_ok": q.rubric.ok,
        "rubric_weak": q.rubric.weak,
        "solution": q.solution,
        "tests": q.tests,
        "content_hash": q.content_hash(),
    }


def facet_tokens(topic_id: str | None = None, level: str | None = None) -> list[str]:
    """Search tokens for a topic and a level: letters and digits only, so the tokenizer keeps each whole."""
    tokens = []
    if topic_id:
        tokens.append("tp" + hashlib.blake2b(topic_id.encode("utf-8"), digest_size=6).hexdigest())
    if level:
        tokens.append("lv" + level)
    return tokens


def _search_fields(q: Question, num: int) -> dict[str, object]:
    return {
        "rowid": num,
        "question": q.question,
        "answer": q.answer,
        "follow_ups": "\n".join(q.follow_ups),
        "tags": " ".join(q.tags),
        "facets": " ".join(facet_tokens(q.topic_id, q.level)),
    }


def open_store(data_dir: Path) -> Store:
    return Store.open(data_dir / DB_FILENAME)


def _chunks(items: Sequence[_T], size: int = 500) -> Iterable[Sequence[_T]]:
    # SQLite limits the number of bound parameters per statement.
    for i in range(0, len(items), size):
        yield items[i : i + size]
