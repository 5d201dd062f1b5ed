"""Start to first paint: MLPrep from source vs a bare PySide6 window, measured in the same run.

Run by hand:  python bench/startup.py [--runs 9]
Budget (issue 2): MLPrep within 1.5x of the bare window. Uses the offscreen platform unless
QT_QPA_PLATFORM is set, and a data dir that is already synced (the usual start).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

BARE = """
import time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication([])
w = QMainWindow(); w.setCentralWidget(QLabel("hello")); w.resize(1280, 800)
class F(QObject):
    def eventFilter(self, o, e):
        if e.type() == QEvent.Type.Paint:
            print(f"first-paint {time.time():.6f}", flush=True); app.quit()
        return False
f = F(); w.installEventFilter(f); w.show(); app.exec()
"""


def first_paint_ms(cmd: list[str], env: dict[str, str], marker: str = "first-paint") -> float:
    start = time.time()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120, cwd=REPO).stdout
    line = next(x for x in out.splitlines() if x.startswith(marker + " "))
    return (float(line.split()[1]) - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"), "PYTHONPATH": str(REPO)}
    data = Path(tempfile.mkdtemp(prefix="mlprep-startup-"))
    app_cmd = [sys.executable, "-m", "desktop_app.app", "--data-dir", str(data)]
    subprocess.run([*app_cmd, "--smoke-test"], check=True, capture_output=True, env=env, cwd=REPO)  # first sync
    env_app = {**env, "MLPREP_EXIT_AFTER_FIRST_PAINT": "1"}
    env_loaded = {**env, "MLPREP_EXIT_AFTER_LOADED": "1"}
    bare, app, loaded = [], [], []
    for _ in range(args.runs):  # interleaved, so load on the machine hits both alike
        bare.append(first_paint_ms([sys.executable, "-c", BARE], env))
        app.append(first_paint_ms(app_cmd, env_app))
        loaded.append(first_paint_ms(app_cmd, env_loaded, marker="loaded"))
    b, a, c = statistics.median(bare), statistics.median(app), statistics.median(loaded)
    print(f"bare PySide6 window      : median {b:.0f} ms (min {min(bare):.0f}) over {args.runs} runs  <- baseline")
    print(f"MLPrep first paint       : median {a:.0f} ms (min {min(app):.0f})  ratio {a / b:.2f}x (budget 1.5x)")
    print(
        f"MLPrep question on screen: median {c:.0f} ms (min {min(loaded):.0f})  ratio {c / b:.2f}x (store opened, bank synced, list filled, first question painted)"
    )
    check = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import desktop_app.app, desktop_app.ui.main_window"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
    )
    heavy = [line for line in check.stderr.splitlines() if "anthropic" in line]
    print("anthropic imported on the start path:", "YES" if heavy else "no")


if __name__ == "__main__":
    main()
