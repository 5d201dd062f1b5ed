"""A real, non-editable install into a fresh venv must find its bank and resources from anywhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import run_smoke_test

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_installed_app_passes_its_smoke_test_from_another_directory(tmp_path: Path) -> None:
    # Copy the tree so the build cannot leave files in the checkout, and so the installed app
    # cannot quietly fall back to reading the repo.
    source = tmp_path / "src"
    shutil.copytree(
        REPO, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info", "__pycache__")
    )
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    install = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-c",
            str(source / "constraints.txt"),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    shutil.rmtree(source)
    proc = run_smoke_test([str(bindir / "mlprep")], tmp_path / "data", tmp_path / "elsewhere")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "smoke test ok" in proc.stdout
    assert sys.executable not in proc.stdout
