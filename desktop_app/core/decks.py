"""The user's own decks: topic files in `decks/` in the data dir, studied beside the shipped bank.

A deck enters only whole: every file is checked with the bank's own validator (TOML as it is; Markdown
and Anki's text export after conversion), its question ids against every id the store has ever held, and
a file with any problem is refused with all of them listed, before anything is written. An accepted file
is written into `decks/` atomically and the bank sync takes it from there, so a deck's questions are
ordinary questions: scored, scheduled, searched. Removing a deck moves its file to `decks/removed/` (it
is the user's work, never deleted) and the sync retires its questions with their history kept;
importing it again brings them back with that history.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.bank import LEVELS, Problem, Question, Topic, parse_file, parse_text
from desktop_app.core.deckfile import dump_deck, slug, write_atomic
from desktop_app.core.store.records import KnownIds

DECKS_DIR = "decks"
REMOVED_DIR = "removed"
IMPORTABLE = (".toml", ".md", ".markdown", ".txt", ".csv", ".tsv")


class DeckError(Exception):
    """What went wrong with a deck operation, worded for the user."""


@dataclass
class Candidate:
    """One file, read and checked, ready to be written as a deck (when it has no problems)."""

    source: Path
    topic: Topic | None
    questions: list[Question]
    problems: list[Problem] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)  # questions given the generic rubric or follow-ups
    replaces: bool = False  # a deck with this id exists and will be replaced


@dataclass
class ImportReport:
    imported: list[Candidate] = field(default_factory=list)
    refused: list[Candidate] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return [p for c in self.refused for p in c.problems]


@dataclass(frozen=True)
class DeckInfo:
    id: str
    title: str
    path: Path
    questions: int


def decks_dir(data_dir: Path) -> Path:
    return data_dir / DECKS_DIR


def deck_paths(data_dir: Path) -> list[Path]:
    """The decks folder as a bank path, when there is one."""
    folder = decks_dir(data_dir)
    return [folder] if folder.is_dir() else []


def is_deck_file(source: str | Path, data_dir: Path) -> bool:
    try:
        return Path(source).resolve().parent == decks_dir(data_dir).resolve()
    except OSError:
        return False


def expand(sources: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Files to import: each file as given, and every importable file of each folder."""
    files: list[Path] = []
    problems: list[Problem] = []
    for source in sources:
        if source.is_dir():
            found = sorted(p for p in source.iterdir() if p.is_file() and p.suffix.lower() in IMPORTABLE)
            if not found:
                problems.append(Problem(str(source), "", "no deck files here (.toml, .md, .txt or .csv)"))
            files.extend(found)
        elif source.is_file():
            files.append(source)
        else:
            problems.append(Problem(str(source), "", "no such file or folder"))
    return files, problems


def read_source(path: Path, level: str = "intermediate") -> Candidate:
    """A file as a deck: TOML in the bank format, a Markdown deck, or Anki's text export."""
    suffix = path.suffix.lower()
    if suffix == ".toml":
        topic, questions, problems = parse_file(path)
        return Candidate(path, topic, questions, problems)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        return Candidate(path, None, [], [Problem(str(path), "", f"cannot read file: {exc.strerror or exc}")])
    except UnicodeDecodeError as exc:
        return Candidate(
            path, None, [], [Problem(str(path), "", f"not valid UTF-8 (byte {exc.start}); save it as UTF-8")]
        )
    deck_id = slug(path.stem)
    if suffix in (".md", ".markdown"):
        from desktop_app.core.mdformat import read_markdown_deck

        deck = read_markdown_deck(text, str(path), deck_id)
    elif suffix in (".txt", ".csv", ".tsv"):
        from desktop_app.core.ankicsv import read_anki_notes

        if level not in LEVELS:
            return Candidate(
                path, None, [], [Problem(str(path), "", f"level '{level}' is not one of {', '.join(LEVELS)}")]
            )
        deck = read_anki_notes(
            text, str(path), deck_id, path.stem.replace("_", " ").replace("-", " ").strip() or deck_id, level
        )
    else:
        return Candidate(
            path,
            None,
            [],
            [Problem(str(path), "", f"cannot import '{suffix or path.name}' files: use .toml, .md, .txt or .csv")],
        )
    return Candidate(path, deck.topic, list(deck.questions), list(deck.problems), list(deck.filled))


def check(candidate: Candidate, known: KnownIds, others: Sequence[Candidate] = ()) -> Candidate:
    """Add the problems a file has as a deck beside everything else: ids taken by the bank, another deck or
    another file of the same import."""
    topic = candidate.topic
    where = str(candidate.source)
    if topic is None:
        if not candidate.problems:
            candidate.problems.append(Problem(where, "[topic]", "the file has no deck title and id"))
        return candidate
    if topic.id in known.bank_topics:
        candidate.problems.append(
            Problem(where, "[topic]", f"id '{topic.id}' is a topic of the shipped bank; give the deck an id of its own")
        )
    if not candidate.questions and not candidate.problems:
        candidate.problems.append(Problem(where, "", "the deck has no questions"))
    claimed = {q.id: str(c.source) for c in others if c is not candidate for q in c.questions}
    for q in candidate.questions:
        owner = known.question_topics.get(q.id)
        if owner is not None and owner != topic.id:
            what = "the shipped bank" if owner in known.bank_topics else f"the deck '{owner}'"
            candidate.problems.append(
                Problem(where, f"question '{q.id}'", f"id already belongs to {what}; give this question another id")
            )
        elif q.id in claimed:
            candidate.problems.append(
                Problem(where, f"question '{q.id}'", f"id is also used by {claimed[q.id]} in this import")
            )
    return candidate


def deck_text(candidate: Candidate) -> str:
    """What is written into decks/: the bank format, checked once more by the validator itself."""
    assert candidate.topic is not None
    topic = Topic(candidate.topic.id, candidate.topic.title, candidate.topic.description, candidate.topic.order)
    text = dump_deck(topic, candidate.questions)
    _topic, _questions, problems = parse_text(text, str(candidate.source))
    if problems:  # a converter let something through that the validator refuses: refuse it here
        candidate.problems.extend(problems)
    return text


def import_decks(sources: Sequence[Path], data_dir: Path, known: KnownIds, level: str = "intermediate") -> ImportReport:
    """Check every file, then write the ones without problems into decks/ (each whole, atomically). The
    caller syncs the store afterwards; nothing here touches it."""
    files, missing = expand(sources)
    report = ImportReport()
    if missing:
        report.refused.extend(Candidate(Path(p.path), None, [], [p]) for p in missing)
    candidates = [read_source(f, level) for f in files]
    existing = {d.id for d in list_deck_files(data_dir)}
    seen_ids: set[str] = set()
    for c in candidates:
        check(c, known, candidates)
        if c.topic is not None:
            if c.topic.id in seen_ids:
                c.problems.append(
                    Problem(str(c.source), "[topic]", f"another file of this import is also deck '{c.topic.id}'")
                )
            seen_ids.add(c.topic.id)
            c.replaces = c.topic.id in existing
    folder = decks_dir(data_dir)
    for c in candidates:
        text = deck_text(c) if not c.problems else ""
        if c.problems:
            report.refused.append(c)
            continue
        assert c.topic is not None
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / f"{c.topic.id}.toml", text)
        report.imported.append(c)
    return report


def list_deck_files(data_dir: Path) -> list[DeckInfo]:
    """The decks in decks/, read from their files (question counts as written, whatever the store holds)."""
    out = []
    for path in sorted(decks_dir(data_dir).glob("*.toml")) if decks_dir(data_dir).is_dir() else []:
        topic, questions, _problems = parse_file(path)
        out.append(
            DeckInfo(topic.id if topic else path.stem, topic.title if topic else path.stem, path, len(questions))
        )
    return out


def deck_file(data_dir: Path, deck_id: str) -> Path:
    for deck in list_deck_files(data_dir):
        if deck.id == deck_id:
            return deck.path
    known = ", ".join(d.id for d in list_deck_files(data_dir)) or "none yet"
    raise DeckError(f"there is no deck '{deck_id}' (your decks: {known})")


def remove_deck(data_dir: Path, deck_id: str) -> Path:
    """Move the deck's file to decks/removed/ (never delete it); the next sync retires its questions and
    keeps their history. Returns where the file went."""
    path = deck_file(data_dir, deck_id)
    target_dir = decks_dir(data_dir) / REMOVED_DIR
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{path.stem}-{time.strftime('%Y%m%d-%H%M%S')}.toml"
    n = 1
    while target.exists():
        n += 1
        target = target_dir / f"{path.stem}-{time.strftime('%Y%m%d-%H%M%S')}-{n}.toml"
    path.replace(target)
    job = path.with_name(f"{path.stem}.job.json")
    if job.exists():
        job.replace(target.with_name(f"{target.stem}.job.json"))
    return target


def new_deck(data_dir: Path, title: str, known: KnownIds, deck_id: str | None = None) -> Path:
    """An empty deck to write questions into."""
    deck_id = deck_id or slug(title)
    if not deck_id:
        raise DeckError("give the deck a title with at least one letter or digit")
    if deck_id in known.bank_topics:
        raise DeckError(f"'{deck_id}' is a topic of the shipped bank; choose another title")
    path = decks_dir(data_dir) / f"{deck_id}.toml"
    if path.exists():
        raise DeckError(f"a deck '{deck_id}' already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, dump_deck(Topic(deck_id, title.strip() or deck_id), []))
    return path


def save_question(
    data_dir: Path, deck_id: str, question: Question, known: KnownIds, replacing: str | None = None
) -> list[Problem]:
    """Write a question into a deck (a new one, or in place of `replacing`), keeping the file valid: the
    whole deck is checked with the validator first, and nothing is written when it has problems (they
    are returned)."""
    path = deck_file(data_dir, deck_id)
    topic, questions, problems = parse_file(path)
    if topic is None or problems:
        return problems or [Problem(str(path), "", "the deck file cannot be read")]
    question = Question(
        question.id,
        topic.id,
        question.question,
        question.level,
        question.answer,
        question.follow_ups,
        question.rubric,
        question.tags,
        question.solution,
        question.tests,
    )
    out: list[Question] = []
    placed = False
    for q in questions:
        if q.id == (replacing or question.id):
            out.append(question)
            placed = True
        elif q.id == question.id:
            return [Problem(str(path), f"question '{question.id}'", "another question of this deck has that id")]
        else:
            out.append(q)
    if not placed:
        out.append(question)
    owner = known.question_topics.get(question.id)
    if owner is not None and owner != topic.id:
        what = "the shipped bank" if owner in known.bank_topics else f"the deck '{owner}'"
        return [Problem(str(path), f"question '{question.id}'", f"id already belongs to {what}; choose another id")]
    text = dump_deck(topic, out)
    _t, _q, problems = parse_text(text, str(path))
    if problems:
        return problems
    write_atomic(path, text)
    return []


JOB_SHARE = 0.4  # of a mock interview for a job: questions from the job's own deck; the rest by its topics


@dataclass(frozen=True)
class JobInfo:
    deck_id: str
    title: str
    description: str
    weights: dict[str, float]  # topic or deck id -> share of a mock interview for this job


def write_job(data_dir: Path, deck_id: str, description: str, focus: dict[str, float]) -> Path:
    """What a job deck was made from, beside it: the description, and how much each bank topic matters."""
    import json

    weights = {topic: (1 - JOB_SHARE) * share for topic, share in focus.items()}
    weights[deck_id] = JOB_SHARE if focus else 1.0
    path = decks_dir(data_dir) / f"{deck_id}.job.json"
    write_atomic(path, json.dumps({"description": description, "weights": weights}, indent=2, ensure_ascii=False))
    return path


def list_jobs(data_dir: Path) -> list[JobInfo]:
    """Decks written for a job, with what a mock interview for that job draws on. A broken or edited-away
    job file is skipped, never fatal."""
    import json

    out = []
    titles = {d.id: d.title for d in list_deck_files(data_dir)}
    for path in sorted(decks_dir(data_dir).glob("*.job.json")) if decks_dir(data_dir).is_dir() else []:
        deck_id = path.name[: -len(".job.json")]
        if deck_id not in titles:
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            weights = {str(k): float(v) for k, v in dict(data.get("weights", {})).items() if float(v) > 0}
            description = str(data.get("description", ""))
        except (OSError, ValueError, TypeError, AttributeError):
            continue
        if weights:
            out.append(JobInfo(deck_id, titles[deck_id], description, weights))
    return out


def check_question(question: Question, topic: Topic) -> list[Problem]:
    """The validator's verdict on one question, as the editor shows it while the user types."""
    _t, _q, problems = parse_text(dump_deck(topic, [question]), "this question")
    return problems
