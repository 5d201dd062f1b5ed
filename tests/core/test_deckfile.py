"""Writing decks as bank TOML: the text reads back to the same questions, and a save never leaves half a file."""

from __future__ import annotations

import os
import random
import re
import signal
import stat
import subprocess
import sys
import time
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from desktop_app.core import bank, deckfile
from desktop_app.core.bank import SLUG_RE, Question, Rubric, Topic
from tests.conftest import REPO, SHIPPED_BANK

NASTY = [
    "plain words",
    "a \"double\" and a 'single' quote",
    "backslashes \\ \\n \\t \\u0041 C:\\path\\",
    "ends with a backslash \\",
    "triple single ''' inside",
    'triple double """ inside',
    '"""',
    "'''",
    '""""""""',
    '"starts with a quote',
    'ends with a quote"',
    'ends with two quotes""',
    "ends with an apostrophe'",
    "'",
    '"',
    "tab\there\tand\tthere",
    "line one\nline two",
    "\nstarts with a newline",
    "ends with a newline\n",
    "\n\n  surrounded by blank lines  \n\n",
    "windows\r\nline\r\nends\r\n",
    "a lone \r carriage return",
    "unicode: é ü ß 中文 日本語 😀 α∑ σ(wᵀx + b) ≤ ≠ →",
    "controls \x00 \x01 \x07 \x08 \x0b \x0c \x1b \x1f \x7f \x85",
    "bidi \u202e override \u2066 isolate, zero width \u200b space, \ufeff bom, soft\u00adhyphen",
    "line separator \u2028 paragraph separator \u2029",
    "emoji with joiners 👨\u200d💻 and a non-joiner \u200c",
    "mixed '''\"\"\"\\\r\n\t'\"",
    '# not a comment = "x"\n[topic]\n[[questions]]\nid = "evil"',
    "x" * 5000,
    "'''\n'''\n\"\"\"\n\"\"\"",
]


def shipped_bank() -> bank.Bank:
    loaded, problems = bank.load_bank([SHIPPED_BANK])
    assert problems == []
    return loaded


def round_trip(topic: Topic, questions: list[Question]) -> tuple[Topic, list[Question]]:
    text = deckfile.dump_deck(topic, questions)
    parsed_topic, parsed, problems = bank.parse_text(text, "x")
    assert problems == [], [str(p) for p in problems]
    assert parsed_topic is not None
    return parsed_topic, parsed


def test_every_shipped_question_round_trips() -> None:
    loaded = shipped_bank()
    assert len(loaded.questions) > 900
    for topic in loaded.topics:
        questions = loaded.by_topic(topic.id)
        parsed_topic, parsed = round_trip(topic, questions)
        assert (parsed_topic.id, parsed_topic.title, parsed_topic.description, parsed_topic.order) == (
            topic.id,
            topic.title,
            topic.description,
            topic.order,
        )
        assert parsed == questions  # every field, in order


def test_a_shipped_file_is_written_the_way_the_bank_is_written() -> None:
    """Diff-friendly: saving a hand-written file in the house style changes nothing but its comments."""

    def without_comments(text: str) -> str:
        return re.sub(r"\n{3,}", "\n\n", re.sub(r"(?m)^#.*\n", "", text))

    path = SHIPPED_BANK / "ml-fundamentals.toml"
    topic, questions, _problems = bank.parse_file(path)
    assert topic is not None
    dumped = deckfile.dump_deck(topic, questions)
    assert dumped.splitlines() == without_comments(path.read_text(encoding="utf-8")).splitlines()


def question(**changes: object) -> Question:
    base = Question(
        id="q-one",
        topic_id="t",
        question="What is it?",
        level="beginner",
        answer="It is this.",
        follow_ups=("Why?",),
        rubric=Rubric(("Says what it is.",), "Vague.", "Wrong."),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_keys_come_in_a_fixed_order_with_optional_ones_left_out() -> None:
    full = question(
        tags=("a", "b"),
        solution="def f():\n    return 1\n",
        tests="assert f() == 1\n",
        rubric=Rubric(("One.", "Two."), "Half.", "None.", also_good=("Extra.",)),
    )
    text = deckfile.dump_deck(Topic("t", "T"), [full, question(id="q-two")])
    keys = re.findall(r"(?m)^(\[\[?[a-z.]+\]\]?$|[a-z_]+(?= = ))", text)
    assert keys == [
        "[topic]",
        "id",
        "title",
        "[[questions]]",
        *("id", "question", "level", "tags", "answer", "follow_ups", "solution", "tests"),
        *("[questions.rubric]", "strong", "also_good", "ok", "weak"),
        *("[[questions]]", "id", "question", "level", "answer", "follow_ups"),
        *("[questions.rubric]", "strong", "ok", "weak"),
    ]
    assert "description" not in text and "order" not in text  # defaults are left out
    assert 'strong = "Says what it is."' in text  # one essential: a string, read back as a tuple
    _topic, parsed = round_trip(Topic("t", "T"), [full, question(id="q-two")])
    assert parsed[1].rubric.strong == ("Says what it is.",)
    assert parsed[0] == full


def test_topic_description_and_order_are_written_when_set() -> None:
    topic = Topic("t", "Title", "What it covers", 5)
    parsed_topic, _ = round_trip(topic, [question()])
    assert (parsed_topic.description, parsed_topic.order) == ("What it covers", 5)


def test_short_lists_stay_on_one_line_long_ones_take_one_item_per_line() -> None:
    q = question(tags=("a", "b"), follow_ups=tuple(f"A follow-up question long enough, number {i}?" for i in range(3)))
    text = deckfile.dump_deck(Topic("t", "T"), [q])
    assert 'tags = ["a", "b"]' in text
    assert 'follow_ups = [\n    "A follow-up question long enough, number 0?",\n' in text
    assert round_trip(Topic("t", "T"), [q])[1] == [q]


def test_multi_line_text_is_a_multi_line_string_starting_on_its_own_line() -> None:
    q = question(answer="First line.\n\n- a point\n- another `code` point")
    text = deckfile.dump_deck(Topic("t", "T"), [q])
    assert "answer = '''\nFirst line.\n\n- a point\n- another `code` point\n'''" in text


@pytest.mark.parametrize("nasty", NASTY, ids=range(len(NASTY)))
def test_a_hard_string_reads_back_exactly(nasty: str) -> None:
    """The value TOML gives back is the string itself, for code (not stripped) and for text (stripped)."""
    for stripped in (False, True):
        written = deckfile.toml_string(nasty, stripped=stripped)
        value = tomllib.loads(f"v = {written}\n")["v"]
        # A field the reader strips may gain a final line break (its closing quotes go on their own line).
        assert value.strip() == nasty.strip() if stripped else value == nasty
    # Invisible characters never reach the file raw, so they show up in a diff.
    for ch in "\x00\x1b\x7f\u202e\u200b\ufeff\u2028\r":
        assert ch not in deckfile.toml_string(nasty)


@pytest.mark.parametrize("nasty", NASTY, ids=range(len(NASTY)))
def test_a_hard_string_in_every_field_round_trips(nasty: str) -> None:
    text = f"begin {nasty} end"
    q = question(
        question=f"Q {nasty}?"[:2000],
        answer=text,
        follow_ups=(text[:2000], "Second?"),
        tags=(f"tag {nasty}"[:50],),
        rubric=Rubric((text[:2000], "Plain."), text, text, also_good=(text[:2000],)),
        solution=f"value = {nasty!r}\n",
        tests=f"assert value == {nasty!r}, 'the value'\n",
    )
    topic = Topic("t", f"Title {nasty}"[:200], description=f"About {nasty}"[:2000], order=3)
    parsed_topic, parsed = round_trip(topic, [q])
    expected = replace(
        q,
        question=q.question.strip(),
        answer=text.strip(),
        follow_ups=tuple(f.strip() for f in q.follow_ups),
        tags=tuple(t.strip() for t in q.tags),
        rubric=Rubric((text[:2000].strip(), "Plain."), text.strip(), text.strip(), also_good=(text[:2000].strip(),)),
    )
    assert parsed == [expected]
    assert parsed_topic.title == topic.title.strip() and parsed_topic.description == topic.description.strip()


def test_a_lone_surrogate_is_written_as_a_replacement_character() -> None:
    """A Python str can hold one; a UTF-8 file cannot. The deck is still saved, with U+FFFD in its place."""
    q = question(answer="broken \udc80 text")
    text = deckfile.dump_deck(Topic("t", "T"), [q])
    text.encode("utf-8")  # does not raise
    assert round_trip(Topic("t", "T"), [q])[1][0].answer == "broken \ufffd text"


def test_generic_follow_ups_and_rubric_pass_the_validator() -> None:
    q = question(follow_ups=deckfile.GENERIC_FOLLOW_UPS, rubric=deckfile.GENERIC_RUBRIC)
    assert round_trip(Topic("t", "T"), [q])[1] == [q]
    assert 1 <= len(deckfile.GENERIC_FOLLOW_UPS) <= 2


# ----- write_atomic ----------------------------------------------------------------------------------


def test_write_atomic_creates_and_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "deck.toml"
    deckfile.write_atomic(target, "first\n")
    assert target.read_bytes() == b"first\n"
    deckfile.write_atomic(target, "second é\r\n")
    assert target.read_bytes() == "second é\r\n".encode()  # no newline translation, UTF-8
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.toml"]  # no temp file left


def test_write_atomic_keeps_the_files_permissions(tmp_path: Path) -> None:
    target = tmp_path / "deck.toml"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    deckfile.write_atomic(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_write_atomic_writes_through_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real.toml"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.toml"
    link.symlink_to(real)
    deckfile.write_atomic(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "deck.toml"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        deckfile.write_atomic(target, "bad \udc80")
    folder = tmp_path / "folder.toml"  # os.replace cannot put a file over a folder
    folder.mkdir()
    with pytest.raises(OSError):
        deckfile.write_atomic(folder, "text")
    with pytest.raises(OSError):
        deckfile.write_atomic(tmp_path / "missing" / "deck.toml", "text")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.toml", "folder.toml"]


def test_a_crash_mid_write_leaves_the_old_or_the_new_file_never_a_mix(tmp_path: Path) -> None:
    """Kill a writer at random moments: the deck is always one whole version, and a temp file left by the
    kill is never read as a deck."""
    target = tmp_path / "deck.toml"
    versions = {("A" * 4_000_000).encode(), ("B" * 4_000_000).encode()}
    deckfile.write_atomic(target, "A" * 4_000_000)
    program = (
        "import sys\n"
        "from pathlib import Path\n"
        "from desktop_app.core.deckfile import write_atomic\n"
        "print('ready', flush=True)\n"
        "while True:\n"
        "    for c in 'AB':\n"
        "        write_atomic(Path(sys.argv[1]), c * 4_000_000)\n"
    )
    rng = random.Random(7)
    for _ in range(5):
        proc = subprocess.Popen(
            [sys.executable, "-c", program, str(target)], cwd=REPO, stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.01, 0.15))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        proc.stdout.close()
        assert target.read_bytes() in versions
    files, problems = bank.bank_files([tmp_path])
    assert files == [target] and problems == []
    for leftover in tmp_path.iterdir():
        assert leftover == target or (leftover.name.startswith(".deck.toml.") and leftover.suffix == ".tmp")


# ----- ids ----------------------------------------------------------------------------------------------


def test_question_ids_are_stable_and_ignore_spacing_and_case() -> None:
    a = deckfile.question_id("my-deck", "What is  overfitting?", set())
    assert a == deckfile.question_id("my-deck", "what is overfitting?\n", set())
    assert a != deckfile.question_id("my-deck", "What is underfitting?", set())
    assert a != deckfile.question_id("other-deck", "What is overfitting?", set())
    assert re.fullmatch(r"my-deck-[0-9a-f]{8}", a)


def test_question_ids_disambiguate_within_taken_without_changing_it() -> None:
    taken: set[str] = set()
    ids = []
    for _ in range(3):
        qid = deckfile.question_id("d", "Same text?", taken)
        ids.append(qid)
        taken.add(qid)
    assert ids == [ids[0], f"{ids[0]}-2", f"{ids[0]}-3"]
    frozen = {"x"}
    deckfile.question_id("d", "Q", frozen)
    assert frozen == {"x"}


@pytest.mark.parametrize("deck_id", ["", "Ünïcode Deck!!", "-", "a" * 300, "機械学習", "x--y"])
def test_question_ids_are_valid_slugs_for_any_deck_id(deck_id: str) -> None:
    taken = {deckfile.question_id(deck_id, "Q?", set())}
    for qid in (deckfile.question_id(deck_id, "Q?", set()), deckfile.question_id(deck_id, "Q?", taken)):
        assert SLUG_RE.match(qid) and len(qid) <= bank.MAX_ID_CHARS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My Deck", "my-deck"),
        ("ML Basics (2024)", "ml-basics-2024"),
        ("Café — Über_Notes", "cafe-uber-notes"),
        ("  --Already-a-slug--  ", "already-a-slug"),
        ("C++ & Rust", "c-rust"),
    ],
)
def test_slug(text: str, expected: str) -> None:
    assert deckfile.slug(text) == expected


def test_slug_is_always_valid_and_tells_non_latin_titles_apart() -> None:
    a, b = deckfile.slug("機械学習"), deckfile.slug("深層学習")
    assert a != b and a.startswith("deck-")
    assert deckfile.slug("") == deckfile.slug("")
    long = deckfile.slug("word " * 100)
    assert len(long) <= bank.MAX_ID_CHARS and not long.endswith("-")
    rng = random.Random(3)
    alphabet = "aZ9 -_.!é中😀\t\n'\"\\"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        result = deckfile.slug(text)
        assert SLUG_RE.match(result) and len(result) <= bank.MAX_ID_CHARS, (text, result)


def test_text_at_the_length_limits_still_passes_the_validator() -> None:
    """The reader measures a field before it strips it: the writer must not push a text over its limit."""
    at_limit = ("word " * 400)[:1998] + "\n" + "x"  # 2,000 characters with a line break: the follow-up limit
    long_strong = "An essential point, stated at length. " * 70  # over 2,000: allowed as a single string
    q = question(follow_ups=(at_limit,), question=at_limit, rubric=Rubric((long_strong.strip(),), "Half.", "None."))
    topic = Topic("t", ("T" * 198) + "\nU", description=at_limit)
    parsed_topic, parsed = round_trip(topic, [q])
    assert parsed == [q] and parsed_topic.title == topic.title


def test_question_ids_in_a_row_match_question_id_and_stay_fast() -> None:
    texts = ["Same?"] * 3 + ["Other?", "same? "] + ["Many?"] * 20_000
    ids = deckfile.QuestionIds("d", {deckfile.question_id("d", "Other?", set())})
    started = time.perf_counter()
    given = [ids.add(text) for text in texts]
    assert time.perf_counter() - started < 2  # not a scan of the earlier ids for each one
    taken = {deckfile.question_id("d", "Other?", set())}
    for text, qid in zip(texts[:6], given, strict=False):
        assert qid == deckfile.question_id("d", text, taken)
        taken.add(qid)
    assert len(set(given)) == len(given) and given[4].endswith("-4")
