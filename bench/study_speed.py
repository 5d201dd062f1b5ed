"""Search-as-you-type, next question and start-up sync on a synthetic bank of 100,000 questions.

Run by hand:  QT_QPA_PLATFORM=offscreen python bench/study_speed.py [--questions 100000]
Budgets (issue 2): search p99 <= 16 ms per keystroke, next question p99 <= 16 ms, unchanged sync <= 50 ms.
Each figure is printed with the machine baseline (a fixed CPU workload) measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.common import EVERYWHERE, machine_baseline_ms, percentile, timed_ms, write_synthetic_bank


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=100_000)
    args = parser.parse_args()

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop_app.core.store import Store
    from desktop_app.ui.main_window import MainWindow

    base = machine_baseline_ms()
    print(f"machine baseline (fixed CPU workload): {base:.1f} ms")
    tmp = Path(tempfile.mkdtemp(prefix="mlprep-bench-"))
    bank = write_synthetic_bank(tmp / "bank", args.questions)
    store = Store.open(tmp / "data" / "mlprep.sqlite3")
    t = time.perf_counter()
    report = store.bank.sync([bank])
    assert not report.problems, report.problems[:3]
    print(f"first sync of {report.added:,} questions: {(time.perf_counter() - t):.1f} s (one-time, not budgeted)")

    syncs = [timed_ms(lambda: store.bank.sync([bank])) for _ in range(30)]
    print(
        f"unchanged-bank sync: median {percentile(syncs, 50):.2f} ms, max {max(syncs):.2f} ms "
        f"(budget 50 ms; {max(syncs) / base:.2f}x baseline)"
    )

    app = QApplication.instance() or QApplication(["bench"])
    settings = QSettings(str(tmp / "data" / "settings.ini"), QSettings.Format.IniFormat)
    t = time.perf_counter()
    window = MainWindow(settings)
    window.attach(store)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    print(
        f"window with 'All questions' ({window.list_model.rowCount():,} rows) built in {(time.perf_counter() - t) * 1000:.0f} ms"
    )

    # Search as you type: every prefix of each query is one keystroke, through the real search box.
    queries = [EVERYWHERE, "gra", "ra to", "moka ve", "dient su pe", f"{EVERYWHERE} gra li", "x", "zzz"]

    def type_queries() -> list[float]:
        times = []
        for q in queries:
            for i in range(1, len(q) + 1):
                times.append(timed_ms(lambda q=q, i=i: (window.search_box.setText(q[:i]), app.processEvents())))
            window.search_box.clear()
            app.processEvents()
        return times

    keystrokes = type_queries() + type_queries() + type_queries()
    print(
        f"search keystroke ({len(keystrokes)} keystrokes, list + first result rendered): "
        f"p50 {percentile(keystrokes, 50):.2f} ms, p99 {percentile(keystrokes, 99):.2f} ms, max {max(keystrokes):.2f} ms "
        f"(budget p99 16 ms; p99 = {percentile(keystrokes, 99) / base:.2f}x baseline)"
    )

    # The same keystrokes within one topic and level (a filtered search).
    window.sidebar.select_topic("synthetic-3")
    window.level_filter.setCurrentIndex(window.level_filter.findData("advanced"))
    filtered = type_queries()
    print(
        f"search keystroke within a topic and level: p50 {percentile(filtered, 50):.2f} ms, "
        f"p99 {percentile(filtered, 99):.2f} ms"
    )
    window.sidebar.select_topic("")
    window.level_filter.setCurrentIndex(0)
    app.processEvents()

    window.search_box.setText(EVERYWHERE)
    app.processEvents()
    print(
        f"  '{EVERYWHERE}' matches every question; the list shows the best {window.list_model.rowCount():,} of the bounded candidate set"
    )
    window.search_box.clear()
    app.processEvents()

    steps: list[float] = []
    for i in range(400):
        steps.append(
            timed_ms(
                lambda i=i: (
                    window.study.next_question(),
                    window.study.toggle_reveal() if i % 2 else None,
                    app.processEvents(),
                )
            )
        )
    print(
        f"next question (+ reveal every other, rendered): p50 {percentile(steps, 50):.2f} ms, "
        f"p99 {percentile(steps, 99):.2f} ms (budget 16 ms; p99 = {percentile(steps, 99) / base:.2f}x baseline)"
    )

    scores: list[float] = []
    for i in range(200):
        scores.append(timed_ms(lambda i=i: (window.study.score(("weak", "ok", "strong")[i % 3]), app.processEvents())))
    print(
        f"score + next (writes the review log): p50 {percentile(scores, 50):.2f} ms, p99 {percentile(scores, 99):.2f} ms"
    )
    window.close()
    store.close()


if __name__ == "__main__":
    main()
