"""PySide6-Essentials 6.12.0 on Python < 3.12 aborts after ~5,000 calls of void Qt methods: keep watch."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

PROGRAM = textwrap.dedent(
    """
    from PySide6.QtWidgets import QApplication, QLabel, QTextBrowser
    app = QApplication(["regression"])
    label, browser = QLabel(), QTextBrowser()
    for i in range(10_000):
        label.setObjectName(f"n{i % 7}")
        browser.setHtml("<b>x</b>")
    print("survived", 20_000)
    """
)


def test_twenty_thousand_void_calls_do_not_abort() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, env=env, timeout=300)
    assert "none_dealloc" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "survived 20000"
