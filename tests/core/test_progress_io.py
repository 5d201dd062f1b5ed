"""Exporting and importing progress between real stores: round trips, merges, idempotence, bad files."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core.progress_io import (
    FORMAT,
    VERSION,
    ProgressCounts,
    ProgressError,
    export_progress,
    import_progress,
)
from desktop_app.core.schedule import StudyConfig
from desktop_app.core.store import Store, WriteError
from tests.conftest import LockHolder, write_topic

T0 = 1_760_000_000.0 + 1 / 3  # floats with every bit in use: they must come back exactly


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    folder = tmp_path / "bank"
    write_topic(folder, "alpha", [{"qid": f"a{i}"} for i in range(6)], order=1)
    write_topic(folder, "beta", [{"qid": f"b{i}", "level": "advanced"} for i in range(4)], order=2)
    return folder


def open_store(folder: Path, bank: Path) -> Store:
    s = Store.open(folder / "mlprep.sqlite3")
    s.bank.sync([bank])
    return s


def populate(s: Store) -> None:
    """A bit of everything a user makes: scores of both sources, a question no longer in the bank,
    bookmarks, notes, a finished and an interrupted mock interview, and study settings."""
    for i in range(30):
        qid = ("a0", "a1", "a2", "b0", "b3")[i % 5]
        s.reviews.record(
            qid, ("weak", "ok", "strong", "easy")[i % 4], "mock" if i % 7 == 0 else "self", i * 1.25, T0 + i * 86_400.7
        )
    s.reviews.merge([("gone-from-the-bank", T0 - 5000.5, "weak", "self", 4.0)])
    s.notes.set_bookmark("a1", True)
    s.notes.set_bookmark("b3", True)
    s.notes.set_note("a2", "Bias–variance: ça dépend 🙂\nsecond line")
    s.notes.set_note("b0", "**markdown** kept as written")
    sid = s.mocks.create_session("claude", "claude-sonnet", {"topics": ["alpha"], "level": "advanced"}, at=T0 + 10)
    s.mocks.add_turn(sid, "a0", 0, "question", "Explain gradient descent.")
    s.mocks.add_turn(sid, "a0", 0, "answer", "Step against the gradient.", seconds=41.5)
    s.mocks.add_turn(sid, "a0", 0, "feedback", "Good.", grade={"score": "strong", "missing": []})
    s.mocks.add_usage(sid, {"input_tokens": 1200, "output_tokens": 300, "cache_read_input_tokens": 50}, 0.0123)
    s.mocks.finish(sid, "completed", {"scores": {"a0": "strong"}})
    other = s.mocks.create_session("offline", "", {"questions": 3}, at=T0 + 99_999)
    s.mocks.add_turn(other, "b0", 0, "question", "What is a random forest?")
    s.sched.set_config(StudyConfig(desired_retention=0.85, new_per_day=7, interview_date=date(2026, 5, 1)))
    s.attempts.record("a0", "def f():\n    raise NotImplementedError\n", 0, 3, "0 of 3 passed.", 0.2, False, at=T0 + 10)
    s.attempts.record("a0", "def f():\n    return 'ça'\n", 3, 3, "All 3 tests passed.", 0.1, True, at=T0 + 20)


def snapshot(s: Store) -> dict[str, list[tuple[object, ...]]]:
    """Everything the user made and everything derived from it, without store-local row ids."""
    queries = {
        "review": "SELECT qid, reviewed_at, score, source, seconds FROM review ORDER BY qid, reviewed_at",
        "bookmark": "SELECT qid, created_at FROM bookmark ORDER BY qid",
        "note": "SELECT qid, text, updated_at FROM note ORDER BY qid",
        "session": "SELECT started_at, ended_at, mode, model, status, config, input_tokens, output_tokens,"
        " cache_read_tokens, cache_write_tokens, cost_usd, summary FROM mock_session ORDER BY started_at",
        "turn": "SELECT s.started_at, t.seq, t.qid, t.round, t.kind, t.text, t.grade, t.seconds, t.created_at"
        " FROM mock_turn t JOIN mock_session s ON s.id = t.session_id ORDER BY s.started_at, t.seq",
        "setting": "SELECT key, value FROM app_setting ORDER BY key",
        "code_attempt": "SELECT qid, code, passed, total, outcome, seconds, revealed, created_at FROM code_attempt"
        " ORDER BY qid, created_at",
        "progress": "SELECT * FROM progress ORDER BY qid",
        "card_state": "SELECT * FROM card_state ORDER BY qid",
        "activity": "SELECT * FROM activity ORDER BY day",
    }
    return {name: s.execute(sql) for name, sql in queries.items()}


@pytest.fixture
def source(tmp_path: Path, bank: Path) -> Iterator[Store]:
    s = open_store(tmp_path / "one", bank)
    populate(s)
    yield s
    s.close()


@pytest.fixture
def exported(source: Store, tmp_path: Path) -> Path:
    path = tmp_path / "progress.json"
    export_progress(source, path)
    return path


# -- round trip ----------------------------------------------------------------------------------


def test_export_then_import_into_a_fresh_store_gives_back_everything(source: Store, tmp_path: Path, bank: Path) -> None:
    path = tmp_path / "moving" / "progress.json"
    path.parent.mkdir()
    counts = export_progress(source, path)
    assert counts == ProgressCounts(reviews=31, bookmarks=2, notes=2, mock_sessions=2, settings=4, code_attempts=2)
    assert counts.total == 43
    assert [f.name for f in path.parent.iterdir()] == ["progress.json"]  # no temporary file left
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["format"], data["version"]) == (FORMAT, VERSION) and data["exported_at"].endswith("+00:00")
    assert data["mock_sessions"][0]["turns"][2]["grade"] == {"score": "strong", "missing": []}
    source.sched.rebuild()  # the source's card states as a whole-log replay computes them, to compare with
    expected = snapshot(source)
    source.close()

    target = open_store(tmp_path / "two", bank)
    try:
        assert import_progress(target, path) == counts
        assert snapshot(target) == expected
        assert target.notes.note("a2") == "Bias–variance: ça dépend 🙂\nsecond line"
        assert target.sched.config() == StudyConfig(0.85, 7, date(2026, 5, 1))
        assert [r.qid for r in target.reviews.all("gone-from-the-bank")] == ["gone-from-the-bank"]
        session = target.mocks.sessions()[-1]
        assert (session.mode, session.status, session.input_tokens, session.cost_usd) == (
            "claude",
            "completed",
            1200,
            0.0123,
        )
        assert [t.kind for t in target.mocks.turns(session.id)] == ["question", "answer", "feedback"]
    finally:
        target.close()


def test_importing_the_same_file_twice_adds_nothing_the_second_time(exported: Path, tmp_path: Path, bank: Path) -> None:
    target = open_store(tmp_path / "two", bank)
    try:
        assert import_progress(target, exported).total == 43
        once = snapshot(target)
        assert import_progress(target, exported) == ProgressCounts()
        assert snapshot(target) == once
    finally:
        target.close()


def test_importing_a_store_into_itself_adds_nothing(source: Store, exported: Path) -> None:
    source.sched.rebuild()
    before = snapshot(source)
    assert import_progress(source, exported) == ProgressCounts()
    assert snapshot(source) == before


def test_an_empty_store_exports_and_imports(tmp_path: Path, bank: Path) -> None:
    s = open_store(tmp_path / "empty", bank)
    try:
        path = tmp_path / "empty.json"
        assert export_progress(s, path) == ProgressCounts()
        assert import_progress(s, path) == ProgressCounts()
    finally:
        s.close()


# -- merging two machines --------------------------------------------------------------------------


def test_merging_two_stores_with_overlapping_history(tmp_path: Path, bank: Path) -> None:
    shared = [("a0", T0 + i * 3600.1, ("ok", "weak")[i % 2], "self", 1.0) for i in range(6)]
    laptop = open_store(tmp_path / "laptop", bank)
    laptop.reviews.merge(shared + [("a1", T0 + 50_000.5, "strong", "self", 2.0)])
    laptop.sched.rebuild()
    laptop.notes.merge_notes([("a0", "laptop's older note", T0), ("a1", "only on the laptop", T0)])
    laptop.notes.merge_bookmarks([("a0", T0)])
    laptop.mocks.create_session("offline", "", {"n": 1}, at=T0)  # the same interview on both
    laptop.mocks.create_session("offline", "", {"n": 2}, at=T0 + 1)
    laptop.sched.set_config(StudyConfig(desired_retention=0.8, new_per_day=5))
    laptop.attempts.record("a0", "on the laptop\n", 1, 2, "1 of 2 passed.", 0.1, False, at=T0 + 7)
    export_progress(laptop, tmp_path / "laptop.json")
    laptop.close()

    desktop = open_store(tmp_path / "desktop", bank)
    # The same six scores (one with a different time taken: still the same review), and two of its own.
    desktop.reviews.merge([(q, at, score, src, 9.0) for q, at, score, src, _ in shared])
    desktop.reviews.merge([("b1", T0 + 70_000.25, "easy", "self", 3.0), ("a0", T0 + 90_000.0, "weak", "mock", 0.0)])
    desktop.sched.rebuild()
    desktop.notes.merge_notes([("a0", "desktop's newer note", T0 + 100)])
    desktop.notes.merge_bookmarks([("a0", T0 + 5), ("b1", T0 + 6)])
    desktop.mocks.create_session("offline", "", {"n": 1}, at=T0)
    desktop.attempts.record("a0", "on the desktop\n", 2, 2, "All 2 passed.", 0.1, False, at=T0 + 8)
    export_progress(desktop, tmp_path / "desktop.json")

    added = import_progress(desktop, tmp_path / "laptop.json")
    assert added == ProgressCounts(reviews=1, bookmarks=0, notes=1, mock_sessions=1, settings=4, code_attempts=1)
    merged = desktop.reviews.all()
    assert len(merged) == 9
    assert [(r.qid, r.score) for r in desktop.reviews.all("a0")][-1] == ("a0", "weak")
    assert desktop.notes.note("a0") == "desktop's newer note"  # the newer edit wins
    assert desktop.notes.note("a1") == "only on the laptop"
    assert desktop.sched.config().desired_retention == 0.8  # filled in: the desktop had none
    assert len(desktop.mocks.sessions()) == 2
    assert desktop.sched.card("a1") is not None
    desktop_after = snapshot(desktop)
    desktop.close()

    # The other way round gives the laptop the same history, notes and interviews.
    laptop = Store.open(tmp_path / "laptop" / "mlprep.sqlite3")
    try:
        added = import_progress(laptop, tmp_path / "desktop.json")
        assert added == ProgressCounts(reviews=2, bookmarks=1, notes=1, mock_sessions=0, settings=0, code_attempts=1)
        laptop_after = snapshot(laptop)
    finally:
        laptop.close()
    for kind in ("note", "session", "progress", "card_state", "activity", "code_attempt"):
        assert laptop_after[kind] == desktop_after[kind], kind
    # The same reviews; the time taken of the shared six differs by side, as each recorded it.
    assert [r[:4] for r in laptop_after["review"]] == [r[:4] for r in desktop_after["review"]]
    assert laptop_after["bookmark"] == [("a0", T0), ("b1", T0 + 6)]  # each keeps its own date


def test_a_hand_edited_file_with_one_more_review_adds_exactly_one(source: Store, exported: Path) -> None:
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["reviews"].append(
        {"qid": "b2", "reviewed_at": T0 + 400_000.0, "score": "easy", "source": "mock", "seconds": 3}
    )
    exported.write_text(json.dumps(data, indent=4), encoding="utf-8")
    before = source.reviews.count()
    assert source.sched.card("b2") is None
    assert import_progress(source, exported) == ProgressCounts(reviews=1)
    assert source.reviews.count() == before + 1
    last = source.reviews.last("b2")
    assert last is not None and (last.score, last.source, last.seconds) == ("easy", "mock", 3.0)
    card = source.execute("SELECT last_mock_score FROM card_state WHERE qid = 'b2'")
    assert card == [("easy",)]  # the schedule follows the imported log
    assert import_progress(source, exported) == ProgressCounts()


def test_a_refused_write_changes_nothing(source: Store, tmp_path: Path, bank: Path, exported: Path) -> None:
    target = open_store(tmp_path / "two", bank)
    try:
        before = snapshot(target)
        holder = LockHolder(target.path)
        try:
            with pytest.raises(WriteError):
                import_progress(target, exported)
        finally:
            holder.release()
        assert snapshot(target) == before
        assert import_progress(target, exported).total == 43  # once the lock is gone, it goes through
    finally:
        target.close()


# -- bad files -----------------------------------------------------------------------------------

Edit = Callable[[dict[str, Any]], object]


def _set(path: str, value: object) -> Edit:
    """An edit that sets one value, by a dotted path of keys and list indexes."""

    def edit(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return edit


def _delete(path: str) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        del node[last]

    return edit


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_set("reviews.12.score", "great"), "reviews[12].score: 'great' is not one of weak, ok, strong, easy"),
        (_set("reviews.3.source", "friend"), "reviews[3].source: 'friend' is not one of self, mock"),
        (
            _set("reviews.0.reviewed_at", "yesterday"),
            "reviews[0].reviewed_at: expected a number, found text 'yesterday'",
        ),
        (_set("reviews.0.reviewed_at", 1e300), "reviews[0].reviewed_at: 1e+300 is out of range"),
        (_set("reviews.0.reviewed_at", -5), "reviews[0].reviewed_at: -5 is out of range"),
        (_set("reviews.0.seconds", True), "reviews[0].seconds: expected a number, found true/false"),
        (_set("reviews.0.qid", ""), "reviews[0].qid: is empty"),
        (_set("reviews.0.qid", "q" * 5000), "reviews[0].qid: 5,000 characters is too long"),
        (_set("reviews.0.qid", None), "reviews[0].qid: expected text, found null"),
        (_delete("reviews.1.source"), 'reviews[1]: "source" is missing'),
        (_set("reviews.2", ["a0", 1.0]), "reviews[2]: expected an object, found a list"),
        (_set("reviews", {"a0": 1}), "reviews: expected a list, found an object"),
        (_delete("reviews"), 'the file: "reviews" is missing'),
        (_set("bookmarks.0", "a1"), "bookmarks[0]: expected an object, found text 'a1'"),
        (_set("bookmarks.1.created_at", None), "bookmarks[1].created_at: expected a number, found null"),
        (_set("notes.0.text", 42), "notes[0].text: expected text, found a number"),
        (_set("notes.1.text", "x" * 1_000_001), "notes[1].text: 1,000,001 characters is too long"),
        (_delete("notes.0.updated_at"), 'notes[0]: "updated_at" is missing'),
        (_set("mock_sessions.0.input_tokens", -1), "mock_sessions[0].input_tokens: -1 is out of range"),
        (_set("mock_sessions.0.output_tokens", 2.5), "mock_sessions[0].output_tokens: expected a whole number"),
        (_set("mock_sessions.0.config", "topics"), "mock_sessions[0].config: expected an object"),
        (_set("mock_sessions.0.mode", ""), "mock_sessions[0].mode: is empty"),
        (_set("mock_sessions.0.turns.1.seq", 1), "mock_sessions[0].turns[1].seq: 1 appears twice"),
        (_set("mock_sessions.0.turns.2.grade", "strong"), "mock_sessions[0].turns[2].grade: expected an object"),
        (_delete("mock_sessions.1.turns"), 'mock_sessions[1]: "turns" is missing'),
        (_set("settings.desired_retention", "high"), "settings.desired_retention: 'high' is not a retention"),
        (_set("settings.desired_retention", "0.5"), "settings.desired_retention: '0.5' is not a retention"),
        (_set("settings.new_per_day", "-3"), "settings.new_per_day: '-3' is not a whole number"),
        (_set("settings.interview_date", "next May"), "settings.interview_date: 'next May' is not a date"),
        (_set("settings.theme", 5), "settings.theme: expected text, found a number"),
        (_set("settings", []), "settings: expected an object, found a list"),
        (_set("format", "anki-export"), "\"format\": 'anki-export' is not 'mlprep-progress'"),
        (_delete("format"), "\"format\": is missing, not 'mlprep-progress'"),
        (_delete("version"), 'the file: "version" is missing'),
        (_set("version", 2), '"version": 2 is not a version this MLPrep reads'),
        (_set("version", True), '"version": True is not a version'),
        (_set("version", "1"), "\"version\": '1' is not a version"),
        (_set("exported_at", 12), '"exported_at": expected text'),
        (_set("settings.code_time_limit_s", "forever"), "settings.code_time_limit_s: 'forever' is not a whole number"),
        (_set("code_attempts", {}), "code_attempts: expected a list, found an object"),
        (_set("code_attempts.0.passed", 4), "code_attempts[0].passed: 4 is out of range"),
        (_set("code_attempts.1.revealed", "yes"), "code_attempts[1].revealed: found text"),
        (_delete("code_attempts.0.code"), 'code_attempts[0]: "code" is missing'),
        (_set("code_attempts.1.created_at", "today"), "code_attempts[1].created_at: expected a number"),
    ],
)
def test_a_malformed_file_says_what_and_where_and_changes_nothing(
    source: Store, exported: Path, edit: Edit, message: str
) -> None:
    data = json.loads(exported.read_text(encoding="utf-8"))
    # Make sure the import would add something if it were accepted: a review the store does not have.
    data["reviews"].append({"qid": "a5", "reviewed_at": T0 + 1e6, "score": "ok", "source": "self", "seconds": 1})
    edit(data)
    exported.write_text(json.dumps(data), encoding="utf-8")
    before = snapshot(source)
    with pytest.raises(ProgressError) as err:
        import_progress(source, exported)
    assert str(err.value).startswith(f"{exported}: ")
    assert message in str(err.value)
    assert snapshot(source) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "line 1, column 1: not valid JSON"),
        (b"{ not json", "line 1, column 3: not valid JSON"),
        (b'{"format": "mlprep-progress",\n "version": 1,\n "reviews": [}', "line 3, column 14: not valid JSON"),
        (b'{"format": "mlprep-progress", "version": 1, "reviews": [{"reviewed_at": NaN}]}', "NaN is not a number"),
        (b'{"format": "mlprep-progress", "version": 1, "reviews": [{"reviewed_at": Infinity}]}', "Infinity is not"),
        (b"[1, 2, 3]", "the file: expected an object, found a list"),
        (b'"mlprep-progress"', "the file: expected an object, found text"),
        (b"\xff\xfe\x00binary", "is not a text file"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    ],
)
def test_a_file_that_is_not_json_or_not_ours(source: Store, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    before = snapshot(source)
    with pytest.raises(ProgressError, match=message.replace("[", r"\[")) as err:
        import_progress(source, path)
    assert str(path) in str(err.value)
    assert snapshot(source) == before


def test_an_absurdly_large_or_missing_file(source: Store, exported: Path, tmp_path: Path) -> None:
    with pytest.raises(ProgressError, match="more than a progress file can be"):
        import_progress(source, exported, max_bytes=1000)
    with pytest.raises(ProgressError, match="Cannot read"):
        import_progress(source, tmp_path / "nowhere.json")
    with pytest.raises(ProgressError, match="Cannot read"):
        import_progress(source, tmp_path)  # a folder


def test_export_is_atomic_and_reports_a_folder_that_is_not_there(source: Store, tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    path.write_text("the previous export")
    export_progress(source, path)
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == FORMAT
    assert sorted(f.name for f in tmp_path.iterdir() if f.name.startswith(".")) == []
    missing = tmp_path / "no-such-folder" / "progress.json"
    with pytest.raises(ProgressError, match="Cannot write"):
        export_progress(source, missing)
    assert not missing.parent.exists()


def test_blank_notes_and_duplicates_in_a_file(source: Store, exported: Path, tmp_path: Path, bank: Path) -> None:
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["notes"] = [
        {"qid": "a3", "text": "   ", "updated_at": T0},  # a blank note is no note
        {"qid": "a4", "text": "first", "updated_at": T0},
        {"qid": "a4", "text": "second, newer", "updated_at": T0 + 1},
    ]
    data["bookmarks"] += [{"qid": "a5", "created_at": T0 + 9}, {"qid": "a5", "created_at": T0 + 3}]
    data["reviews"] += data["reviews"][:3]  # listed twice: added once
    exported.write_text(json.dumps(data), encoding="utf-8")
    target = open_store(tmp_path / "two", bank)
    try:
        added = import_progress(target, exported)
        assert (added.reviews, added.notes, added.bookmarks) == (31, 1, 3)
        assert target.notes.note("a3") == "" and target.notes.note("a4") == "second, newer"
        assert ("a5", T0 + 3) in target.notes.bookmarks()
    finally:
        target.close()


def test_a_file_from_before_the_coding_round_imports_without_attempts(
    source: Store, exported: Path, tmp_path: Path, bank: Path
) -> None:
    data = json.loads(exported.read_text(encoding="utf-8"))
    del data["code_attempts"]
    del data["settings"]["code_time_limit_s"]
    exported.write_text(json.dumps(data), encoding="utf-8")
    target = open_store(tmp_path / "two", bank)
    try:
        counts = import_progress(target, exported)
        assert (counts.reviews, counts.code_attempts) == (31, 0)
        assert target.attempts.every() == [] and target.sched.config().code_time_limit_s == 10
    finally:
        target.close()


def test_coding_runs_travel_and_the_last_one_is_where_the_editor_starts(
    exported: Path, tmp_path: Path, bank: Path
) -> None:
    target = open_store(tmp_path / "two", bank)
    try:
        assert import_progress(target, exported).code_attempts == 2
        last = target.attempts.last("a0")
        assert last is not None and last.code == "def f():\n    return 'ça'\n" and last.revealed
        assert import_progress(target, exported).code_attempts == 0
    finally:
        target.close()
