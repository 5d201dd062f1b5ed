"""Exporting questions: a topic, the user's decks or everything, as TOML, Markdown or an Anki package.

The questions come from the store (what the app shows, decks included), so an export needs no bank files.
Several topics go to a folder, one file each (TOML and Markdown hold one topic per file); an Anki package
holds them all, one Anki deck per topic. Files are written atomically: an export never leaves half a file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.bank import Question, Topic
from desktop_app.core.store import Store

FORMATS = ("toml", "md", "apkg")
ALL, DECKS = "@all", "@decks"


class ExportError(Exception):
    """Why an export could not be written, for the user."""


@dataclass
class ExportReport:
    files: list[Path] = field(default_factory=list)
    questions: int = 0
    topics: int = 0


def collect(store: Store, scope: str) -> list[tuple[Topic, list[Question]]]:
    """The topics of a scope with their live questions, in list order. `scope` is a topic id, ALL or DECKS."""
    infos = store.questions.topics()
    if scope == ALL:
        chosen = infos
    elif scope == DECKS:
        chosen = [t for t in infos if t.own]
    else:
        chosen = [t for t in infos if t.id == scope]
        if not chosen:
            known = ", ".join(t.id for t in infos)
            raise ExportError(f"there is no topic or deck '{scope}' (known: {known})")
    out = []
    for info in chosen:
        topic = store.questions.topic(info.id)
        if topic is None:
            continue
        questions = [store.questions.get(s.qid) for s in store.questions.list(topic_id=info.id)]
        out.append(
            (Topic(topic.id, topic.title, topic.description, topic.order), [q for q in questions if q is not None])
        )
    return out


def export(store: Store, scope: str, fmt: str, target: Path) -> ExportReport:
    if fmt not in FORMATS:
        raise ExportError(f"unknown format '{fmt}' (use {', '.join(FORMATS)})")
    decks = collect(store, scope)
    if not decks:
        raise ExportError("there is nothing to export: no topic has questions")
    return write(decks, fmt, target, several=scope in (ALL, DECKS))


def write(decks: Sequence[tuple[Topic, Sequence[Question]]], fmt: str, target: Path, several: bool) -> ExportReport:
    from desktop_app.core.deckfile import dump_deck, write_atomic

    report = ExportReport(topics=len(decks), questions=sum(len(qs) for _t, qs in decks))
    if fmt == "apkg":
        from desktop_app.core.apkg import export_apkg

        if target.is_dir():
            target = target / "mlprep.apkg"
        target.parent.mkdir(parents=True, exist_ok=True)
        export_apkg(decks, target)
        report.files.append(target)
        return report
    if fmt == "md":
        from desktop_app.core.mdwrite import deck_to_markdown as render
    else:
        render = dump_deck  # type: ignore[assignment]
    if several or target.is_dir():
        if target.exists() and not target.is_dir():
            raise ExportError(f"{target} is a file; several topics are written into a folder, one file each")
        target.mkdir(parents=True, exist_ok=True)
        for topic, questions in decks:
            path = target / f"{topic.id}.{fmt}"
            write_atomic(path, render(topic, questions))
            report.files.append(path)
        return report
    topic, questions = decks[0]
    if target.suffix.lower() != f".{fmt}":
        target = target.with_name(target.name + f".{fmt}")
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, render(topic, questions))
    report.files.append(target)
    return report
