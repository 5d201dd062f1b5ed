"""Where the bank, the resources and the user's data live: from source, installed, or frozen by PyInstaller."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "MLPrep"
_PACKAGE = Path(__file__).resolve().parent


def resource_path(name: str) -> Path:
    """A shipped folder ("question_data" or "resources") wherever the app runs from.

    Frozen builds unpack next to sys._MEIPASS; installs carry the folders inside the package;
    a source checkout has them at the top of the repo.
    """
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / name
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / name


def default_data_dir() -> Path:
    """MLPREP_DATA_DIR if set, else the platform's user data folder (never next to the executable)."""
    env = os.environ.get("MLPREP_DATA_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))
