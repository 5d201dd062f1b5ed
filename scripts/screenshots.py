"""Render MLPrep's screens offscreen to PNG files, in light and dark, for looking at changes and for the README.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py OUT_DIR [--scale 1.5] [--only main,dashboard]

Uses a fresh data dir with a few scores so that lists, counters and the dashboard have something to
show. Nothing here touches your own data.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--only", default="")
    parser.add_argument("--themes", default="light,dark")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    data = Path(tempfile.mkdtemp(prefix="mlprep-shots-"))
    os.environ["MLPREP_DATA_DIR"] = str(data)

    from desktop_app.app import _make_app, create_window, settle
    from desktop_app.simulator.session import MockConfig
    from desktop_app.ui import background
    from desktop_app.ui.main_window import MainWindow

    app = _make_app(["shots"])
    args.out.mkdir(parents=True, exist_ok=True)
    only = set(filter(None, args.only.split(",")))

    def wanted(name: str) -> bool:
        return not only or name in only

    def wait(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
        import time

        end = time.monotonic() + timeout
        while not condition() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)

    window = create_window(data)
    assert isinstance(window, MainWindow) and window.study is not None and window.view is not None
    window.resize(1280, 800)
    window.show()
    settle(window)
    study = window.study
    for tier in ("strong", "ok", "weak", "strong", "easy"):
        study.toggle_reveal()
        study.score(tier)
    study.toggle_reveal()

    def themed(theme: str) -> str:
        """Switch the app to `theme`; returns the file-name suffix for shots taken in it."""
        window.view.theme = theme
        window.view.apply_theme()
        app.processEvents()
        return f"{theme}{'' if args.scale == 1.0 else f'-{args.scale:g}x'}"

    for theme in args.themes.split(","):
        suffix = themed(theme)
        if wanted("main"):
            window.grab().save(str(args.out / f"main-{suffix}.png"))
        if wanted("dashboard"):
            window.open_dashboard()
            wait(lambda: getattr(window, "dashboard", None) is not None)
            board = window.dashboard
            board.resize(1180, 820)
            board.show()
            app.processEvents()
            board.grab().save(str(args.out / f"dashboard-{suffix}.png"))
            board.close()
            window.dashboard = None
        if wanted("mock") and window.mocks is not None:
            mock = window.mocks.begin_mock(MockConfig(count=2, offline=True))
            assert mock is not None
            mock.answer_edit.setPlainText(
                "Bias is error from wrong assumptions; variance is sensitivity to the sample."
            )
            mock.send_answer()
            app.processEvents()
            mock.grab().save(str(args.out / f"mock-{suffix}.png"))
            mock.close()
        if wanted("mockcoding") and window.mocks is not None:
            shoot_mock_coding(window, app, wait, args.out, suffix)
        if wanted("setup") and window.mocks is not None:
            window.mocks.open_mock_setup()
            app.processEvents()
            dialog = window.mocks.setup_dialog
            assert dialog is not None
            dialog.grab().save(str(args.out / f"setup-{suffix}.png"))
            dialog.reject()
        if wanted("editor") and window.decks is not None:
            window.decks.edit_question()  # a shipped question: copied into a deck of yours
            app.processEvents()
            editor = window.decks.editor
            assert editor is not None
            editor.new_deck_title.setText("My versions")
            editor.refresh()
            app.processEvents()
            editor.grab().save(str(args.out / f"editor-{suffix}.png"))
            editor.reject()
        if wanted("job") and window.decks is not None:
            shoot_job(window, app, args.out / f"job-{suffix}.png")
        if wanted("import") and window.decks is not None:
            window.decks.import_decks()
            app.processEvents()
            dialog = window.decks.dialog
            assert dialog is not None
            dialog.grab().save(str(args.out / f"import-{suffix}.png"))
            dialog.reject()
        if wanted("help"):
            window.show_help()
            app.processEvents()
            window._help.grab().save(str(args.out / f"help-{suffix}.png"))  # type: ignore[union-attr]
            window._help.close()  # type: ignore[union-attr]
    if wanted("coding"):  # last: it moves the window to a coding question
        open_coding_attempt(window, app, wait)
        for theme in args.themes.split(","):
            suffix = themed(theme)  # before the grab: arguments are evaluated after window.grab()
            window.grab().save(str(args.out / f"coding-{suffix}.png"))
    background.shutdown()
    window.close()
    if window.store is not None:
        window.store.close()
    print(f"screenshots in {args.out}")
    return 0


CODING_QID = "implement-precision-recall-f1"


def shoot_mock_coding(window, app, wait, out: Path, suffix: str) -> None:  # type: ignore[no-untyped-def]
    """A self-graded coding round: the editor after a run, then the code and results beside the reference."""
    from desktop_app.simulator.session import MockConfig

    mock = window.mocks.begin_mock(MockConfig(count=1, coding=1, offline=True))
    mock.resize(1180, 820)
    mock.show()
    panel = mock.coding
    question = mock.interview.current
    body = question.solution.rstrip().splitlines()
    panel.editor.set_text("\n".join(body[:-1] + ["    return None  # not finished"]) + "\n")
    done: list[object] = []
    panel.ran.connect(lambda result, _code: done.append(result))
    panel.run()
    wait(lambda: bool(done), timeout=30.0)
    app.processEvents()
    mock.grab().save(str(out / f"mockcoding-{suffix}.png"))
    mock.send_answer()
    app.processEvents()
    mock.grab().save(str(out / f"mockcoding-reference-{suffix}.png"))
    mock.close()


def open_coding_attempt(window, app, wait) -> None:  # type: ignore[no-untyped-def]
    """A coding question after a run of an attempt with one mistake (F1 as the arithmetic mean): the
    editor, the failing test named with its message and the line marked."""
    study = window.study
    study.refresh_list(keep_qid=CODING_QID)
    wait(lambda: study.settled and study.session.current is not None and study.session.current.qid == CODING_QID)
    panel = study.coding
    question = window.store.questions.get(CODING_QID)
    code = question.solution.replace(
        "f1 = 2 * tp / denom if denom else float(zero_division)", "f1 = (precision + recall) / 2"
    )
    panel.editor.set_text(code.lstrip("\n"))
    done: list[object] = []
    panel.ran.connect(lambda result, _code: done.append(result))
    panel.run()
    wait(lambda: bool(done), timeout=30.0)


def shoot_job(window, app, path: Path) -> None:  # type: ignore[no-untyped-def]
    """The job dialog with two proposals, as they look after Claude answered (no network here)."""
    from desktop_app.simulator.client import Reply
    from desktop_app.simulator.generate import JobProposal, ProposedQuestion
    from desktop_app.ui.job_questions import JobQuestionsDialog

    assert window.store is not None
    dialog = JobQuestionsDialog(window.store, window._key_store(), window.store.path.parent, window)
    dialog.job.setPlainText("Senior ML engineer, search ranking: own learning-to-rank models for 50M users...")
    question = ProposedQuestion(
        "How would you evaluate a learning-to-rank model offline before an A/B test?",
        "intermediate",
        "Hold out query sessions by time, score **NDCG@10** and MRR, and correct click labels for position bias.",
        ("Why split by time?", "How does position bias enter the logs?", "When do offline and online disagree?"),
        ("Uses a rank metric at a cutoff", "Handles position bias in clicks"),
        (),
        "Names a rank metric but ignores the bias in logs.",
        "Uses accuracy over items.",
        ("ranking",),
        "The bank has no ranking evaluation question.",
    )
    second = ProposedQuestion(
        "What is a two-tower retrieval model and why is it used for candidate generation?",
        "advanced",
        "Separate query and item encoders scored by a dot product; items embedded offline, retrieved by ANN.",
        ("How are negatives sampled?", "What does the tower miss?", "How do you refresh item embeddings?"),
        ("Separate encoders, dot product", "Offline item embeddings with ANN retrieval"),
        (),
        "Describes the towers but not why retrieval scales.",
        "Confuses it with a cross-encoder.",
        ("retrieval",),
        "Candidate generation is central to the job.",
    )
    proposal = JobProposal("Search ranking engineer", {"recommender-systems": 1.0}, (question, second))
    request = dialog.host.submit.__self__  # noqa: F841 (keeps the host alive for the grab)
    from desktop_app.simulator.requests import Request
    from desktop_app.simulator.vocab import RequestKind

    dialog.request = Request(RequestKind.GENERATE)
    dialog._on_done(dialog.request.id, Reply(proposal=proposal, cost_usd=0.04))
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(path))
    dialog.reject()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
