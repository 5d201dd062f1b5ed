"""Rendering never blocks the UI for more than 50 ms, on the worst inputs issue 12 found.

Run by hand:  QT_QPA_PLATFORM=offscreen python bench/render.py

Cases: revealing a 30,000-character answer of `[a](` (8.5 s before), and streaming a 40 KB interviewer
reply (15.7 s of stalls before, because each chunk re-rendered everything), both plain prose and full of
links. For the stream, the longest event-loop stall is measured while chunks arrive every 5 ms; the
baseline is the old way (re-render the whole reply on each chunk), timed on the same text in the same run.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench.common import LoopProbe


def main() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop_app.core.bank import Question, Rubric
    from desktop_app.core.render import MarkdownRenderer
    from desktop_app.ui.question_view import QuestionView
    from desktop_app.ui.transcript import Transcript

    app = QApplication.instance() or QApplication(["bench"])
    renderer = MarkdownRenderer()

    view = QuestionView()
    view.resize(900, 700)
    view.show()
    for name, answer in (("links", "[a](" * 7500), ("images", "![a](" * 6000), ("quotes", "> " * 15000)):
        question = Question("q", "t", "Q?", "beginner", answer, ("f",), Rubric(("s",), "o", "w"))
        t = time.perf_counter()
        view.show_question(question, "Topic", revealed=True)
        app.processEvents()
        print(f"reveal a 30 KB answer of {name}: {(time.perf_counter() - t) * 1000:.1f} ms (budget 50 ms)")

    prose = " ".join(f"word{i}" + ("\n\n" if i % 60 == 59 else "") for i in range(6000))[:40_000]
    links = ("See [x](y) and " * 3000)[:40_000]
    for name, reply in (("prose", prose), ("links", links)):
        chunks = [reply[: i + 24] for i in range(0, len(reply), 24)]  # about 4 words per chunk
        old = []
        for text in chunks[:: max(1, len(chunks) // 20)]:  # the old way, sampled: whole reply each time
            t = time.perf_counter()
            renderer.render(text)
            old.append((time.perf_counter() - t) * 1000)
        transcript = Transcript(renderer)
        transcript.resize(900, 700)
        transcript.show()
        transcript.begin_stream("Interviewer")
        feed = iter(chunks)
        timer = QTimer(interval=5)
        done: list[bool] = []

        def next_chunk(feed=feed, transcript=transcript, timer=timer, done=done, reply=reply) -> None:
            text = next(feed, None)
            if text is None:
                timer.stop()
                transcript.end_stream(reply)
                done.append(True)
            else:
                transcript.update_stream(text)

        timer.timeout.connect(next_chunk)
        timer.start()
        probe = LoopProbe()
        took = probe.run(app, lambda done=done: bool(done), timeout=600)
        print(
            f"stream a 40 KB reply of {name} in {len(chunks)} chunks ({took:.1f} s): longest stall "
            f"{max(probe.gaps):.1f} ms (budget 50 ms); the old way re-rendered up to {max(old):.0f} ms per chunk "
            f"({max(old) / max(probe.gaps):.0f}x)"
        )
        transcript.close()


if __name__ == "__main__":
    main()
