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
            import tomllib

            try:
                project = tomllib.loads(path.read_text(encoding="utf-8"))["project"]
            except (OSError, KeyError, tomllib.TOMLDecodeError):
                continue
            if project.get("name") == "mlprep":
                return str(project["version"])
    try:
        from importlib.metadata import version

        return version("mlprep")
    except Exception:
        return "0+unknown"


__version__ = _version()
