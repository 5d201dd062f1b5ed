"""Opening the readiness dashboard on 100,000 questions and 1,000,000 review-log rows; reviewing in the Due queue.

Run by hand:  QT_QPA_PLATFORM=offscreen python bench/dashboard_speed.py [--questions 100000 --reviews 1000000]
Budget (issue 7): dashboard open (data + widgets + first paint) <= 200 ms; scoring a due question within the
per-keystroke budget of issue 2 (p99 16 ms). Printed beside the machine baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.common import machine_baseline_ms, percentile, store_with_history, timed_ms


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    args = parser.parse_args()

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop_app.core import dashboard
    from desktop_app.ui.dashboard import dashboard_window
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.sidebar import DUE

    base = machine_baseline_ms()
    print(f"machine baseline (fixed CPU workload): {base:.1f} ms")
    tmp = Path(tempfile.mkdtemp(prefix="mlprep-dash-"))
    store, studied = store_with_history(tmp, args.questions, args.reviews)
    app = QApplication.instance() or QApplication(["bench"])
    opens = []
    for _ in range(7):

        def open_and_paint() -> None:
            window = dashboard_window(dashboard.build(store))
            window.show()
            app.processEvents()
            window.close()
            window.deleteLater()

        opens.append(timed_ms(open_and_paint))
        app.processEvents()
    print(
        f"dashboard open (data + widgets + paint): median {statistics.median(opens):.0f} ms, "
        f"max {max(opens):.0f} ms over 7 opens (budget 200 ms; median = {statistics.median(opens) / base:.1f}x baseline)"
    )

    data_ms = [timed_ms(lambda: dashboard.build(store)) for _ in range(5)]
    print(f"  of which the numbers (dashboard.build): median {statistics.median(data_ms):.0f} ms")

    window = MainWindow(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat))
    window.attach(store)
    window.show()
    window.sidebar.select_topic(DUE)
    app.processEvents()
    print(f"Due queue: {window.list_model.rowCount():,} questions")
    scores = [
        timed_ms(lambda i=i: (window.study.score(("weak", "ok", "strong")[i % 3]), app.processEvents()))
        for i in range(200)
    ]
    print(
        f"score a due question (+ next, rendered): p50 {percentile(scores, 50):.2f} ms, p99 {percentile(scores, 99):.2f} ms "
        f"(budget p99 16 ms; p99 = {percentile(scores, 99) / base:.2f}x baseline)"
    )
    window.close()
    store.close()


if __name__ == "__main__":
    main()
