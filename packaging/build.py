"""Build the standalone one-folder app under dist/ (and, with --hello, the hello-world size baseline).

    python packaging/build.py            ->  dist/MLPrep/ (Linux, Windows) or dist/MLPrep.app (macOS)
    python packaging/build.py --hello    ->  dist/hello/

Run it from an environment where MLPrep and PyInstaller are installed (pip install -e '.[packaging]').
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(hello: bool = False, dist: Path | None = None, work: Path | None = None) -> Path:
    env = {**os.environ, "MLPREP_BUNDLE": "hello" if hello else "app"}
    dist = dist or ROOT / "dist"
    work = work or ROOT / "build" / ("hello" if hello else "app")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(ROOT / "packaging" / "mlprep.spec"),
        ],
        check=True,
        env=env,
        cwd=ROOT,
    )
    name = "hello" if hello else "MLPrep"
    return dist / name


def executable(folder: Path) -> Path:
    name = folder.name
    return folder / (name + ".exe" if os.name == "nt" else name)


if __name__ == "__main__":
    out = build(hello="--hello" in sys.argv)
    print(f"built {out}")
