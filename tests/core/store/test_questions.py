"""Reading and searching the bank in the store: topic counts, filters, prefix search and its ranking."""

from __future__ import annotations

from pathlib import Path

from desktop_app.core.store import Store, search_tokens
from tests.conftest import write_topic


def synced(tmp_path: Path, questions: list[dict[str, str]]) -> Store:
    """A store synced from one topic of these questions."""
    write_topic(tmp_path / "bank", "t", questions)
    s = Store.open(tmp_path / "s.sqlite3")
    s.bank.sync([tmp_path / "bank"])
    return s


def test_topics_count_reviewed_and_total(store: Store) -> None:
    store.reviews.record("a1", "strong")
    store.reviews.record("a1", "weak")
    info = {t.id: (t.reviewed, t.total) for t in store.questions.topics()}
    assert info == {"alpha": (1, 2), "beta": (0, 1)}
    assert store.stats.score_counts() == {"alpha": {"weak": 1, "ok": 0, "strong": 0, "easy": 0}}


def test_status_and_level_filters(store: Store) -> None:
    store.reviews.record("a1", "ok")
    store.notes.set_bookmark("b1", True)
    assert [q.qid for q in store.questions.list(status="unreviewed")] == ["a2", "b1"]
    assert [q.qid for q in store.questions.list(status="weak_ok")] == ["a1"]
    assert [q.qid for q in store.questions.list(status="bookmarked")] == ["b1"]
    assert [q.qid for q in store.questions.list(level="advanced")] == ["a2"]
    assert [q.qid for q in store.questions.list(topic_id="beta")] == ["b1"]


def test_search_prefix_across_fields_with_filters(store: Store) -> None:
    # a1 has it in the question (weighted higher), a2 only in its answer.
    assert [q.qid for q in store.questions.list(search="grad")] == ["a1", "a2"]
    assert [q.qid for q in store.questions.list(search="grad desc")] == ["a1"]
    assert [q.qid for q in store.questions.list(search="averag")] == ["a2"]  # answer text
    assert [q.qid for q in store.questions.list(search="general")] == ["a1", "a2", "b1"]  # tags
    assert [q.qid for q in store.questions.list(search="doubles")] != []  # follow-ups
    assert [q.qid for q in store.questions.list(search="tree", topic_id="alpha")] == []
    assert store.questions.list(search='"); DROP TABLE review; --') == []
    assert store.questions.list(search="   ") == []
    assert search_tokens('say "hi" there*') == ["say", "hi", "there"]


def test_search_ranks_question_text_before_answer_only_matches(tmp_path: Path) -> None:
    s = synced(
        tmp_path,
        [
            {"qid": "mentions", "question": "What is SGD?", "answer": "Plain steps; momentum is an add-on."},
            {"qid": "about", "question": "Why does momentum speed up training?", "answer": "It averages steps."},
            {"qid": "tagged", "question": "What is Nesterov's trick?", "answer": "A look-ahead.", "tag": "momentum"},
        ],
    )
    assert [q.qid for q in s.questions.list(search="moment")] == ["about", "tagged", "mentions"]
    assert [q.qid for q in s.questions.list(search="moment", limit=1)] == ["about"]
    s.close()


def test_filtered_search_uses_facets_that_typed_words_never_match(store: Store) -> None:
    assert [q.qid for q in store.questions.list(search="grad", topic_id="alpha", level="beginner")] == ["a1"]
    assert [q.qid for q in store.questions.list(search="grad", level="advanced")] == ["a2"]
    assert store.questions.list(search="lvbeginner") == [] and store.questions.list(search="tp") == []


def test_quoted_phrases_match_words_in_order(tmp_path: Path) -> None:
    s = synced(
        tmp_path,
        [
            {"qid": "phrase", "question": "Explain gradient descent", "answer": "Steps downhill."},
            {"qid": "apart", "question": "Why does descent follow the gradient?", "answer": "By definition."},
        ],
    )
    assert sorted(q.qid for q in s.questions.list(search="gradient descent")) == ["apart", "phrase"]
    assert [q.qid for q in s.questions.list(search='"gradient descent"')] == ["phrase"]
    assert [q.qid for q in s.questions.list(search='"descent gradient"')] == []
    assert [q.qid for q in s.questions.list(search='"gradient desc')] == ["phrase"]  # still typing: a prefix
    assert [q.qid for q in s.questions.list(search='"gradient desc"')] == []  # closed: whole words
    s.close()


def test_parse_keeps_words_and_phrases_and_drops_syntax() -> None:
    from desktop_app.core.store.search import parse

    q = parse('Café "Gradient  Descent" x*')
    assert q.words == ("cafe", "x") and q.phrases == (("gradient", "descent"),) and not q.open_phrase
    assert q.exact() == '"cafe"* AND "x"* AND "gradient descent"'
    assert parse('"one"').words == ("one",) and not parse('"one"').phrases
    injected = parse('"); DROP TABLE review; --"')  # only words reach FTS5, each inside quotes
    assert injected.phrases == (("drop", "table", "review"),) and injected.exact() == '"drop table review"'
    assert parse("*) OR NOT (").exact() == '"or"* AND "not"*'  # FTS5 operators are words like any other
    assert parse('a "b c').open_phrase and parse('a "b c').exact() == '"a"* AND "b c"*'


def test_the_index_holds_exactly_the_live_questions_after_edits_and_retirement(tmp_path: Path) -> None:
    """The index is contentless: a question leaves it by handing back the values it went in with. Words of
    an edited or retired question must vanish from the index itself, not only from results."""
    bank = tmp_path / "bank"
    write_topic(
        bank,
        "t",
        [
            {"qid": "keep", "question": "What is a zebrafish?", "answer": "A model organism." + " long" * 60},
            {"qid": "edit", "question": "What is a quokka?", "answer": "A marsupial." + " words" * 60},
            {"qid": "gone", "question": "What is an axolotl?", "answer": "A salamander."},
        ],
    )
    s = Store.open(tmp_path / "s.sqlite3")
    s.bank.sync([bank])
    assert [q.qid for q in s.questions.list(search="quokka")] == ["edit"]
    text = (bank / "t.toml").read_text()
    text = text.replace("What is a quokka?", "What is a wombat?")
    text = text[: text.index('[[questions]]\nid = "gone"')]
    (bank / "t.toml").write_text(text)
    report = s.bank.sync([bank])
    assert report.updated == 1 and report.retired == 1
    assert s.questions.list(search="quokka") == [] and s.questions.list(search="axolotl") == []
    assert [q.qid for q in s.questions.list(search="wombat")] == ["edit"]
    s.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.v USING fts5vocab(main, question_search, 'row')")
    terms = {str(r[0]): int(r[1]) for r in s.execute("SELECT term, doc FROM temp.v")}
    assert "quokka" not in terms and "axolotl" not in terms and "salamander" not in terms
    assert terms["wombat"] == 1 and terms["marsupial"] == 1 and terms["zebrafish"] == 1
    s.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.t USING fts5vocab(main, title_search, 'row')")
    titles = {str(r[0]) for r in s.execute("SELECT term FROM temp.t")}
    assert "quokka" not in titles and "axolotl" not in titles and {"wombat", "zebrafish"} <= titles
    assert "marsupial" not in titles  # answers are not in the title index
    # The word list that prefixes expand to follows the index.
    assert {str(r[0]) for r in s.execute("SELECT term FROM search_term")} == {
        t for t in terms if not t.startswith(("tp", "lv"))
    }
    # A retired question comes back into the index with its history.
    (bank / "t.toml").write_text(
        (bank / "t.toml").read_text()
        + '\n[[questions]]\nid = "gone"\nquestion = "What is an axolotl?"\nlevel = "beginner"\nanswer = "A salamander."\nfollow_ups = ["a", "b", "c"]\n[questions.rubric]\nstrong = "s"\nok = "o"\nweak = "w"\n'
    )
    assert s.bank.sync([bank]).restored == 1
    assert [q.qid for q in s.questions.list(search="axolotl")] == ["gone"]
    s.close()


def test_long_answers_are_stored_compressed_and_read_back_whole(tmp_path: Path) -> None:
    long_answer = "Gradient descent " * 100
    s = synced(tmp_path, [{"qid": "long", "answer": long_answer}, {"qid": "short"}])
    kinds = dict(s.execute("SELECT qid, typeof(answer) FROM question_row"))
    assert kinds == {"long": "blob", "short": "text"}
    stored = s.execute("SELECT length(answer) FROM question_row WHERE qid = 'long'")[0][0]
    assert int(stored) < len(long_answer) / 4  # type: ignore[call-overload]
    got = s.questions.get("long")
    assert got is not None and got.answer.strip() == long_answer.strip()
    s.close()
