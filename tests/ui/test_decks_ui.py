"""Issue 15 in the window: import decks, write and edit questions, remove and export decks, and questions
proposed for a job by the real SDK against the local fake Messages API."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from desktop_app.ui.decks import DeckActions
from desktop_app.ui.main_window import MainWindow
from tests.conftest import write_topic
from tests.simulator.fake_anthropic import FakeAnthropic, Script
from tests.ui.helpers import open_window, settle


def actions(window: MainWindow) -> DeckActions:
    assert window.decks is not None
    return window.decks


def current_qid(window: MainWindow) -> str:
    assert window.study is not None and window.study.session.current is not None
    return window.study.session.current.qid


def sidebar_text(window: MainWindow, topic_id: str) -> str:
    for i in range(window.sidebar.count()):
        item = window.sidebar.item(i)
        if item.data(Qt.ItemDataRole.UserRole) == topic_id:
            return item.text()
    return ""


def test_importing_decks_from_the_dialog_lists_them_as_yours(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    window = open_window(qtbot, data_dir)
    deck = write_topic(tmp_path / "in", "job-prep", [{"qid": "jp-1"}, {"qid": "jp-2"}], title="Job prep")
    bad = write_topic(tmp_path / "in", "broken", [{"qid": "bk-1", "level": "expert"}], title="Broken")
    decks = actions(window)
    decks.import_decks()
    dialog = decks.dialog
    assert dialog is not None and dialog.objectName() == "importDeckDialog" and dialog.isVisible()
    dialog.paths.setText(f"{deck};{bad}")  # type: ignore[attr-defined]
    with qtbot.waitSignal(decks.imported, timeout=15_000):
        qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    settle(qtbot, window)
    assert "Job prep" in sidebar_text(window, "job-prep") and "your deck" in sidebar_text(window, "job-prep")
    assert sidebar_text(window, "broken") == ""
    report = decks.dialog
    assert report is not None and report.objectName() == "importReport" and report.isVisible()
    text = report.text.toPlainText()  # type: ignore[attr-defined]
    assert "Imported deck 'Job prep' (job-prep): 2 questions" in text
    assert "Not imported" in text and "broken.toml" in text and "level 'expert'" in text
    assert current_qid(window) == "jp-1", "the first imported question is shown"


def fill_editor(qtbot: QtBot, editor: object, question: str) -> None:
    e = editor
    e.question.setPlainText(question)  # type: ignore[attr-defined]
    e.answer.setPlainText("Clip the norm of the gradient so one bad batch cannot blow up the weights.")  # type: ignore[attr-defined]
    e.follow_ups.setPlainText("- What norm?\nWhen is it not enough?")  # type: ignore[attr-defined]
    e.strong.setPlainText("Bounds the update size\nNames exploding gradients")  # type: ignore[attr-defined]
    e.ok.setPlainText("Says it stabilises training.")  # type: ignore[attr-defined]
    e.weak.setPlainText("Thinks it speeds training up.")  # type: ignore[attr-defined]
    e.refresh()  # type: ignore[attr-defined]


def test_a_new_question_is_checked_as_typed_then_saved_to_a_new_deck(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    qtbot.keyClick(window.question_list, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = actions(window).editor
    assert editor is not None and editor.isVisible() and editor.objectName() == "questionEditor"
    editor.refresh()
    assert not editor.save_button.isEnabled() and "To fix before saving" in editor.problems.text()
    fill_editor(qtbot, editor, "Why clip gradients in RNN training?")
    assert "give the new deck a title" in editor.problems.text()
    editor.new_deck_title.setText("Deep learning extras")
    editor.refresh()
    assert editor.save_button.isEnabled(), editor.problems.text()
    assert (
        "Why clip gradients" in editor.preview.toPlainText()
        and "Bounds the update size" in editor.preview.toPlainText()
    )
    qid = editor.qid.text()
    assert qid.startswith("my-deck-") or qid  # made from the text until the user types one
    with qtbot.waitSignal(actions(window).changed, timeout=15_000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    path = data_dir / "decks" / "deep-learning-extras.toml"
    assert path.is_file() and "Why clip gradients in RNN training?" in path.read_text()
    assert current_qid(window) == qid and "your deck" in sidebar_text(window, "deep-learning-extras")
    stored = window.store.questions.get(qid)  # type: ignore[union-attr]
    assert stored is not None and stored.follow_ups == ("What norm?", "When is it not enough?")


def test_e_copies_a_shipped_question_into_a_deck_and_edits_your_own_in_place(qtbot: QtBot, data_dir: Path) -> None:
    window = open_window(qtbot, data_dir)
    shipped = current_qid(window)
    window.question_list.setFocus()
    qtbot.keyClick(window.question_list, Qt.Key.Key_E)
    editor = actions(window).editor
    assert editor is not None and editor.windowTitle() == "Copy into one of your decks"
    assert editor.qid.text() == f"{shipped}-mine" and editor.replacing is None
    editor.new_deck_title.setText("My versions")
    editor.answer.setPlainText(editor.answer.toPlainText() + "\n\nMy own addition.")
    editor.refresh()
    with qtbot.waitSignal(actions(window).changed, timeout=15_000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert current_qid(window) == f"{shipped}-mine"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.store.questions.get(shipped).answer != window.store.questions.get(f"{shipped}-mine").answer  # type: ignore[union-attr]
    qtbot.keyClick(window.question_list, Qt.Key.Key_E)  # now one of yours: edited in place
    editor = actions(window).editor
    assert editor is not None and editor.windowTitle() == "Edit question" and editor.replacing == f"{shipped}-mine"
    editor.level.setCurrentIndex(editor.level.findData("advanced"))
    editor.refresh()
    with qtbot.waitSignal(actions(window).changed, timeout=15_000):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert window.store.questions.get(f"{shipped}-mine").level == "advanced"  # type: ignore[union-attr]
    assert len(window.store.questions.list(topic_id="my-versions")) == 1  # type: ignore[union-attr]


def test_removing_and_exporting_from_the_window(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    window = open_window(qtbot, data_dir)
    decks = actions(window)
    deck = write_topic(tmp_path / "in", "mine", [{"qid": "mn-1"}, {"qid": "mn-2"}], title="Mine")
    with qtbot.waitSignal(decks.imported, timeout=15_000):
        decks.import_decks([deck])
    out = tmp_path / "export" / "mine.md"
    decks.export_questions("mine", "md", out)
    qtbot.waitUntil(lambda: out.is_file(), timeout=10_000)
    assert "## What is mn-1?" in out.read_text()
    qtbot.waitUntil(lambda: "Exported 2 questions" in decks.last_message, timeout=10_000)
    decks.remove_deck()
    dialog = decks.dialog
    assert dialog is not None and dialog.objectName() == "removeDeckDialog"
    with qtbot.waitSignal(decks.changed, timeout=15_000):
        qtbot.mouseClick(dialog.findChild(QPushButton, "removeButton"), Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert sidebar_text(window, "mine") == "" and "history kept" in decks.last_message
    assert list((data_dir / "decks" / "removed").glob("mine-*.toml"))


PROPOSAL = {
    "job_title": "Search ranking engineer",
    "focus_topics": [
        {"topic_id": "recommender-systems", "weight": 2},
        {"topic_id": "evaluation-experimentation", "weight": 1},
    ],
    "questions": [
        {
            "question": "How would you evaluate a learning-to-rank model offline before an A/B test?",
            "level": "intermediate",
            "answer": "Hold out query sessions by time, score NDCG@10 and MRR, and correct click labels for position bias.",
            "follow_ups": [
                "Why split by time?",
                "How does position bias enter?",
                "When do offline and online disagree?",
            ],
            "rubric": {
                "strong": ["Uses a rank metric at a cutoff", "Handles position bias in clicks"],
                "ok": "Names a rank metric but ignores the bias in logs.",
                "weak": "Uses accuracy over items.",
            },
            "tags": ["ranking"],
            "gap": "The bank has no ranking evaluation question.",
        },
        {
            "question": "What is a two-tower retrieval model and why is it used for candidate generation?",
            "level": "advanced",
            "answer": "Separate query and item encoders whose dot product scores relevance; items are embedded offline and retrieved with approximate nearest neighbours.",
            "follow_ups": [
                "How are negatives sampled?",
                "What does the tower miss?",
                "How do you refresh item embeddings?",
            ],
            "rubric": {
                "strong": ["Separate encoders, dot product", "Offline item embeddings with ANN retrieval"],
                "ok": "Describes the towers but not why retrieval scales.",
                "weak": "Confuses it with a cross-encoder.",
            },
            "tags": ["retrieval"],
            "gap": "Candidate generation is central to the job.",
        },
    ],
}


def test_questions_proposed_for_a_job_are_reviewed_then_saved_and_drive_a_mock(
    qtbot: QtBot, data_dir: Path, fake: FakeAnthropic
) -> None:
    from desktop_app.simulator.session import pick_questions

    window = open_window(qtbot, data_dir)
    fake.push(Script("tool", tool_input=PROPOSAL))
    qtbot.keyClick(window.question_list, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    dialog = actions(window).dialog
    assert dialog is not None and dialog.objectName() == "jobQuestionsDialog"
    dialog.job.setPlainText("We rank search results for 50M users; you will own the ranking models end to end.")  # type: ignore[attr-defined]
    qtbot.mouseClick(dialog.generate, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: dialog.list.count() == 2, timeout=20_000)  # type: ignore[attr-defined]
    request = fake.requests[-1]
    assert (
        "50M users" in request["messages"][0]["content"]
        and "Explain the bias-variance" in request["messages"][0]["content"]
    )
    assert dialog.deck_title.text() == "Job: Search ranking engineer"  # type: ignore[attr-defined]
    dialog.list.item(1).setCheckState(Qt.CheckState.Unchecked)  # type: ignore[attr-defined]
    dialog.list.setCurrentRow(0)  # type: ignore[attr-defined]
    assert "position bias" in dialog.preview.toPlainText()  # type: ignore[attr-defined]
    qtbot.mouseClick(dialog.edit, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    editor = dialog.editor  # type: ignore[attr-defined]
    editor.answer.setPlainText(editor.answer.toPlainText() + " Then confirm online.")
    editor.refresh()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(actions(window).changed, timeout=15_000):
        qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    settle(qtbot, window)
    deck = data_dir / "decks" / "job-search-ranking-engineer.toml"
    assert deck.is_file() and "Then confirm online." in deck.read_text() and "two-tower" not in deck.read_text()
    job = json.loads((data_dir / "decks" / "job-search-ranking-engineer.job.json").read_text())
    assert "50M users" in job["description"]
    assert abs(sum(job["weights"].values()) - 1) < 1e-9 and job["weights"]["job-search-ranking-engineer"] == 0.4

    window.mocks.open_mock_setup()  # type: ignore[union-attr]
    setup = window.mocks.setup_dialog  # type: ignore[union-attr]
    assert setup is not None and setup.job.count() == 2  # type: ignore[attr-defined]
    setup.job.setCurrentIndex(1)  # type: ignore[attr-defined]
    config = setup.config()  # type: ignore[attr-defined]
    setup.reject()
    assert config.topic_weights == job["weights"]
    import random

    config.count = 10
    drawn = pick_questions(window.store, config, random.Random(3))  # type: ignore[arg-type]
    topics = [q.topic_id for q in drawn]
    assert len(drawn) == 10 and topics.count("job-search-ranking-engineer") == 1, "the deck has only one question"
    assert topics.count("recommender-systems") >= 5 and topics.count("evaluation-experimentation") >= 2
    QApplication.processEvents()


def test_html_and_links_in_a_deck_stay_inert_in_every_view(qtbot: QtBot, data_dir: Path, tmp_path: Path) -> None:
    """A deck from anywhere (a Markdown file, Anki's HTML) is shown as text: HTML escaped, no image or file
    fetched, in the question view and in the editor's preview."""
    hostile = tmp_path / "hostile.md"
    hostile.write_text(
        "# Hostile\n\n## Is <script>alert(1)</script> shown as text?\n\n### Answer\n"
        "<img src='file:///etc/passwd'> ![x](file:///dev/zero) [open](file:///etc/passwd) <b>bold?</b>\n\n"
        "### Follow-ups\n- ![f](relative.png)\n",
        encoding="utf-8",
    )
    anki = tmp_path / "anki-html.txt"
    anki.write_text(
        '#separator:tab\n#html:true\nWhat <i>is</i> this?\t<img src="file:///etc/passwd"><script>x()</script>Text\n',
        encoding="utf-8",
    )
    window = open_window(qtbot, data_dir)
    decks = actions(window)
    with qtbot.waitSignal(decks.imported, timeout=15_000):
        decks.import_decks([hostile, anki])
    settle(qtbot, window)
    assert decks.last_report is not None and not decks.last_report.refused, decks.last_report.problems
    for deck in ("hostile", "anki-html"):
        window.sidebar.select_topic(deck)
        settle(qtbot, window)
        window.study.toggle_reveal()  # type: ignore[union-attr]
        view = window.question_view
        view.grab()
        assert view.resource_requests == [], view.resource_requests
        assert "<img" not in view.toHtml() and "<script" not in view.toHtml()
        decks.edit_question()  # one of yours: the editor, with its preview
        editor = decks.editor
        assert editor is not None and editor.replacing is not None
        editor.preview.grab()
        assert editor.preview.resource_requests == [] and "<img" not in editor.preview.toHtml()
        editor.reject()
    window.sidebar.select_topic("hostile")
    settle(qtbot, window)
    assert "<script>alert(1)</script>" in window.question_view.toPlainText(), "the markup is shown as text"
