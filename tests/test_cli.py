"""The command line as a user runs it: a real process, a real data dir."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from desktop_app import __version__

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "desktop_app.app", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        timeout=120,
    )


def test_version_and_help() -> None:
    assert run("--version").stdout.strip() == f"mlprep {__version__}"
    out = run("--help").stdout
    for word in ("validate", "stats", "--data-dir", "--smoke-test"):
        assert word in out


def test_smoke_test_from_another_directory_with_a_fresh_data_dir(tmp_path: Path) -> None:
    proc = run("--smoke-test", "--data-dir", str(tmp_path / "fresh"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "smoke test ok" in proc.stdout
    assert "coding round ran " in proc.stdout and "tests passed" in proc.stdout  # a child ran real tests
    assert (tmp_path / "fresh" / "mlprep.sqlite3").is_file()


def test_data_dir_from_environment(tmp_path: Path) -> None:
    proc = run("--smoke-test", env={"MLPREP_DATA_DIR": str(tmp_path / "env-dir")})
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "env-dir" / "mlprep.sqlite3").is_file()


def test_corrupt_store_is_reported_on_the_command_line_and_kept(tmp_path: Path) -> None:
    data = tmp_path / "d"
    data.mkdir()
    (data / "mlprep.sqlite3").write_bytes(b"\x00garbage" * 100)
    for args in (("--smoke-test", "--data-dir", str(data)), ("stats", "--data-dir", str(data))):
        proc = run(*args)
        assert proc.returncode == 2
        assert "damaged or is not an MLPrep database" in proc.stderr and "mlprep.sqlite3" in proc.stderr
    assert (data / "mlprep.sqlite3").read_bytes() == b"\x00garbage" * 100


def test_stats_prints_reviewed_and_scores(tmp_path: Path) -> None:
    from desktop_app.synced_store import open_synced_store

    store, _ = open_synced_store(tmp_path)
    first = store.questions.list()[0]
    store.reviews.record(first.qid, "weak")
    title = store.questions.topic_title(first.topic_id)
    store.close()
    proc = run("stats", "--data-dir", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    title_line = next(line for line in proc.stdout.splitlines() if line.startswith(title))
    assert re.search(r"\s1 / \d+\s+1\s+0\s+0\s+0$", title_line), title_line  # Weak OK Strong Easy
    assert "Study streak: 1 day\n" in proc.stdout


def test_stats_counts_easy_says_days_properly_and_ends_quietly_in_a_pipe(tmp_path: Path) -> None:
    from desktop_app.synced_store import open_synced_store

    data = tmp_path / "data"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    store, _ = open_synced_store(data)
    store.reviews.record(store.questions.list()[0].qid, "easy")
    store.close()
    proc = run("stats", "--data-dir", str(data))
    assert proc.returncode == 0, proc.stderr
    header = proc.stdout.splitlines()[0]
    assert header.split() == ["Topic", "Reviewed", "Weak", "OK", "Strong", "Easy"]
    totals = next(line for line in proc.stdout.splitlines() if line.startswith("All questions"))
    assert totals.split()[-4:] == ["0", "0", "0", "1"]
    assert "Study streak: 1 day\n" in proc.stdout
    # `mlprep stats | head -1`: the reader is gone before the output is written (a pipe whose read end is
    # closed, so the failure is certain, not a race); the command must end quietly, with no traceback.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        piped = subprocess.run(
            [sys.executable, "-m", "desktop_app.app", "stats", "--data-dir", str(data)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert piped.returncode == 0 and piped.stderr == "", piped.stderr


def test_a_damaged_store_gets_a_message_and_exit_2_from_every_command_never_a_traceback(tmp_path: Path) -> None:
    from desktop_app.synced_store import open_synced_store
    from tests.conftest import damage_interior_page

    store, _ = open_synced_store(tmp_path)
    for summary in store.questions.list()[:20]:
        store.reviews.record(summary.qid, "ok")
    store.close()
    damaged = damage_interior_page(tmp_path / "mlprep.sqlite3")
    for args in (["stats"], ["rebuild-schedule"], ["--smoke-test"]):
        proc = run(*args, "--data-dir", str(tmp_path))
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert "is damaged" in proc.stderr and "Traceback" not in proc.stderr, (args, proc.stderr)
    assert (tmp_path / "mlprep.sqlite3").read_bytes() == damaged


def test_any_bank_folder_opens_with_bank_or_the_environment_and_a_first_sync_reports_progress(
    tmp_path: Path,
) -> None:
    """Issue 14: `--bank DIR` (or $MLPREP_BANK_DIR) studies another bank, for deck authors and benchmarks;
    a sync that has work to do says how far it got, on one line per stage when stderr is not a terminal."""
    from tests.conftest import write_topic

    bank = tmp_path / "my-bank"
    write_topic(bank, "mine", [{"qid": f"m{i}", "question": f"My question {i}?"} for i in range(5)], title="Mine")
    proc = run("stats", "--data-dir", str(tmp_path / "d"), "--bank", str(bank))
    assert proc.returncode == 0, proc.stderr
    assert "Mine" in proc.stdout and "0 / 5" in proc.stdout and "Machine Learning" not in proc.stdout
    lines = proc.stderr.splitlines()
    assert lines[0].startswith("Reading the question bank") and "Storing the questions" in proc.stderr
    assert re.fullmatch(r"Question bank synced: 5 questions in \d+\.\d s", lines[-1]), lines
    again = run("stats", "--data-dir", str(tmp_path / "d"), env={"MLPREP_BANK_DIR": str(bank)})
    assert again.returncode == 0 and "Mine" in again.stdout
    assert again.stderr == "", "an unchanged bank syncs silently"
    missing = run("stats", "--data-dir", str(tmp_path / "d"), "--bank", str(tmp_path / "nope"))
    assert missing.returncode == 1 and "nope does not exist" in missing.stderr and missing.stdout == ""
    (bank / "broken.toml").write_text("[topic\n", encoding="utf-8")
    broken = run("stats", "--data-dir", str(tmp_path / "d"), "--bank", str(bank))
    assert broken.returncode == 0 and "skipped: " in broken.stderr and "broken.toml" in broken.stderr


def test_decks_on_the_command_line_import_list_export_and_remove(tmp_path: Path) -> None:
    """Issue 15: a deck is refused whole with every problem and exit 1, or imported; listed; exported to
    TOML, Markdown and an Anki package that Anki's own library opens; removed with its history kept."""
    from tests.conftest import write_topic

    data = tmp_path / "d"
    good = write_topic(tmp_path / "in", "my-deck", [{"qid": "my-1"}, {"qid": "my-2"}], title="My deck")
    bad = write_topic(tmp_path / "bad", "other", [{"qid": "overfitting-vs-underfitting-signs"}])
    refused = run("import", str(bad), "--data-dir", str(data))
    assert refused.returncode == 1 and "other.toml" in refused.stdout and "shipped bank" in refused.stdout
    assert not (data / "decks").exists() or not any((data / "decks").glob("*.toml"))
    imported = run("import", str(good), "--data-dir", str(data))
    assert imported.returncode == 0, imported.stderr
    assert "Imported deck 'my-deck' (My deck): 2 questions" in imported.stdout
    listed = run("decks", "--data-dir", str(data))
    assert re.search(r"my-deck\s+0 / 2\s+reviewed\s+My deck", listed.stdout), listed.stdout
    stats = run("stats", "--data-dir", str(data))
    assert "My deck" in stats.stdout

    out = tmp_path / "out"
    for target in (out / "deck.toml", out / "deck.md", out / "deck.apkg"):
        done = run("export", str(target), "--topic", "my-deck", "--data-dir", str(data))
        assert done.returncode == 0, done.stderr
        assert target.is_file() and "Exported 2 questions" in done.stderr
    assert 'id = "my-1"' in (out / "deck.toml").read_text() and "## What is my-1?" in (out / "deck.md").read_text()
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\nfrom anki.collection import Collection, ImportAnkiPackageRequest\n"
            "c = Collection(sys.argv[1]); c.import_anki_package(ImportAnkiPackageRequest(package_path=sys.argv[2]))\n"
            "print(c.note_count(), sorted(n for _i, n in [(d.id, d.name) for d in c.decks.all_names_and_ids()]))",
            str(tmp_path / "anki.anki2"),
            str(out / "deck.apkg"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.stdout.startswith("2 ") and "MLPrep::My deck" in check.stdout, check.stderr

    removed = run("decks", "remove", "my-deck", "--data-dir", str(data))
    assert removed.returncode == 0 and "history kept" in removed.stdout
    assert "No decks yet" in run("decks", "--data-dir", str(data)).stdout
    unknown = run("decks", "remove", "nope", "--data-dir", str(data))
    assert unknown.returncode == 1 and "no deck 'nope'" in unknown.stderr


def test_backups_restore_and_moving_progress_on_the_command_line(tmp_path: Path) -> None:
    from desktop_app.synced_store import open_synced_store

    data = tmp_path / "d"
    store, _ = open_synced_store(data)
    first = store.questions.list()[0].qid
    store.reviews.record(first, "ok")
    store.notes.set_note(first, "Remember the bias term.")
    store.close()
    made = run("backup", "--data-dir", str(data))
    assert made.returncode == 0 and "checked" in made.stdout, made.stderr
    name = next((data / "backups").glob("mlprep-*.sqlite3")).name
    listed = run("backups", "--data-dir", str(data))
    assert name in listed.stdout
    store, _ = open_synced_store(data)
    store.reviews.record(first, "weak")
    store.close()
    restored = run("restore", name, "--data-dir", str(data))
    assert restored.returncode == 0 and "What was there before is kept at" in restored.stdout, restored.stderr
    store, _ = open_synced_store(data)
    assert [r.score for r in store.reviews.all()] == ["ok"]
    store.close()
    bad = run("restore", str(tmp_path / "nope.sqlite3"), "--data-dir", str(data))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "nope.sqlite3" in bad.stderr

    exported = tmp_path / "progress.json"
    out = run("export-progress", str(exported), "--data-dir", str(data))
    assert out.returncode == 0 and "1 reviews" in out.stdout and exported.is_file()
    other = tmp_path / "other"
    merged = run("import-progress", str(exported), "--data-dir", str(other))
    assert merged.returncode == 0 and "1 reviews" in merged.stdout and "1 notes" in merged.stdout
    twice = run("import-progress", str(exported), "--data-dir", str(other))
    assert "0 reviews, 0 bookmarks, 0 notes" in twice.stdout, "importing twice adds nothing"
    (tmp_path / "junk.json").write_text('{"format": "something else"}')
    junk = run("import-progress", str(tmp_path / "junk.json"), "--data-dir", str(other))
    assert junk.returncode == 1 and "junk.json" in junk.stderr and "not an MLPrep progress file" in junk.stderr
