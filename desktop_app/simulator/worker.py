"""The Qt side of the interviewer: a QObject living in a QThread that runs requests and only emits signals.

It never touches a widget. Cancellation is a CancelToken the UI holds and flips; shutdown is cancel,
quit, then wait (as in Qt's threading examples), so closing a window mid-stream never leaves a thread running.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop_app.simulator.client import (
    DEFAULT_MODEL,
    CancelToken,
    GradeRequest,
    InterviewerClient,
    InterviewError,
    QuestionContext,
)
from desktop_app.simulator.keys import KeyStore

_ids = iter(range(1, 1 << 62))


@dataclass
class Request:
    kind: str  # ask | grade | models | probe
    model: str = DEFAULT_MODEL
    context: QuestionContext | None = None
    grade: GradeRequest | None = None
    cancel: CancelToken = field(default_factory=CancelToken)
    id: int = field(default_factory=lambda: next(_ids))


ClientFactory = Callable[[str, str], InterviewerClient]


class InterviewWorker(QObject):
    text = Signal(int, str)  # request id, the reply's text so far
    done = Signal(int, object)  # request id, Reply (or a list of model ids for "models")
    failed = Signal(int, str, str, str)  # request id, kind, message for the user, partial text
    busy = Signal(bool)

    def __init__(self, keys: KeyStore, client_factory: ClientFactory | None = None):
        super().__init__()
        self._keys = keys
        self._factory = client_factory or (lambda key, model: InterviewerClient(key, model))
        self._client: InterviewerClient | None = None
        self._client_key: tuple[str, str] | None = None

    def _client_for(self, model: str) -> InterviewerClient:
        key, _source = self._keys.get()  # may read the keychain: fine here, off the UI thread
        if not key:
            raise InterviewError(
                "no_key",
                "No API key. Enter one in Settings (it is kept in your system keychain) or set ANTHROPIC_API_KEY, "
                "then press Retry; or end the session and run the self-graded offline mock.",
            )
        if self._client is None or self._client_key != (key, model):
            self.close_client()
            self._client = self._factory(key, model)  # the first call imports anthropic, in this thread
            self._client_key = (key, model)
        return self._client

    @Slot()
    def close_client(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    @Slot(object)
    def run(self, request: Request) -> None:
        self.busy.emit(True)
        try:
            if request.kind == "probe":
                self.done.emit(request.id, probe_sdk())
                return
            client = self._client_for(request.model)
            if request.kind == "models":
                self.done.emit(request.id, client.list_models())
                return

            def on_text(text: str) -> None:
                self.text.emit(request.id, text)

            assert request.context is not None
            if request.kind == "ask":
                reply = client.ask(request.context, on_text, request.cancel)
            else:
                assert request.grade is not None
                reply = client.grade(request.context, request.grade, on_text, request.cancel)
            self.done.emit(request.id, reply)
        except InterviewError as exc:
            self.failed.emit(request.id, exc.kind, exc.message, exc.partial)
        except Exception as exc:
            self.failed.emit(request.id, "internal", f"Unexpected error: {exc!r}. Press Retry or end the session.", "")
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
        return self.worker_thread.wait(timeout_ms)


def probe_sdk() -> str:
    """Import the SDK and build a client, without any network: the frozen app's smoke test runs this in
    the worker thread to prove the SDK and its data files were bundled."""
    import anthropic

    client = anthropic.Anthropic(api_key="probe-only-never-sent")
    client.close()
    return str(anthropic.__version__)
