"""Start to first question painted, and idle memory: a bare PySide6 window, MLPrep with the shipped bank,
and MLPrep with a 100,000-question bank (`--bank`), measured in the same run.

Run by hand:  python bench/startup.py [--runs 9 --questions 100000]
Budgets (issue 14): first question at 100k within 1.2x of the shipped bank; the shipped bank within 1.5x
of the bare window; idle memory (PSS) at 100k within 2x the bare window. Uses the offscreen platform
unless QT_QPA_PLATFORM is set, and data dirs that are already synced (the usual start).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import data_dir_with, pss_mb, synced_bank

REPO = Path(__file__).resolve().parent.parent

BARE = """
import os, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication([])
w = QMainWindow(); w.setCentralWidget(QLabel("hello")); w.resize(1280, 800)
class F(QObject):
    def eventFilter(self, o, e):
        if e.type() == QEvent.Type.Paint and not getattr(self, "done", False):
            self.done = True
            print(f"loaded {time.time():.6f}", flush=True); print(f"settled {time.time():.6f}", flush=True)
            if os.environ.get("MLPREP_EXIT_AFTER_LOADED") != "stay": app.quit()
        return False
f = F(); w.installEventFilter(f); w.show(); app.exec()
"""


def first_question_ms(cmd: list[str], env: dict[str, str], marker: str = "loaded") -> float:
    start = time.time()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300, cwd=REPO).stdout
    line = next(x for x in out.splitlines() if x.startswith(marker + " "))
    return (float(line.split()[1]) - start) * 1000


def idle_pss_mb(cmd: list[str], env: dict[str, str], idle_s: float = 3.0) -> float:
    """Start, wait until the whole list is there, let it idle, read its PSS, stop it."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env, cwd=REPO)
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("settled "):
                break
        time.sleep(idle_s)
        return pss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--questions", type=int, default=100_000)
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"), "PYTHONPATH": str(REPO)}
    # Installed and bundled apps start from compiled bytecode; a sandbox that forbids writing it would
    # make every run compile MLPrep's modules again (40 ms here) and measure something no user sees.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    app = [sys.executable, "-m", "desktop_app.app"]
    shipped_data = data_dir_with_shipped(app, env)
    bank, store = synced_bank(args.questions)
    big_data = data_dir_with(store)
    shipped_cmd = [*app, "--data-dir", str(shipped_data)]
    big_cmd = [*app, "--data-dir", str(big_data), "--bank", str(bank)]
    bare_cmd = [sys.executable, "-c", BARE]
    subprocess.run([*big_cmd, "--smoke-test"], check=True, capture_output=True, env=env, cwd=REPO)  # warm caches
    quit_env = {**env, "MLPREP_EXIT_AFTER_LOADED": "1"}
    shell_env = {**env, "MLPREP_EXIT_AFTER_FIRST_PAINT": "1"}
    bare, shell, shipped, big = [], [], [], []
    for _ in range(args.runs):  # interleaved, so load on the machine hits all of them alike
        bare.append(first_question_ms(bare_cmd, quit_env))
        shell.append(first_question_ms(shipped_cmd, shell_env, marker="first-paint"))
        shipped.append(first_question_ms(shipped_cmd, quit_env))
        big.append(first_question_ms(big_cmd, quit_env))
    b, w, s, g = (statistics.median(x) for x in (bare, shell, shipped, big))
    print(
        f"bare PySide6 window painted        : median {b:.0f} ms (min {min(bare):.0f}) over {args.runs} runs  <- baseline"
    )
    print(
        f"MLPrep window painted (empty)      : median {w:.0f} ms (min {min(shell):.0f})  {w / b:.2f}x the bare window"
    )
    print(
        f"MLPrep, shipped bank, 1st question : median {s:.0f} ms (min {min(shipped):.0f})  "
        f"{s / b:.2f}x the bare window (budget 1.5x)"
    )
    print(
        f"MLPrep, {args.questions:,} questions, 1st q. : median {g:.0f} ms (min {min(big):.0f})  "
        f"{g / s:.2f}x the shipped bank (budget 1.2x), {g / b:.2f}x the bare window"
    )
    stay = {**env, "MLPREP_EXIT_AFTER_LOADED": "stay"}
    mem_bare = statistics.median(idle_pss_mb(bare_cmd, stay) for _ in range(3))
    mem_shipped = statistics.median(idle_pss_mb(shipped_cmd, stay) for _ in range(3))
    mem_big = statistics.median(idle_pss_mb(big_cmd, stay) for _ in range(3))
    print(f"idle memory (PSS), bare window     : {mem_bare:.0f} MB  <- baseline")
    print(f"idle memory (PSS), shipped bank    : {mem_shipped:.0f} MB  {mem_shipped / mem_bare:.2f}x")
    print(f"idle memory (PSS), {args.questions:,} questions: {mem_big:.0f} MB  {mem_big / mem_bare:.2f}x (budget 2x)")
    check = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import desktop_app.app, desktop_app.ui.main_window"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
    )
    heavy = [line for line in check.stderr.splitlines() if "anthropic" in line]
    print("anthropic imported on the start path:", "YES" if heavy else "no")


def data_dir_with_shipped(app: list[str], env: dict[str, str]) -> Path:
    import tempfile

    data = Path(tempfile.mkdtemp(prefix="mlprep-startup-"))
    subprocess.run([*app, "--data-dir", str(data), "--smoke-test"], check=True, capture_output=True, env=env, cwd=REPO)
    return data


if __name__ == "__main__":
    main()
