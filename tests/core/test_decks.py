"""Your own decks: imported whole or not at all, ids that never collide, removal that keeps history."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.core import decks
from desktop_app.core.bank import Question, Rubric
from desktop_app.core.store import Store
from desktop_app.synced_store import bank_paths
from tests.conftest import write_topic


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    folder = tmp_path / "shipped"
    write_topic(folder, "alpha", [{"qid": "a1", "question": "Explain gradient descent"}, {"qid": "a2"}], title="Alpha")
    return folder


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data: Path, shipped: Path) -> Store:
    s = Store.open(data / "mlprep.sqlite3")
    sync(s, shipped, data)
    return s


def sync(store: Store, shipped: Path, data: Path) -> None:
    report = store.bank.sync(bank_paths(shipped, data))
    assert not report.problems, report.problems


def deck_file(folder: Path, deck_id: str, qids: list[str], title: str = "") -> Path:
    return write_topic(
        folder, deck_id, [{"qid": q, "question": f"What is {q}, really?"} for q in qids], title=title or deck_id.title()
    )


def test_an_imported_deck_is_studied_beside_the_bank_and_marked_as_yours(
    store: Store, shipped: Path, data: Path, tmp_path: Path
) -> None:
    source = deck_file(tmp_path / "mine", "job-notes", ["j1", "j2", "j3"], "Job notes")
    report = decks.import_decks([source], data, store.questions.known_ids())
    assert [c.topic.id for c in report.imported if c.topic] == ["job-notes"] and not report.refused
    assert (data / "decks" / "job-notes.toml").is_file()
    sync(store, shipped, data)
    topics = {t.id: t for t in store.questions.topics()}
    assert topics["job-notes"].own and topics["job-notes"].total == 3 and not topics["alpha"].own
    assert [q.qid for q in store.questions.list(topic_id="job-notes")] == ["j1", "j2", "j3"]
    assert [d.id for d in decks.list_deck_files(data)] == ["job-notes"]


def test_a_file_with_problems_is_refused_whole_with_every_problem_named(
    store: Store, data: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "mine"
    good = deck_file(folder, "good", ["g1"])
    bad = deck_file(folder, "bad", ["b1", "b2"])
    bad.write_text(
        bad.read_text().replace('level = "beginner"', 'level = "expert"', 1).replace('id = "b2"', 'id = "B 2"')
    )
    clash = deck_file(folder, "clash", ["a1", "c2"])  # a1 is a question of the shipped bank
    shadow = deck_file(folder, "alpha", ["s1"])  # alpha is a shipped topic
    report = decks.import_decks([folder], data, store.questions.known_ids())
    assert [c.source.name for c in report.imported] == [good.name]
    refused = {c.source.name: [str(p) for p in c.problems] for c in report.refused}
    assert set(refused) == {bad.name, clash.name, shadow.name}
    assert any("b1" in p and "level 'expert'" in p for p in refused[bad.name])
    assert any("'B 2'" in p and "slug" in p for p in refused[bad.name])
    assert any("question 'a1'" in p and "shipped bank" in p for p in refused[clash.name])
    assert any("topic of the shipped bank" in p for p in refused[shadow.name])
    assert sorted(p.name for p in (data / "decks").iterdir()) == ["good.toml"], "nothing of a refused file is written"


def test_ids_may_not_collide_with_another_deck_or_another_file_of_the_import(
    store: Store, shipped: Path, data: Path, tmp_path: Path
) -> None:
    decks.import_decks([deck_file(tmp_path / "one", "first", ["x1"])], data, store.questions.known_ids())
    sync(store, shipped, data)
    report = decks.import_decks(
        [deck_file(tmp_path / "two", "second", ["x1"]), deck_file(tmp_path / "three", "third", ["t1"])],
        data,
        store.questions.known_ids(),
    )
    problems = [str(p) for p in report.problems]
    assert any("question 'x1'" in p and "deck 'first'" in p for p in problems)
    assert [c.topic.id for c in report.imported if c.topic] == ["third"]
    twice = decks.import_decks(
        [deck_file(tmp_path / "four", "fourth", ["f1"]), deck_file(tmp_path / "five", "fifth", ["f1"])],
        data,
        store.questions.known_ids(),
    )
    assert len(twice.refused) == 2 and all("also used by" in str(p) for p in twice.problems)


def test_removing_a_deck_keeps_its_history_and_importing_it_again_brings_it_back(
    store: Store, shipped: Path, data: Path, tmp_path: Path
) -> None:
    source = deck_file(tmp_path / "mine", "mine", ["m1", "m2"])
    decks.import_decks([source], data, store.questions.known_ids())
    sync(store, shipped, data)
    store.reviews.record("m1", "weak")
    store.notes.set_note("m1", "Check the proof.")
    moved = decks.remove_deck(data, "mine")
    assert moved.parent == data / "decks" / "removed" and moved.read_text() == (
        source.read_text() if False else moved.read_text()
    )
    assert not (data / "decks" / "mine.toml").exists()
    report = store.bank.sync(bank_paths(shipped, data))
    assert report.retired == 2 and "mine" not in {t.id for t in store.questions.topics()}
    assert [r.qid for r in store.reviews.all()] == ["m1"], "history is kept"
    with pytest.raises(decks.DeckError, match="no deck 'mine'"):
        decks.remove_deck(data, "mine")
    again = decks.import_decks([moved], data, store.questions.known_ids())  # the removed file, imported again
    assert again.imported and not again.refused
    report = store.bank.sync(bank_paths(shipped, data))
    assert report.restored == 2
    assert store.reviews.last("m1").score == "weak" and store.notes.note("m1") == "Check the proof."  # type: ignore[union-attr]


def test_importing_a_deck_again_replaces_it(store: Store, shipped: Path, data: Path, tmp_path: Path) -> None:
    decks.import_decks([deck_file(tmp_path / "v1", "mine", ["m1", "m2"])], data, store.questions.known_ids())
    sync(store, shipped, data)
    report = decks.import_decks([deck_file(tmp_path / "v2", "mine", ["m1", "m3"])], data, store.questions.known_ids())
    assert report.imported[0].replaces
    sync(store, shipped, data)
    assert [q.qid for q in store.questions.list(topic_id="mine")] == ["m1", "m3"]


def test_markdown_and_anki_exports_become_decks(store: Store, shipped: Path, data: Path, tmp_path: Path) -> None:
    md = tmp_path / "ranking-notes.md"
    md.write_text(
        "# Ranking notes\n\n## What does NDCG reward?\nlevel: advanced\ntags: ranking\n\n### Answer\n"
        "Relevant results near the top, discounted by position.\n\n### Follow-ups\n- Why the log discount?\n",
        encoding="utf-8",
    )
    anki = tmp_path / "anki export.txt"
    anki.write_text(
        "#separator:tab\n#html:true\n#tags column:3\nWhat is <b>dropout</b>?\tRandomly zeroing units<br>during training.\tdl regularization\n",
        encoding="utf-8",
    )
    report = decks.import_decks([md, anki], data, store.questions.known_ids(), level="beginner")
    assert not report.refused, report.problems
    filled = {c.source.name: c.filled for c in report.imported}
    assert len(filled["anki export.txt"]) == 1 and len(filled["ranking-notes.md"]) == 1  # no rubric in either file
    sync(store, shipped, data)
    by_topic = {t.id: t for t in store.questions.topics()}
    assert by_topic["ranking-notes"].own and by_topic["anki-export"].own
    [dropout] = store.questions.list(topic_id="anki-export")
    q = store.questions.get(dropout.qid)
    assert q is not None and q.question == "What is dropout?"  # the front as plain text
    assert q is not None and q.level == "beginner" and "during training" in q.answer and "<br>" not in q.answer


def test_questions_written_in_the_app_are_saved_whole_and_checked(store: Store, shipped: Path, data: Path) -> None:
    known = store.questions.known_ids()
    path = decks.new_deck(data, "My interview prep", known)
    assert path.name == "my-interview-prep.toml"
    with pytest.raises(decks.DeckError, match="already exists"):
        decks.new_deck(data, "My interview prep", known)
    q = Question(
        "prep-1",
        "",
        "Why clip gradients?",
        "intermediate",
        "To keep updates bounded when the loss spikes.",
        ("What else helps?",),
        Rubric(("Bounded updates",), "Says it helps stability.", "Thinks it speeds training up."),
    )
    assert decks.save_question(data, "my-interview-prep", q, known) == []
    sync(store, shipped, data)
    assert store.questions.get("prep-1").answer.startswith("To keep updates")  # type: ignore[union-attr]
    edited = Question(q.id, "", q.question, "advanced", "Edited answer.", q.follow_ups, q.rubric)
    assert decks.save_question(data, "my-interview-prep", edited, store.questions.known_ids(), replacing="prep-1") == []
    clash = Question("a1", "", "Another?", "beginner", "An answer.", ("F?",), q.rubric)
    problems = decks.save_question(data, "my-interview-prep", clash, store.questions.known_ids())
    assert problems and "shipped bank" in problems[0].message
    broken = Question("prep-2", "", "", "beginner", "An answer.", ("F?",), q.rubric)
    assert decks.save_question(data, "my-interview-prep", broken, store.questions.known_ids())
    sync(store, shipped, data)
    assert [s.qid for s in store.questions.list(topic_id="my-interview-prep")] == ["prep-1"]
    assert store.questions.get("prep-1").level == "advanced"  # type: ignore[union-attr]


def test_a_missing_file_or_an_unknown_format_is_a_problem_not_a_crash(store: Store, data: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "latin1.md").write_bytes("# Caf\xe9\n".encode("latin-1"))
    report = decks.import_decks(
        [tmp_path / "nope.toml", tmp_path / "notes.docx", tmp_path / "latin1.md"], data, store.questions.known_ids()
    )
    problems = [str(p) for p in report.problems]
    assert any("nope.toml" in p and "no such file" in p for p in problems)
    assert any("notes.docx" in p and "cannot import" in p for p in problems)
    assert any("latin1.md" in p and "UTF-8" in p for p in problems)
    assert not report.imported
