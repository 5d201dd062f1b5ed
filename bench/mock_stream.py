"""UI responsiveness while the interviewer streams: event-loop stalls and first-token latency.

Run by hand:  QT_QPA_PLATFORM=offscreen python bench/mock_stream.py
Budget (issue 6): while a reply streams from the local fake at 50 tokens/s, the longest stall of the UI
thread's event loop stays under 16 ms, and the first streamed token is on screen within 50 ms of the fake
sending it. The one-time SDK import runs in the worker thread and is done before measuring (warm-up).
Baseline: the same event-loop probe with nothing streaming, measured in the same run.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from bench.common import LoopProbe, percentile
from tests.simulator.fake_anthropic import FakeAnthropic, Script


def main() -> None:
    from desktop_app.app import create_window
    from desktop_app.simulator.session import MockConfig

    app = QApplication.instance() or QApplication(["bench"])
    words = " ".join(f"token{i}" for i in range(250))
    with FakeAnthropic() as fake:
        os.environ["ANTHROPIC_BASE_URL"] = fake.base_url
        os.environ["ANTHROPIC_API_KEY"] = "sk-bench"
        window = create_window(Path(tempfile.mkdtemp(prefix="mlprep-bench-")))
        window.show()
        probe = LoopProbe()

        # Baseline: the same probe over an idle loop for 3 seconds.
        start = time.perf_counter()
        probe.run(app, lambda: time.perf_counter() - start > 3.0)
        idle = list(probe.gaps)

        # Warm-up: the first request imports the SDK in the worker thread.
        fake.push(Script("text", text="warm up"), Script("text", text=words, delay=0.02))
        mock = window.mocks.begin_mock(MockConfig(count=2, model="claude-sonnet-5-5", follow_up_rounds=0))
        probe.run(app, lambda: mock.state == "answering")
        mock.interview.next_question()  # move on without answering: the next ask is the measured stream
        shown: list[float] = []
        original = mock.transcript.update_stream

        def spy(markdown: str) -> None:
            original(markdown)
            if not shown and "token0" in markdown:
                shown.append(time.perf_counter())

        mock.transcript.update_stream = spy  # type: ignore[method-assign]
        fake.sent.times.clear()
        mock.ask_current()
        probe.run(app, lambda: mock.state == "answering")
        streaming = list(probe.gaps)
        first_token_ms = (shown[0] - fake.sent.times[0]) * 1000
        duration = fake.sent.times[-1] - fake.sent.times[0]
        print(
            f"streamed {len(fake.sent.times)} deltas in {duration:.1f} s ({len(fake.sent.times) / duration:.0f} tokens/s)"
        )
        print(f"idle loop (baseline):  longest gap {max(idle):.1f} ms, p99 {percentile(idle, 99):.1f} ms")
        print(
            f"while streaming:       longest gap {max(streaming):.1f} ms, p99 {percentile(streaming, 99):.1f} ms (budget: under 16 ms)"
        )
        print(f"first token on screen: {first_token_ms:.1f} ms after the fake sent it (budget 50 ms)")
        mock.close()
        window.close()


if __name__ == "__main__":
    main()
