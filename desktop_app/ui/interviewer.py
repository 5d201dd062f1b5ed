"""The interviewer's thread: a QObject in a QThread that runs requests and only emits signals.

It never touches a widget. Cancellation is the request's CancelToken, which the UI holds and flips;
shutdown is cancel, quit, then wait (as in Qt's threading examples), so closing a window mid-stream
never leaves a thread running. The work itself is simulator.requests.Runner, which knows no Qt.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop_app.core.redact import redact
from desktop_app.simulator.client import InterviewError
from desktop_app.simulator.keys import KeyStore
from desktop_app.simulator.requests import ClientFactory, Request, Runner

_STILL_RUNNING: list[WorkerHost] = []


class InterviewWorker(QObject):
    text = Signal(int, str)  # request id, the reply's text so far
    done = Signal(int, object)  # request id, Reply (or a list of model ids for "models")
    failed = Signal(int, str, str, str)  # request id, kind, message for the user, partial text
    busy = Signal(bool)

    def __init__(self, keys: KeyStore, client_factory: ClientFactory | None = None):
        super().__init__()
        self._runner = Runner(keys, client_factory)

    @Slot()
    def close_client(self) -> None:
        self._runner.close()

    @Slot(object)
    def run(self, request: Request) -> None:
        self.busy.emit(True)
        try:
            result = self._runner.run(request, lambda text: self.text.emit(request.id, text))
            self.done.emit(request.id, result)
        except InterviewError as exc:
            self.failed.emit(request.id, exc.kind, exc.message, exc.partial)
        except Exception as exc:  # a bug must surface as a message, not kill the thread
            message = redact(f"Unexpected error: {exc!r}. Press Retry or end the session.", self._runner.secrets())
            self.failed.emit(request.id, "internal", message, "")
        finally:
            self.busy.emit(False)


class WorkerHost(QObject):
    """Owns the thread and the worker; `submit` queues a request onto the worker's thread."""

    submitted = Signal(object)
    closing = Signal()

    def __init__(self, keys: KeyStore, client_factory: ClientFactory | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.worker_thread = QThread()
        self.worker_thread.setObjectName("interviewerThread")
        self.worker = InterviewWorker(keys, client_factory)
        self.worker.moveToThread(self.worker_thread)
        self.submitted.connect(self.worker.run)
        self.closing.connect(self.worker.close_client)
        self.worker_thread.finished.connect(self.worker.deleteLater)
        # The latest request; cancelling one that has already finished does nothing.
        self.current: Request | None = None
        self.worker_thread.start()

    def submit(self, request: Request) -> Request:
        self.current = request
        self.submitted.emit(request)
        return request

    def stop_reply(self) -> None:
        if self.current is not None:
            self.current.cancel.cancel()

    def shutdown(self, timeout_ms: int = 5000) -> bool:
        """Stop, then wait: returns False only if the thread would not end in time."""
        if not self.worker_thread.isRunning():
            return True
        self.stop_reply()
        self.closing.emit()  # queued behind any running request: closes the connection pool in its thread
        self.worker_thread.quit()
        if self.worker_thread.wait(timeout_ms):
            return True
        # Never destroy a running QThread (Qt aborts the process): keep this host alive until the app ends.
        _STILL_RUNNING.append(self)
        return False
