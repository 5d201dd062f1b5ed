"""The size and start-up baseline: a hello-world PySide6 Widgets app, bundled by the same spec and trimming."""

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("hello"))


class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print(f"first-paint {time.time():.6f}", flush=True)
            app.quit()
        return False


if os.environ.get("MLPREP_EXIT_AFTER_FIRST_PAINT") or "--smoke-test" in sys.argv:
    window.installEventFilter(FirstPaint(window))
window.show()
sys.exit(app.exec())
