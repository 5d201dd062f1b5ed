"""Export decks to Anki's .apkg, with ids that stay the same from one export to the next."""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from desktop_app.core.bank import Question, Topic
from desktop_app.core.deckfile import replace_atomically
from desktop_app.core.render import MarkdownRenderer, rubric_markdown

MODEL_NAME = "MLPrep question"
DECK_PREFIX = "MLPrep::"
FIELDS = ("Question", "Answer", "FollowUps", "Rubric", "Level", "Topic", "Id")

# Anki stores ids as signed 64-bit integers and its desktop screens pass them through JavaScript, so they
# stay below 2**53; starting at 2**32 keeps them clear of small ids such as the Default deck's 1.
_ID_FLOOR = 1 << 32
_ID_SPAN = (1 << 52) - _ID_FLOOR

CSS = """\
.card { font-family: -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 18px; text-align: left;
  color: #1f2328; background: #ffffff; line-height: 1.45; max-width: 46em; margin: 0 auto; }
.nightMode.card, .night_mode .card { color: #e6edf3; background: #1f2328; }
.meta { font-size: 13px; opacity: 0.7; margin-bottom: 0.6em; }
.question { font-size: 20px; font-weight: 600; }
h3 { font-size: 15px; text-transform: uppercase; letter-spacing: 0.04em; opacity: 0.75; margin: 1.2em 0 0.3em; }
pre { white-space: pre-wrap; }
"""
FRONT = '<div class="meta">{{Topic}} · {{Level}}</div>\n<div class="question">{{Question}}</div>'
BACK = (
    "{{FrontSide}}\n<hr id=answer>\n"
    '<h3>Expected answer</h3>\n<div class="answer">{{Answer}}</div>\n'
    '{{#FollowUps}}<h3>Follow-ups</h3>\n<div class="follow-ups">{{FollowUps}}</div>{{/FollowUps}}\n'
    '<h3>Rubric</h3>\n<div class="rubric">{{Rubric}}</div>'
)


def stable_id(*parts: str) -> int:
    """An Anki id from fixed strings: the same strings give the same id on every export and machine, so
    Anki recognizes the note type and decks it imported before."""
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=8).digest()
    return _ID_FLOOR + int.from_bytes(digest, "big") % _ID_SPAN


MODEL_ID = stable_id("mlprep", "model", MODEL_NAME)


def deck_name(topic: Topic) -> str:
    # "::" in a title would make Anki nest a deck inside another.
    return DECK_PREFIX + " ".join(topic.title.replace("::", ":").split())


def anki_tags(question: Question) -> list[str]:
    """The question's tags (Anki tags cannot hold spaces: they become hyphens), its level, and `mlprep`."""
    tags = ["-".join(tag.split()) for tag in question.tags]
    return [t for t in dict.fromkeys([*tags, f"level::{question.level}", "mlprep"]) if t]


def note_fields(question: Question, topic: Topic, renderer: MarkdownRenderer) -> list[str]:
    """The note's fields as HTML. The Markdown renderer escapes any raw HTML in the bank's text, so Anki is
    only ever given HTML the renderer made."""
    follow_ups = "\n".join("- " + item.replace("\n", "\n  ") for item in question.follow_ups)
    return [
        renderer.render(question.question),
        renderer.render(question.answer),
        renderer.render(follow_ups) if question.follow_ups else "",
        renderer.render(rubric_markdown(question.rubric)),
        html.escape(question.level),
        html.escape(topic.title),
        html.escape(question.id),
    ]


def export_apkg(decks: Sequence[tuple[Topic, Sequence[Question]]], path: Path) -> int:
    """Write the decks to one .apkg (one Anki deck per topic, "MLPrep::<title>") and return how many notes
    it holds. Importing it again into Anki updates the notes it made before instead of adding copies: the
    note type, deck and note ids (guids) are derived from fixed names, topic ids and question ids. The file
    appears whole or not at all."""
    import genanki  # only when exporting: it must not slow down start-up

    model = genanki.Model(
        MODEL_ID,
        MODEL_NAME,
        fields=[{"name": name} for name in FIELDS],
        templates=[{"name": "Question", "qfmt": FRONT, "afmt": BACK}],
        css=CSS,
    )
    renderer = MarkdownRenderer()
    anki_decks = []
    count = 0
    for topic, questions in decks:
        deck = genanki.Deck(stable_id("mlprep", "deck", topic.id), deck_name(topic), html.escape(topic.description))
        for q in questions:
            deck.add_note(
                genanki.Note(
                    model=model,
                    fields=note_fields(q, topic, renderer),
                    tags=anki_tags(q),
                    guid=genanki.guid_for("mlprep", q.id),
                )
            )
            count += 1
        anki_decks.append(deck)
    package = genanki.Package(anki_decks)
    replace_atomically(Path(path), lambda temp: _write_package(package, temp))
    return count


def _write_package(package: Any, target: Path) -> None:
    """genanki's Package.write_to_file, with its collection database in a folder that is removed afterwards
    (genanki 0.13 leaves one temp file behind per export)."""
    with tempfile.TemporaryDirectory(prefix="mlprep-apkg-") as folder:
        db_path = Path(folder) / "collection.anki2"
        conn = sqlite3.connect(db_path)
        try:
            timestamp = time.time()
            package.write_to_db(conn.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
            conn.commit()
        finally:
            conn.close()
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            out.write(db_path, "collection.anki2")
            out.writestr("media", json.dumps({}))
