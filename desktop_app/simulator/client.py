"""Talks to the Messages API through the anthropic SDK: streams the interviewer's words and its structured grade.

No Qt here: the worker runs this in a background thread. `anthropic` is imported on first use, because it
takes over a second to import and must never be on the UI thread or the start-up path.
"""

from __future__ import annotations

import queue
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from desktop_app.core.redact import redact
from desktop_app.simulator import generate
from desktop_app.simulator.generate import GenerateRequest, JobProposal, ProposalError, parse_proposal
from desktop_app.simulator.grading import GRADE_TOOL, TOOL_NAME, Grade, GradeError, parse_grade
from desktop_app.simulator.prompts import estimate_cost, prompt

DEFAULT_MODEL = "claude-sonnet-5-5"
READ_TIMEOUT_S = 30.0  # no byte for this long: the request fails (and is retried once by the SDK)
CONNECT_TIMEOUT_S = 10.0
POLL_S = 0.05  # how often a waiting request looks at its stop flag
# A reply that ends any other way was cut short: by the token limit, a refusal, or a pause.
NORMAL_STOPS = ("end_turn", "tool_use", "stop_sequence")
ASK_MAX_TOKENS = 400
GRADE_MAX_TOKENS = 1500
CODE_NOTE = (
    "\n- This answer is code: grade its correctness from the test results and your reading of the code against the "
    "reference, and fill in complexity (the time and memory complexity of the candidate's code, and whether it can "
    "be better) and code_quality (readability, numerical care, edge cases). Make the follow-up about edge cases, "
    "complexity, or how the code would change at scale."
)


CUT_OFF = "The reply was cut off mid-stream. What arrived is kept; press Retry to ask again."
STALLED = (
    f"The reply stalled mid-stream: nothing for {READ_TIMEOUT_S:.0f} s. What arrived is kept; press Retry to ask again."
)
NETWORK = (
    "Could not reach the API. Check your network connection (and ANTHROPIC_BASE_URL if you set it), "
    "then press Retry, or end the session and use the offline mock."
)


def _is_timeout(exc: BaseException) -> bool:
    """A timeout anywhere in the chain of causes (the SDK wraps httpx's, which wraps the socket's)."""
    seen: BaseException | None = exc
    visited: set[int] = set()
    while seen is not None and id(seen) not in visited:
        if isinstance(seen, TimeoutError) or "Timeout" in type(seen).__name__:
            return True
        visited.add(id(seen))
        seen = seen.__cause__ or seen.__context__
    return False


class InterviewError(Exception):
    """A request that did not produce a usable reply; `kind` picks the message and whether Retry makes sense.

    The message and the partial text are redacted here, where every fault is built: a server can echo
    the request's credentials, and these strings are shown, stored and exported.
    """

    def __init__(self, kind: str, message: str, partial: str = "", secrets: tuple[str, ...] = ()):
        message, partial = redact(message, secrets), redact(partial, secrets)
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.partial = partial


class CancelToken:
    """Stop flag for one request. The loop checks the flag between events; cancel() also closes the
    HTTP response, so a server that has gone quiet cannot hold the stop up."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._closers: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    def cancel(self) -> None:
        self._event.set()
        with self._lock:
            closers = list(self._closers)
        for close in closers:
            try:
                close()
            except Exception:
                pass

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def on_cancel(self, close: Callable[[], None]) -> None:
        with self._lock:
            self._closers.append(close)
        if self._event.is_set():
            close()

    def clear_closers(self) -> None:
        with self._lock:
            self._closers.clear()


@dataclass
class Reply:
    text: str = ""  # the interviewer's words (ask), the feedback so far (grade), progress (generate)
    grade: Grade | None = None
    proposal: JobProposal | None = None
    stopped: bool = False
    usage: dict[str, int] = field(default_factory=dict)
    cost_usd: float = 0.0


@dataclass(frozen=True)
class QuestionContext:
    """What the interviewer knows about the current question; the cached part of every request."""

    text: str  # the rendered question_context prompt


@dataclass(frozen=True)
class GradeRequest:
    transcript: str
    asked: str
    answer: str
    round: int
    max_rounds: int
    code: bool = False  # the answer is a coding-round submission: its code and its test results


@dataclass(frozen=True)
class ToolReader:
    """How a request that ends in a tool call is read: which tool, what to show while its input streams,
    and how the finished input becomes part of the reply (raising ValueError when it is not usable)."""

    name: str
    live: Callable[[object], str | None]
    finish: Callable[[Reply, object], None]
    unusable: str  # the message when finish fails, with {exc}


def _grade_live(snapshot: object) -> str | None:
    feedback = snapshot.get("feedback") if isinstance(snapshot, dict) else None
    return feedback if isinstance(feedback, str) else None


def _finish_grade(reply: Reply, data: object) -> None:
    reply.grade = parse_grade(data)
    reply.text = reply.grade.feedback


GRADE_READER = ToolReader(
    TOOL_NAME,
    _grade_live,
    _finish_grade,
    "The interviewer's grade could not be read ({exc}). Nothing was recorded; press Retry to grade again.",
)


def _proposal_reader(topic_ids: list[str]) -> ToolReader:
    def live(snapshot: object) -> str | None:
        questions = snapshot.get("questions") if isinstance(snapshot, dict) else None
        count = len(questions) if isinstance(questions, list) else 0
        return f"Writing questions for this job… {count} drafted" if count else "Reading the job description…"

    def finish(reply: Reply, data: object) -> None:
        reply.proposal = parse_proposal(data, topic_ids)
        reply.text = f"{len(reply.proposal.questions)} questions proposed"

    return ToolReader(
        generate.TOOL_NAME,
        live,
        finish,
        "Claude's proposals could not be read ({exc}). Nothing was saved; press Retry to ask again.",
    )


def _system(context: QuestionContext) -> list[dict[str, Any]]:
    # The reference answer and rubric are the same for the ask and every grade of a question:
    # marking them cacheable makes the follow-up rounds read them from the prompt cache.
    return [
        {"type": "text", "text": prompt("interviewer_system")},
        {"type": "text", "text": context.text, "cache_control": {"type": "ephemeral"}},
    ]


class InterviewerClient:
    def __init__(self, api_key: str, model: str = DEFAULT_MODEL, max_retries: int = 1, timeout: float = READ_TIMEOUT_S):
        import anthropic  # slow: only ever imported here, in the worker thread

        self._anthropic = anthropic
        self._secrets = (api_key,)
        self.model = model
        self._silent = (
            f"The API accepted the request but sent nothing for {timeout:g} s"
            + (f" ({1 + max_retries} tries)" if max_retries else "")
            + ". Check your connection (and ANTHROPIC_BASE_URL if you set it), then press Retry."
        )
        self.usable = True  # False once a request was abandoned mid-flight: the worker makes a new client
        # A silent server is reported after `timeout` seconds without a byte, times (1 + max_retries);
        # base_url is left to the SDK, which honours ANTHROPIC_BASE_URL.
        self._client = anthropic.Anthropic(
            api_key=api_key,
            max_retries=max_retries,
            timeout=anthropic.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT_S)),
        )

    def close(self) -> None:
        """Close pooled connections (the worker does this when its thread ends)."""
        self._client.close()

    def __enter__(self) -> InterviewerClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def list_models(self) -> list[str]:
        try:
            page = self._client.models.list(limit=50)
            return [m.id for m in page.data]
        except Exception as exc:
            raise self._fault(exc, False, "") from exc

    def ask(self, context: QuestionContext, on_text: Callable[[str], None], cancel: CancelToken) -> Reply:
        messages = [{"role": "user", "content": prompt("ask_question")}]
        return self._stream(
            dict(model=self.model, max_tokens=ASK_MAX_TOKENS, system=_system(context), messages=messages),
            on_text,
            cancel,
        )

    def grade(
        self, context: QuestionContext, request: GradeRequest, on_text: Callable[[str], None], cancel: CancelToken
    ) -> Reply:
        last = request.round >= request.max_rounds
        round_note = (
            "This was the last round on this question: still write a follow_up, but it will not be asked."
            if last
            else ""
        )
        content = prompt("grade_answer").format(
            transcript=request.transcript or "(nothing yet)",
            asked=request.asked,
            answer=request.answer,
            round_note=round_note,
            code_note=CODE_NOTE if request.code else "",
        )
        return self._stream(
            dict(
                model=self.model,
                max_tokens=GRADE_MAX_TOKENS,
                system=_system(context),
                messages=[{"role": "user", "content": content}],
                tools=[GRADE_TOOL],
                tool_choice={"type": "tool", "name": TOOL_NAME},
            ),
            on_text,
            cancel,
            tool=GRADE_READER,
        )

    def generate(self, request: GenerateRequest, on_text: Callable[[str], None], cancel: CancelToken) -> Reply:
        """Questions proposed for a job description; the reply's `proposal`, checked against the schema."""
        topic_ids = [t[0] for t in request.bank.topics]
        schema = generate.tool(topic_ids)
        return self._stream(
            dict(
                model=self.model,
                max_tokens=generate.GENERATE_MAX_TOKENS,
                system=[{"type": "text", "text": prompt("question_writer_system")}],
                messages=[{"role": "user", "content": generate.request_content(request)}],
                tools=[schema],
                tool_choice={"type": "tool", "name": generate.TOOL_NAME},
            ),
            on_text,
            cancel,
            tool=_proposal_reader(topic_ids),
        )

    def _stream(
        self,
        params: dict[str, Any],
        on_text: Callable[[str], None],
        cancel: CancelToken,
        tool: ToolReader | None = None,
    ) -> Reply:
        """Run the request on a pump thread and consume its events here, so Stop works at every moment:
        before the server has sent a byte (when there is no response to close yet) the pump is abandoned,
        and this thread returns at once."""
        reply = Reply()
        completed = False
        arrived = False  # whether any event of the reply came in: decides what a failure means
        message: Any = None
        events: queue.Queue[tuple[str, Any]] = queue.Queue()
        opened = threading.Event()

        def pump() -> None:
            try:
                with self._client.messages.stream(**params) as stream:
                    opened.set()
                    cancel.on_cancel(_hard_closer(stream))
                    for event in stream:
                        events.put(("event", event))
                        if cancel.cancelled:
                            break
                    events.put(("message", stream.current_message_snapshot))
            except BaseException as exc:  # handed to the consuming thread, which decides what it means
                events.put(("error", exc))
            finally:
                events.put(("end", None))

        threading.Thread(target=pump, name="mlprep-reply", daemon=True).start()
        try:
            while True:
                try:
                    kind, item = events.get(timeout=POLL_S)
                except queue.Empty:
                    if cancel.cancelled:
                        if not opened.is_set():
                            self._abandon()
                        reply.stopped = True
                        return reply
                    continue
                if kind == "end":
                    break
                if kind == "error":
                    if cancel.cancelled:
                        reply.stopped = True
                        return reply
                    raise self._fault(item, arrived, reply.text) from item
                if kind == "message":
                    message = item
                    reply.usage = _usage(message.usage)
                    continue
                event = item
                arrived = True
                if cancel.cancelled:
                    continue
                if event.type == "text" and tool is None:
                    reply.text = event.snapshot
                    on_text(reply.text)
                elif event.type == "input_json" and tool is not None:
                    shown = tool.live(event.snapshot)
                    if shown is not None and shown != reply.text:
                        reply.text = shown
                        on_text(reply.text)
                elif event.type == "message_stop":
                    completed = True
        finally:
            cancel.clear_closers()
        reply.cost_usd = estimate_cost(self.model, reply.usage)
        if cancel.cancelled:
            reply.stopped = True
            return reply
        if not completed or message is None:
            raise InterviewError("cut_off", CUT_OFF, reply.text, secrets=self._secrets)
        stop_reason = getattr(message, "stop_reason", None)
        if stop_reason not in NORMAL_STOPS:
            raise InterviewError(
                "truncated" if stop_reason == "max_tokens" else "stopped_early",
                _early_stop_message(stop_reason),
                reply.text,
                secrets=self._secrets,
            )
        if tool is not None:
            try:
                tool.finish(reply, _tool_input(message, tool.name))
            except (GradeError, ProposalError) as exc:
                raise InterviewError(
                    "bad_grade", tool.unusable.format(exc=exc), reply.text, secrets=self._secrets
                ) from exc
        return reply

    def _abandon(self) -> None:
        """Give up on a request whose response has not started: close the connection pool from another
        thread (that wakes the pump blocked on the socket) and have the worker build a new client."""
        self.usable = False
        threading.Thread(target=self._client.close, name="mlprep-abandon", daemon=True).start()

    def _fault(self, exc: Exception, arrived: bool, partial: str) -> InterviewError:
        """What went wrong, judged by what happened rather than by which exception the SDK chose.

        Once the reply has started, any failure is the reply being cut off, whether the SDK reports it as
        a connection error, a protocol error or a read timeout (SDK versions have changed their minds);
        before that, the request never got an answer and the SDK's classification is the best guide.
        """
        if arrived:
            stalled = _is_timeout(exc)
            return InterviewError("cut_off", STALLED if stalled else CUT_OFF, partial, secrets=self._secrets)
        if isinstance(exc, self._anthropic.AnthropicError):
            return self._translate(exc, partial)
        if _is_timeout(exc):
            return InterviewError(
                "timeout",
                self._silent,
                partial,
                secrets=self._secrets,
            )
        return InterviewError("network", NETWORK, partial, secrets=self._secrets)

    def _translate(self, exc: Exception, partial: str = "") -> InterviewError:
        a = self._anthropic
        detail = getattr(exc, "message", str(exc))
        if isinstance(exc, a.AuthenticationError | a.PermissionDeniedError):
            return InterviewError(
                "auth",
                "The API key was rejected (401). Enter a valid key with Ctrl+K (the \u201cAnthropic API key\u201d dialog) or set ANTHROPIC_API_KEY, then press Retry.",
                partial,
                secrets=self._secrets,
            )
        if isinstance(exc, a.RateLimitError):
            return InterviewError(
                "rate_limit",
                "The API is rate limiting this key (429), even after automatic retries. Wait a minute, then press Retry.",
                partial,
                secrets=self._secrets,
            )
        if isinstance(exc, a.OverloadedError):
            return InterviewError(
                "overloaded",
                "The API is overloaded right now (529). Wait a moment, then press Retry.",
                partial,
                secrets=self._secrets,
            )
        if isinstance(exc, a.APITimeoutError):
            return InterviewError(
                "timeout",
                self._silent,
                partial,
                secrets=self._secrets,
            )
        if isinstance(exc, a.APIConnectionError):
            return InterviewError("network", NETWORK, partial, secrets=self._secrets)
        if isinstance(exc, a.APIStatusError) and exc.status_code >= 500:
            return InterviewError(
                "server",
                f"The API had a server error ({exc.status_code}). Press Retry in a moment.",
                partial,
                secrets=self._secrets,
            )
        if isinstance(exc, a.APIStatusError):
            return InterviewError(
                "request",
                f"The API refused the request ({exc.status_code}): {detail}. Check the model name.",
                partial,
                self._secrets,
            )
        return InterviewError("network", f"The request failed ({detail}). Press Retry.", partial, self._secrets)


def _early_stop_message(reason: str | None) -> str:
    if reason == "max_tokens":
        return "The reply hit its length limit and was cut short. What arrived is kept; press Retry to ask again."
    if reason == "refusal":
        return "The model declined to answer this one. What arrived is kept; press Retry, or skip the question."
    return f"The reply ended early (stop reason: {reason or 'none given'}). What arrived is kept; press Retry to ask again."


def _hard_closer(stream: Any) -> Callable[[], None]:
    """Closing a response does not wake a thread blocked reading it; shutting the socket down does."""

    def close() -> None:
        network_stream = stream.response.extensions.get("network_stream")
        sock = network_stream.get_extra_info("socket") if network_stream is not None else None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        stream.close()

    return close


def _usage(usage: Any) -> dict[str, int]:
    if usage is None:
        return {}
    out = {}
    for key in ("input_tokens", "output_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"):
        value = getattr(usage, key, None)
        out[key] = int(value or 0)
    return out


def _tool_input(message: Any, name: str) -> object:
    for block in getattr(message, "content", []) or []:
        if getattr(block, "type", None) == "tool_use" and getattr(block, "name", None) == name:
            return block.input
    return None
