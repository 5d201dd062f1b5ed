"""The standalone app: PyInstaller builds the one-folder bundle, and its smoke test passes from elsewhere."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_smoke_test

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "packaging"))


@pytest.mark.slow
@pytest.mark.packaging
def test_bundle_builds_and_passes_its_smoke_test(tmp_path: Path) -> None:
    from build import build, executable  # packaging/build.py

    folder = build(dist=tmp_path / "dist", work=tmp_path / "work")
    exe = executable(folder)
    assert exe.is_file()
    internal = folder / "_internal"
    assert (internal / "question_data").is_dir() and (internal / "resources" / "prompts").is_dir()
    assert not (internal / "PySide6" / "Qt" / "translations").exists()  # trimmed
    data = tmp_path / "fresh-data"
    proc = run_smoke_test([str(exe)], data, tmp_path / "elsewhere")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "smoke test ok" in proc.stdout and "anthropic" in proc.stdout  # the SDK loaded in the worker thread
    assert "coding round ran " in proc.stdout, proc.stdout  # the bundle ran itself with --run-tests, numpy included
    assert (data / "mlprep.sqlite3").is_file()
    assert not any(p.suffix == ".sqlite3" for p in folder.rglob("*"))  # user data never next to the executable
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60).stdout
    import tomllib

    assert version.strip() == "mlprep " + tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]


def test_desktop_entry_and_icons_are_complete() -> None:
    entry = (REPO / "packaging" / "linux" / "mlprep.desktop").read_text(encoding="utf-8")
    for line in ("Type=Application", "Name=MLPrep", "Icon=mlprep", "Exec=@EXEC@", "Terminal=false"):
        assert line in entry
    icons = REPO / "resources" / "icons"
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        assert (icons / f"mlprep-{size}.png").stat().st_size > 0
    assert (icons / "mlprep.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (icons / "mlprep.icns").read_bytes()[:4] == b"icns"
