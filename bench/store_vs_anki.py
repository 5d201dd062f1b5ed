"""The store against Anki's collection for the same notes: size on disk, and the first sync against Anki's
import, measured in the same run; plus the unchanged-bank sync.

Run by hand:  python bench/store_vs_anki.py [--questions 100000]   (needs `pip install anki`)
Budgets (issue 14): the store at most 1.2x the size of Anki's collection; the first sync of the bank within
3x of Anki adding the same notes; an unchanged bank syncs in milliseconds.

Anki gets each question as a Basic note: the question on the front; the answer, follow-ups and rubric on
the back; the tags as tags. Both read the same TOML files, so parsing costs both the same; Anki's figure
is shown with and without it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine_baseline_ms, percentile, timed_ms, write_synthetic_bank


def anki_import(bank: Path, out: Path) -> tuple[float, float, int]:
    """(seconds to read the files, seconds to add the notes, collection bytes)."""
    from anki.collection import AddNoteRequest, Collection

    started = time.perf_counter()
    questions = []
    for path in sorted(bank.glob("*.toml")):
        questions.extend(tomllib.loads(path.read_text(encoding="utf-8"))["questions"])
    read = time.perf_counter() - started
    started = time.perf_counter()
    col = Collection(str(out / "collection.anki2"))
    basic = col.models.by_name("Basic")
    deck = col.decks.id("MLPrep bench")
    assert basic is not None and deck is not None
    requests = []
    for q in questions:
        note = col.new_note(basic)
        rubric = q["rubric"]
        note["Front"] = q["question"]
        note["Back"] = "\n".join([q["answer"], *q["follow_ups"], str(rubric["strong"]), rubric["ok"], rubric["weak"]])
        note.tags = list(q.get("tags", []))
        requests.append(AddNoteRequest(note=note, deck_id=deck))
    col.add_notes(requests)
    col.close()
    added = time.perf_counter() - started
    return read, added, (out / "collection.anki2").stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=100_000)
    args = parser.parse_args()
    try:
        import anki  # noqa: F401
    except ImportError:
        raise SystemExit("This benchmark compares with Anki: pip install anki") from None

    from desktop_app.core.store import Store

    base = machine_baseline_ms()
    tmp = Path(tempfile.mkdtemp(prefix="mlprep-vs-anki-"))
    bank = write_synthetic_bank(tmp / "bank", args.questions)
    text_mb = sum(p.stat().st_size for p in bank.glob("*.toml")) / 1e6
    print(f"machine baseline (fixed CPU workload): {base:.1f} ms")
    print(f"{args.questions:,} synthetic questions, {text_mb:.0f} MB of TOML")

    (tmp / "anki").mkdir()
    anki_read, anki_add, anki_bytes = anki_import(bank, tmp / "anki")
    started = time.perf_counter()
    stages: dict[str, float] = {}
    store = Store.open(tmp / "data" / "mlprep.sqlite3")
    report = store.bank.sync(
        [bank], progress=lambda stage, _d, _t: stages.setdefault(stage, time.perf_counter() - started)
    )
    ours = time.perf_counter() - started
    assert report.added == args.questions and not report.problems
    unchanged = [timed_ms(lambda: store.bank.sync([bank])) for _ in range(30)]
    store.close()
    our_bytes = (tmp / "data" / "mlprep.sqlite3").stat().st_size

    print(f"Anki collection: {anki_bytes / 1e6:.0f} MB  <- baseline")
    print(f"MLPrep store   : {our_bytes / 1e6:.0f} MB  {our_bytes / anki_bytes:.2f}x Anki's (budget 1.2x)")
    print(f"Anki: reading the files {anki_read:.1f} s, adding the notes {anki_add:.1f} s  <- baseline")
    print(
        f"MLPrep first sync: {ours:.1f} s (reading, checking and preparing the rows {stages.get('write', ours):.1f} s)  "
        f"{ours / anki_add:.2f}x Anki adding the notes (budget 3x), "
        f"{ours / (anki_read + anki_add):.2f}x Anki reading and adding them"
    )
    print(
        f"unchanged-bank sync: median {percentile(unchanged, 50):.2f} ms, max {max(unchanged):.2f} ms "
        f"({percentile(unchanged, 50) / base:.2f}x baseline)"
    )


if __name__ == "__main__":
    main()
