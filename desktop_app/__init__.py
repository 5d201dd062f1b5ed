"""MLPrep: study and mock-interview app for machine-learning interviews."""

from __future__ import annotations


def _version() -> str:
    """The version set in pyproject.toml, found from a source checkout, an install or a frozen bundle."""
    import sys
    from pathlib import Path

    here = Path(__file__).resolve().parent
    candidates = [here.parent / "pyproject.toml"]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.insert(0, Path(frozen) / "pyproject.toml")
    for path in candidates:
        if path.is_file():
            # Read with a pattern, not a TOML parser: this runs on every start, before the first paint.
            import re

            try:
                text = path.read_text(encoding="utf-8")
            except OSError:
                continue
            project = re.search(r"^\[project\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
            if project and re.search(r'^name = "mlprep"$', project.group(1), re.M):
                found = re.search(r'^version = "([^"]+)"', project.group(1), re.M)
                if found:
                    return found.group(1)
    try:
        from importlib.metadata import version

        return version("mlprep")
    except Exception:
        return "0+unknown"


__version__ = _version()
