"""The bank's folders, and the user's store opened and synced with them (for the window, the CLI and decks)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.paths import resource_path

if TYPE_CHECKING:
    from desktop_app.core.store import Store, SyncReport
    from desktop_app.core.store.banksync import SyncProgress


def bank_paths(bank: Path | None = None, data_dir: Path | None = None) -> list[Path]:
    """The questions to study: the bank shipped inside the app (or a folder given with --bank or
    $MLPREP_BANK_DIR in its place, for deck authors and benchmarks), and the user's decks in the data dir."""
    shipped = [bank] if bank is not None else [resource_path("question_data")]
    decks = data_dir / "decks" if data_dir is not None else None
    return shipped + ([decks] if decks is not None and decks.is_dir() else [])


def sync_bank(store: Store, bank: Path | None = None, progress: SyncProgress | None = None) -> SyncReport:
    """Bring the store up to date with the bank; raises StoreError, never a raw database error (a damaged
    page can surface during the sync's reads). Runs on any thread, with that thread's connection."""
    import sqlite3

    import peewee

    from desktop_app.core.store import StoreError

    try:
        return store.bank.sync(bank_paths(bank, store.path.parent), progress=progress)
    except (peewee.DatabaseError, sqlite3.Error, StoreError) as exc:
        problem = store.damaged or f"{store.path} could not be read ({exc}). It was left as it was."
        raise StoreError(problem) from exc


def open_synced_store(
    data_dir: Path, verify: bool = True, bank: Path | None = None, progress: SyncProgress | None = None
) -> tuple[Store, SyncReport]:
    """Open the user's store and bring it up to date with the bank; raises StoreError.

    With verify=False the integrity check runs on a worker thread (writes wait for its verdict), which the
    window uses so that start-up does not grow with the size of the store.
    """
    from desktop_app.core.store import StoreError, open_store

    store = open_store(data_dir, verify=verify)
    try:
        return store, sync_bank(store, bank, progress)
    except StoreError:
        store.close()
        raise
