"""The mock window's line to Claude: one request in flight, its streamed text rendered at a steady rate, its cost counted."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

from desktop_app.simulator.client import Reply
from desktop_app.simulator.requests import Request
from desktop_app.simulator.session import MockInterview
from desktop_app.ui.interviewer import WorkerHost
from desktop_app.ui.transcript import Transcript

__all__ = ["RENDER_INTERVAL_MS", "InterviewerLink"]

RENDER_INTERVAL_MS = 30  # streamed text is re-rendered at most this often; the first piece at once


class InterviewerLink(QObject):
    """Sends the window's requests to the WorkerHost's thread and takes back only the replies to the one in
    flight (the host is shared): the streamed text goes into the transcript, the usage onto the interview and
    `usage_label`, and the end comes out as `replied` or `failed`, once the request is no longer pending."""

    replied = Signal(object)  # Reply
    failed = Signal(str, str, str)  # kind, message for the user, partial text

    def __init__(
        self,
        host: WorkerHost,
        transcript: Transcript,
        interview: MockInterview,
        usage_label: QLabel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.host = host
        self.transcript = transcript
        self.interview = interview
        self.usage_label = usage_label
        self._pending: Request | None = None
        self._pending_text: str | None = None
        self._tokens = {"input_tokens": 0, "output_tokens": 0, "cache_read_input_tokens": 0}
        self._cost = 0.0
        host.worker.text.connect(self._on_text)
        host.worker.done.connect(self._on_done)
        host.worker.failed.connect(self._on_failed)
        self._render_timer = QTimer(self, singleShot=True, interval=RENDER_INTERVAL_MS)
        self._render_timer.timeout.connect(self._flush_stream)

    def submit(self, request: Request) -> None:
        self._pending = request
        self.host.submit(request)

    def _mine(self, request_id: int) -> bool:
        return self._pending is not None and self._pending.id == request_id

    def _on_text(self, request_id: int, text: str) -> None:
        if not self._mine(request_id):
            return
        first = self._pending_text is None and self.transcript.streamed_text in ("", "…")
        self._pending_text = text
        if first:
            self._flush_stream()  # the first words appear at once
        elif not self._render_timer.isActive():
            self._render_timer.start()

    def _flush_stream(self) -> None:
        if self._pending_text is not None:
            self.transcript.update_stream(self._pending_text)
            self._pending_text = None

    def _settle(self) -> None:
        """The request is over: no more of its text is rendered, and it is no longer pending."""
        self._render_timer.stop()
        self._pending_text = None
        self._pending = None

    def _on_done(self, request_id: int, reply: object) -> None:
        if not self._mine(request_id) or not isinstance(reply, Reply):
            return
        self._settle()
        if reply.usage:
            self._count_usage(reply)
        self.replied.emit(reply)

    def _on_failed(self, request_id: int, kind: str, message: str, partial: str) -> None:
        if not self._mine(request_id):
            return
        self._settle()
        self.failed.emit(kind, message, partial)

    def _count_usage(self, reply: Reply) -> None:
        for key in self._tokens:
            self._tokens[key] += reply.usage.get(key, 0)
        self._cost += reply.cost_usd
        self.interview.add_usage(reply.usage, reply.cost_usd)
        total = self._tokens["input_tokens"] + self._tokens["output_tokens"]
        cached = self._tokens["cache_read_input_tokens"]
        self.usage_label.setText(f"{total:,} tokens ({cached:,} cached) · ${self._cost:.4f} (est.)")
