"""The integrity check's cost: PRAGMA quick_check over the whole store, at 100,000 questions.

Run by hand:  python bench/integrity.py [--questions 100000 --reviews 200000]

The check reads every page, so it grows with the store; the window runs it on a worker thread (writes
wait for its verdict) so that start-up does not. Printed beside the machine baseline and the time the
same store takes to open without the check.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine_baseline_ms, store_with_history


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--reviews", type=int, default=200_000)
    args = parser.parse_args()
    from desktop_app.core.store import Store

    base = machine_baseline_ms()
    tmp = Path(tempfile.mkdtemp(prefix="mlprep-integrity-"))
    store, _ = store_with_history(tmp, args.questions, args.reviews)
    path = store.path  # type: ignore[attr-defined]
    store.close()  # type: ignore[attr-defined]
    size = path.stat().st_size / 1e6
    opens, checks = [], []
    for _ in range(5):
        t = time.perf_counter()
        s = Store.open(path, verify=False)
        opens.append((time.perf_counter() - t) * 1000)
        s.verdict()
        t = time.perf_counter()
        assert s.verify() is None
        checks.append((time.perf_counter() - t) * 1000)
        s.close()
    print(
        f"machine baseline: {base:.1f} ms; store: {size:.0f} MB, {args.questions:,} questions, {args.reviews:,} reviews"
    )
    print(f"open without the check: median {statistics.median(opens):.0f} ms")
    print(
        f"quick_check: median {statistics.median(checks):.0f} ms ({statistics.median(checks) / base:.1f}x baseline), "
        "run on a worker thread after the first question is shown"
    )


if __name__ == "__main__":
    main()
