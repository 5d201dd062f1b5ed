"""Untrusted text (bank content, interviewer replies, the user's answers) loads nothing and opens nothing.

Issue 12: `![x](file:///dev/zero)` exhausted memory, a FIFO hung the app, and a link in the mock summary
showed /etc/passwd in the pane.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from desktop_app.core.bank import Question, Rubric
from desktop_app.core.render import MarkdownRenderer
from desktop_app.ui.question_view import QuestionView
from desktop_app.ui.textview import SafeTextBrowser
from desktop_app.ui.transcript import Transcript

REPO = Path(__file__).resolve().parent.parent.parent
URLS = [
    "file:///dev/zero",
    "file:///etc/passwd",
    "../../../etc/passwd",
    "relative-image.png",
    "data:image/png;base64,iVBORw0KGgo=",
    "qrc:/qt-project.org/styles/commonstyle/images/standardbutton-ok-16.png",
    "https://example.com/tracker.png",
    "http://example.com/tracker.png",
]
HOSTILE = "\n\n".join(f"Look ![pic {i}]({url}) and [link {i}]({url})" for i, url in enumerate(URLS))


def hostile_question() -> Question:
    return Question(
        id="hostile",
        topic_id="t",
        question="What does ![q](file:///dev/zero) show?",
        level="beginner",
        answer=HOSTILE,
        follow_ups=(f"Follow ![f]({URLS[0]})?", "Two?", "Three?"),
        rubric=Rubric((f"Strong ![s]({URLS[0]})",), "ok", "weak"),
        tags=("t",),
    )


def test_the_renderer_turns_every_image_into_text() -> None:
    html = MarkdownRenderer().render(HOSTILE)
    assert "<img" not in html
    for i in range(len(URLS)):
        assert f"[image: pic {i}]" in html


def test_the_question_view_fetches_nothing(qtbot: QtBot) -> None:
    view = QuestionView()
    qtbot.addWidget(view)
    view.show_question(hostile_question(), "Topic", revealed=True)
    view.grab()  # lay out and paint: any image would be requested now
    assert view.resource_requests == []
    assert "[image: pic 0]" in view.toPlainText() and "<img" not in view.toHtml()


def test_the_transcript_fetches_nothing_for_replies_or_answers(qtbot: QtBot) -> None:
    view = Transcript(MarkdownRenderer())
    qtbot.addWidget(view)
    view.append_message("answer", HOSTILE)
    view.begin_stream("Interviewer")
    view.update_stream(HOSTILE)
    view.end_stream(HOSTILE)
    view.grab()
    assert view.resource_requests == [] and "<img" not in view.toHtml()


@pytest.mark.parametrize("url", URLS)
def test_raw_html_images_get_an_empty_answer_not_a_file(qtbot: QtBot, url: str) -> None:
    """The second line of defence: an <img> that reaches a view anyway is answered with nothing."""
    view = SafeTextBrowser()
    qtbot.addWidget(view)
    view.setHtml(f'<p>before <img src="{url}"> after</p>')
    view.grab()
    assert view.resource_requests and all(r.endswith(url.rsplit("/", 1)[-1]) for r in view.resource_requests)
    assert "before" in view.toPlainText()


def test_a_fifo_image_does_not_hang_the_view(tmp_path: Path) -> None:
    """Reading a FIFO blocks forever: run the view in a child process with a deadline."""
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    program = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from desktop_app.ui.textview import SafeTextBrowser\n"
        "from desktop_app.ui.question_view import QuestionView\n"
        "from desktop_app.core.bank import Question, Rubric\n"
        "app = QApplication([])\n"
        "view = SafeTextBrowser()\n"
        "view.setSearchPaths([sys.argv[2]])\n"
        'view.setHtml(f\'<img src="{sys.argv[1]}"><img src="pipe.png">\')\n'
        "view.grab()\n"
        "q = QuestionView()\n"
        "q.show_question(Question('x', 't', 'Q', 'beginner', f'![a]({sys.argv[1]}) ![b](pipe.png)', ('f',),"
        " Rubric(('s',), 'o', 'w')), 'T', True)\n"
        "q.grab()\n"
        "print('done')\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-c", program, f"file://{fifo}", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
    )
    assert proc.returncode == 0 and "done" in proc.stdout, proc.stderr


class _Catcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())


def test_links_open_only_as_http_in_the_system_browser(qtbot: QtBot) -> None:
    catcher = _Catcher()
    for scheme in ("http", "https", "file", "qrc", "data"):
        QDesktopServices.setUrlHandler(scheme, catcher, "open")  # stands in for the system browser
    try:
        view = SafeTextBrowser()
        qtbot.addWidget(view)
        view.setHtml(MarkdownRenderer().render("## Summary\n\n" + HOSTILE))
        before = view.toPlainText()
        for url in URLS:
            view.anchorClicked.emit(QUrl(url))
        assert view.toPlainText() == before and view.source().isEmpty(), "the pane never navigates"
        assert catcher.opened == ["https://example.com/tracker.png", "http://example.com/tracker.png"]
    finally:
        for scheme in ("http", "https", "file", "qrc", "data"):
            QDesktopServices.unsetUrlHandler(scheme)


def test_every_text_view_in_the_app_is_a_safe_one(qtbot: QtBot, data_dir: Path) -> None:
    from PySide6.QtWidgets import QTextBrowser

    from desktop_app.app import create_window
    from desktop_app.simulator.session import MockConfig
    from desktop_app.ui.main_window import MainWindow

    window = create_window(data_dir)
    assert isinstance(window, MainWindow) and window.mocks is not None
    qtbot.addWidget(window)
    window.show_help()
    mock = window.mocks.begin_mock(MockConfig(count=1, offline=True))
    assert mock is not None
    qtbot.addWidget(mock)
    window.mocks.show_mock_history()
    views = [*window.findChildren(QTextBrowser), *mock.findChildren(QTextBrowser)]
    assert len(views) >= 5  # question view, help sheet, history, transcript, summary
    unsafe = [v.objectName() or type(v).__name__ for v in views if not isinstance(v, SafeTextBrowser)]
    assert unsafe == []
    mock.close()
