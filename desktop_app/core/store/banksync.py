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

from desktop_app.core.bank import Bank, Problem, Question, Topic, bank_files, load_bank
from desktop_app.core.store.models import BankFile, QuestionRow, QuestionSearch, TitleSearch, TopicRow
from desktop_app.core.store.records import SyncReport
from desktop_app.core.store.search import index_fields
from desktop_app.core.store.sql import WriteGate, chunks


def _file_sha(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


def question_fields(q: Question, position: int) -> dict[str, object]:
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


class BankSync:
    def __init__(self, db: SqliteDatabase, gate: WriteGate, after_retag: Callable[[], None]):
        self._db = db
        self._write = gate
        self._retag_cards = after_retag  # cards follow their question's topic and level

    def sync(self, paths: Sequence[Path]) -> SyncReport:
        """Bring the store in line with the bank files; costs a few stat calls when nothing changed."""
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

        bank, problems = load_bank([f for f, _, _ in current.values()])
        failed_files = {str(Path(p.path).resolve()) for p in problems}
        return self._apply(bank, problems, failed_files, current)

    def _apply(
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
        with self._write():
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
                fields = question_fields(q, positions[q.topic_id])
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
                    new_search.append(index_fields(q, row.num))
            for chunk in chunks(new_rows):
                QuestionRow.insert_many(chunk).execute()
            if new_rows:
                nums = dict(self._db.execute_sql("SELECT qid, num FROM question_row").fetchall())
                by_id = {q.id: q for q in bank.questions}
                new_search.extend(index_fields(by_id[str(f["qid"])], nums[f["qid"]]) for f in new_rows)
            for chunk in chunks(new_search):
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
            for nums_chunk in chunks(to_retire):
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
            for chunk in chunks(fingerprints):
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
        rows = self._db.execute_sql("SELECT qid, position FROM question_row").fetchall()
        stale = [(wanted[qid][1], qid) for qid, pos in rows if qid in wanted and wanted[qid][1] != pos]
        if stale:
            self._db.cursor().executemany("UPDATE question_row SET position = ? WHERE qid = ?", stale)
