"""The API key: from ANTHROPIC_API_KEY, else the operating system's keychain, else this run only.

The key is never written to the database, the settings file, logs or exports.
"""

from __future__ import annotations

import os
import threading

SERVICE = "MLPrep"
ACCOUNT = "anthropic-api-key"


class KeyStore:
    """Where the key came from matters to the user, so every answer says it."""

    def __init__(self) -> None:
        self._session_key: str | None = None
        self._lock = threading.Lock()

    def get(self) -> tuple[str | None, str]:
        """(key, where from). Reads the keychain, which can be slow: call it off the UI thread."""
        env = os.environ.get("ANTHROPIC_API_KEY", "").strip()
        if env:
            return env, "the ANTHROPIC_API_KEY environment variable"
        with self._lock:
            if self._session_key:
                return self._session_key, "this run only (no keychain)"
        try:
            import keyring

            stored = keyring.get_password(SERVICE, ACCOUNT)
        except Exception:
            stored = None
        if stored:
            return stored, "the system keychain"
        return None, ""

    def save(self, key: str) -> str:
        """Store the key; returns a sentence for the user saying where it went."""
        key = key.strip()
        if not key:
            return "No key entered."
        try:
            import keyring
            from keyring.backends.fail import Keyring as FailKeyring

            if isinstance(keyring.get_keyring(), FailKeyring):
                raise RuntimeError("no keychain backend")
            keyring.set_password(SERVICE, ACCOUNT, key)
        except Exception as exc:
            with self._lock:
                self._session_key = key
            return (
                f"No system keychain is available ({exc}). The key is kept for this run only; "
                "set ANTHROPIC_API_KEY to use it every time."
            )
        with self._lock:
            self._session_key = None
        return "Saved in the system keychain."

    def forget(self) -> None:
        with self._lock:
            self._session_key = None
        try:
            import keyring

            keyring.delete_password(SERVICE, ACCOUNT)
        except Exception:
            pass
