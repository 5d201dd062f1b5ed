"""The store on real SQLite files: migrations, refusal without damage, bank sync, user data that survives."""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from desktop_app.core.store import SCHEMA_VERSION, Store, StoreError, search_tokens
from tests.conftest import write_topic


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    folder = tmp_path / "bank"
    write_topic(
        folder,
        "alpha",
        [
            {"qid": "a1", "question": "Explain gradient descent", "answer": "Step against the gradient."},
            {
                "qid": "a2",
                "level": "advanced",
                "question": "Why does momentum help?",
                "answer": "It averages gradients.",
            },
        ],
        title="Alpha",
        order=1,
    )
    write_topic(
        folder,
        "beta",
        [
            {
                "qid": "b1",
                "level": "intermediate",
                "question": "What is a random forest?",
                "answer": "Bagged decision trees.",
            },
        ],
        title="Beta",
        order=2,
    )
    return folder


@pytest.fixture
def store(tmp_path: Path, bank: Path) -> Store:
    s = Store.open(tmp_path / "data" / "mlprep.sqlite3")
    report = s.bank.sync([bank])
    assert report.added == 3 and report.problems == []
    yield s
    s.close()


def test_new_store_has_schema_version_wal_and_foreign_keys(store: Store) -> None:
    assert store.schema_version() == SCHEMA_VERSION
    assert store._db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1


def test_newer_database_is_refused_and_not_modified(tmp_path: Path) -> None:
    path = tmp_path / "mlprep.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE future (x)")
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer version of MLPrep"):
        Store.open(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "mlprep.sqlite3-wal").exists()


def test_corrupt_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "mlprep.sqlite3"
    path.write_bytes(b"this is not sqlite at all, just some text that a crash could leave" * 50)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="damaged or is not an MLPrep database") as err:
        Store.open(path)
    assert str(path) in str(err.value) and "left untouched" in str(err.value)
    assert path.read_bytes() == before


def test_locked_database_gives_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "mlprep.sqlite3"
    Store.open(path).close()
    holder = sqlite3.connect(path, timeout=0)
    holder.execute("PRAGMA journal_mode=delete").fetchone()
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked by another program"):
            Store.open(path)
    finally:
        holder.rollback()
        holder.close()


def test_folder_in_place_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "mlprep.sqlite3"
    path.mkdir()
    with pytest.raises(StoreError, match="is a folder"):
        Store.open(path)


def test_migration_from_an_empty_version_zero_file(tmp_path: Path) -> None:
    path = tmp_path / "mlprep.sqlite3"
    sqlite3.connect(path).close()
    s = Store.open(path)
    assert s.schema_version() == SCHEMA_VERSION
    s.close()


def test_unchanged_bank_sync_is_a_no_op_even_when_touched(store: Store, bank: Path) -> None:
    assert store.bank.sync([bank]).unchanged
    f = bank / "alpha.toml"
    os.utime(f, ns=(time.time_ns(), time.time_ns() + 5_000_000_000))
    assert store.bank.sync([bank]).unchanged


def test_sync_updates_retires_and_restores_keeping_history(store: Store, bank: Path) -> None:
    store.reviews.record("a2", "weak", seconds=12.5)
    store.notes.set_bookmark("a2", True)
    store.notes.set_note("a2", "remember bias correction")
    # Edit a1, drop a2, add a3.
    write_topic(
        bank,
        "alpha",
        [
            {"qid": "a1", "question": "Explain gradient descent, precisely", "answer": "Step against the gradient."},
            {"qid": "a3", "question": "What is Adam?", "answer": "Adaptive moments."},
        ],
        title="Alpha",
        order=1,
    )
    report = store.bank.sync([bank])
    assert (report.added, report.updated, report.retired, report.restored) == (1, 1, 1, 0)
    assert [q.qid for q in store.questions.list()] == ["a1", "a3", "b1"]
    assert store.questions.get("a1").question == "Explain gradient descent, precisely"
    assert store.questions.progress_counts() == (0, 3)
    # a2 comes back: its history, bookmark and note are all still there.
    write_topic(bank, "alpha", [{"qid": "a1"}, {"qid": "a2"}, {"qid": "a3"}], title="Alpha", order=1)
    report = store.bank.sync([bank])
    assert report.restored == 1
    assert [(r.qid, r.score, r.seconds) for r in store.reviews.all("a2")] == [("a2", "weak", 12.5)]
    assert store.notes.is_bookmarked("a2") and store.notes.note("a2") == "remember bias correction"
    assert store.questions.progress_counts() == (1, 4)


def test_a_broken_file_does_not_retire_its_questions(store: Store, bank: Path) -> None:
    store.reviews.record("b1", "ok")
    (bank / "beta.toml").write_text("[topic\nid = ", encoding="utf-8")
    report = store.bank.sync([bank])
    assert report.retired == 0 and any("TOML syntax error" in str(p) for p in report.problems)
    assert "b1" in [q.qid for q in store.questions.list()]
    # Reported again next time: a broken file is never remembered as synced.
    assert store.bank.sync([bank]).problems


def test_removed_topic_is_retired_from_the_sidebar(store: Store, bank: Path) -> None:
    (bank / "beta.toml").unlink()
    store.bank.sync([bank])
    assert [t.id for t in store.questions.topics()] == ["alpha"]


def test_topics_count_reviewed_and_total(store: Store) -> None:
    store.reviews.record("a1", "strong")
    store.reviews.record("a1", "weak")
    info = {t.id: (t.reviewed, t.total) for t in store.questions.topics()}
    assert info == {"alpha": (1, 2), "beta": (0, 1)}
    assert store.stats.score_counts() == {"alpha": {"weak": 1, "ok": 0, "strong": 0, "easy": 0}}


def test_undo_recomputes_last_score(store: Store) -> None:
    store.reviews.record("a1", "strong", at=1000.0)
    second = store.reviews.record("a1", "weak", at=2000.0)
    assert store.questions.list(status="weak_ok")[0].qid == "a1"
    undone = store.reviews.undo(second)
    assert undone is not None and undone.score == "weak"
    assert store.questions.list(status="weak_ok") == []
    assert store.reviews.last("a1").score == "strong"


def test_status_and_level_filters(store: Store) -> None:
    store.reviews.record("a1", "ok")
    store.notes.set_bookmark("b1", True)
    assert [q.qid for q in store.questions.list(status="unreviewed")] == ["a2", "b1"]
    assert [q.qid for q in store.questions.list(status="weak_ok")] == ["a1"]
    assert [q.qid for q in store.questions.list(status="bookmarked")] == ["b1"]
    assert [q.qid for q in store.questions.list(level="advanced")] == ["a2"]
    assert [q.qid for q in store.questions.list(topic_id="beta")] == ["b1"]


def test_rebuild_progress_matches_incremental(store: Store) -> None:
    for i, (qid, score) in enumerate([("a1", "weak"), ("a2", "ok"), ("a1", "strong")]):
        store.reviews.record(qid, score, at=1000.0 + i)
    before = [(q.qid, q.last_score) for q in store.questions.list()]
    store.sched.rebuild()
    assert (
        [(q.qid, q.last_score) for q in store.questions.list()]
        == before
        == [("a1", "strong"), ("a2", "ok"), ("b1", None)]
    )


def test_search_prefix_across_fields_with_filters(store: Store) -> None:
    # a1 has it in the question (weighted higher), a2 only in its answer.
    assert [q.qid for q in store.questions.list(search="grad")] == ["a1", "a2"]
    assert [q.qid for q in store.questions.list(search="grad desc")] == ["a1"]
    assert [q.qid for q in store.questions.list(search="averag")] == ["a2"]  # answer text
    assert [q.qid for q in store.questions.list(search="general")] == ["a1", "a2", "b1"]  # tags
    assert [q.qid for q in store.questions.list(search="doubles")] != []  # follow-ups
    assert [q.qid for q in store.questions.list(search="tree", topic_id="alpha")] == []
    assert store.questions.list(search='"); DROP TABLE review; --') == []
    assert store.questions.list(search="   ") == []
    assert search_tokens('say "hi" there*') == ["say", "hi", "there"]


def test_streak_counts_consecutive_local_days(store: Store) -> None:
    today = date(2026, 3, 10)

    def at(day: date, hour: int = 12) -> float:
        return datetime(day.year, day.month, day.day, hour).timestamp()

    assert store.sched.streak(today) == 0
    for back in (1, 2, 3, 5):
        store.reviews.record("a1", "ok", at=at(today - timedelta(days=back)))
    assert store.sched.streak(today) == 3  # yesterday and the two days before; today not yet studied
    store.reviews.record("a2", "ok", at=at(today, 23))
    assert store.sched.streak(today) == 4


def test_reviews_are_validated(store: Store) -> None:
    with pytest.raises(ValueError):
        store.reviews.record("a1", "great")
    with pytest.raises(ValueError):
        store.reviews.record("a1", "ok", source="robot")


def test_progress_survives_reopen(tmp_path: Path, bank: Path) -> None:
    path = tmp_path / "d" / "mlprep.sqlite3"
    s = Store.open(path)
    s.bank.sync([bank])
    s.reviews.record("b1", "strong")
    s.close()
    s = Store.open(path)
    assert s.bank.sync([bank]).unchanged
    assert s.questions.progress_counts() == (1, 3)
    s.close()


def test_search_ranks_question_text_before_answer_only_matches(tmp_path: Path) -> None:
    write_topic(
        tmp_path / "bank",
        "t",
        [
            {"qid": "mentions", "question": "What is SGD?", "answer": "Plain steps; momentum is an add-on."},
            {"qid": "about", "question": "Why does momentum speed up training?", "answer": "It averages steps."},
            {"qid": "tagged", "question": "What is Nesterov's trick?", "answer": "A look-ahead.", "tag": "momentum"},
        ],
    )
    s = Store.open(tmp_path / "s.sqlite3")
    s.bank.sync([tmp_path / "bank"])
    assert [q.qid for q in s.questions.list(search="moment")] == ["about", "tagged", "mentions"]
    assert [q.qid for q in s.questions.list(search="moment", limit=1)] == ["about"]
    s.close()


def test_migrations_run_in_order_in_one_transaction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_app.core import store as store_module

    path = tmp_path / "m.sqlite3"
    Store.open(path).close()
    applied: list[str] = []

    def add_column(db) -> None:  # type: ignore[no-untyped-def]
        applied.append("2")
        db.execute_sql("ALTER TABLE note ADD COLUMN pinned INTEGER DEFAULT 0")

    def broken(db) -> None:  # type: ignore[no-untyped-def]
        applied.append("3")
        raise RuntimeError("disk full halfway through")

    base = store_module.SCHEMA_VERSION
    monkeypatch.setattr(store_module, "MIGRATIONS", [*store_module.MIGRATIONS, add_column, broken])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", base + 2)
    with pytest.raises(RuntimeError):
        Store.open(path)
    assert applied == ["2", "3"]
    con = sqlite3.connect(path)
    # Both steps rolled back together: version and schema exactly as before the upgrade.
    assert con.execute("PRAGMA user_version").fetchone()[0] == base
    assert "pinned" not in [r[1] for r in con.execute("PRAGMA table_info(note)")]
    con.close()
    monkeypatch.setattr(store_module, "MIGRATIONS", [*store_module.MIGRATIONS[:base], add_column])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", base + 1)
    s = Store.open(path)
    assert s.schema_version() == base + 1
    assert "pinned" in [r[1] for r in s._db.execute_sql("PRAGMA table_info(note)").fetchall()]
    s.close()


def test_reviews_survive_a_killed_process(tmp_path: Path, bank: Path) -> None:
    import signal
    import subprocess
    import sys
    import textwrap

    path = tmp_path / "crash" / "mlprep.sqlite3"
    program = textwrap.dedent(
        f"""
        import os, signal, sys
        from pathlib import Path
        from desktop_app.core.store import Store
        s = Store.open(Path({str(path)!r}))
        s.bank.sync([Path({str(bank)!r})])
        s.reviews.record("a1", "strong")
        s.reviews.record("b1", "weak")
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)  # no close, no checkpoint: as if the app crashed
        """
    )
    repo = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-c", program], cwd=repo, capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    s = Store.open(path)
    assert [(r.qid, r.score) for r in s.reviews.all()] == [("a1", "strong"), ("b1", "weak")]
    assert s._db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    s.close()


def test_a_version_one_store_upgrades_with_its_history(tmp_path: Path, bank: Path) -> None:
    """A store written by the first release (schema 1) opens in this one with every review intact."""
    from desktop_app.core import store as store_module
    from desktop_app.core.store import migrations

    path = tmp_path / "v1.sqlite3"
    con = sqlite3.connect(path)
    for sql in migrations.V1:
        con.execute(sql)
    con.execute("INSERT INTO topic_row VALUES ('alpha', 'Alpha', '', 10, '', 0)")
    con.execute(
        "INSERT INTO question_row (qid, topic_id, position, question, level, answer, follow_ups, tags, rubric_strong,"
        " rubric_ok, rubric_weak, solution, tests, content_hash, retired) VALUES ('a1', 'alpha', 1, 'Old?',"
        " 'beginner', 'Old answer.', '[]', '[]', 'A rubric of one sentence.', 'o', 'w', NULL, NULL, 'old', 0)"
    )
    con.execute(
        "INSERT INTO review (qid, reviewed_at, score, source, seconds) VALUES ('a1', 1000.0, 'ok', 'self', 3.0)"
    )
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    s = Store.open(path)
    assert s.schema_version() == store_module.SCHEMA_VERSION >= 4
    assert [(r.qid, r.score, r.seconds) for r in s.reviews.all()] == [("a1", "ok", 3.0)]
    assert s._db.execute_sql("SELECT count(*) FROM mock_session").fetchone()[0] == 0
    # The old one-sentence rubric reads as one essential point, before and after a sync.
    old = s.questions.get("a1")
    assert old is not None and old.rubric.strong == ("A rubric of one sentence.",) and old.rubric.also_good == ()
    # The upgrade scheduled the card from the history it already had.
    card = s.sched.card("a1")
    assert card is not None and card.last_review == pytest.approx(1000.0, abs=1e-3)
    s.bank.sync([bank])
    assert [(r.qid, r.score) for r in s.reviews.all()] == [("a1", "ok")]
    s.close()


def test_wal_is_checkpointed_in_the_background_not_on_commit(tmp_path: Path, bank: Path) -> None:
    path = tmp_path / "w" / "mlprep.sqlite3"
    s = Store.open(path)
    s.bank.sync([bank])
    assert s._db.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    for i in range(50):
        s.reviews.record("a1", "ok", at=1000.0 + i)
    wal = path.with_name(path.name + "-wal")
    assert wal.stat().st_size > 0
    s.checkpoint_in_background().join(10)
    reader = sqlite3.connect(path)
    assert reader.execute("SELECT COUNT(*) FROM review").fetchone()[0] == 50
    reader.close()
    s.close()
    assert not wal.exists() or wal.stat().st_size == 0  # close truncates it


def test_filtered_search_uses_facets_that_typed_words_never_match(store: Store) -> None:
    assert [q.qid for q in store.questions.list(search="grad", topic_id="alpha", level="beginner")] == ["a1"]
    assert [q.qid for q in store.questions.list(search="grad", level="advanced")] == ["a2"]
    assert store.questions.list(search="lvbeginner") == [] and store.questions.list(search="tp") == []
