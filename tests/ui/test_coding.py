"""Issue 16, the coding round through the real widgets: the coding panel beside a coding question, runs in a
real child process started by QProcess, attempts stored and restored, the suggested score, custom inputs
against the reference, and every hostile run ending cleanly with the window still answering."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QSpinBox
from pytestqt.qtbot import QtBot

from desktop_app.core.bank import Question, Rubric
from desktop_app.core.coderun import Job, Limits, RunResult
from desktop_app.ui.code_editor import CodeEditor
from desktop_app.ui.code_runner import CodeRunner
from desktop_app.ui.coding_panel import CodingPanel
from desktop_app.ui.main_window import MainWindow
from tests.conftest import write_topic
from tests.ui.helpers import open_window

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the runner's limits are POSIX")

SOLUTION = '''\
def mean(xs):
    """The arithmetic mean of a non-empty list; an empty one raises ValueError."""
    if not xs:
        raise ValueError("empty")
    return sum(xs) / len(xs)
'''

TESTS = """\
def test_simple():
    assert mean([1, 2, 3]) == 2, "the mean of 1, 2, 3 is 2"


def test_empty_raises():
    try:
        mean([])
    except ValueError:
        return
    raise AssertionError("an empty list should raise ValueError")
"""

WRONG = '''\
def mean(xs):
    """The arithmetic mean of a non-empty list; an empty one raises ValueError."""
    return sum(xs) / (len(xs) + 1)
'''

CODING_TOPIC = f"""[topic]
id = "coding"
title = "Coding"
order = 1

[[questions]]
id = "implement-mean"
question = "Implement the mean of a list. What should an empty list do?"
level = "beginner"
tags = ["coding"]
answer = "Sum, then divide by the length; refuse an empty list with ValueError rather than dividing by zero."
follow_ups = ["What about a stream?", "What about overflow?", "What about NaN?"]
solution = '''
{SOLUTION}'''
tests = '''
{TESTS}'''

[questions.rubric]
strong = "Handles the empty list."
ok = "Divides by the length."
weak = "Divides by the wrong count."
"""


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    folder = tmp_path / "bank"
    folder.mkdir()
    (folder / "coding.toml").write_text(CODING_TOPIC, encoding="utf-8")
    write_topic(folder, "theory", [{"qid": "plain-question"}], order=2)
    return folder


def make_question(solution: str, tests: str) -> Question:
    return Question(
        "hostile", "coding", "Run it.", "beginner", "Nothing.", (), Rubric(("a",), "b", "c"), (), solution, tests
    )


def coding_window(qtbot: QtBot, data_dir: Path, bank: Path) -> tuple[MainWindow, CodingPanel]:
    window = open_window(qtbot, data_dir, bank)
    study = window.study
    assert study is not None and study.session.current is not None
    assert study.session.current.qid == "implement-mean", "the coding topic is first"
    panel = study.coding
    assert panel is not None and panel.isVisible()
    return window, panel


def run(qtbot: QtBot, panel: CodingPanel, code: str | None = None, timeout: int = 20_000) -> RunResult:
    if code is not None:
        panel.editor.set_text(code)
    with qtbot.waitSignal(panel.ran, timeout=timeout) as blocker:
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert isinstance(result, RunResult)
    return result


def suggested(window: MainWindow) -> list[str]:
    return [name for name, b in window.score_bar.buttons.items() if b.property("suggested")]


def test_a_coding_question_opens_on_the_stub_in_the_editor_and_a_plain_one_hides_it(
    qtbot: QtBot, data_dir: Path, bank: Path
) -> None:
    window, panel = coding_window(qtbot, data_dir, bank)
    editor = window.findChild(CodeEditor, "codeEditor")
    assert editor is panel.editor and editor.isVisible()
    text = editor.text()
    assert "def mean(xs):" in text and "raise NotImplementedError" in text
    assert '"""The arithmetic mean' in text, "the docstring is kept"
    assert "sum(xs)" not in text, "the stub gives nothing of the answer away"
    assert "mean(…)" in panel.custom.placeholderText()
    window.study.next_question()  # type: ignore[union-attr]
    assert window.study.session.current.qid == "plain-question"  # type: ignore[union-attr]
    assert not panel.isVisible()
    window.study.previous_question()  # type: ignore[union-attr]
    assert panel.isVisible()


def test_the_stub_fails_each_test_then_a_correct_solution_passes_suggests_strong_and_the_score_lands(
    qtbot: QtBot, data_dir: Path, bank: Path
) -> None:
    window, panel = coding_window(qtbot, data_dir, bank)
    store = window.store
    assert store is not None
    stubbed = run(qtbot, panel)
    assert [t.name for t in stubbed.tests] == ["test_simple", "test_empty_raises"]
    assert stubbed.passed == 0 and "NotImplementedError" in panel.results.toPlainText()
    assert suggested(window) == []

    result = run(qtbot, panel, SOLUTION)
    assert result.all_passed
    shown = panel.results.toPlainText()
    assert "✓ test_simple" in shown and "✓ test_empty_raises" in shown
    assert panel.status.text() == "All 2 tests passed." and panel.status.property("verdict") == "pass"
    assert panel.editor.marked_line() is None
    assert suggested(window) == ["strong"], "a pass without the solution and under three failures is Strong"
    attempts = store.attempts.all("implement-mean")
    assert sorted((a.passed, a.total) for a in attempts) == [(0, 2), (2, 2)]
    last = store.attempts.last("implement-mean")
    assert last is not None and last.code == SOLUTION and last.passed == 2 and not last.revealed

    # The user may override the suggestion: the score they press is the one recorded.
    qtbot.mouseClick(window.score_bar.buttons["ok"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: store.reviews.last("implement-mean", "self") is not None)
    review = store.reviews.last("implement-mean", "self")
    assert review is not None and review.score == "ok"


def test_a_wrong_solution_names_the_failing_test_and_marks_the_users_line(
    qtbot: QtBot, data_dir: Path, bank: Path
) -> None:
    window, panel = coding_window(qtbot, data_dir, bank)
    result = run(qtbot, panel, WRONG)
    failure = result.first_failure
    assert failure is not None and failure.name == "test_simple"
    assert "the mean of 1, 2, 3 is 2" in panel.results.toPlainText()
    assert "✗ test_simple" in panel.results.toPlainText()
    assert "test_simple" in panel.status.text()
    assert suggested(window) == []


def test_a_syntax_error_points_at_its_line_in_the_editor(qtbot: QtBot, data_dir: Path, bank: Path) -> None:
    _, panel = coding_window(qtbot, data_dir, bank)
    result = run(qtbot, panel, "def mean(xs):\n    total = 0\n    return total +\n")
    assert result.syntax_error is not None and result.syntax_error.line == 3
    assert panel.editor.marked_line() == 3
    assert "line 3" in panel.status.text()


def test_f5_runs_the_tests_from_the_main_window(qtbot: QtBot, data_dir: Path, bank: Path) -> None:
    window, panel = coding_window(qtbot, data_dir, bank)
    panel.editor.set_text(SOLUTION)
    window.question_list.setFocus()
    with qtbot.waitSignal(panel.ran, timeout=20_000) as blocker:
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F5)
    assert blocker.args[0].all_passed


def test_from_the_editor_esc_then_a_number_records_the_score(qtbot: QtBot, data_dir: Path, bank: Path) -> None:
    """What the status bar tells the user after a pass: Esc leaves the editor, then 1-4 scores."""
    window, panel = coding_window(qtbot, data_dir, bank)
    panel.editor.setFocus()
    run(qtbot, panel, SOLUTION)
    assert "Press Esc, then a score" in window.statusBar().currentMessage()
    panel.editor.setFocus()
    qtbot.keyClick(panel.editor, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is not panel.editor
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_3)
    assert panel.editor.text() == SOLUTION, "the 3 went to the score bar, not into the code"
    qtbot.waitUntil(lambda: window.store.reviews.last("implement-mean", "self") is not None)  # type: ignore[union-attr]
    assert window.store.reviews.last("implement-mean", "self").score == "strong"  # type: ignore[union-attr]


def test_ctrl_enter_in_the_editor_runs_the_tests(qtbot: QtBot, data_dir: Path, bank: Path) -> None:
    _, panel = coding_window(qtbot, data_dir, bank)
    panel.editor.set_text(SOLUTION)
    panel.editor.setFocus()
    with qtbot.waitSignal(panel.ran, timeout=20_000) as blocker:
        qtbot.keyClick(panel.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args[0].all_passed
    assert panel.editor.text() == SOLUTION, "Ctrl+Enter ran the tests rather than typing a new line"


def test_after_seeing_the_solution_a_pass_suggests_ok_and_the_diff_is_shown(
    qtbot: QtBot, data_dir: Path, bank: Path
) -> None:
    window, panel = coding_window(qtbot, data_dir, bank)
    panel.editor.set_text(WRONG)
    qtbot.mouseClick(panel.solution_button, Qt.MouseButton.LeftButton)
    shown = panel.results.toPlainText()
    assert "Reference solution" in shown and "if not xs:" in shown
    assert "-    return sum(xs) / (len(xs) + 1)" in shown and "+    return sum(xs) / len(xs)" in shown
    assert window.study.session.revealed  # type: ignore[union-attr]
    run(qtbot, panel, SOLUTION)
    assert suggested(window) == ["ok"]
    last = window.store.attempts.last("implement-mean")  # type: ignore[union-attr]
    assert last is not None and last.revealed


def test_three_failed_runs_then_a_pass_suggests_ok(qtbot: QtBot, data_dir: Path, bank: Path) -> None:
    window, panel = coding_window(qtbot, data_dir, bank)
    for _ in range(3):
        assert not run(qtbot, panel, WRONG).all_passed
    assert run(qtbot, panel, SOLUTION).all_passed
    assert suggested(window) == ["ok"]
    assert "after 3 failed runs" in window.statusBar().currentMessage()


def test_giving_up_shows_the_solution_and_suggests_weak(qtbot: QtBot, data_dir: Path, bank: Path) -> None:
    window, panel = coding_window(qtbot, data_dir, bank)
    qtbot.mouseClick(panel.give_up_button, Qt.MouseButton.LeftButton)
    assert "Reference solution" in panel.results.toPlainText()
    assert suggested(window) == ["weak"]


def test_reset_to_stub_is_one_action_and_can_be_undone(qtbot: QtBot, data_dir: Path, bank: Path) -> None:
    _, panel = coding_window(qtbot, data_dir, bank)
    stub = panel.editor.text()
    panel.editor.set_text(WRONG)
    qtbot.mouseClick(panel.reset_button, Qt.MouseButton.LeftButton)
    assert panel.editor.text() == stub
    panel.editor.undo()
    assert panel.editor.text() == WRONG, "a reset by mistake loses nothing"


def test_the_last_attempt_and_its_result_come_back_after_a_restart(qtbot: QtBot, data_dir: Path, bank: Path) -> None:
    window, panel = coding_window(qtbot, data_dir, bank)
    run(qtbot, panel, WRONG)
    window.close()
    window2, panel2 = coding_window(qtbot, data_dir, bank)
    assert panel2 is not panel
    assert panel2.editor.text() == WRONG
    assert panel2.status.text().startswith("Your last attempt, today at ") and "test_simple" in panel2.status.text()
    assert panel2.status.property("verdict") == "fail"


def test_output_streams_into_the_results_while_the_tests_run(qtbot: QtBot, data_dir: Path, bank: Path) -> None:
    _, panel = coding_window(qtbot, data_dir, bank)
    panel.limits = Limits(wall_s=30)
    panel.editor.set_text("import time\n\ndef mean(xs):\n    print('working on', xs, flush=True)\n    time.sleep(30)\n")
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "working on [1, 2, 3]" in panel.results.toPlainText(), timeout=10_000)
    assert "Running" in panel.results.toPlainText()
    with qtbot.waitSignal(panel.ran, timeout=3_000):
        panel.stop_button.click()
    assert "working on [1, 2, 3]" in panel.results.toPlainText(), "what it printed stays with the result"


def test_past_text_says_when_in_words() -> None:
    from datetime import datetime

    from desktop_app.ui.coding_panel import past_text

    now = datetime(2026, 12, 6, 15, 0).timestamp()
    assert past_text(datetime(2026, 12, 6, 9, 5).timestamp(), now) == "today at 09:05"
    assert past_text(datetime(2026, 12, 5, 23, 0).timestamp(), now) == "yesterday"
    assert past_text(datetime(2026, 12, 1, 8, 0).timestamp(), now) == "on Tue 01 Dec"


def test_a_stopped_run_ends_at_once_and_is_not_an_attempt(qtbot: QtBot, data_dir: Path, bank: Path) -> None:
    window, panel = coding_window(qtbot, data_dir, bank)
    panel.limits = Limits(wall_s=30)
    panel.editor.set_text("def mean(xs):\n    while True:\n        pass\n")
    with qtbot.waitSignal(panel.runner.started, timeout=5_000):
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    assert panel.stop_button.isEnabled() and not panel.run_button.isEnabled()
    with qtbot.waitSignal(panel.ran, timeout=3_000) as blocker:
        qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert result.stopped and not result.all_passed
    assert "stopped" in panel.status.text().lower()
    assert panel.run_button.isEnabled() and not panel.stop_button.isEnabled()
    assert window.store.attempts.last("implement-mean") is None  # type: ignore[union-attr]


def test_custom_input_shows_yours_beside_the_reference(qtbot: QtBot, data_dir: Path, bank: Path) -> None:
    _, panel = coding_window(qtbot, data_dir, bank)
    panel.editor.set_text(WRONG)
    panel.custom.setText("mean([2, 4])")
    qtbot.mouseClick(panel.try_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.status.text() in ("The same.", "Different."), timeout=20_000)
    shown = panel.results.toPlainText()
    assert panel.status.text() == "Different."
    assert "2.0" in shown and "3.0" in shown, shown

    panel.editor.set_text(SOLUTION)
    panel.custom.setText("mean([])")
    qtbot.mouseClick(panel.try_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.run_button.isEnabled(), timeout=20_000)
    shown = panel.results.toPlainText()
    assert panel.status.text() == "The same."
    assert shown.count("ValueError") >= 2, shown


HOSTILE = {
    "infinite loop": ("def spin():\n    while True:\n        pass\n", "more than 3 s"),
    "memory bomb": (
        "def spin():\n    blocks = []\n    while True:\n        blocks.append(bytearray(50 << 20))\n",
        "memory",
    ),
    "fork loop": ("import os\n\ndef spin():\n    while True:\n        os.fork()\n", "process"),
    "huge print": ("def spin():\n    while True:\n        print('x' * 1000)\n", "printed more than 200,000 bytes"),
    "sys.exit": ("import sys\n\ndef spin():\n    sys.exit(0)\n", "exit"),
    "segfault": ("import ctypes\n\ndef spin():\n    ctypes.string_at(0)\n", "crash"),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_each_hostile_run_ends_cleanly_with_a_clear_message(qtbot: QtBot, case: str) -> None:
    code, word = HOSTILE[case]
    panel = CodingPanel(Limits(wall_s=3.0, cpu_s=5, memory_mb=512, output_bytes=200_000))
    qtbot.addWidget(panel)
    panel.load(make_question("def spin():\n    pass\n", "def test_spin():\n    spin()\n"), code)
    panel.show()
    with qtbot.waitSignal(panel.ran, timeout=15_000) as blocker:
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert not result.all_passed
    message = panel.status.text()
    assert message and word in message.lower(), f"{case}: {message!r}"
    assert panel.run_button.isEnabled() and not panel.runner.running
    # The window still answers and runs the next thing normally.
    ok = run(qtbot, panel, "def spin():\n    return 1\n")
    assert ok.all_passed


def test_the_runner_reports_an_exit_code_and_the_signal_of_a_crash(qtbot: QtBot) -> None:
    runner = CodeRunner()
    with qtbot.waitSignal(runner.finished, timeout=15_000) as blocker:
        runner.run(Job("import sys\nsys.exit(3)\n", "def test_a():\n    pass\n", limits=Limits(wall_s=5)))
    exited = blocker.args[0]
    assert exited.signal is None and exited.exit_code not in (None, 0)
    with qtbot.waitSignal(runner.finished, timeout=15_000) as blocker:
        runner.run(Job("import ctypes\nctypes.string_at(0)\n", "def test_a():\n    pass\n", limits=Limits(wall_s=5)))
    crashed = blocker.args[0]
    assert crashed.signal == 11 and crashed.exit_code is None


def test_a_runner_dropped_after_its_runs_takes_its_processes_with_it_cleanly(qtbot: QtBot) -> None:
    """Regression: a runner garbage-collected after a run crashed the app on the next event-loop pass
    (its QProcess children had deleteLater() pending)."""
    import gc

    runner = CodeRunner()
    with qtbot.waitSignal(runner.finished, timeout=15_000):
        runner.run(Job("x = 1\n", "def test_a():\n    assert x == 1\n", limits=Limits(wall_s=5)))
    del runner
    gc.collect()
    QApplication.processEvents()
    QApplication.sendPostedEvents()


def test_a_new_run_replaces_the_old_one_and_leaves_no_temporary_folder(qtbot: QtBot) -> None:
    # The runner's own folders, not a scan of the shared temp dir (other runs on the machine make theirs).
    runner = CodeRunner()
    folders: list[Path] = []
    runner.started.connect(lambda: folders.append(runner.folder))  # type: ignore[arg-type]
    runner.run(
        Job("def spin():\n    while True:\n        pass\n", "def test_a():\n    spin()\n", limits=Limits(wall_s=30))
    )
    assert folders and folders[0].is_dir()
    with qtbot.waitSignal(runner.finished, timeout=30_000) as blocker:
        runner.run(Job("x = 1\n", "def test_a():\n    assert x == 1\n", limits=Limits(wall_s=5)))
    assert blocker.args[0].all_passed and len(folders) == 2 and folders[0] != folders[1]
    qtbot.waitUntil(lambda: not any(folder.exists() for folder in folders), timeout=5_000)


def test_pushbuttons_have_accessible_names(qtbot: QtBot, data_dir: Path, bank: Path) -> None:
    _, panel = coding_window(qtbot, data_dir, bank)
    for button in panel.findChildren(QPushButton):
        assert button.accessibleName(), button.objectName()


def test_the_time_limit_per_run_is_a_study_setting(qtbot: QtBot, data_dir: Path, bank: Path) -> None:
    from desktop_app.core.schedule import StudyConfig
    from desktop_app.ui import background
    from desktop_app.ui.study_settings import StudySettingsDialog

    window, panel = coding_window(qtbot, data_dir, bank)
    assert panel.limits.wall_s == 10
    dialog = StudySettingsDialog(StudyConfig(), window)
    qtbot.addWidget(dialog)
    spin = dialog.findChild(QSpinBox, "codeTimeLimitSpin")
    assert spin is not None and spin.value() == 10
    spin.setValue(2)
    window.apply_study_settings(dialog.config())
    qtbot.waitUntil(lambda: not background.busy(), timeout=10_000)
    assert panel.limits.wall_s == 2 and window.store.sched.config().code_time_limit_s == 2  # type: ignore[union-attr]
    result = run(qtbot, panel, "def mean(xs):\n    while True:\n        pass\n", timeout=10_000)
    assert result.timed_out or result.limit == "cpu"
    assert "more than 2 s" in panel.status.text()


def test_the_code_gets_the_room_while_writing_and_the_answer_once_it_is_shown(
    qtbot: QtBot, data_dir: Path, bank: Path
) -> None:
    window, panel = coding_window(qtbot, data_dir, bank)
    question, code = window.question_split.sizes()
    assert code > 2 * question, "writing: the editor has most of the column"
    window.study.toggle_reveal()  # type: ignore[union-attr]
    question, code = window.question_split.sizes()
    assert question > code, "the answer is shown: it is what the user reads next"
    assert panel.status.isHidden() or panel.status.text(), "no empty status line takes room"
