"""The --smoke-test: start without a screen, render a question, and probe what a bundle must carry."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from desktop_app.app import _make_app, create_window, settle
from desktop_app.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_STORE


def smoke_test(data_dir: Path, bank: Path | None = None) -> int:
    """Everything a frozen or installed app needs, without showing a window; packaging relies on it."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop_app.ui.main_window import MainWindow

    app = _make_app(sys.argv[:1])
    window = create_window(data_dir, bank)
    if not isinstance(window, MainWindow):
        print(f"smoke test failed: {window.message}", file=sys.stderr)  # type: ignore[attr-defined]
        return EXIT_STORE
    settle(window)
    from desktop_app.ui import background

    store = window.store
    assert store is not None
    problem = store.verdict(timeout=60)
    background.shutdown()  # stop, then wait: nothing may run on after the store is closed
    if problem is not None:
        print(f"smoke test failed: {problem}", file=sys.stderr)
        window.close()
        store.close()
        return EXIT_STORE
    reviewed, total = store.questions.progress_counts()
    rendered = window.question_view.toPlainText().strip()
    first = store.questions.list(limit=1)
    sample = store.questions.get(first[0].qid) if first else None
    coding = [store.questions.get(c.qid) for c in store.questions.coding()]
    numpy_coding = [q for q in coding if q is not None and q.solution and "numpy" in q.solution]
    code_sample = (numpy_coding or coding or [None])[0]
    window.close()
    store.close()
    app.processEvents()
    if window.bank_problems:
        for p in window.bank_problems:
            print(p, file=sys.stderr)
        return EXIT_PROBLEMS
    if total == 0 or not rendered:
        print("smoke test failed: no question was rendered", file=sys.stderr)
        return EXIT_PROBLEMS
    sdk = _probe_interviewer(app)
    if sdk is None:
        return EXIT_PROBLEMS
    problem = _probe_exports(sample)
    if problem:
        print(f"smoke test failed: {problem}", file=sys.stderr)
        return EXIT_PROBLEMS
    coding_line, problem = _probe_coding(code_sample)
    if problem:
        print(f"smoke test failed: {problem}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(
        f"smoke test ok: {total} questions, {reviewed} reviewed, anthropic {sdk} in the worker, {coding_line}, "
        f"data in {data_dir}"
    )
    return EXIT_OK


def _probe_coding(question: object) -> tuple[str, str | None]:
    """Run one coding question's tests on its reference solution the way the coding round does: in a child
    that is this app again (frozen: `MLPrep --run-tests`), so a bundle missing numpy or the harness fails
    here rather than in front of a user."""
    from desktop_app.core.bank import Question
    from desktop_app.core.coderun import Job, Limits, run_blocking
    from desktop_app.core.runexplain import explain

    if not isinstance(question, Question) or not question.solution or not question.tests:
        return "no coding question to run", None
    limits = Limits(wall_s=60, cpu_s=60)
    result = run_blocking(Job(question.solution, question.tests, limits=limits))
    if not result.all_passed:
        return "", f"the coding round could not run {question.id}: {explain(result, limits)} {result.output[-2000:]}"
    return f"coding round ran {question.id}: {result.passed}/{len(result.tests)} tests passed", None


def _probe_exports(question: object) -> str | None:
    """Export one question to an Anki package and to Markdown in a temporary folder: bundles must carry
    genanki and the format modules, which nothing else loads at start."""
    import tempfile

    from desktop_app.core.bank import Question, Topic

    if not isinstance(question, Question):
        return "no question to export"
    try:
        from desktop_app.core.apkg import export_apkg
        from desktop_app.core.mdwrite import deck_to_markdown

        with tempfile.TemporaryDirectory(prefix="mlprep-smoke-") as folder:
            topic = Topic(question.topic_id, "Smoke test")
            export_apkg([(topic, [question])], Path(folder) / "smoke.apkg")
            deck_to_markdown(topic, [question])
    except Exception as exc:  # any failure here means the bundle is missing something
        return f"exporting failed ({type(exc).__name__}: {exc})"
    return None


def _probe_interviewer(app) -> str | None:  # type: ignore[no-untyped-def]
    """The mock interview's path: a worker thread that imports the SDK (bundled apps must carry it)."""
    from desktop_app.simulator.keys import KeyStore
    from desktop_app.simulator.requests import Request
    from desktop_app.simulator.vocab import RequestKind
    from desktop_app.ui.interviewer import WorkerHost

    host = WorkerHost(KeyStore())
    result: list[object] = []
    host.worker.done.connect(lambda _id, value: result.append(value))
    host.worker.failed.connect(lambda _id, kind, message, _p: result.append(RuntimeError(f"{kind}: {message}")))
    host.submit(Request(RequestKind.PROBE))
    deadline = time.monotonic() + 60
    while not result and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    host.shutdown()
    if not result or isinstance(result[0], Exception):
        print(
            f"smoke test failed: the interviewer's SDK did not load ({result[0] if result else 'timed out'})",
            file=sys.stderr,
        )
        return None
    return str(result[0])
