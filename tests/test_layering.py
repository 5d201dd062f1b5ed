"""The layering the project relies on: the core and the interviewer's logic import no Qt; no module outgrows its job.

Checked in a fresh interpreter so nothing another test imported can hide a dependency.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QT_FREE = ("desktop_app/core", "desktop_app/simulator")


def qt_free_modules() -> list[str]:
    modules = []
    for folder in QT_FREE:
        for path in sorted((REPO / folder).rglob("*.py")):
            parts = path.relative_to(REPO).with_suffix("").parts
            modules.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return modules


def test_core_and_simulator_import_no_qt() -> None:
    modules = qt_free_modules()
    assert (
        "desktop_app.core.store" in modules
        or "desktop_app.core.store.__init__" in modules
        or any(m.startswith("desktop_app.core.store") for m in modules)
    )
    program = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))))\n"
    )
    proc = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == [], "Qt imported by the Qt-free layers"


def test_the_check_sees_a_qt_import() -> None:
    """The check above can fail: the UI layer, run the same way, does import Qt."""
    program = "import json, sys, desktop_app.ui.theme\nprint(json.dumps('PySide6' in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert json.loads(proc.stdout) is True


MAX_MODULE_LINES = 500  # issue 11: a module past this has more than one job; split it along its seams


def test_no_module_is_over_the_line_budget_and_each_says_what_it_is_for() -> None:
    too_long, no_docstring = [], []
    for path in sorted((REPO / "desktop_app").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n") + (0 if text.endswith("\n") else 1)
        if lines > MAX_MODULE_LINES:
            too_long.append(f"{path.relative_to(REPO)}: {lines} lines")
        if path.name != "__init__.py" and not text.lstrip().startswith(('"""', "'''")):
            no_docstring.append(str(path.relative_to(REPO)))
    assert too_long == [], f"over {MAX_MODULE_LINES} lines: {too_long}"
    assert no_docstring == [], f"no module docstring: {no_docstring}"
