"""Bringing the store in line with the bank files: add, update, retire and restore questions by id.

User data is keyed by question id and never deleted by a bank change: a question that leaves the bank is
retired (hidden, its history kept) and comes back with its history when it returns.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from peewee import SqliteDatabase

from desktop_app.core.bank import Bank, Problem, Question, Rubric, Topic, bank_files, load_bank
from desktop_app.core.store.bankindex import (
    insert_index_rows,
    pack_text,
    refresh_counts,
    refresh_order,
    refresh_terms,
    unindex_rows,
)
from desktop_app.core.store.models import BankFile, QuestionRow, TopicRow
from desktop_app.core.store.records import SyncReport
from desktop_app.core.store.search import index_values
from desktop_app.core.store.sql import WriteGate, chunks


def _file_sha(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


SyncProgress = Callable[[str, int, int], None]  # (stage, done, total): for a progress bar
# Where each stage of a first sync starts and ends, in thousandths of the whole (measured at 100,000
# questions: reading the files is about half the time, storing a third, indexing the rest).
STAGES = {"read": (0, 480), "write": (480, 800), "index": (800, 990), "done": (1000, 1000)}
STAGE_TEXT = {
    "read": "Reading the question bank",
    "write": "Storing the questions",
    "index": "Building the search index",
    "done": "Question bank ready",
}


def overall(stage: str, done: int, total: int) -> int:
    """A stage's progress as thousandths of the whole sync, for one bar from start to end."""
    start, end = STAGES.get(stage, (0, 1000))
    return start + (end - start) * done // max(1, total)


def question_fields(q: Question, position: int, content_hash: str | None = None) -> dict[str, object]:
    return {
        "qid": q.id,
        "topic_id": q.topic_id,
        "position": position,
        "question": q.question,
        "level": q.level,
        "answer": pack_text(q.answer),
        "follow_ups": json.dumps(list(q.follow_ups), ensure_ascii=False),
        "tags": json.dumps(list(q.tags), ensure_ascii=False),
        "rubric_strong": json.dumps(list(q.rubric.strong), ensure_ascii=False),
        "rubric_also_good": json.dumps(list(q.rubric.also_good), ensure_ascii=False),
        "rubric_ok": q.rubric.ok,
        "rubric_weak": q.rubric.weak,
        "solution": q.solution,
        "tests": q.tests,
        "content_hash": content_hash or q.content_hash(),
    }


def fields_for_index(fields: dict[str, object]) -> tuple[str, str]:
    """The stored follow-ups and tags (JSON), which index_values reads."""
    return str(fields["follow_ups"]), str(fields["tags"])


_FIELDS = tuple(question_fields(Question("", "", "", "", "", (), Rubric((), "", "")), 0))
_INSERT = (
    f"INSERT INTO question_row (num, {', '.join(_FIELDS)}, retired) VALUES (?, {', '.join('?' * len(_FIELDS))}, 0)"
)
_UPDATE = f"UPDATE question_row SET {', '.join(f'{f} = ?' for f in _FIELDS)}, retired = 0 WHERE num = ?"
WRITE_BATCH = 2000  # questions per progress step of a first sync


class BankSync:
    def __init__(self, db: SqliteDatabase, gate: WriteGate, after_retag: Callable[[], None]):
        self._db = db
        self._write = gate
        self._retag_cards = after_retag  # cards follow their question's topic and level

    def sync(self, paths: Sequence[Path], progress: SyncProgress | None = None) -> SyncReport:
        """Bring the store in line with the bank files; costs a few stat calls when nothing changed.

        A first sync of a large bank takes seconds: `progress` hears how far it got, and the app runs it
        off the UI thread (with this thread's own connection)."""
        files, missing = bank_files(paths)
        if missing:
            return SyncReport(problems=missing)
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
                with self._write():
                    for k in changed:
                        BankFile.update(size=current[k][1], mtime_ns=current[k][2]).where(BankFile.path == k).execute()
                return SyncReport(unchanged=True)

        reading = None if progress is None else (lambda done, total: progress("read", done, total))
        bank, problems = load_bank([f for f, _, _ in current.values()], progress=reading)
        failed_files = {str(Path(p.path).resolve()) for p in problems}
        return self._apply(bank, problems, failed_files, current, progress)

    def _apply(
        self,
        bank: Bank,
        problems: list[Problem],
        failed_files: set[str],
        current: dict[str, tuple[Path, int, int]],
        progress: SyncProgress | None = None,
    ) -> SyncReport:
        report = SyncReport(problems=problems)
        failed_topics = (
            {t.id for t in TopicRow.select() if str(Path(t.source).resolve()) in failed_files}
            if failed_files
            else set()
        )
        execute, cursor = self._db.execute_sql, self._db.cursor
        total = len(bank.questions)
        with self._write():
            self._sync_topics(bank.topics, failed_topics)
            existing = {
                str(qid): (int(num), str(content_hash), bool(retired), str(topic_id))
                for num, qid, content_hash, retired, topic_id in execute(
                    "SELECT num, qid, content_hash, retired, topic_id FROM question_row"
                ).fetchall()
            }
            positions: dict[str, int] = {}
            new_rows: list[tuple[object, ...]] = []
            changed: list[tuple[object, ...]] = []
            indexed: list[tuple[object, ...]] = []  # the index rows of new and changed questions
            live_changed: list[int] = []
            next_num = int(execute("SELECT COALESCE(MAX(num), 0) FROM question_row").fetchone()[0]) + 1
            for q in bank.questions:
                positions[q.topic_id] = positions.get(q.topic_id, 0) + 1
                old = existing.get(q.id)
                content_hash = q.content_hash()
                if old is not None and old[1] == content_hash and not old[2]:
                    continue
                fields = question_fields(q, positions[q.topic_id], content_hash)
                values = tuple(fields.values())
                if old is None:
                    num = next_num
                    next_num += 1
                    new_rows.append((num, *values))
                    report.added += 1
                else:
                    num = old[0]
                    changed.append((*values, num))
                    if old[2]:
                        report.restored += 1
                    else:
                        report.updated += 1
                        live_changed.append(num)
                # The same function gives the index row at removal, from the stored values: see index_values.
                indexed.append(
                    (num, *index_values(q.question, q.answer, *fields_for_index(fields), q.topic_id, q.level))
                )
            # The index holds exactly the live questions: a changed one leaves it with its old text first.
            unindex_rows(execute, cursor, live_changed)
            cursor().executemany(_UPDATE, changed)
            for start in range(0, len(new_rows), WRITE_BATCH):
                cursor().executemany(_INSERT, new_rows[start : start + WRITE_BATCH])
                if progress is not None:
                    progress("write", start + len(new_rows[start : start + WRITE_BATCH]), total)
            if progress is not None:
                progress("index", 0, 1)
            insert_index_rows(cursor, indexed)
            # Positions can shift without content changing (a question inserted above): keep list order right.
            self._sync_positions(bank.questions)
            in_bank = {q.id for q in bank.questions}
            to_retire = [
                num
                for qid, (num, _hash, retired, topic_id) in existing.items()
                if qid not in in_bank and not retired and topic_id not in failed_topics
            ]
            unindex_rows(execute, cursor, to_retire)
            for nums_chunk in chunks(to_retire):
                QuestionRow.update(retired=True).where(QuestionRow.num.in_(nums_chunk)).execute()
            report.retired = len(to_retire)
            refresh_order(execute)
            refresh_counts(execute)
            if indexed or to_retire:
                refresh_terms(execute)
            # A file with problems gets no fingerprint, so it is read again (and its problems
            # reported again) at the next start instead of being skipped as unchanged.
            BankFile.delete().execute()
            fingerprints = [
                {"path": k, "size": size, "mtime_ns": mtime, "sha": _file_sha(f)}
                for k, (f, size, mtime) in current.items()
                if k not in failed_files
            ]
            for chunk in chunks(fingerprints):
                BankFile.insert_many(chunk).execute()
            if report.updated:
                self._retag_cards()
        if progress is not None:
            progress("done", total, total)
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
        rows = self._db.execute_sql("SELECT qid, position FROM question_row").fetchall()
        stale = [(wanted[qid][1], qid) for qid, pos in rows if qid in wanted and wanted[qid][1] != pos]
        if stale:
            self._db.cursor().executemany("UPDATE question_row SET position = ? WHERE qid = ?", stale)
