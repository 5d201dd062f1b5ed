"""Importing Anki's "Notes in Plain Text" export and plain CSV files as a deck of questions."""

from __future__ import annotations

import random

import pytest

from desktop_app.core import deckfile
from desktop_app.core.ankicsv import flatten_tag, read_anki_notes
from desktop_app.core.ankihtml import html_to_markdown
from desktop_app.core.deckimport import MarkdownDeck
from desktop_app.core.render import MarkdownRenderer
from tests.conftest import still_valid

SOURCE = "exports/ml.txt"

# What Anki 2.1.55+ writes for File > Export > Notes in Plain Text with every option ticked: guid, note
# type and deck columns first, then the fields (padded to the longest note type), then the tags; fields
# quoted when they hold a tab, a quote or a line break, or start with '#'.
ANKI_EXPORT = (
    "#separator:tab\n"
    "#html:true\n"
    "#guid column:1\n"
    "#notetype column:2\n"
    "#deck column:3\n"
    "#tags column:6\n"
    # line 7: HTML answer with a list, tags with hierarchy and Anki's own 'marked' flag
    "Ab3$xZ\tBasic\tML::Basics\tWhat is <b>overfitting</b>?\t"
    "<div>When a model fits <i>noise</i>:</div><ul><li>low training error</li><li>high <b>test</b> error</li></ul>"
    "\tML::Deep_Learning marked\n"
    # lines 8-10: quoted fields with an embedded tab, doubled quotes and a code block over several lines
    '"Cd4%yW"\tBasic\tML::Basics\t"Explain ""bias""\tand variance."\t"Bias: <code>E[f̂] − f</code><br>'
    "<pre>def mse(y, p):\n    return ((y - p) ** 2).mean()\n</pre>"
    'Trade-off &amp; <span style=""color: red"">regularization</span>"\tstats\n'
    # line 11: a cloze note with a hint, a second deletion and a Back Extra field
    "Ef5^vU\tCloze\tML::Basics\t{{c1::Adam::optimizer}} combines momentum with {{c2::RMSProp}}-style scaling."
    "\tSee <i>Kingma &amp; Ba, 2015</i>.\toptim ML::Optimization\n"
    # line 12: a comment line, skipped as Anki's importer skips it
    "# exported by a script\n"
    # line 13: the back is only an image
    'Gh7&tS\tBasic\tML\tWhat does this diagram show?\t<img src="diagram.png">\t\n'
    # line 14: an empty back
    "Ij9*rQ\tBasic\tML\tA question with no answer?\t\tml\n"
    # line 15: unicode, entities, sound, an image with alt text, a heading-looking line
    "Kl1(pO\tBasic\tML\tWhat is σ(x)? 中文 😀\t&nbsp;# of params: 1 / (1 + e<sup>−x</sup>) "
    '[sound:sigmoid.mp3]<br><img src="s.png" alt="the S curve"> 2*3\t\n'
    # line 16: a front that starts with '#', quoted as Anki quotes it; raw HTML that must not survive
    '"Mn2)nP"\tBasic\tML\t"#1 rule of ML?"\t<script>alert(1)</script>Do not <u>leak</u> &lt;b&gt; labels.'
    "\tml::rules\n"
)


def read(text: str, deck_id: str = "anki-ml", level: str = "intermediate") -> MarkdownDeck:
    return read_anki_notes(text, SOURCE, deck_id, "Anki ML", level)


def test_a_realistic_anki_export_becomes_questions() -> None:
    deck = read(ANKI_EXPORT, level="beginner")
    assert deck.topic is not None and (deck.topic.id, deck.topic.title) == ("anki-ml", "Anki ML")
    by_question = {q.question: q for q in deck.questions}
    assert list(by_question) == [
        "What is overfitting?",
        'Explain "bias" and variance.',  # in HTML a tab is a space
        "[optimizer] combines momentum with [...]-style scaling.",
        "What is σ(x)? 中文 😀",
        "#1 rule of ML?",
    ]
    q = by_question["What is overfitting?"]
    assert q.answer == "When a model fits *noise*:\n\n- low training error\n- high **test** error"
    assert q.tags == ("ml-deep-learning",)  # hierarchy flattened, Anki's 'marked' flag dropped
    assert q.level == "beginner"
    bias = by_question['Explain "bias" and variance.']
    assert bias.answer == (
        "Bias: `E[f̂] − f`\n\n```\ndef mse(y, p):\n    return ((y - p) ** 2).mean()\n```\n\nTrade-off & regularization"
    )
    cloze = by_question["[optimizer] combines momentum with [...]-style scaling."]
    assert cloze.answer == "**Adam** combines momentum with **RMSProp**-style scaling.\n\nSee *Kingma & Ba, 2015*."
    assert cloze.tags == ("optim", "ml-optimization")
    sigmoid = by_question["What is σ(x)? 中文 😀"]
    assert sigmoid.answer == "\\# of params: 1 / (1 + e−x) [audio]\nthe S curve 2\\*3"
    rule = by_question["#1 rule of ML?"]
    assert rule.answer == "Do not leak <b> labels."  # the tags are gone; the escaped text is text
    assert "<b>" not in MarkdownRenderer().render(rule.answer)  # and it is shown as text, not bold


def test_every_imported_question_gets_a_stable_id_and_the_generic_parts() -> None:
    deck = read(ANKI_EXPORT)
    assert deck.filled == [q.id for q in deck.questions]
    for q in deck.questions:
        assert q.follow_ups == deckfile.GENERIC_FOLLOW_UPS and q.rubric == deckfile.GENERIC_RUBRIC
    taken: set[str] = set()
    for q in deck.questions:
        assert q.id == deckfile.question_id("anki-ml", q.question, taken)
        taken.add(q.id)
    assert [q.id for q in read(ANKI_EXPORT).questions] == [q.id for q in deck.questions]
    still_valid(deck)


def test_unusable_notes_are_problems_with_their_line() -> None:
    found = [str(p) for p in read(ANKI_EXPORT).problems]
    assert found == [
        "exports/ml.txt: line 13: the note's back holds only images or sound, which MLPrep cannot show: "
        "add text to it in Anki",
        "exports/ml.txt: line 14: the note 'A question with no answer?' has an empty back: give it an answer",
    ]


def test_a_plain_csv_of_front_back_and_tags() -> None:
    text = (
        "front,back,tags\n"
        '"What is a vector, really?","An ordered list of numbers, e.g. ""(1, 2)"".",linear_algebra basics\n'
        "Is x < y when x = 1 and y = 2?,Yes: 1 < 2.\n"
        ",A back with no front,\n"
    )
    deck = read(text)
    assert [(q.question, q.answer, q.tags) for q in deck.questions] == [
        ("What is a vector, really?", 'An ordered list of numbers, e.g. "(1, 2)".', ("linear-algebra", "basics")),
        ("Is x < y when x = 1 and y = 2?", "Yes: 1 < 2.", ()),  # not taken for HTML
    ]
    assert [str(p) for p in deck.problems] == [
        "exports/ml.txt: line 4: the note's front is empty: give it a question, or delete the line"
    ]


def test_plain_text_fields_stay_text() -> None:
    deck = read('#html:false\n"#hashtag front?"\t"# not a heading\n**kept** as written"\n')
    assert [(q.question, q.answer) for q in deck.questions] == [
        ("#hashtag front?", "\\# not a heading\n**kept** as written")
    ]


def test_a_two_column_csv_with_no_header_row() -> None:
    deck = read("What is AUC?,Area under the ROC curve.\r\nWhat is F1?,Harmonic mean of precision and recall.\r\n")
    assert [q.question for q in deck.questions] == ["What is AUC?", "What is F1?"]
    assert deck.problems == []


@pytest.mark.parametrize(
    ("header", "separator"),
    [("#separator:semicolon", ";"), ("#separator:Pipe", "|"), ("#separator:;", ";"), ("#separator:comma", ",")],
)
def test_the_declared_separator_is_used(header: str, separator: str) -> None:
    deck = read(f"{header}\n#html:false\nQ one two?{separator}A <b>literal</b> text{separator}tag\n")
    assert [(q.question, q.answer, q.tags) for q in deck.questions] == [
        ("Q one two?", "A <b>literal</b> text", ("tag",))
    ]


def test_columns_header_names_the_tags_column() -> None:
    deck = read("#separator:tab\n#html:false\n#columns:Front\tTags\tBack\nQ?\tt1 t2\tA.\n")
    assert [(q.question, q.answer, q.tags) for q in deck.questions] == [("Q?", "A.", ("t1", "t2"))]


def test_global_tags_apply_to_every_note() -> None:
    deck = read("#separator:tab\n#tags:imported Course::Week_1\nQ?\tA.\n")
    assert deck.questions[0].tags == ("imported", "course-week-1")


def test_duplicate_fronts_get_distinct_ids() -> None:
    deck = read("Q?,First.\nq? ,Second.\n")
    first, second = deck.questions
    assert second.id == first.id + "-2"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "exports/ml.txt: no notes found: export from Anki with File > Export > Notes in Plain Text"),
        ("#separator:tab\n#html:true\n", "no notes found"),
        ('Q?\t"never closed\nmore\n', "exports/ml.txt: line 1: a quoted field opened on line 1 never closes"),
        ("Just one column\n", "line 1: the note 'Just one column' has an empty back"),
        ("Q?\t<p> </p>&nbsp;\n", "line 1: the note 'Q?' has an empty back"),
        ("x" * 2100 + "\tA\n", "line 1: the front is 2,100 characters; the limit is 2,000"),
        ("Q?\t" + "[a](" * 2000 + "\n", "line 1: the back paragraph 1:"),
    ],
)
def test_a_file_problem_names_where_and_what(text: str, message: str) -> None:
    found = [str(p) for p in read(text).problems]
    assert any(message in p for p in found), found


def test_bad_arguments_are_problems_not_crashes() -> None:
    assert [str(p) for p in read("Q?\tA\n", level="expert").problems] == [
        "exports/ml.txt: level 'expert' is not one of beginner, intermediate, advanced"
    ]
    deck = read("Q?\tA\n", deck_id="Not A Slug")
    assert deck.topic is None and ["must be a slug" in p.message for p in deck.problems] == [True]


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("one<br>two<br/>three", "one\ntwo\nthree"),
        ("<p>para one</p><p>para two</p>", "para one\n\npara two"),
        ("<div>a</div><div>b</div>", "a\nb"),
        ("<b> bold </b>and<i>italic</i>", "**bold** and*italic*"),
        ("<strong>s</strong> <em>e</em>", "**s** *e*"),
        ("<ol><li>first</li><li>second</li></ol>", "1. first\n2. second"),
        ("<ul><li>a<ul><li>nested</li></ul></li><li>b</li></ul>", "- a\n  - nested\n- b"),
        ("<code>a*b</code> and a*b", "`a*b` and a\\*b"),
        ("<pre><code>x = 1\n\ny = 2</code></pre>", "```\nx = 1\n\ny = 2\n```"),
        ("<pre>has ``` inside</pre>", "````\nhas ``` inside\n````"),
        ("&lt;tag&gt; &amp; &quot;q&quot; &#955; &#x3bb;", '<tag> & "q" λ λ'),
        ('<img src="a.png">', "[image]"),
        ('<img alt="a graph" src="a.png">', "a graph"),
        ('<a href="https://example.org">a link</a>', "a link (https://example.org)"),
        ('<a href="javascript:alert(1)">a link</a>', "a link"),
        ("<style>.x{}</style><script>bad()</script>kept", "kept"),
        ("<h2>Title</h2>body", "**Title**\n\nbody"),
        ("<table><tr><td>a</td><td>b</td></tr></table>", "a b"),
        ("# not a heading", "\\# not a heading"),
        ("<unknown attr='x'>text</unknown><font color=red>red</font>", "textred"),
        ("<b>unclosed", "**unclosed"),
        ("a\u00a0\u00a0b", "a\u00a0\u00a0b"),
    ],
)
def test_html_becomes_markdown(html: str, markdown: str) -> None:
    assert html_to_markdown(html) == markdown


def test_a_plain_front_keeps_no_markdown_marks() -> None:
    assert html_to_markdown("<b>Bold</b> <code>x</code> <ul><li>a</li></ul>", plain=True) == "Bold x\n\na"


@pytest.mark.parametrize(
    ("tag", "flat"),
    [("ML::Deep_Learning", "ml-deep-learning"), ("plain", "plain"), ("::", ""), ("a" * 80, "a" * 50)],
)
def test_flatten_tag(tag: str, flat: str) -> None:
    assert flatten_tag(tag) == flat


def test_random_input_never_raises() -> None:
    rng = random.Random(9)
    pieces = ["\t", ",", ";", '"', '""', "\n", "#", "#separator:", "#html:true", "#tags column:", "<b>", "</b>", "<",
              "&amp;", "{{c1::", "::", "}}", "x", "[sound:", "<img>", "<pre>", "9", "\r\n", "\x00"]  # fmt: skip
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        deck = read(text)
        assert not any("could not be read" in p.message for p in deck.problems), text
        still_valid(deck)
    for _ in range(100):
        raw = bytes(rng.randrange(256) for _ in range(rng.randint(0, 300)))
        deck = read(raw.decode("utf-8", "replace"))
        assert not any("could not be read" in p.message for p in deck.problems)
        still_valid(deck)
