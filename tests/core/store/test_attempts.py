"""The coding round's log in the store (schema 6): attempts kept in order, the last one found, failed runs
counted since a moment, keys never stored, a refused write said out loud, and the log surviving reopen."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop_app.core.store import Store, WriteError


def test_attempts_are_kept_in_order_and_the_last_one_is_found(store: Store) -> None:
    assert store.attempts.last("a1") is None and store.attempts.all("a1") == []
    store.attempts.record(
        "a1", "def f():\n    raise NotImplementedError\n", 0, 3, "0 of 3 passed.", 0.4, False, at=100.0
    )
    store.attempts.record("a1", "def f():\n    return 1\n", 3, 3, "All 3 tests passed.", 0.3, True, at=200.0)
    store.attempts.record("b1", "x = 1\n", 0, 0, "A syntax error.", 0.1, False, at=150.0)
    last = store.attempts.last("a1")
    assert last is not None and last.code == "def f():\n    return 1\n"
    assert (last.passed, last.total, last.revealed, last.all_passed) == (3, 3, True, True)
    assert [a.passed for a in store.attempts.all("a1")] == [0, 3]
    assert [a.qid for a in store.attempts.all("b1")] == ["b1"]


def test_failed_runs_count_from_a_moment_and_a_run_that_never_got_to_the_tests_is_a_failure(store: Store) -> None:
    store.attempts.record("a1", "early", 0, 2, "failed", 0.1, False, at=10.0)
    store.attempts.record("a1", "syntax", 0, 0, "syntax error", 0.1, False, at=20.0)
    store.attempts.record("a1", "half", 1, 2, "one failed", 0.1, False, at=30.0)
    store.attempts.record("a1", "good", 2, 2, "passed", 0.1, False, at=40.0)
    assert store.attempts.failed_since("a1", 0.0) == 3
    assert store.attempts.failed_since("a1", 15.0) == 2
    assert store.attempts.failed_since("a1", 35.0) == 0
    assert store.attempts.failed_since("b1", 0.0) == 0


def test_an_api_key_pasted_into_code_is_never_stored(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    key = "sk-ant-api03-" + "x" * 40
    store.attempts.record("a1", f'KEY = "{key}"\n', 0, 1, f"failed with {key}", 0.1, False)
    last = store.attempts.last("a1")
    assert last is not None and key not in last.code and key not in last.outcome


def test_attempts_survive_reopening(tmp_path: Path, bank: Path) -> None:
    path = tmp_path / "data" / "mlprep.sqlite3"
    s = Store.open(path)
    s.bank.sync([bank])
    s.attempts.record("a1", "kept\n", 1, 1, "All 1 tests passed.", 0.2, False)
    s.close()
    s = Store.open(path)
    last = s.attempts.last("a1")
    assert last is not None and last.code == "kept\n"
    s.close()


def test_a_write_the_store_cannot_take_is_a_write_error_and_records_nothing(tmp_path: Path, bank: Path) -> None:
    path = tmp_path / "data" / "mlprep.sqlite3"
    s = Store.open(path)
    s.bank.sync([bank])
    s.attempts.record("a1", "first\n", 0, 1, "failed", 0.1, False)
    holder = sqlite3.connect(path, timeout=0)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(WriteError):
            s.attempts.record("a1", "second\n", 1, 1, "passed", 0.1, False)
    finally:
        holder.rollback()
        holder.close()
    last = s.attempts.last("a1")
    assert last is not None and last.code == "first\n"
    s.close()
