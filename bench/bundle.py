"""The standalone bundle: folder and .tar.gz sizes against a hello-world baseline, and start-up (to the first question) frozen vs source.

Run by hand (builds both bundles first, about a minute):  python bench/bundle.py [--runs 9] [--no-build]
Budgets (issue 8): bundle within 1.2x of the trimmed hello-world PySide6 Widgets bundle built by the same spec;
frozen start to first question within 1.2x of running from source. Both baselines are measured in the same run.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "packaging"))
sys.path.insert(0, str(REPO))

from bench.startup import first_question_ms  # noqa: E402


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def targz_size(path: Path) -> int:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6) as tar:
        tar.add(path, arcname=path.name)
    return buffer.tell()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args()
    from build import build, executable  # packaging/build.py

    hello = REPO / "dist" / "hello" if args.no_build else build(hello=True)
    app = REPO / "dist" / "MLPrep" if args.no_build else build()
    mb = 1024 * 1024
    hs, as_ = folder_size(hello), folder_size(app)
    hz, az = targz_size(hello), targz_size(app)
    print(f"hello-world bundle (baseline): {hs / mb:.0f} MB folder, {hz / mb:.0f} MB .tar.gz")
    print(f"MLPrep bundle:                 {as_ / mb:.0f} MB folder, {az / mb:.0f} MB .tar.gz")
    print(f"ratio: folder {as_ / hs:.2f}x, .tar.gz {az / hz:.2f}x (budget 1.2x)")

    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    env.pop("PYTHONPATH", None)
    data = Path(tempfile.mkdtemp(prefix="mlprep-bundle-"))
    frozen = [str(executable(app)), "--data-dir", str(data)]
    source = [sys.executable, "-m", "desktop_app.app", "--data-dir", str(data)]
    src_env = {**env, "PYTHONPATH": str(REPO), "MLPREP_EXIT_AFTER_LOADED": "1"}
    frz_env = {**env, "MLPREP_EXIT_AFTER_LOADED": "1"}
    import subprocess

    subprocess.run([*frozen, "--smoke-test"], check=True, capture_output=True, env=env)
    from_source, from_bundle = [], []
    for _ in range(args.runs):
        from_source.append(first_question_ms(source, src_env))
        from_bundle.append(first_question_ms(frozen, frz_env))
    s, f = statistics.median(from_source), statistics.median(from_bundle)
    print(
        f"start to first question: from source {s:.0f} ms (baseline), frozen {f:.0f} ms: ratio {f / s:.2f}x "
        "(budget 1.2x)"
    )


if __name__ == "__main__":
    main()
