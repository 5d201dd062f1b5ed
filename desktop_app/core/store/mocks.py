"""The mock-interview log: sessions and their transcripts, written turn by turn as they happen."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

from peewee import SqliteDatabase

from desktop_app.core.redact import redact
from desktop_app.core.store.models import MockSession, MockTurn
from desktop_app.core.store.records import MockSessionRecord, MockTurnRecord
from desktop_app.core.store.sql import WriteGate


class MockLog:
    def __init__(self, db: SqliteDatabase, gate: WriteGate):
        self._db = db
        self._write = gate

    def create_session(self, mode: str, model: str, config: dict[str, object], at: float | None = None) -> int:
        with self._write():
            row = MockSession.create(
                started_at=time.time() if at is None else at, mode=mode, model=model, config=json.dumps(config)
            )
        return int(row.id)

    def add_turn(
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
        with self._write():
            last = self._db.execute_sql(
                "SELECT MAX(seq) FROM mock_turn WHERE session_id = ?", (session_id,)
            ).fetchone()[0]
            row = MockTurn.create(
                session=session_id,
                seq=(last or 0) + 1,
                qid=qid,
                round=round,
                kind=kind,
                text=redact(text),  # nothing key-shaped is ever written to the store
                grade=redact(json.dumps(grade)) if grade is not None else None,
                seconds=seconds,
                created_at=time.time(),
            )
        return int(row.id)

    def update_turn(self, turn_id: int, text: str, grade: dict[str, object] | None = None) -> None:
        with self._write():
            MockTurn.update(text=redact(text), grade=redact(json.dumps(grade)) if grade is not None else None).where(
                MockTurn.id == turn_id
            ).execute()

    def add_usage(self, session_id: int, usage: dict[str, int], cost_usd: float) -> None:
        with self._write():
            MockSession.update(
                input_tokens=MockSession.input_tokens + usage.get("input_tokens", 0),
                output_tokens=MockSession.output_tokens + usage.get("output_tokens", 0),
                cache_read_tokens=MockSession.cache_read_tokens + usage.get("cache_read_input_tokens", 0),
                cache_write_tokens=MockSession.cache_write_tokens + usage.get("cache_creation_input_tokens", 0),
                cost_usd=MockSession.cost_usd + cost_usd,
            ).where(MockSession.id == session_id).execute()

    def finish(self, session_id: int, status: str, summary: dict[str, object]) -> None:
        with self._write():
            MockSession.update(status=status, ended_at=time.time(), summary=redact(json.dumps(summary))).where(
                MockSession.id == session_id
            ).execute()

    def merge_session(self, session: MockSessionRecord, turns: Sequence[MockTurnRecord]) -> bool:
        """Add a session from another store with its transcript, unless this store has one with the same start
        time, mode and model (then nothing is added: it is the same interview). The records' ids are the
        other store's and are ignored. Returns whether it was added."""
        with self._write():
            same = self._db.execute_sql(
                "SELECT 1 FROM mock_session WHERE started_at = ? AND mode = ? AND model = ?",
                (session.started_at, session.mode, session.model),
            ).fetchone()
            if same is not None:
                return False
            cursor = self._db.execute_sql(
                "INSERT INTO mock_session (started_at, ended_at, mode, model, status, config, input_tokens,"
                " output_tokens, cache_read_tokens, cache_write_tokens, cost_usd, summary)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    session.started_at,
                    session.ended_at,
                    session.mode,
                    session.model,
                    session.status,
                    json.dumps(session.config),
                    session.input_tokens,
                    session.output_tokens,
                    session.cache_read_tokens,
                    session.cache_write_tokens,
                    session.cost_usd,
                    redact(json.dumps(session.summary)) if session.summary else "",  # "": not finished yet
                ),
            )
            session_id = cursor.lastrowid
            self._db.cursor().executemany(
                "INSERT INTO mock_turn (session_id, seq, qid, round, kind, text, grade, seconds, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        session_id,
                        t.seq,
                        t.qid,
                        t.round,
                        t.kind,
                        redact(t.text),  # as add_turn: nothing key-shaped is ever written to the store
                        redact(json.dumps(t.grade)) if t.grade is not None else None,
                        t.seconds,
                        t.created_at,
                    )
                    for t in turns
                ],
            )
        return True

    def sessions(self) -> list[MockSessionRecord]:
        return [_session_record(r) for r in MockSession.select().order_by(MockSession.started_at.desc())]

    def session(self, session_id: int) -> MockSessionRecord | None:
        row = MockSession.get_or_none(MockSession.id == session_id)
        return _session_record(row) if row else None

    def turns(self, session_id: int) -> list[MockTurnRecord]:
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
