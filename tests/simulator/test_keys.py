"""The API key: environment first, then the keychain, else this run only; never in MLPrep's files."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend

from desktop_app.simulator.keys import ACCOUNT, SERVICE, KeyStore


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_saved_key_goes_to_the_keychain(memory_keyring: MemoryKeyring) -> None:
    keys = KeyStore()
    assert keys.get() == (None, "")
    assert keys.save("  sk-ant-abc  ") == "Saved in the system keychain."
    assert memory_keyring.items[(SERVICE, ACCOUNT)] == "sk-ant-abc"
    assert keys.get() == ("sk-ant-abc", "the system keychain")
    keys.forget()
    assert keys.get() == (None, "")


def test_environment_wins(memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    memory_keyring.set_password(SERVICE, ACCOUNT, "from-keychain")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "from-env")
    assert KeyStore().get() == ("from-env", "the ANTHROPIC_API_KEY environment variable")


def test_without_a_keychain_the_key_is_kept_for_this_run_only() -> None:
    from keyring.backends.fail import Keyring as FailKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    try:
        keys = KeyStore()
        message = keys.save("sk-ant-xyz")
        assert "No system keychain is available" in message and "this run only" in message
        assert keys.get() == ("sk-ant-xyz", "this run only (no keychain)")
        assert KeyStore().get() == (None, "")  # a new run does not have it
    finally:
        keyring.set_keyring(previous)
