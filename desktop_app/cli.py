"""The command line: its parser, and the subcommands that need no window (stats, import, backup and the rest)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from desktop_app import __version__
from desktop_app.synced_store import open_synced_store, sync_bank

if TYPE_CHECKING:
    from desktop_app.core.store import Store

EXIT_OK, EXIT_PROBLEMS, EXIT_STORE = 0, 1, 2
BACKUPS_DIR = "backups"


class CliProgress:
    """The command line's line while a first sync runs (seconds at 100,000 questions): redrawn in place on
    a terminal, a line per stage otherwise."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        from desktop_app.core.store.banksync import STAGE_TEXT, overall

        text = f"{STAGE_TEXT.get(stage, stage)}: {overall(stage, done, total) / 10:.0f}%"
        if stage == "done":
            text = f"Question bank synced: {total:,} questions in {time.monotonic() - self.started:.1f} s"
        if self.stream.isatty():
            self.stream.write("\r" + text.ljust(60) + ("\n" if stage == "done" else ""))
        elif stage != self.stage or stage == "done":
            self.stream.write(text + "\n")
        self.stream.flush()
        self.stage = stage


def cmd_validate(paths: list[str]) -> int:
    from desktop_app.core.bank import load_bank

    bank, problems = load_bank([Path(p) for p in paths])
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"OK: {len(bank.topics)} topics, {len(bank.questions)} questions.")
    return EXIT_OK


def _cli_store(data_dir: Path, bank: Path | None = None) -> Store | None:
    """The store for a command, or None after printing why it cannot be opened."""
    from desktop_app.core.store import StoreError

    try:
        store, report = open_synced_store(data_dir, bank=bank, progress=CliProgress())
        for problem in report.problems:  # the rest of the bank still loaded; say what was left out
            print(f"skipped: {problem}", file=sys.stderr)
        return store
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return None


def cmd_stats(data_dir: Path, bank: Path | None = None) -> int:
    store = _cli_store(data_dir, bank)
    if store is None:
        return EXIT_STORE
    try:
        from desktop_app.core import dashboard

        print(dashboard.scores_table(store))
        print(f"Study streak: {dashboard.days(store.sched.streak())}")
        print()
        print(dashboard.readiness_table(dashboard.build(store)))
    finally:
        store.close()
    return EXIT_OK


def cmd_rebuild(data_dir: Path, bank: Path | None = None) -> int:
    store = _cli_store(data_dir, bank)
    if store is None:
        return EXIT_STORE
    try:
        started = time.perf_counter()
        store.sched.rebuild()
        reviews = len(store.reviews.all())
        print(f"Rebuilt the schedule from {reviews:,} reviews in {time.perf_counter() - started:.1f} s.")
    finally:
        store.close()
    return EXIT_OK


def cmd_import(data_dir: Path, bank: Path | None, paths: list[str], level: str) -> int:
    """Check and import deck files; exit 1 if any file was refused (the others are still imported)."""
    from desktop_app.core.decks import import_decks

    store = _cli_store(data_dir, bank)
    if store is None:
        return EXIT_STORE
    try:
        report = import_decks([Path(p).expanduser() for p in paths], data_dir, store.questions.known_ids(), level)
        for candidate in report.refused:
            for problem in candidate.problems:
                print(problem)
        synced = sync_bank(store, bank) if report.imported else None
        for c in report.imported:
            assert c.topic is not None
            verb = "Replaced" if c.replaces else "Imported"
            print(f"{verb} deck '{c.topic.id}' ({c.topic.title}): {len(c.questions)} questions from {c.source}")
            if c.filled:
                print(
                    f"  {len(c.filled)} got a general rubric and follow-ups (the file had none); edit them in the app"
                )
        if synced is not None and synced.restored:
            print(f"{synced.restored} questions came back with their history.")
        if report.refused:
            print(
                f"{len(report.refused)} file(s) not imported: fix the problems above and import again.", file=sys.stderr
            )
            return EXIT_PROBLEMS
        if not report.imported:
            print("Nothing to import.", file=sys.stderr)
            return EXIT_PROBLEMS
    finally:
        store.close()
    return EXIT_OK


def cmd_decks(data_dir: Path, bank: Path | None, action: list[str]) -> int:
    """`mlprep decks` lists your decks; `mlprep decks remove ID` removes one (its history is kept)."""
    from desktop_app.core.decks import DeckError, remove_deck

    if action and (action[0] != "remove" or len(action) != 2):
        print("usage: mlprep decks [remove ID]", file=sys.stderr)
        return EXIT_PROBLEMS
    if action:
        try:
            moved = remove_deck(data_dir, action[1])
        except DeckError as exc:
            print(f"mlprep: {exc}", file=sys.stderr)
            return EXIT_PROBLEMS
    store = _cli_store(data_dir, bank)
    if store is None:
        return EXIT_STORE
    try:
        if action:
            print(f"Removed deck '{action[1]}': its questions are retired with their history kept.")
            print(f"The file is kept at {moved}; import it again to bring them back.")
            return EXIT_OK
        decks = [t for t in store.questions.topics() if t.own]
        if not decks:
            print("No decks yet. Import one with `mlprep import FILE` (TOML, Markdown or Anki's text export).")
            return EXIT_OK
        width = max(len(t.id) for t in decks)
        for t in decks:
            print(f"{t.id.ljust(width)}  {t.reviewed:>4} / {t.total:<4} reviewed  {t.title}")
    finally:
        store.close()
    return EXIT_OK


def cmd_export(data_dir: Path, bank: Path | None, target: str, topics: list[str], fmt: str | None) -> int:
    from desktop_app.core.export import ALL, FORMATS, ExportError, export

    out = Path(target).expanduser()
    fmt = fmt or (out.suffix.lower().lstrip(".") if out.suffix.lower().lstrip(".") in FORMATS else None)
    if fmt is None:
        print(
            f"mlprep: say the format with --format ({', '.join(FORMATS)}) or give the file that suffix", file=sys.stderr
        )
        return EXIT_PROBLEMS
    store = _cli_store(data_dir, bank)
    if store is None:
        return EXIT_STORE
    try:
        written = 0
        scopes = topics or [ALL]
        for scope in scopes:
            try:
                report = export(store, scope, fmt, out if len(scopes) == 1 else out / scope)
            except ExportError as exc:
                print(f"mlprep: {exc}", file=sys.stderr)
                return EXIT_PROBLEMS
            written += report.questions
            for path in report.files:
                print(path)
        print(f"Exported {written} questions.", file=sys.stderr)
    finally:
        store.close()
    return EXIT_OK


def cmd_backup(data_dir: Path) -> int:
    from desktop_app.core.backup import BackupError, make_backup
    from desktop_app.core.store import DB_FILENAME

    try:
        backup = make_backup(data_dir / DB_FILENAME, data_dir / BACKUPS_DIR)
    except BackupError as exc:
        print(f"mlprep: {exc}", file=sys.stderr)
        return EXIT_STORE
    print(f"Backed up to {backup.path} ({backup.size / 1e6:.1f} MB, checked).")
    return EXIT_OK


def cmd_backups(data_dir: Path) -> int:
    from desktop_app.core.backup import list_backups

    backups = list_backups(data_dir / BACKUPS_DIR)
    if not backups:
        print(f"No backups yet in {data_dir / BACKUPS_DIR}. Make one with `mlprep backup`.")
        return EXIT_OK
    for b in backups:
        print(f"{b.taken_at:%Y-%m-%d %H:%M:%S}  {b.size / 1e6:8.1f} MB  {b.path}")
    return EXIT_OK


def cmd_restore(data_dir: Path, file: str) -> int:
    from desktop_app.core.backup import BackupError
    from desktop_app.core.restore import restore
    from desktop_app.core.store import DB_FILENAME

    path = Path(file).expanduser()
    if not path.exists() and (data_dir / BACKUPS_DIR / file).exists():
        path = data_dir / BACKUPS_DIR / file  # a name from `mlprep backups`
    try:
        kept = restore(path, data_dir / DB_FILENAME, data_dir / BACKUPS_DIR)
    except BackupError as exc:
        print(f"mlprep: {exc}", file=sys.stderr)
        return EXIT_STORE
    print(f"Restored your progress from {path}.")
    if kept is not None:
        print(f"What was there before is kept at {kept}.")
    return EXIT_OK


def cmd_progress(data_dir: Path, bank: Path | None, file: str, direction: str) -> int:
    """export-progress / import-progress: the review log, bookmarks, notes, mocks and settings as JSON."""
    from desktop_app.core.progress_io import ProgressError, export_progress, import_progress

    store = _cli_store(data_dir, bank)
    if store is None:
        return EXIT_STORE
    try:
        if direction == "export":
            counts = export_progress(store, Path(file).expanduser())
            verb = "Exported"
        else:
            counts = import_progress(store, Path(file).expanduser())
            verb = "Imported (new to this data dir)"
    except ProgressError as exc:
        print(f"mlprep: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    finally:
        store.close()
    print(
        f"{verb}: {counts.reviews} reviews, {counts.bookmarks} bookmarks, {counts.notes} notes, "
        f"{counts.mock_sessions} mock interviews, {counts.settings} settings, {counts.code_attempts} coding runs."
    )
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    # --data-dir is accepted before or after the subcommand; SUPPRESS keeps one from erasing the other.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        help="where your progress is stored (default: $MLPREP_DATA_DIR, else the platform's user data folder)",
    )
    common.add_argument(
        "--bank",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="study the question bank in DIR instead of the one shipped with MLPrep (default: $MLPREP_BANK_DIR)",
    )
    parser = argparse.ArgumentParser(
        prog="mlprep", description="Study for machine-learning interviews.", parents=[common]
    )
    parser.add_argument("--version", action="version", version=f"mlprep {__version__}")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="start without showing a window, render the first question, exit 0 if all is well",
    )
    sub = parser.add_subparsers(dest="command")
    validate = sub.add_parser("validate", help="check question-bank TOML files or folders")
    validate.add_argument("paths", nargs="+", metavar="PATH")
    sub.add_parser("stats", parents=[common], help="print progress, score counts and readiness per topic")
    sub.add_parser("rebuild-schedule", parents=[common], help="recompute spaced-repetition state from the review log")
    imp = sub.add_parser(
        "import",
        parents=[common],
        help="check deck files (TOML, Markdown, Anki text export) and add them as your decks",
    )
    imp.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    imp.add_argument("--level", default="intermediate", help="level of imported Anki notes (default: intermediate)")
    decks = sub.add_parser("decks", parents=[common], help="list your decks; `decks remove ID` removes one")
    decks.add_argument("action", nargs="*", metavar="remove ID")
    exp = sub.add_parser("export", parents=[common], help="export questions as TOML, Markdown or an Anki package")
    exp.add_argument("target", metavar="OUT", help="a file (one topic, or .apkg) or a folder (several topics)")
    exp.add_argument(
        "--topic", action="append", default=[], metavar="ID", help="a topic or deck (repeatable; default: all)"
    )
    exp.add_argument("--format", choices=("toml", "md", "apkg"), help="default: from OUT's suffix")
    sub.add_parser("backup", parents=[common], help="back up your progress now (checked, into backups/)")
    sub.add_parser("backups", parents=[common], help="list the backups of your progress")
    res = sub.add_parser("restore", parents=[common], help="restore a backup (the current store is kept first)")
    res.add_argument("file", metavar="FILE", help="a backup file, or its name from `mlprep backups`")
    for name, what in (("export-progress", "write"), ("import-progress", "merge")):
        cmd = sub.add_parser(
            name, parents=[common], help=f"{what} your reviews, bookmarks, notes, mocks and settings as JSON"
        )
        cmd.add_argument("file", metavar="FILE")
    return parser


def run_command(args: argparse.Namespace, data_dir: Path, bank: Path | None) -> int:
    """Run a subcommand on the store in data_dir; a store that breaks while it reads raises, for main to report."""
    if args.command == "stats":
        return cmd_stats(data_dir, bank)
    if args.command == "rebuild-schedule":
        return cmd_rebuild(data_dir, bank)
    if args.command == "import":
        return cmd_import(data_dir, bank, args.paths, args.level)
    if args.command == "decks":
        return cmd_decks(data_dir, bank, args.action)
    if args.command == "export":
        return cmd_export(data_dir, bank, args.target, args.topic, args.format)
    if args.command == "backup":
        return cmd_backup(data_dir)
    if args.command == "backups":
        return cmd_backups(data_dir)
    if args.command == "restore":
        return cmd_restore(data_dir, args.file)
    if args.command in ("export-progress", "import-progress"):
        return cmd_progress(data_dir, bank, args.file, args.command.split("-")[0])
    return EXIT_OK
