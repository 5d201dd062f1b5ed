"""Changing the desired retention with a million reviews: the window must not freeze.

Run by hand:  QT_QPA_PLATFORM=offscreen python bench/reschedule.py [--questions 100000 --reviews 1000000]

Before issue 11, saving the study settings replayed the whole review log on the UI thread. Now the settings
are saved at once and the due dates move in a background job with a progress bar. Printed: the time the
old path froze the window (a full replay, measured here), the longest event-loop stall while the new path
runs, and the idle loop's longest gap in the same run as the baseline.
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

from bench.common import LoopProbe, percentile, store_with_history


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=1_000_000)
    args = parser.parse_args()

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop_app.core.schedule import StudyConfig
    from desktop_app.ui import background
    from desktop_app.ui.main_window import MainWindow

    tmp = Path(tempfile.mkdtemp(prefix="mlprep-resched-"))
    store, _studied = store_with_history(tmp, args.questions, args.reviews)
    t = time.perf_counter()
    store.sched.set_config(StudyConfig(desired_retention=0.85))
    store.sched.rebuild()  # what saving the settings did before: the whole log, on the calling thread
    old_freeze = time.perf_counter() - t

    app = QApplication.instance() or QApplication(["bench"])
    window = MainWindow(QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat))
    window.attach(store)  # type: ignore[arg-type]
    window.show()
    app.processEvents()
    probe = LoopProbe()
    probe.run(app, lambda: False, timeout=1.0)
    idle = list(probe.gaps)
    window.apply_study_settings(StudyConfig(desired_retention=0.92))
    took = probe.run(app, lambda: not background.busy(), timeout=300)
    busy = list(probe.gaps)
    print(f"old path (replay the log on the UI thread): window frozen {old_freeze:.1f} s")
    print(f"idle event loop (baseline):  longest gap {max(idle):.1f} ms, p99 {percentile(idle, 99):.1f} ms")
    print(
        f"while rescheduling in the background ({took:.2f} s to finish): longest gap {max(busy):.1f} ms, "
        f"p99 {percentile(busy, 99):.1f} ms (budget: no stall over 16 ms; "
        f"{max(busy) / max(idle):.1f}x the idle loop's longest gap)"
    )
    window.close()
    background.shutdown()
    store.close()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
