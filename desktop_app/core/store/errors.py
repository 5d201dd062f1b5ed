"""What can go wrong with the store, in words the user can act on: why, where, and what to do next."""

from __future__ import annotations

import shutil
from pathlib import Path


class StoreError(Exception):
    """The store cannot be used; the message says why and what to do, for the window and the terminal."""


class WriteError(StoreError):
    """One write did not land. Nothing was half-written (the transaction rolled back); the caller keeps
    what the user gave it and offers to retry. `kind` lets the UI choose its wording."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


def low_on_space(folder: Path, below: int = 32 * 1024 * 1024) -> bool:
    try:
        return shutil.disk_usage(folder).free < below
    except OSError:
        return False


def underlying(exc: BaseException) -> BaseException:
    """The error that started it. When SQLite rolls a transaction back by itself (a full disk, an I/O
    error), the rollback that follows fails with "cannot rollback - no transaction is active" and hides
    the real cause in the exception's context."""
    seen: set[int] = set()
    while "no transaction is active" in str(exc) and exc.__context__ is not None and id(exc) not in seen:
        seen.add(id(exc))
        exc = exc.__context__
    return exc


def describe_write_error(exc: BaseException, path: Path) -> WriteError:
    exc = underlying(exc)
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return WriteError(
            "locked",
            "The database is locked by another program (is MLPrep open twice, or is a backup or sync tool "
            "reading it?). Close it, then press Retry.",
        )
    if "full" in text or (("i/o" in text or "disk" in text) and low_on_space(path.parent)):
        return WriteError("full", f"The disk holding {path.parent} is full. Free some space, then press Retry.")
    if "readonly" in text or "read-only" in text:
        return WriteError(
            "readonly", f"{path} cannot be written (read-only file or folder). Fix its permissions, then press Retry."
        )
    if "malformed" in text or "corrupt" in text or "not a database" in text:
        return WriteError(
            "damaged",
            f"{path} is damaged ({exc}). Nothing more will be written to it: quit MLPrep and restore a backup.",
        )
    if "i/o" in text:
        return WriteError("io", f"The disk reported an error writing {path} ({exc}). Check the disk, then press Retry.")
    return WriteError("other", f"Saving to {path} failed ({exc}). Press Retry.")
