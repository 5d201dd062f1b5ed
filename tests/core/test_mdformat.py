"""Markdown decks: the layout people write by hand, read with every problem named, and written back out."""

from __future__ import annotations

import random
import time
from dataclasses import replace

import pytest

from desktop_app.core import bank, deckfile
from desktop_app.core.bank import Question, Rubric, Topic
from desktop_app.core.deckimport import MarkdownDeck
from desktop_app.core.mdformat import read_markdown_deck
from desktop_app.core.mdwrite import deck_to_markdown
from tests.conftest import SHIPPED_BANK, still_valid

SOURCE = "decks/ml.md"


def read(text: str, default_id: str = "ml") -> MarkdownDeck:
    return read_markdown_deck(text, SOURCE, default_id)


def problems(text: str) -> list[str]:
    return [str(p) for p in read(text).problems]


def only_problem(text: str) -> str:
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


FULL = """\
# Machine Learning Basics
id: ml-basics
order: 7

Core ideas, in plain words.

## What is overfitting?
level: beginner
tags: generalization, diagnostics
id: overfitting

### Answer

The model learns noise in the training data.

```python
# a comment, not a heading
## nor is this
model.fit(x, y)
```

#### Signs

Training error far below validation error.

### Follow-ups

- How do you detect it?
- What fixes it,
  and what does each fix cost?

### Rubric

**Strong:**
- Defines it as fitting noise.
- Names the train/validation gap.

Also good:
- Mentions regularization.

OK: Defines it but
  cannot diagnose it.

weak: Confuses it with underfitting.

## Implement a running mean.
level: Advanced

### Answer

Keep a count and a total.

### Solution

````python
def mean(xs):
    doc = '''
```
not the end of the block
'''
    return sum(xs) / len(xs)
````

### Tests

```
assert mean([1, 2]) == 1.5
```

### Rubric

Strong: Keeps a count and a sum.
OK: Stores every value.
Weak: Divides by the wrong count.
"""


def test_a_hand_written_deck_reads_into_questions() -> None:
    deck = read(FULL)
    assert deck.problems == []
    assert deck.topic == Topic("ml-basics", "Machine Learning Basics", "Core ideas, in plain words.", 7, SOURCE)
    first, second = deck.questions
    assert first == Question(
        id="overfitting",
        topic_id="ml-basics",
        question="What is overfitting?",
        level="beginner",
        answer=(
            "The model learns noise in the training data.\n\n```python\n# a comment, not a heading\n"
            "## nor is this\nmodel.fit(x, y)\n```\n\n#### Signs\n\nTraining error far below validation error."
        ),
        follow_ups=("How do you detect it?", "What fixes it,\nand what does each fix cost?"),
        rubric=Rubric(
            strong=("Defines it as fitting noise.", "Names the train/validation gap."),
            ok="Defines it but\ncannot diagnose it.",
            weak="Confuses it with underfitting.",
            also_good=("Mentions regularization.",),
        ),
        tags=("generalization", "diagnostics"),
    )
    assert second.level == "advanced"
    assert second.solution == (
        "def mean(xs):\n    doc = '''\n```\nnot the end of the block\n'''\n    return sum(xs) / len(xs)\n"
    )
    assert second.tests == "assert mean([1, 2]) == 1.5\n"
    assert second.rubric == Rubric(("Keeps a count and a sum.",), "Stores every value.", "Divides by the wrong count.")
    assert second.id == deckfile.question_id("ml-basics", "Implement a running mean.", {"overfitting"})
    assert second.follow_ups == deckfile.GENERIC_FOLLOW_UPS
    assert deck.filled == [second.id]  # generic follow-ups, so the user is told
    still_valid(deck)


def test_defaults_level_id_and_generic_parts() -> None:
    deck = read("# Notes\n\n## What is a tensor?\n\n### Answer\n\nAn n-dimensional array.\n", default_id="my-notes")
    assert deck.problems == []
    assert deck.topic is not None and (deck.topic.id, deck.topic.order, deck.topic.description) == (
        "my-notes",
        1000,
        "",
    )
    (q,) = deck.questions
    assert q.level == "intermediate"
    assert (q.follow_ups, q.rubric) == (deckfile.GENERIC_FOLLOW_UPS, deckfile.GENERIC_RUBRIC)
    assert deck.filled == [q.id]
    assert q.id == deckfile.question_id("my-notes", "What is a tensor?", set())
    again = read("# Notes\n\n## what is a  tensor?\n### Answer\nReworded answer.\n", default_id="my-notes")
    assert again.questions[0].id == q.id  # the same notes imported again keep their ids


def test_windows_line_ends_and_a_byte_order_mark_are_read() -> None:
    deck = read("\ufeff# T\r\n\r\n## Q?\r\n### Answer\r\nLine one\r\nline two\r\n")
    assert deck.problems == [] and deck.questions[0].answer == "Line one\nline two"


def test_the_readme_example_reads_without_problems() -> None:
    """The format's documentation stays true: its complete example is a valid deck."""
    readme = (SHIPPED_BANK / "README.md").read_text(encoding="utf-8")
    example = readme.split("## Markdown decks", 1)[1].split("````markdown\n", 1)[1].split("\n````", 1)[0]
    deck = read_markdown_deck(example, "README", "readme")
    assert deck.problems == []
    assert deck.topic is not None and deck.topic.id == "transformers" and deck.topic.order == 30
    scaling, cls = deck.questions
    assert (scaling.id, scaling.level, scaling.tags) == ("attention-scaling", "advanced", ("attention", "numerics"))
    assert "#### A heading inside the answer" in scaling.answer and "```python" in scaling.answer
    assert len(scaling.rubric.strong) == 2 and scaling.rubric.also_good
    assert deck.filled == [cls.id]


# ----- problems -----------------------------------------------------------------------------------------

HEAD = "# Deck\n\n"


@pytest.mark.parametrize(
    ("body", "where", "message"),
    [
        ("## What is X?\nlevel: beginner\n", "## What is X? (line 3)", "has no answer: add a '### Answer' section"),
        (
            "## What is X?\n### Answer\n\n### Follow-ups\n- a\n",
            "## What is X? (line 3)",
            "'### Answer' section is empty",
        ),
        (
            "## Q\n### Answer\nA\n### Follow-ups\nJust a sentence.\n",
            "## Q (line 3)",
            "'### Follow-ups' must be a bullet list",
        ),
        (
            "## Q\n### Answer\nA\n### Rubric\nStrong: x\nWeak: y\n",
            "## Q (line 3)",
            "the rubric has no 'OK:' line; add it, or delete the '### Rubric' section",
        ),
        (
            "## Q\n### Answer\nA\n### Rubric\nSome intro.\nStrong: x\nOK: y\nWeak: z\n",
            "## Q (line 3)",
            "the rubric has text before its first tier",
        ),
        ("## Q\n### Answer\nA\n### Rubric\nStrong: x\nOK: y\nOK: again\nWeak: z\n", "## Q (line 3)", "'OK:' twice"),
        ("## Q\n### Answer\nA\n### answer\nB\n", "## Q (line 3)", "a second '### Answer' section (lines 4 and 6)"),
        ("## Q\nThe answer, unlabelled.\n### Answer\nA\n", "## Q (line 3)", "text on line 4 comes before"),
        ("## Q\nlevle: beginner\n### Answer\nA\n", "## Q (line 3)", "unknown setting 'levle:' on line 4"),
        ("## Q\nlevel: beginner\nlevel: advanced\n### Answer\nA\n", "## Q (line 3)", "'level:' is given twice"),
        ("## Q\nlevel: expert\n### Answer\nA\n", "## Q (line 3)", "level 'expert' is not one of"),
        ("## Q\nid: Not A Slug\n### Answer\nA\n", "## Q (line 3)", "id 'Not A Slug' must be a slug"),
        (
            "## Q\n### Answer\nA\n### Solution\nprint(1)\n",
            "## Q (line 3)",
            "'### Solution' section is not a code block",
        ),
        (
            "## Q\n### Answer\nA\n### Tests\n```\nassert True\n```\nmore\n",
            "## Q (line 3)",
            "'### Tests' section has text after its code block",
        ),
        ("## Q\n### Answer\nA\n### Solution\n```\ndef f(:\n```\n", "## Q (line 3)", "'### Solution' does not compile"),
        (
            "## Q\n### Answer\nA\n### Tests\n```\nassert 1\n```\n",
            "## Q (line 3)",
            "'### Tests' given without a '### Solution'",
        ),
        ("## " + "Why? " * 500 + "\n### Answer\nA\n", "## Why? Why?", "the question is 2,499 characters"),
        ("## Q\n### Answer\nA\n### Follow-ups\n" + "- f\n" * 31, "## Q (line 3)", "'Follow-ups' has 31 items"),
        ("## Q\n### Answer\n" + "[a](" * 2000 + "\n", "## Q (line 3)", "the answer paragraph 1:"),
        ("## Q\n### Answer\nA\n### Rubric\nStrong:\nOK: y\nWeak: z\n", "## Q (line 3)", "'Strong:' is empty"),
        ("## Q\ntags: ok, " + "t" * 60 + "\n### Answer\nA\n", "## Q (line 3)", "tag 2 is 60 characters"),
    ],
)
def test_a_question_problem_names_the_heading_line_and_fix(body: str, where: str, message: str) -> None:
    problem = only_problem(HEAD + body)
    assert problem.startswith(f"{SOURCE}: {where}") and message in problem, problem


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Intro text\n# Deck\n## Q\n### Answer\nA\n", "decks/ml.md: line 1: text before the deck title"),
        ("## Q\n### Answer\nA\n", "decks/ml.md: no deck title: a Markdown deck starts with a '# Title' line"),
        ("# Deck\n## Q\n### Answer\nA\n# Another deck\n## R\n### Answer\nB\n", "line 5: a second '# ' title"),
        ("# Deck\n## Q\n### Answer\n```python\nx = 1\n## R\n### Answer\nB\n", "line 4: the code block opened here"),
        ("# Deck\n##What is X?\n## Q\n### Answer\nA\n", "line 2: '##What is X?' needs a space after '##'"),
        ("# Deck\n## Q\n###Answer\nA\n### Answer\nB\n", "line 3: '###Answer' needs a space after '###'"),
        ("# Deck\n### Answer\nA\n## Q\n### Answer\nB\n", "line 2: '### Answer' comes before any question"),
        ("# Deck\norder: soon\n## Q\n### Answer\nA\n", "# Deck (line 1): 'order: soon' on line 2 must be a whole"),
        ("# Deck\nid: Bad Id\n## Q\n### Answer\nA\n", "# Deck (line 1): id 'Bad Id' must be a slug"),
        ("# Deck\n\nJust a description.\n", "# Deck (line 1): the deck has no questions"),
        ("#\n## Q\n### Answer\nA\n", "# (line 1): the title is empty"),
        ("# Deck\n## Q\nid: same\n### Answer\nA\n## R\nid: same\n### Answer\nB\n", "## R (line 6): duplicate id; ## Q"),
    ],
)
def test_a_file_problem_names_where_and_what(text: str, message: str) -> None:
    found = problems(text)
    assert any(message in p for p in found), found


def test_good_questions_survive_their_neighbours_problems() -> None:
    deck = read(
        HEAD + "## Bad\n### Follow-ups\n- x\n\n## Good\n### Answer\nFine.\n\n## Also bad\nlevel: guru\n### Answer\nA\n"
    )
    assert [q.question for q in deck.questions] == ["Good"]
    assert [p.where for p in deck.problems] == ["## Bad (line 3)", "## Also bad (line 11)"]
    assert deck.filled == [deck.questions[0].id]


@pytest.mark.parametrize(
    "body",
    [
        "## Q\n### Answer\nA\n### Answer\nB\n",
        "## Q\nlevel: beginner\nlevel: advanced\n### Answer\nA\n",
        "## Q\nStray text.\n### Answer\nA\n",
    ],
)
def test_a_question_whose_layout_has_a_problem_is_left_out_not_half_read(body: str) -> None:
    deck = read(HEAD + body + "## R\n### Answer\nB\n")
    assert [q.question for q in deck.questions] == ["R"] and len(deck.problems) == 1


def test_an_invalid_deck_id_returns_no_topic_and_says_it_once() -> None:
    deck = read(HEAD + "## Q\n### Answer\nA\n## R\n### Answer\nB\n", default_id="Not Valid")
    assert deck.topic is None and deck.questions == []
    assert [str(p) for p in deck.problems] == [
        "decks/ml.md: # Deck (line 1): id 'Not Valid' must be a slug of a-z, 0-9 and single hyphens"
    ]


def test_long_headings_are_shortened_in_problems() -> None:
    problem = only_problem(HEAD + "## " + "word " * 40 + "\n")
    assert "## word word" in problem and "… (line 3)" in problem and len(problem) < 200


@pytest.mark.parametrize(
    ("rubric", "strong", "ok"),
    [
        ("Strong: One sentence.\nOK: o\nWeak: w", ("One sentence.",), "o"),
        ("**Strong**: s\n*OK:* o\n__Weak:__ w", ("s",), "o"),
        ("STRONG:\n  - a\n  - b\nok: o\nweak: w", ("a", "b"), "o"),
        ("Strong:\n1. a\n2. b\n\nOK:\n  o on its own line\n\nWeak: w", ("a", "b"), "o on its own line"),
        ("Strong: s\nAlso-good:\n- g\nOK: o\n\n  second paragraph\nWeak: w", ("s",), "o\n\nsecond paragraph"),
        ("Strong:\nNot a list,\n- then a bullet\nOK: o\nWeak: w", ("Not a list,\n- then a bullet",), "o"),
    ],
)
def test_rubric_tiers_read_the_ways_people_write_them(rubric: str, strong: tuple[str, ...], ok: str) -> None:
    deck = read(HEAD + "## Q\n### Answer\nA\n### Rubric\n" + rubric + "\n")
    assert deck.problems == []
    assert (deck.questions[0].rubric.strong, deck.questions[0].rubric.ok) == (strong, ok)
    assert deck.filled == [deck.questions[0].id]  # generic follow-ups


# ----- writing and the round trip ------------------------------------------------------------------------


def test_every_shipped_topic_round_trips_through_markdown() -> None:
    loaded, found = bank.load_bank([SHIPPED_BANK])
    assert found == []
    for topic in loaded.topics:
        questions = loaded.by_topic(topic.id)
        deck = read_markdown_deck(deck_to_markdown(topic, questions), f"{topic.id}.md", "wrong-id")
        assert deck.problems == [] and deck.filled == []
        assert deck.topic is not None
        assert (deck.topic.id, deck.topic.title, deck.topic.description, deck.topic.order) == (
            topic.id,
            topic.title,
            topic.description,
            topic.order,
        )
        assert deck.questions == questions


def base_question(**changes: object) -> Question:
    q = Question(
        id="q",
        topic_id="t",
        question="Q?",
        level="advanced",
        answer="A.",
        follow_ups=("F?",),
        rubric=Rubric(("S.",), "O.", "W."),
    )
    return replace(q, **changes)  # type: ignore[arg-type]


HARD_TEXTS = [
    "Strong: looks like a tier\nOK: so does this\nWeak: and this",
    "- looks like\n- a list\n\nthen text",
    "```\ncode first\n## not a heading\n```\nthen text",
    "````\n```\nnested fence\n```\n````",
    "text\n  ```\nindented fence\n  ```\n## after it",
    "text\n  ```\nopened indented, closed flush\n```\nOK: after",
    "~~~\ntildes\n~~~",
    "line with trailing spaces  \nnext",
    "level: advanced\nid: not-an-id",
    "first line\n   leading spaces kept inside\n\n\n\nmany blank lines",
    "tab\tinside and unicode é 中文 😀",
    "1. numbered\n2. list\n   - nested",
    "> quoted ### Answer\n#### deep heading",
]


@pytest.mark.parametrize("text", HARD_TEXTS, ids=range(len(HARD_TEXTS)))
def test_hard_texts_round_trip_exactly_in_every_list_and_tier(text: str) -> None:
    q = base_question(
        follow_ups=(text, "Second?"),
        rubric=Rubric((text,), text, text, also_good=(text, "Plain.")),
        solution=f'TEXT = """\n{text}\n"""\n',  # code that holds fences, headings and labels
        tests="# " + text.replace("\n", "\n# ") + "\n",
    )
    multi = base_question(id="q2", rubric=Rubric((text, "Plain."), "O.", "W."))
    deck = read_markdown_deck(deck_to_markdown(Topic("t", "T"), [q, multi]), "x.md", "t")
    assert deck.problems == []
    assert deck.questions == [q, multi]


@pytest.mark.parametrize("text", [t for t in HARD_TEXTS if "## after" not in t], ids=range(len(HARD_TEXTS) - 1))
def test_hard_texts_round_trip_exactly_as_answers(text: str) -> None:
    q = base_question(answer=text)
    deck = read_markdown_deck(deck_to_markdown(Topic("t", "T", description=text), [q]), "x.md", "t")
    assert deck.problems == []
    assert deck.questions == [q]


def test_what_the_layout_cannot_hold_is_changed_as_little_as_possible() -> None:
    q = base_question(
        question="A question\nover two lines?",
        answer="# Top\n## Sub\n##Tight\n### Rubric\n### Kept\n```\nnever closed",
        tags=("a,b", "c"),
        solution="x = 1",
    )
    text = deck_to_markdown(Topic("t", "Two\nlines"), [q])
    deck = read_markdown_deck(text, "x.md", "t")
    assert deck.problems == []
    assert deck.topic is not None and deck.topic.title == "Two lines"
    (got,) = deck.questions
    assert got.question == "A question over two lines?"
    assert got.answer == "### Top\n### Sub\n### Tight\n#### Rubric\n### Kept\n```\nnever closed\n```"
    assert got.tags == ("a b", "c")
    assert got.solution == "x = 1\n"
    assert replace(got, question=q.question, answer=q.answer, tags=q.tags, solution=q.solution) == q


def test_the_export_is_readable_markdown() -> None:
    q = base_question(
        tags=("x", "y"),
        follow_ups=("One?", "Two?"),
        rubric=Rubric(("S1.", "S2."), "O.", "W.", also_good=("G.",)),
    )
    text = deck_to_markdown(Topic("t", "Title", "About.", 5), [q])
    assert text == (
        "# Title\nid: t\norder: 5\n\nAbout.\n\n\n## Q?\nid: q\nlevel: advanced\ntags: x, y\n\n### Answer\n\nA.\n\n"
        "### Follow-ups\n\n- One?\n- Two?\n\n### Rubric\n\nStrong:\n- S1.\n- S2.\n\nAlso good:\n- G.\n\nOK: O.\n\n"
        "Weak: W.\n"
    )


# ----- never raises ---------------------------------------------------------------------------------------

PIECES = [
    "# Title",
    "## Question?",
    "##Tight",
    "### Answer",
    "### Follow-ups",
    "### Rubric",
    "### Solution",
    "### Tests",
    "#### Deep",
    "```",
    "````python",
    "~~~",
    "- item",
    "  - nested",
    "1. one",
    "Strong:",
    "Strong: s",
    "OK: o",
    "Weak: w",
    "Also good:",
    "level: beginner",
    "level: nonsense",
    "id: dup",
    "id: Bad!",
    "order: 1",
    "tags: a, b",
    "",
    "text",
    "> quote",
    "[link](",
    "\t\x00\x7f",
]


def test_random_structures_never_raise_and_only_valid_questions_come_back() -> None:
    rng = random.Random(11)
    for _ in range(400):
        text = "\n".join(rng.choice(PIECES) for _ in range(rng.randint(0, 40)))
        deck = read(text)
        assert not any("could not be read" in p.message for p in deck.problems), text
        still_valid(deck)
        assert set(deck.filled) <= {q.id for q in deck.questions}


def test_random_bytes_never_raise() -> None:
    rng = random.Random(5)
    for _ in range(200):
        raw = bytes(rng.randrange(256) for _ in range(rng.randint(0, 400)))
        for text in (raw.decode("latin-1"), raw.decode("utf-8", "surrogateescape")):
            deck = read(text)
            assert not any("could not be read" in p.message for p in deck.problems)
            still_valid(deck)


@pytest.mark.parametrize(
    "text",
    [
        "## Q\n" * 5000,
        "# T\n" + "## Q\n### Answer\nA\n" * 3000,
        "# T\n## Q\n### Answer\n" + "> " * 20000 + "deep",
        "# T\n## Q\n### Answer\n" + "".join("  " * i + "- x\n" for i in range(2000)),
        "# T\n## Q\n### Answer\n" + "[" * 100_000,
        "# T\n## Q\n### Answer\n" + "```\n" * 5001,
        "# T\n## Q\n### Rubric\n" + "Strong:\n" * 5000,
        "# T\n" + "#" * 100_000,
    ],
    ids=["headings-only", "many-questions", "deep-quotes", "deep-list", "brackets", "fences", "tiers", "hashes"],
)
def test_pathological_files_are_read_quickly_without_raising(text: str) -> None:
    started = time.perf_counter()
    deck = read(text)
    assert time.perf_counter() - started < 5
    assert not any("could not be read" in p.message for p in deck.problems)
    still_valid(deck)


def test_a_file_over_the_size_limit_is_refused() -> None:
    deck = read("# T\n" + "x" * (bank.MAX_FILE_BYTES + 1))
    assert deck.topic is None and "the limit is 16,777,216" in str(deck.problems[0])
