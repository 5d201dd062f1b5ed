"""`import anthropic` takes over a second: it must happen in the worker thread, never at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

PROGRAM = textwrap.dedent(
    """
    import sys, threading
    from pathlib import Path

    imported_on = []

    class Watch:
        def find_spec(self, name, path=None, target=None):
            if name == "anthropic":
                imported_on.append(threading.current_thread() is threading.main_thread())
            return None

    sys.meta_path.insert(0, Watch())
    from PySide6.QtWidgets import QApplication
    from desktop_app.app import create_window
    from desktop_app.simulator.session import MockConfig

    app = QApplication([])
    window = create_window(Path(sys.argv[1]))
    window.show()
    app.processEvents()
    print("after start-up:", "anthropic" in sys.modules)
    mock = window.mocks.begin_mock(MockConfig(count=1, model="claude-sonnet-5-5"))
    while mock.state != "fault":
        app.processEvents()
    print("imported on main thread:", imported_on)
    mock.close()
    window.close()
    """
)


def test_anthropic_is_imported_only_in_the_worker_thread(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "ANTHROPIC_API_KEY": "sk-test",
        "ANTHROPIC_BASE_URL": "http://127.0.0.1:9",  # refused at once: the request fails, the import happened
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    proc = subprocess.run(
        [sys.executable, "-c", PROGRAM, str(tmp_path / "data")], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert "after start-up: False" in proc.stdout
    assert "imported on main thread: [False]" in proc.stdout
