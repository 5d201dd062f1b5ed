"""The transcript lays out a streamed reply block by block and ends with the same Markdown as a whole render."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop_app.core.render import MarkdownRenderer
from desktop_app.ui.transcript import Transcript

REPLY = (
    "Let us look at **bias** first.\n\n"
    "1. It comes from assumptions.\n\n"
    "2. It does not shrink with more data.\n\n"
    "```python\nx = [i * i for i in range(3)]\n```\n\n"
    "- variance\n- noise\n\n"
    "That is the whole story."
)


def stream(view: Transcript, text: str, step: int = 7) -> None:
    view.begin_stream("Interviewer")
    for end in range(step, len(text) + step, step):
        view.update_stream(text[:end])
    view.end_stream(text)


def test_a_streamed_reply_renders_as_markdown_once_and_in_order(qtbot: QtBot) -> None:
    view = Transcript(MarkdownRenderer())
    qtbot.addWidget(view)
    stream(view, REPLY)
    html = view.toHtml()
    text = view.toPlainText()
    assert text.count("It comes from assumptions") == 1 and text.count("That is the whole story") == 1
    assert "<li" in html and "bias" in text and "x = [i * i for i in range(3)]" in text
    assert text.index("assumptions") < text.index("range(3)") < text.index("whole story")
    # The numbered list kept its count across the blank line between items.
    assert "2." not in text.split("It does not shrink")[0].split("It comes")[1]
    whole = Transcript(MarkdownRenderer())
    qtbot.addWidget(whole)
    whole.append_message("question", REPLY, label="Interviewer")

    def lines(t: str) -> list[str]:
        return [line for line in t.splitlines() if line.strip()]

    assert lines(whole.toPlainText()) == lines(text)


def test_a_final_text_that_is_not_a_continuation_replaces_the_streamed_one(qtbot: QtBot) -> None:
    view = Transcript(MarkdownRenderer())
    qtbot.addWidget(view)
    view.append_message("answer", "My answer.")
    view.begin_stream("Interviewer")
    view.update_stream("Good start, but")
    view.end_stream("**Grade: OK**\n\nGood start, but you missed variance.")
    text = view.toPlainText()
    assert "My answer." in text and "Grade: OK" in text and text.count("Good start") == 1


def test_finished_text_takes_the_new_themes_code_colours_when_light_and_dark_flip(qtbot: QtBot) -> None:
    """A code block rendered in light kept its light background after a switch to dark: a pale box in a
    dark pane. Both kinds of view now render their text again when the theme flips."""
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.textview import MarkdownView
    from desktop_app.ui.theme import ThemedRenderer, apply_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, "light")
    try:
        view = MarkdownView()
        transcript = Transcript(ThemedRenderer())
        for widget in (view, transcript):
            qtbot.addWidget(widget)
        view.show_markdown(REPLY)
        transcript.append_message("question", REPLY)
        stream(transcript, REPLY)
        light = MarkdownRenderer(dark=False).render(REPLY).split('bgcolor="')[1][:7]
        dark = MarkdownRenderer(dark=True).render(REPLY).split('bgcolor="')[1][:7]
        assert light != dark
        for html in (view.toHtml(), transcript.toHtml()):
            assert light in html and dark not in html
        before = [line for line in transcript.toPlainText().splitlines() if line.strip()]
        apply_theme(app, "dark")
        QApplication.processEvents()
        for html in (view.toHtml(), transcript.toHtml()):
            assert dark in html and light not in html
        after = [line for line in transcript.toPlainText().splitlines() if line.strip()]
        assert after == before  # same messages, same order, nothing doubled
    finally:
        apply_theme(app, "light")
