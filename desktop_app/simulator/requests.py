"""One request to the interviewer and the Qt-free code that runs it; the UI's worker thread calls `Runner`.

Keeping this free of Qt lets the whole interviewer (prompts, client, requests, session) be tested and
reused without a QApplication; ui/interviewer.py only moves it onto a thread and turns results into signals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count

from desktop_app.simulator.client import (
    DEFAULT_MODEL,
    CancelToken,
    GradeRequest,
    InterviewerClient,
    InterviewError,
    QuestionContext,
)
from desktop_app.simulator.generate import GenerateRequest
from desktop_app.simulator.keys import KeyStore
from desktop_app.simulator.vocab import RequestKind

_ids = count(1)

ClientFactory = Callable[[str, str], InterviewerClient]
NO_KEY = (
    "No API key. Enter one with Ctrl+K (the \u201cAnthropic API key\u201d dialog; it is kept in your system keychain) "
    "or set ANTHROPIC_API_KEY, then press Retry; or end the session and run the self-graded offline mock."
)


@dataclass
class Request:
    kind: RequestKind
    model: str = DEFAULT_MODEL
    context: QuestionContext | None = None
    grade: GradeRequest | None = None
    generate: GenerateRequest | None = None
    cancel: CancelToken = field(default_factory=CancelToken)
    id: int = field(default_factory=lambda: next(_ids))


class Runner:
    """Runs requests one at a time, keeping one SDK client per (key, model) between them."""

    def __init__(self, keys: KeyStore, client_factory: ClientFactory | None = None):
        self._keys = keys
        self._factory = client_factory or (lambda key, model: InterviewerClient(key, model))
        self._client: InterviewerClient | None = None
        self._client_key: tuple[str, str] | None = None

    def _client_for(self, model: str) -> InterviewerClient:
        key, _source = self._keys.get()  # may read the keychain: this runs off the UI thread
        if not key:
            raise InterviewError("no_key", NO_KEY)
        if self._client is None or self._client_key != (key, model) or not self._client.usable:
            self.close()
            self._client = self._factory(key, model)  # the first call imports anthropic, in this thread
            self._client_key = (key, model)
        return self._client

    def secrets(self) -> tuple[str, ...]:
        """The key in use, for redacting messages that did not come through InterviewError."""
        return (self._client_key[0],) if self._client_key else ()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def run(self, request: Request, on_text: Callable[[str], None]) -> object:
        """The request's result (a Reply, a list of model ids, or the SDK's version); raises InterviewError."""
        if request.kind == RequestKind.PROBE:
            return probe_sdk()
        client = self._client_for(request.model)
        if request.kind == RequestKind.MODELS:
            return client.list_models()
        if request.kind == RequestKind.GENERATE:
            assert request.generate is not None
            return client.generate(request.generate, on_text, request.cancel)
        assert request.context is not None
        if request.kind == RequestKind.ASK:
            return client.ask(request.context, on_text, request.cancel)
        assert request.grade is not None
        return client.grade(request.context, request.grade, on_text, request.cancel)


def probe_sdk() -> str:
    """Import the SDK and build a client, without any network: the frozen app's smoke test runs this in
    the worker thread to prove the SDK and its data files were bundled."""
    import anthropic

    client = anthropic.Anthropic(api_key="probe-only-never-sent")
    client.close()
    return str(anthropic.__version__)
