"""Test set-up: Qt offscreen, and HOME and the data dir pointed at temporary folders so no test touches yours."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.simulator.fake_anthropic import FakeAnthropic

if TYPE_CHECKING:
    from desktop_app.core.deckimport import MarkdownDeck

os.environ["QT_QPA_PLATFORM"] = "offscreen"
_FAKE_HOME = tempfile.mkdtemp(prefix="mlprep-test-home-")
for var in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
    os.environ[var] = _FAKE_HOME
os.environ.pop("MLPREP_DATA_DIR", None)
# No test may reach the internet or a real keychain; tests that need a key or a server set their own.
os.environ.pop("ANTHROPIC_API_KEY", None)
os.environ["ANTHROPIC_BASE_URL"] = "http://127.0.0.1:9"  # the discard port: refused at once
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"

REPO = Path(__file__).resolve().parent.parent
SHIPPED_BANK = REPO / "question_data"


@pytest.fixture(autouse=True)
def _data_dir_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("MLPREP_DATA_DIR", str(data))
    return data


@pytest.fixture
def data_dir(_data_dir_env: Path) -> Path:
    return _data_dir_env


QUESTION_TEMPLATE = """
[[questions]]
id = "{qid}"
question = "{question}"
level = "{level}"
tags = ["{tag}"]
answer = '''
{answer}
'''
follow_ups = ["Why?", "What if the data doubles?", "How would you test it?"]
[questions.rubric]
strong = "Names the key idea of {qid}."
ok = "Mentions it loosely."
weak = "Confuses it with something else."
"""


def write_topic(
    folder: Path, topic_id: str, questions: list[dict[str, str]], title: str | None = None, order: int = 10
) -> Path:
    """A small valid topic file; each question dict needs qid, and may set question, level, answer, tag."""
    folder.mkdir(parents=True, exist_ok=True)
    parts = [f'[topic]\nid = "{topic_id}"\ntitle = "{title or topic_id.title()}"\norder = {order}\n']
    for q in questions:
        parts.append(
            QUESTION_TEMPLATE.format(
                qid=q["qid"],
                question=q.get("question", f"What is {q['qid']}?"),
                level=q.get("level", "beginner"),
                tag=q.get("tag", "general"),
                answer=q.get("answer", f"The answer about {q['qid']}."),
            )
        )
    path = folder / f"{topic_id}.toml"
    path.write_text("".join(parts), encoding="utf-8")
    return path


def still_valid(deck: MarkdownDeck) -> None:
    """Whatever an importer's read returns, the bank's validator accepts."""
    from desktop_app.core import bank, deckfile

    if deck.topic is None:
        assert deck.questions == []
        return
    _topic, parsed, found = bank.parse_text(deckfile.dump_deck(deck.topic, deck.questions), "x")
    assert found == [] and parsed == deck.questions


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAnthropic]:
    """The local fake of the Messages API, with the real SDK pointed at it by base URL."""
    with FakeAnthropic() as server:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.base_url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key-never-stored")
        yield server


def run_smoke_test(command: list[str], data_dir: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """An installed or frozen `mlprep --smoke-test`, run from `cwd` with a fresh data dir and no
    repo on the path, so it must find its own bank and resources."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MLPREP_DATA_DIR")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    cwd.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [*command, "--smoke-test", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )


def damage_interior_page(path: Path) -> bytes:
    """Zero one page in the middle of an SQLite file (not the header page), as a failing disk might;
    returns the damaged bytes so a test can check nothing wrote to the file afterwards."""
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    # The review table's root page: damage there is what broke scoring silently before.
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'review'").fetchone()[0]
    con.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    data[start : start + page_size] = bytes(page_size)
    path.write_bytes(bytes(data))
    return bytes(data)


class LockHolder:
    """Another process that holds the store's write lock (BEGIN IMMEDIATE) until released."""

    def __init__(self, path: Path):
        program = (
            "import sqlite3, sys\n"
            "con = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "con.execute('BEGIN IMMEDIATE')\n"
            "print('locked', flush=True)\n"
            "sys.stdin.readline()\n"
            "con.rollback()\n"
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-c", program, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.proc.stdout is not None and self.proc.stdout.readline().strip() == "locked"

    def release(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("\n")
        self.proc.stdin.close()
        self.proc.wait(10)
        assert self.proc.stdout is not None
        self.proc.stdout.close()
