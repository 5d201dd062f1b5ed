"""The bank format's validation: every problem named with file, question and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.app import main
from desktop_app.core.bank import load_bank, parse_file
from tests.conftest import write_topic


def problems_of(path: Path) -> list[str]:
    _bank, problems = load_bank([path])
    return [str(p) for p in problems]


def test_valid_topic_loads_with_all_fields(tmp_path: Path) -> None:
    path = write_topic(tmp_path, "alpha", [{"qid": "a-one", "level": "advanced", "answer": "Use `x < y`."}])
    bank, problems = load_bank([tmp_path])
    assert problems == []
    assert [t.id for t in bank.topics] == ["alpha"]
    q = bank.questions[0]
    assert (q.id, q.topic_id, q.level, q.answer) == ("a-one", "alpha", "advanced", "Use `x < y`.")
    assert len(q.follow_ups) == 3 and q.rubric.weak.startswith("Confuses")
    assert bank.topics[0].source == str(path)


def test_toml_syntax_error_reports_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[topic]\nid = "x"\ntitle = "X"\n\n[[questions]]\nid = "q1\n', encoding="utf-8")
    (problem,) = problems_of(path)
    assert str(path) in problem and "TOML syntax error" in problem and "line 6" in problem and "column" in problem


def test_non_utf8_file_is_reported_not_crashed(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('[topic]\nid = "x"\ntitle = "Caf\u00e9"\n'.encode("latin-1"))
    (problem,) = problems_of(path)
    assert "not valid UTF-8" in problem and "line 3" in problem


def test_unknown_keys_wrong_types_and_bad_levels_name_the_question(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text(
        """
[topic]
id = "t"
title = "T"
colour = "red"

[[questions]]
id = "good-id"
question = "Q?"
level = "expert"
answer = "A"
folow_ups = ["typo"]
follow_ups = "not a list"
[questions.rubric]
strong = "s"
ok = ""
""",
        encoding="utf-8",
    )
    problems = problems_of(path)
    text = "\n".join(problems)
    assert "[topic]: unknown key 'colour'" in text
    assert "question 'good-id' (#1): unknown key 'folow_ups'" in text
    assert "'follow_ups' must be a list, got str" in text
    # The question is rejected before its level and rubric are looked at only when keys are wrong;
    # fix the keys and those problems show up too.
    path.write_text(
        path.read_text()
        .replace('colour = "red"\n', "")
        .replace('folow_ups = ["typo"]\n', "")
        .replace('follow_ups = "not a list"', 'follow_ups = ["f"]'),
        encoding="utf-8",
    )
    text = "\n".join(problems_of(path))
    assert "level 'expert' is not one of beginner, intermediate, advanced" in text
    assert "'rubric.ok' is empty" in text
    assert "rubric is missing the 'weak' tier" in text


def test_missing_id_is_reported_by_position(tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    path.write_text(
        '[topic]\nid = "t"\ntitle = "T"\n[[questions]]\nquestion = "Q?"\nlevel = "beginner"\nanswer = "A"\n'
        'follow_ups = ["f"]\n[questions.rubric]\nstrong = "s"\nok = "o"\nweak = "w"\n',
        encoding="utf-8",
    )
    assert problems_of(path) == [f"{path}: question #1: missing 'id'"]


@pytest.mark.parametrize("bad_id", ["Has-Caps", "double--hyphen", "under_score", "-lead", ""])
def test_bad_ids_are_rejected(tmp_path: Path, bad_id: str) -> None:
    path = write_topic(tmp_path, "t", [{"qid": "ok-id"}])
    path.write_text(path.read_text().replace('id = "ok-id"', f'id = "{bad_id}"'), encoding="utf-8")
    (problem,) = problems_of(path)
    assert "slug" in problem or "empty" in problem


def test_duplicate_ids_within_and_across_files(tmp_path: Path) -> None:
    write_topic(tmp_path, "aaa", [{"qid": "same"}, {"qid": "same"}])
    write_topic(tmp_path, "bbb", [{"qid": "same"}, {"qid": "other"}])
    bank, problems = load_bank([tmp_path])
    text = "\n".join(str(p) for p in problems)
    assert "aaa.toml: question 'same' (#2): duplicate id; question #1 already uses it" in text
    assert "bbb.toml: question 'same': duplicate id;" in text and "aaa.toml already uses it" in text
    assert sorted(q.id for q in bank.questions) == ["other", "same"]


def test_duplicate_topic_ids_across_files(tmp_path: Path) -> None:
    write_topic(tmp_path / "one", "dup", [{"qid": "q1"}])
    write_topic(tmp_path / "two", "dup", [{"qid": "q2"}])
    _bank, problems = load_bank([tmp_path / "one", tmp_path / "two"])
    assert any("topic id 'dup' is already used" in str(p) for p in problems)


def test_absurd_sizes_are_rejected(tmp_path: Path) -> None:
    path = write_topic(tmp_path, "t", [{"qid": "big", "question": "x" * 5000}])
    (problem,) = problems_of(path)
    assert "'question' is 5,000 characters; the limit is 2,000" in problem
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b"#" * (17 * 1024 * 1024))
    assert "the limit is" in problems_of(huge)[0]


def test_solution_and_tests_must_compile(tmp_path: Path) -> None:
    path = write_topic(tmp_path, "code", [{"qid": "c1"}])
    text = path.read_text().replace(
        "[questions.rubric]", "solution = '''def f(:\n    pass'''\ntests = '''assert f() is None'''\n[questions.rubric]"
    )
    path.write_text(text, encoding="utf-8")
    (problem,) = problems_of(path)
    assert "'solution' does not compile" in problem and "line 1" in problem


def test_a_bad_question_does_not_hide_the_good_ones(tmp_path: Path) -> None:
    path = write_topic(tmp_path, "t", [{"qid": "fine"}, {"qid": "broken", "level": "guru"}])
    topic, questions, problems = parse_file(path)
    assert topic is not None and [q.id for q in questions] == ["fine"] and len(problems) == 1


def test_validate_command_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write_topic(tmp_path / "good", "g", [{"qid": "g1"}])
    assert main(["validate", str(good)]) == 0
    assert "OK: 1 topics, 1 questions." in capsys.readouterr().out
    bad = write_topic(tmp_path / "bad", "b", [{"qid": "b1", "level": "hard"}])
    assert main(["validate", str(bad.parent), str(tmp_path / "missing.toml")]) == 1
    out = capsys.readouterr().out
    assert "level 'hard'" in out and "missing.toml: no such file or folder" in out


def test_shipped_bank_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import SHIPPED_BANK

    assert main(["validate", str(SHIPPED_BANK)]) == 0, capsys.readouterr().out


def test_markdown_that_cannot_render_in_time_is_rejected(tmp_path: Path) -> None:
    """Issue 12: a 30,000-character answer of '[a](' passed validate and froze reveal for 8.5 s."""
    path = write_topic(tmp_path, "t", [{"qid": "links", "answer": "[a](" * 4000}, {"qid": "fine"}])
    problems = problems_of(path)
    assert len(problems) == 1 and "question 'links' (#1): 'answer' paragraph 1:" in problems[0]
    assert "too many links to lay out in time" in problems[0]


def test_a_hostile_solution_is_a_problem_of_its_question_not_a_crash(tmp_path: Path) -> None:
    """Issue 12: 1+1+...+1 nested 15,000 deep made compile() raise RecursionError, which crashed validate."""
    path = write_topic(tmp_path, "code", [{"qid": "deep"}, {"qid": "fine"}])
    nested = "x = " + "+".join(["1"] * 14000) + "\n"
    text = path.read_text().replace(
        "[questions.rubric]", f"solution = '''{nested}'''\ntests = '''assert x'''\n[questions.rubric]", 1
    )
    path.write_text(text, encoding="utf-8")
    bank, problems = load_bank([path])
    assert [q.id for q in bank.questions] == ["fine"]
    assert len(problems) == 1 and "question 'deep' (#1)" in str(problems[0])
    assert "too deeply nested" in str(problems[0])


def test_an_empty_file_and_a_file_without_topic_say_what_is_wrong_and_name_the_questions(tmp_path: Path) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("\n# nothing yet\n", encoding="utf-8")
    assert problems_of(empty) == [
        f"{empty}: the file is empty: a topic file has a [topic] table, then [[questions]] (see the format)"
    ]
    no_topic = write_topic(tmp_path / "nt", "x", [{"qid": "orphan"}])
    no_topic.write_text(no_topic.read_text().split("\n", 5)[-1], encoding="utf-8")  # drop the [topic] table
    problems = problems_of(no_topic)
    assert f"{no_topic}: [topic]: missing [topic] table" in problems
    assert f"{no_topic}: question 'orphan' (#1): not loaded: the file's [topic] table is missing or invalid" in problems
