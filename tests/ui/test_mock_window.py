"""Mock interviews through the GUI: the real SDK in a worker thread against the local fake API."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QPushButton, QTextBrowser
from pytestqt.qtbot import QtBot

from desktop_app.app import create_window
from desktop_app.simulator.session import MockConfig
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.mock_window import MockInterviewWindow
from tests.simulator.fake_anthropic import GOOD_GRADE, FakeAnthropic, Script
from tests.ui.helpers import settle

STRONG = {**GOOD_GRADE, "tier": "strong", "feedback": "Excellent, complete answer.", "follow_up": "And in production?"}
SLOW_START = 15_000  # ms: the first request imports anthropic in the worker thread


def main_window(qtbot: QtBot, data_dir: Path) -> MainWindow:
    window = create_window(data_dir)
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    window.show()
    settle(qtbot, window)
    return window


def start(qtbot: QtBot, window: MainWindow, config: MockConfig) -> MockInterviewWindow:
    mock = window.mocks.begin_mock(config)
    assert mock is not None
    qtbot.addWidget(mock)
    return mock


def wait_state(qtbot: QtBot, mock: MockInterviewWindow, state: str, timeout: int = 10_000) -> None:
    qtbot.waitUntil(lambda: mock.state == state, timeout=timeout)


def answer(qtbot: QtBot, mock: MockInterviewWindow, text: str) -> None:
    edit = mock.findChild(QPlainTextEdit, "answerEdit")
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_full_session_with_claude_end_to_end(qtbot: QtBot, data_dir: Path, fake: FakeAnthropic, tmp_path: Path) -> None:
    window = main_window(qtbot, data_dir)
    fake.push(
        Script("text", text="Let us start. How would you explain this?"),
        Script("tool", tool_input=GOOD_GRADE),
        Script("tool", tool_input=STRONG),
        Script("text", text="Second question now."),
        Script("tool", tool_input=STRONG),
    )
    mock = start(qtbot, window, MockConfig(count=2, model="claude-sonnet-5-5", follow_up_rounds=1, time_limit_s=120))
    assert mock.objectName() == "mockInterviewWindow"
    wait_state(qtbot, mock, "answering", SLOW_START)
    transcript = mock.findChild(QTextBrowser, "transcriptView")
    assert "Let us start. How would you explain this?" in transcript.toPlainText()
    assert "/ 02:00" in mock.clock_label.text()
    first, second = (q.id for q in mock.interview.questions)

    with qtbot.waitSignal(mock.stateChanged, check_params_cb=lambda s: s == "answering", timeout=10_000):
        answer(qtbot, mock, "Bias is systematic error; variance is sensitivity to the sample.")
    assert "Grade: OK" in transcript.toPlainText()
    assert "Follow-up:" in transcript.toPlainText() and mock.interview.round == 1

    with qtbot.waitSignal(mock.stateChanged, check_params_cb=lambda s: s == "answering", timeout=10_000):
        answer(qtbot, mock, "Plot training and validation error against training size.")
    assert "Second question now." in transcript.toPlainText() and mock.interview.index == 1

    # One follow-up round allowed, but this time end the session after the first grade instead.
    edit = mock.findChild(QPlainTextEdit, "answerEdit")
    qtbot.keyClicks(edit, "Second answer.")
    with qtbot.waitSignal(mock.stateChanged, check_params_cb=lambda s: s == "answering", timeout=10_000):
        qtbot.mouseClick(mock.findChild(QPushButton, "sendAnswerButton"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(mock.findChild(QPushButton, "endButton"), Qt.MouseButton.LeftButton)
    assert mock.state == "finished"
    summary = mock.findChild(QTextBrowser, "sessionSummary")
    assert summary.isVisible() and "OK" in summary.toPlainText() and "Strong" in summary.toPlainText()

    store = window.store
    assert store is not None
    mock_reviews = [(r.qid, r.score) for r in store.reviews.all() if r.source == "mock"]
    assert mock_reviews == [(first, "ok"), (second, "strong")]
    session = store.mocks.session(mock.interview.session_id)
    assert session is not None and session.status == "interrupted"  # ended before the last follow-up
    assert session.input_tokens == 5 * 120 and session.output_tokens == 5 * 40 and session.cost_usd > 0
    assert "tokens" in mock.usage_label.text() and "$" in mock.usage_label.text()

    # Every request carried the cacheable question context and a forced grade tool where grading.
    assert all(r["system"][1]["cache_control"] == {"type": "ephemeral"} for r in fake.requests)
    assert [r.get("tool_choice", {}).get("name") for r in fake.requests] == [
        None,
        "record_grade",
        "record_grade",
        None,
        "record_grade",
    ]

    export = tmp_path / "session.md"
    mock.export_to(str(export))
    text = export.read_text(encoding="utf-8")
    assert "Bias is systematic error" in text and "Grade: STRONG" in text and "## Summary" in text
    assert "sk-ant-test-key-never-stored" not in text
    # The key is nowhere in MLPrep's files either.
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert b"sk-ant-test-key-never-stored" not in path.read_bytes(), path

    # The question view shows the interviewer's grade beside the user's own score.
    window.search_box.setText("")
    window.study.refresh_list(keep_qid=first)
    settle(qtbot, window)
    assert "Interviewer's last grade: <b>OK</b>" in window.rubric_panel.last_label.text()


FAULTS = [
    (Script("error", status=401), "rejected (401)"),
    (Script("error", status=429), "rate limiting"),
    (Script("error", status=529), "overloaded"),
    (Script("error", status=500), "server error (500)"),
    (Script("cut", tool_input=GOOD_GRADE, cut_after=4), "cut off mid-stream"),
    (
        Script(
            "tool",
            raw_tool_json='{"tier": "superb", "covered": [], "missed": [], "factual_errors": [], "feedback": "x", "follow_up": "y"}',
        ),
        "grade could not be read",
    ),
]


@pytest.mark.parametrize(("failure", "message"), FAULTS, ids=["401", "429", "529", "500", "cut", "bad-grade"])
def test_each_fault_keeps_the_answer_and_retry_resends_it(
    qtbot: QtBot, data_dir: Path, fake: FakeAnthropic, failure: Script, message: str
) -> None:
    window = main_window(qtbot, data_dir)
    fake.push(Script("text", text="Question one, please answer."))
    mock = start(qtbot, window, MockConfig(count=1, model="claude-sonnet-5-5", follow_up_rounds=0))
    wait_state(qtbot, mock, "answering", SLOW_START)
    fake.default = failure  # every attempt fails, including the SDK's own retries
    answer(qtbot, mock, "My carefully typed answer.")
    wait_state(qtbot, mock, "fault")
    assert message in mock.fault_label.text()
    assert mock.fault_bar.isVisible() and mock.retry_button.isEnabled()
    store = window.store
    assert store is not None
    answers = [t.text for t in store.mocks.turns(mock.interview.session_id) if t.kind == "answer"]
    assert answers == ["My carefully typed answer."]  # saved before it was sent
    assert not [r for r in store.reviews.all() if r.source == "mock"]  # nothing guessed
    fake.default = None
    fake.push(Script("tool", tool_input=STRONG))
    requests_before = len(fake.requests)
    qtbot.mouseClick(mock.retry_button, Qt.MouseButton.LeftButton)
    wait_state(qtbot, mock, "finished")
    assert "My carefully typed answer." in fake.requests[requests_before]["messages"][0]["content"]
    assert [r.source for r in store.reviews.all()] == ["mock"]


def test_no_key_says_what_to_do_and_the_session_can_still_end(
    qtbot: QtBot, data_dir: Path, fake: FakeAnthropic, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    window = main_window(qtbot, data_dir)
    mock = start(qtbot, window, MockConfig(count=1, model="claude-sonnet-5-5"))
    wait_state(qtbot, mock, "fault", SLOW_START)
    assert "No API key" in mock.fault_label.text() and "offline mock" in mock.fault_label.text()
    assert fake.requests == []
    mock.end_session()
    assert mock.state == "finished"
    assert window.store is not None and window.store.mocks.session(mock.interview.session_id).status == "interrupted"  # type: ignore[union-attr]


def test_network_down_is_reported(qtbot: QtBot, data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9")  # nothing listens there
    window = main_window(qtbot, data_dir)
    mock = start(qtbot, window, MockConfig(count=1, model="claude-sonnet-5-5"))
    wait_state(qtbot, mock, "fault", 30_000)
    assert "Could not reach the API" in mock.fault_label.text()


def test_stop_mid_stream_keeps_the_text_and_ends_the_reply_at_once(
    qtbot: QtBot, data_dir: Path, fake: FakeAnthropic
) -> None:
    window = main_window(qtbot, data_dir)
    words = " ".join(f"word{i}" for i in range(500))
    fake.push(Script("text", text=words, delay=0.02))
    mock = start(qtbot, window, MockConfig(count=1, model="claude-sonnet-5-5"))
    qtbot.waitUntil(lambda: "word5" in mock.transcript.toPlainText(), timeout=SLOW_START)
    stop = mock.findChild(QPushButton, "stopButton")
    assert stop.isEnabled()
    started = time.perf_counter()
    with qtbot.waitSignal(mock.stateChanged, check_params_cb=lambda s: s == "answering", timeout=2000):
        qtbot.mouseClick(stop, Qt.MouseButton.LeftButton)
    # The rest of the reply would take 10 s; the margin holds on a loaded CI machine (bench/ has the figure).
    assert time.perf_counter() - started < 2.0
    text = mock.transcript.toPlainText()
    assert "word0 word1 word2 word3 word4 word5" in text and "(stopped)" in text and "word499" not in text


def test_closing_mid_stream_ends_cleanly_and_saves_as_interrupted(
    qtbot: QtBot, data_dir: Path, fake: FakeAnthropic
) -> None:
    window = main_window(qtbot, data_dir)
    fake.push(Script("text", text=" ".join(f"w{i}" for i in range(500)), delay=0.02))
    mock = start(qtbot, window, MockConfig(count=1, model="claude-sonnet-5-5"))
    qtbot.waitUntil(lambda: "w3" in mock.transcript.toPlainText(), timeout=SLOW_START)
    host = mock.host
    assert host is not None
    started = time.perf_counter()
    mock.close()  # qt_log_level_fail would catch "QThread: Destroyed while thread is still running"
    assert time.perf_counter() - started < 3.0  # the stream would run 10 s more; margin for a loaded machine
    assert host.worker_thread.isFinished()
    assert window.store is not None
    assert window.store.mocks.session(mock.interview.session_id).status == "interrupted"  # type: ignore[union-attr]


def test_quitting_the_app_mid_stream_stops_every_session(qtbot: QtBot, data_dir: Path, fake: FakeAnthropic) -> None:
    window = main_window(qtbot, data_dir)
    fake.push(Script("text", text=" ".join(f"w{i}" for i in range(500)), delay=0.02))
    mock = start(qtbot, window, MockConfig(count=1, model="claude-sonnet-5-5"))
    qtbot.waitUntil(lambda: "w3" in mock.transcript.toPlainText(), timeout=SLOW_START)
    window.quit()  # Ctrl+Q
    assert mock.host is not None and mock.host.worker_thread.isFinished()
    assert window.store is not None
    assert window.store.mocks.session(mock.interview.session_id).status == "interrupted"  # type: ignore[union-attr]


def test_offline_self_graded_mock(qtbot: QtBot, data_dir: Path) -> None:
    window = main_window(qtbot, data_dir)
    mock = start(qtbot, window, MockConfig(count=2, offline=True, time_limit_s=60))
    mock.activateWindow()
    qtbot.waitUntil(mock.isActiveWindow)
    assert mock.host is None and mock.state == "answering"
    first = mock.interview.questions[0]
    assert first.question in mock.transcript.toPlainText()
    answer(qtbot, mock, "Offline answer one.")
    assert mock.state == "self_scoring"
    # Issue 13: the answer and the expected answer with its rubric, side by side.
    assert mock.your_answer.isVisible() and mock.reference_view.isVisible()
    assert "Offline answer one." in mock.your_answer.toPlainText()
    reference = mock.reference_view.toPlainText()
    assert "Expected answer" in reference and first.rubric.strong[0][:30] in reference
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_3)
    assert mock.state == "answering" and mock.interview.index == 1
    answer(qtbot, mock, "Offline answer two.")
    qtbot.mouseClick(mock.findChild(QPushButton, "selfScoreWeak"), Qt.MouseButton.LeftButton)
    assert mock.state == "finished"
    assert window.store is not None
    assert [(r.qid, r.score, r.source) for r in window.store.reviews.all()] == [
        (first.id, "strong", "self"),
        (mock.interview.questions[1].id, "weak", "self"),
    ]
    session = window.store.mocks.session(mock.interview.session_id)
    assert session is not None and session.mode == "offline" and session.status == "completed"
    assert "Strong" in mock.summary_view.toPlainText() and "Weak" in mock.summary_view.toPlainText()


def test_history_lists_sessions_and_exports(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    from desktop_app.ui.mock_history import MockHistoryDialog

    window = main_window(qtbot, data_dir)
    mock = start(qtbot, window, MockConfig(count=1, offline=True))
    answer(qtbot, mock, "An answer for the history.")
    mock.self_score("ok")
    assert window.store is not None
    dialog = MockHistoryDialog(window.store, window)
    qtbot.addWidget(dialog)
    row = dialog.sessions.item(0).text()
    assert dialog.sessions.count() == 1 and "self-graded" in row and row.endswith("\nOK")  # words, no letters
    assert "An answer for the history." in dialog.view.toPlainText()
    out = tmp_path / "h.md"
    dialog.export_to(out)
    exported = out.read_text(encoding="utf-8")
    assert "An answer for the history." in exported
    assert "Tokens" not in exported and "**Feedback:**" not in exported  # offline: no cost, no empty feedback


def test_setup_dialog_lists_models_from_the_api(qtbot: QtBot, data_dir: Path, fake: FakeAnthropic) -> None:
    window = main_window(qtbot, data_dir)
    window.mocks.open_mock_setup()
    dialog = window.mocks.setup_dialog
    qtbot.waitUntil(lambda: dialog.model.count() == 2, timeout=SLOW_START)
    assert [dialog.model.itemText(i) for i in range(2)] == ["claude-sonnet-5-5", "claude-haiku-5-5"]
    dialog.count.setValue(3)
    dialog.offline.setChecked(True)
    config = dialog.config()
    assert (config.count, config.offline, config.follow_up_rounds) == (3, True, 1)
    dialog.reject()


def test_ctrl_m_opens_the_setup(qtbot: QtBot, data_dir: Path) -> None:
    window = main_window(qtbot, data_dir)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.question_list, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    dialog = window.mocks.setup_dialog
    assert dialog.objectName() == "mockSetupDialog" and dialog.isVisible()
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    QApplication.processEvents()


def test_an_answer_that_cannot_be_saved_stays_in_the_editor_and_retry_sends_it(qtbot: QtBot, data_dir: Path) -> None:
    """Issue 12: a write that fails must never lose what the user typed."""
    from tests.conftest import LockHolder

    window = main_window(qtbot, data_dir)
    mock = start(qtbot, window, MockConfig(count=1, offline=True))
    assert mock.state == "answering"
    holder = LockHolder(data_dir / "mlprep.sqlite3")
    try:
        mock.answer_edit.setPlainText("An answer I typed for five minutes.")
        mock.send_answer()
        assert mock.state == "fault" and "Your answer was not saved" in mock.fault_label.text()
        assert mock.answer_edit.toPlainText() == "An answer I typed for five minutes."
    finally:
        holder.release()
    qtbot.mouseClick(mock.retry_button, Qt.MouseButton.LeftButton)
    assert mock.state == "self_scoring" and mock.answer_edit.toPlainText() == ""
    assert window.store is not None
    turns = window.store.mocks.turns(mock.interview.session_id)
    assert [t.text for t in turns if t.kind == "answer"] == ["An answer I typed for five minutes."]


def test_the_key_never_reaches_the_window_the_store_or_an_export(
    qtbot: QtBot, data_dir: Path, fake: FakeAnthropic, tmp_path: Path
) -> None:
    window = main_window(qtbot, data_dir)
    fake.default = Script("error", status=400, text="invalid request; you sent {api_key}")
    mock = start(qtbot, window, MockConfig(count=1, model="claude-sonnet-5-5"))
    wait_state(qtbot, mock, "fault", SLOW_START)
    key = "sk-ant-test-key-never-stored"
    assert key not in mock.fault_label.text() and "[redacted key]" in mock.fault_label.text()
    assert key not in mock.transcript.toPlainText()
    mock.end_session()
    export = tmp_path / "export.md"
    mock.export_to(str(export))
    assert key not in export.read_text(encoding="utf-8")
    raw = (data_dir / "mlprep.sqlite3").read_bytes() + (data_dir / "mlprep.sqlite3-wal").read_bytes()
    assert key.encode() not in raw


def test_stop_close_and_quit_work_while_the_server_has_not_sent_a_byte(
    qtbot: QtBot, data_dir: Path, fake: FakeAnthropic
) -> None:
    """Issue 12: Stop did nothing for 82 s, closing froze 5 s, and quitting aborted the app."""
    window = main_window(qtbot, data_dir)
    fake.default = Script("silent", delay=30.0)
    mock = start(qtbot, window, MockConfig(count=2, model="claude-sonnet-5-5"))
    wait_state(qtbot, mock, "asking")
    stop = mock.findChild(QPushButton, "stopButton")
    started = time.perf_counter()
    with qtbot.waitSignal(mock.stateChanged, timeout=5000):
        qtbot.mouseClick(stop, Qt.MouseButton.LeftButton)
    assert time.perf_counter() - started < 3.0 and mock.state == "answering"
    # A second request that the server also ignores: close the window while it waits.
    answer(qtbot, mock, "An answer.")
    wait_state(qtbot, mock, "grading")
    host = mock.host
    assert host is not None
    started = time.perf_counter()
    mock.close()
    assert time.perf_counter() - started < 3.0 and host.worker_thread.isFinished()


def test_ctrl_q_quits_from_the_mock_window_too(qtbot: QtBot, data_dir: Path) -> None:
    """Issue 12: Ctrl+Q worked only in the main window."""
    window = main_window(qtbot, data_dir)
    mock = start(qtbot, window, MockConfig(count=1, offline=True))
    mock.show()
    mock.activateWindow()
    qtbot.waitUntil(mock.isActiveWindow)
    qtbot.keyClick(mock.answer_edit, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not mock.isVisible() and not window.isVisible())
    assert window.store is not None
    assert window.store.mocks.session(mock.interview.session_id).status == "interrupted"  # type: ignore[union-attr]


def test_the_set_up_dialog_without_a_key_picks_self_graded_and_says_where_a_key_goes(
    qtbot: QtBot, data_dir: Path
) -> None:
    from desktop_app.ui import background

    window = main_window(qtbot, data_dir)
    assert window.mocks is not None
    window.mocks.open_mock_setup()
    dialog = window.mocks.setup_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.offline.isChecked(), timeout=10_000)  # the worker found no key
    status = dialog.model_status.text()
    assert "Ctrl+K" in status and "API key" in status and "end the session" not in status
    dialog.resize(dialog.sizeHint())
    assert dialog.width() <= 1280 and dialog.height() <= 800  # fits a 1280 x 800 screen
    dialog.reject()
    qtbot.waitUntil(lambda: not background.busy())


def test_after_a_self_score_the_next_question_is_in_view(qtbot: QtBot, data_dir: Path) -> None:
    window = main_window(qtbot, data_dir)
    mock = start(qtbot, window, MockConfig(count=2, offline=True))
    mock.resize(900, 600)
    answer(qtbot, mock, "A long answer. " * 200)  # pushes the transcript well past one screen
    mock.self_score("strong")
    second = mock.interview.questions[1].question
    view = mock.transcript
    cursor = view.document().find(second[:40])
    assert not cursor.isNull()
    rect = view.cursorRect(cursor)
    assert view.viewport().rect().intersects(rect), "the new question is on screen, not the old reference"


# -- issue 16: a coding round -------------------------------------------------------------------


CODE_GRADE = {
    **GOOD_GRADE,
    "tier": "strong",
    "feedback": "Correct and vectorised.",
    "complexity": "O(n) time, O(n) memory for the masks.",
    "code_quality": "Readable; the zero-division guard is explicit.",
    "follow_up": "How would this change for a stream that does not fit in memory?",
}


def test_a_coding_round_runs_the_tests_submits_the_code_and_is_graded_on_it(
    qtbot: QtBot, data_dir: Path, fake: FakeAnthropic, tmp_path: Path
) -> None:
    window = main_window(qtbot, data_dir)
    fake.push(
        Script("text", text="Please implement this one."),
        Script("tool", tool_input=CODE_GRADE),
        Script("tool", tool_input=STRONG),
    )
    mock = start(qtbot, window, MockConfig(count=1, coding=1, model="claude-sonnet-5-5", follow_up_rounds=1))
    wait_state(qtbot, mock, "answering", SLOW_START)
    question = mock.interview.current
    assert question is not None and question.tests and question.solution and mock.interview.is_coding()
    panel = mock.coding
    assert panel is not None and panel.isVisible() and not mock.answer_edit.isVisible()
    assert "raise NotImplementedError" in panel.editor.text()
    assert mock.send_button.text().startswith("Submit code")
    assert not panel.solution_button.isVisible(), "the reference comes with the grade, not before"

    # Submitting code that has not been run runs the tests first, then sends code and results together.
    panel.editor.set_text(question.solution)
    panel.editor.setFocus()
    with qtbot.waitSignal(mock.stateChanged, check_params_cb=lambda s: s == "answering", timeout=30_000):
        qtbot.keyClick(
            panel.editor,
            Qt.Key.Key_Return,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    assert panel.last_result is not None and panel.last_result.all_passed
    grade_request = fake.requests[1]
    sent = str(grade_request["messages"])
    assert question.solution.strip().splitlines()[-1].strip() in sent, "the code went to the grader"
    assert "Tests: All" in sent and "passed: " in sent, "with how its tests went"
    system = str(grade_request["system"])
    assert "Reference solution" in system or question.solution.strip()[:60] in system
    schema = grade_request["tools"][0]["input_schema"]["properties"]
    assert "complexity" in schema and "code_quality" in schema
    assert "This answer is code" in str(grade_request), "the grader is told to judge code and ask about it"
    assert "This answer is code" not in str(fake.requests[0]), "only the grade of code carries the note"
    shown = mock.transcript.toPlainText()
    assert "O(n) time" in shown and "zero-division guard" in shown
    assert "stream that does not fit in memory" in shown

    # The follow-up is answered in words, in the answer box.
    assert not mock.interview.is_coding() and mock.answer_edit.isVisible()
    with qtbot.waitSignal(mock.stateChanged, check_params_cb=lambda s: s == "finished", timeout=10_000):
        answer(qtbot, mock, "Count the cells per chunk and sum them.")

    store = window.store
    assert store is not None
    turns = store.mocks.turns(mock.interview.session_id)
    kept = "\n".join(t.text for t in turns)
    assert "```python" in kept and "Tests: All" in kept
    export = tmp_path / "coding.md"
    mock.export_to(str(export))
    text = export.read_text(encoding="utf-8")
    assert "```python" in text and "Tests: All" in text and "O(n) time" in text


def test_a_self_graded_coding_round_shows_the_test_results_and_the_reference_solution(
    qtbot: QtBot, data_dir: Path
) -> None:
    window = main_window(qtbot, data_dir)
    mock = start(qtbot, window, MockConfig(count=1, coding=1, offline=True))
    question = mock.interview.current
    assert question is not None and question.solution and mock.coding is not None
    with qtbot.waitSignal(mock.coding.ran, timeout=30_000):
        qtbot.mouseClick(mock.coding.run_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(mock.send_button, Qt.MouseButton.LeftButton)
    assert mock.state == "self_scoring"
    mine = mock.your_answer.toPlainText()
    assert "raise NotImplementedError" in mine and "FAILED" in mine
    reference = mock.reference_view.toPlainText()
    assert "Reference solution" in reference and question.solution.strip().splitlines()[-1].strip() in reference
    mock.self_score("weak")
    assert mock.state == "finished"
