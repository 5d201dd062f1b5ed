"""Export to Anki's .apkg, checked by opening the files with Anki's own library."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageRequest

from desktop_app.core import apkg, bank
from desktop_app.core.bank import Question, Rubric, Topic
from tests.conftest import REPO, SHIPPED_BANK

ALGEBRA = Topic("linear-algebra", "Linear Algebra", "Vectors <and> matrices", order=1)
STATS = Topic("stats", "Statistics :: Basics", order=2)
CODE = Topic("code", "Code & <HTML>", order=3)


def q(qid: str, topic: Topic, **fields: object) -> Question:
    base: dict[str, object] = {
        "question": f"What is {qid}?",
        "level": "beginner",
        "answer": f"**{qid}** is explained here.",
        "follow_ups": ("Why?", "When not?"),
        "rubric": Rubric(("Names the idea.", "Gives an example."), "Vague.", "Wrong.", also_good=("Extra.",)),
        "tags": ("basics",),
    }
    base.update(fields)
    return Question(id=qid, topic_id=topic.id, **base)  # type: ignore[arg-type]


DECKS: list[tuple[Topic, Sequence[Question]]] = [
    (ALGEBRA, [q("eigenvector", ALGEBRA, tags=("matrices", "spectral theory")), q("rank", ALGEBRA)]),
    (STATS, [q("p-value", STATS, level="advanced", tags=())]),
    (
        CODE,
        [
            q(
                "html-looking",
                CODE,
                question="Why is <script>alert(1)</script> dangerous?",
                answer="Raw <b>tags</b> & <img src=x onerror=alert(1)> stay text.\n\n```python\nprint('<hi>')\n```",
                level="intermediate",
            )
        ],
    ),
]


@contextmanager
def imported(collection: Path, *packages: Path) -> Iterator[Collection]:
    col = Collection(str(collection))
    try:
        for package in packages:
            col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package)))
        yield col
    finally:
        col.close()


def notes_by_id(col: Collection) -> dict[str, tuple[list[str], list[str]]]:
    out = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        out[note.fields[6]] = (list(note.fields), sorted(note.tags))
    return out


def test_anki_opens_the_export_with_every_note_field_tag_and_deck(tmp_path: Path) -> None:
    package = tmp_path / "out.apkg"
    assert apkg.export_apkg(DECKS, package) == 4
    with imported(tmp_path / "c.anki2", package) as col:
        assert col.note_count() == 4
        names = {d.name for d in col.decks.all_names_and_ids()}
        assert {"MLPrep::Linear Algebra", "MLPrep::Statistics : Basics", "MLPrep::Code & <HTML>"} <= names
        algebra = col.decks.by_name("MLPrep::Linear Algebra")
        assert algebra is not None and algebra["desc"] == "Vectors &lt;and&gt; matrices"
        notes = notes_by_id(col)
        fields, tags = notes["eigenvector"]
        assert fields[0] == "<p>What is eigenvector?</p>"
        assert fields[1] == "<p><strong>eigenvector</strong> is explained here.</p>"
        assert fields[2] == "<ul>\n<li>Why?</li>\n<li>When not?</li>\n</ul>"
        assert "<em>Strong:</em>" in fields[3] and "<li>Names the idea.</li>" in fields[3]
        assert "<em>Also good:</em>" in fields[3] and "<em>OK:</em> Vague." in fields[3]
        assert fields[4:] == ["beginner", "Linear Algebra", "eigenvector"]
        assert tags == sorted(["matrices", "spectral-theory", "level::beginner", "mlprep"])
        assert notes["p-value"][1] == ["level::advanced", "mlprep"]
        html_fields, _ = notes["html-looking"]
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_fields[0] and "<script" not in html_fields[0]
        assert "&lt;b&gt;tags&lt;/b&gt;" in html_fields[1] and "<img" not in html_fields[1]
        assert "<pre" in html_fields[1] and "&lt;hi&gt;" in html_fields[1]  # the code block, highlighted
        assert html_fields[5] == "Code &amp; &lt;HTML&gt;"
        card = col.get_card(col.find_cards("Id:eigenvector")[0])
        assert "What is eigenvector?" in card.question()
        answer = card.answer()
        assert all(part in answer for part in ("Expected answer", "Follow-ups", "Rubric", "Gives an example."))


def test_exporting_again_updates_notes_instead_of_adding_copies(tmp_path: Path) -> None:
    first, second = tmp_path / "first.apkg", tmp_path / "second.apkg"
    apkg.export_apkg(DECKS, first)
    changed = [(ALGEBRA, [q("eigenvector", ALGEBRA, answer="A reworded answer."), q("rank", ALGEBRA)]), *DECKS[1:]]
    apkg.export_apkg(changed, second)
    with imported(tmp_path / "c.anki2", first, second) as col:
        assert col.note_count() == 4
        assert len({d.name for d in col.decks.all_names_and_ids() if d.name.startswith("MLPrep::")}) == 3
        assert [m.name for m in col.models.all_names_and_ids() if m.name.startswith("MLPrep")] == [apkg.MODEL_NAME]


def package_ids(package: Path, tmp_path: Path) -> tuple[set[str], set[int], set[int]]:
    """The note guids, note type ids and deck ids inside a package, read straight from its database."""
    db = tmp_path / f"{package.stem}.db"
    with zipfile.ZipFile(package) as z:
        db.write_bytes(z.read("collection.anki2"))
        assert json.loads(z.read("media")) == {}
    con = sqlite3.connect(db)
    try:
        guids = {row[0] for row in con.execute("SELECT guid FROM notes")}
        models, decks = con.execute("SELECT models, decks FROM col").fetchone()
    finally:
        con.close()
    return guids, {int(k) for k in json.loads(models)}, {int(k) for k in json.loads(decks)}


def test_ids_come_from_names_not_from_the_clock(tmp_path: Path) -> None:
    a, b = tmp_path / "a.apkg", tmp_path / "b.apkg"
    apkg.export_apkg(DECKS, a)
    apkg.export_apkg(list(reversed(DECKS)), b)
    ids_a, ids_b = package_ids(a, tmp_path), package_ids(b, tmp_path)
    assert ids_a == ids_b
    guids, models, decks = ids_a
    assert len(guids) == 4 and models == {apkg.MODEL_ID}
    topic_decks = {apkg.stable_id("mlprep", "deck", t.id) for t, _ in DECKS}
    assert topic_decks <= decks and len(topic_decks) == 3
    for value in (apkg.MODEL_ID, *topic_decks):
        assert 1 << 32 <= value < 1 << 53  # safe for Anki's signed 64-bit ids and its JavaScript screens


def test_the_file_is_replaced_whole_and_no_temp_file_is_left(tmp_path: Path) -> None:
    package = tmp_path / "out.apkg"
    package.write_bytes(b"an older export")
    apkg.export_apkg(DECKS[:1], package)
    assert zipfile.is_zipfile(package)
    assert [p.name for p in tmp_path.iterdir()] == ["out.apkg"]
    with pytest.raises(OSError):
        apkg.export_apkg(DECKS, tmp_path / "missing" / "out.apkg")
    assert [p.name for p in tmp_path.iterdir()] == ["out.apkg"]


def test_the_whole_shipped_bank_exports(tmp_path: Path) -> None:
    loaded, problems = bank.load_bank([SHIPPED_BANK])
    assert problems == []
    package = tmp_path / "bank.apkg"
    count = apkg.export_apkg([(t, loaded.by_topic(t.id)) for t in loaded.topics], package)
    assert count == len(loaded.questions) == 904
    with imported(tmp_path / "c.anki2", package) as col:
        assert col.note_count() == 904
        names = {d.name for d in col.decks.all_names_and_ids()}
        assert {apkg.deck_name(t) for t in loaded.topics} <= names


def test_genanki_is_not_loaded_until_an_export() -> None:
    program = "import sys, desktop_app.core.apkg\nprint('genanki' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert proc.stdout.strip() == "False", proc.stderr
