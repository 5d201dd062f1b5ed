"""The coding round: how long from Run to results for a bank question, and the longest UI stall while a run
streams output, through the real CodingPanel and its child process.

Run by hand:  QT_QPA_PLATFORM=offscreen python bench/coding.py [--runs 9]
Budgets (issue 16): no event-loop stall over 16 ms while tests run and print; Run to results as close as
it can be to the cost of starting a Python process that imports numpy, which is measured in this run as
the baseline (the floor no child-process runner can beat).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.common import LoopProbe, machine_baseline_ms

CHATTY = '''
import time

def chatter(n):
    """Prints for a while: a run that streams output."""
    for i in range(n):
        print(f"step {i}: " + "x" * 60)
        if i % 1000 == 0:
            time.sleep(0.05)
    return n
'''
CHATTY_TESTS = "def test_chatter():\n    assert chatter(12000) == 12000\n"  # about 850 KB, under the 1 MB cap


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from desktop_app.core.bank import load_bank
    from desktop_app.core.coderun import Limits
    from desktop_app.paths import resource_path
    from desktop_app.ui.coding_panel import CodingPanel

    base = machine_baseline_ms()
    app = QApplication.instance() or QApplication(["bench"])
    bank, _ = load_bank([resource_path("question_data")])
    question = next(q for q in bank.questions if q.tests and q.solution and "numpy" in q.solution)
    panel = CodingPanel(Limits(wall_s=30, cpu_s=30))
    panel.resize(900, 700)
    panel.show()
    probe = LoopProbe()
    probe.run(app, lambda: False, timeout=1.0)
    idle = max(probe.gaps)

    floor = []
    for _ in range(args.runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-I", "-c", "import numpy"], check=True)
        floor.append((time.perf_counter() - t) * 1000)

    def run_once(code: str) -> tuple[float, float]:
        done: list[object] = []
        panel.ran.connect(lambda result, _code: done.append(result))
        panel.editor.set_text(code)
        started = time.perf_counter()
        took = probe.run(app, lambda: bool(done), timeout=60, action=panel.run)
        panel.ran.disconnect()
        if not (done and done[0].all_passed):  # type: ignore[attr-defined]
            raise SystemExit(f"the run did not pass: {done[0].phase if done else 'no result'}")  # type: ignore[attr-defined]
        return (time.perf_counter() - started) * 1000, max(probe.gaps) if probe.gaps else took

    panel.load(question, question.solution)
    typical = [run_once(question.solution or "")[0] for _ in range(args.runs)]

    chatty = dataclasses.replace(question, solution=CHATTY, tests=CHATTY_TESTS)
    panel.load(chatty, CHATTY)
    stalls = [run_once(CHATTY)[1] for _ in range(3)]

    f, r = statistics.median(floor), statistics.median(typical)
    print(f"machine baseline (fixed CPU workload): {base:.1f} ms; idle event loop's longest gap: {idle:.1f} ms")
    print(f"python -I -c 'import numpy' (the floor):  median {f:.0f} ms over {args.runs} runs  <- baseline")
    print(
        f"Run to results, '{question.id}' ({len(question.tests or '')} chars of tests): median {r:.0f} ms, "
        f"max {max(typical):.0f} ms  ({r / f:.2f}x the floor)"
    )
    print(
        f"longest event-loop stall while a run streams 850 KB of output: {max(stalls):.1f} ms "
        f"(budget 16 ms; {max(stalls) / idle:.1f}x the idle loop's longest gap)"
    )
    panel.shutdown()


if __name__ == "__main__":
    main()
