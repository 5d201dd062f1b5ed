"""A local stand-in for the Messages API: a real HTTP server on 127.0.0.1 that speaks its wire format.

Tests script what each request gets (a streamed text reply, a streamed tool call, an error status with
the API's error body, a stream that is cut off) and point the real `anthropic` client at it by base URL.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    429: "rate_limit_error",
    500: "api_error",
    503: "api_error",
    529: "overloaded_error",
}


@dataclass
class Script:
    """What one request gets. kind: text | tool | error | cut | hang (after message_start) | silent (no reply)
    | drop (the connection is closed before any byte of a reply)."""

    kind: str
    text: str = ""
    tool_input: Any = None
    raw_tool_json: str | None = None  # send this JSON text verbatim (may be invalid)
    status: int = 200
    chunk_words: int = 1  # words per delta event
    delay: float = 0.0  # seconds between delta events (0.02 = 50 tokens/s)
    cut_after: int = 3  # for kind "cut": delta events before the connection drops
    usage: dict[str, int] = field(default_factory=lambda: {"input_tokens": 120, "output_tokens": 40})
    stop_reason: str | None = None  # e.g. "max_tokens": the reply ends normally on the wire but was cut short


@dataclass
class Sent:
    """When each delta left the server (time.perf_counter), for latency measurements."""

    times: list[float] = field(default_factory=list)


class FakeAnthropic:
    def __init__(self) -> None:
        self.scripts: queue.Queue[Script] = queue.Queue()
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.sent = Sent()
        self.default: Script | None = None
        self.models = ["claude-sonnet-5-5", "claude-haiku-5-5"]
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeAnthropic:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def push(self, *scripts: Script) -> None:
        for s in scripts:
            self.scripts.put(s)

    def _next(self) -> Script:
        try:
            return self.scripts.get_nowait()
        except queue.Empty:
            if self.default is not None:
                return self.default
            return Script("error", status=500, text="the fake has no scripted reply for this request")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                if self.path.startswith("/v1/models"):
                    body = {
                        "data": [
                            {"type": "model", "id": m, "display_name": m, "created_at": "2025-01-01T00:00:00Z"}
                            for m in fake.models
                        ],
                        "has_more": False,
                        "first_id": fake.models[0],
                        "last_id": fake.models[-1],
                    }
                    self._json(200, body)
                else:
                    self._json(404, {"type": "error", "error": {"type": "not_found_error", "message": "no such path"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append(body)
                fake.headers.append({k.lower(): v for k, v in self.headers.items()})
                script = fake._next()
                if script.kind == "drop":  # hang up without a byte of reply
                    self.connection.shutdown(2)
                    return
                if script.kind == "silent":  # accept the request, then say nothing at all
                    time.sleep(script.delay or 5.0)
                    return
                if script.kind == "error":
                    err = {
                        "type": "error",
                        "error": {
                            "type": ERROR_TYPES.get(script.status, "api_error"),
                            # "{api_key}" echoes the request's credential, as a hostile server could.
                            "message": (script.text or "error").replace("{api_key}", self._credential()),
                        },
                    }
                    self._json(script.status, err, extra={"retry-after-ms": "5"})
                    return
                if not body.get("stream"):
                    self._json(200, _message(body, script))
                    return
                self._stream(body, script)

            def _credential(self) -> str:
                """The key the request carried (the SDK sends it as a bearer token or as x-api-key)."""
                bearer = self.headers.get("authorization", "")
                return self.headers.get("x-api-key") or bearer.removeprefix("Bearer ").strip()

            def _json(self, status: int, body: Any, extra: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.send_header("request-id", "req_fake")
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def _event(self, name: str, data: dict[str, Any]) -> None:
                chunk = f"event: {name}\ndata: {json.dumps(data)}\n\n".encode()
                self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                self.wfile.flush()

            def _stream(self, body: dict[str, Any], script: Script) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("transfer-encoding", "chunked")
                self.send_header("request-id", "req_fake")
                self.end_headers()
                try:
                    self._events(body, script)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client hung up (Stop): fine

            def _events(self, body: dict[str, Any], script: Script) -> None:
                usage = dict(script.usage)
                start_usage = {
                    "input_tokens": usage.get("input_tokens", 0),
                    "output_tokens": 1,
                    "cache_creation_input_tokens": usage.get("cache_creation_input_tokens", 0),
                    "cache_read_input_tokens": usage.get("cache_read_input_tokens", 0),
                }
                self._event(
                    "message_start",
                    {
                        "type": "message_start",
                        "message": {
                            "id": "msg_fake",
                            "type": "message",
                            "role": "assistant",
                            "model": body.get("model", "x"),
                            "content": [],
                            "stop_reason": None,
                            "stop_sequence": None,
                            "usage": start_usage,
                        },
                    },
                )
                if script.kind == "hang":
                    time.sleep(script.delay or 30.0)
                    return
                if script.kind == "tool" or (script.kind == "cut" and script.tool_input is not None):
                    block = {"type": "tool_use", "id": "toolu_fake", "name": _tool_name(body), "input": {}}
                    payload = (
                        script.raw_tool_json if script.raw_tool_json is not None else json.dumps(script.tool_input)
                    )
                    pieces = [payload[i : i + 12] for i in range(0, len(payload), 12)]
                    delta = lambda p: {"type": "input_json_delta", "partial_json": p}  # noqa: E731
                else:
                    block = {"type": "text", "text": ""}
                    words = script.text.split(" ")
                    pieces = [
                        " ".join(words[i : i + script.chunk_words])
                        + (" " if i + script.chunk_words < len(words) else "")
                        for i in range(0, len(words), script.chunk_words)
                    ]
                    delta = lambda p: {"type": "text_delta", "text": p}  # noqa: E731
                self._event("content_block_start", {"type": "content_block_start", "index": 0, "content_block": block})
                for n, piece in enumerate(pieces):
                    if script.kind == "cut" and n >= script.cut_after:
                        # Drop the connection mid-reply, without finishing the chunked body.
                        self.wfile.flush()
                        self.connection.shutdown(2)
                        return
                    if script.delay:
                        time.sleep(script.delay)
                    self._event(
                        "content_block_delta", {"type": "content_block_delta", "index": 0, "delta": delta(piece)}
                    )
                    fake.sent.times.append(time.perf_counter())
                self._event("content_block_stop", {"type": "content_block_stop", "index": 0})
                stop_reason = script.stop_reason or ("tool_use" if block["type"] == "tool_use" else "end_turn")
                self._event(
                    "message_delta",
                    {
                        "type": "message_delta",
                        "delta": {"stop_reason": stop_reason, "stop_sequence": None},
                        "usage": {"output_tokens": usage.get("output_tokens", 0)},
                    },
                )
                self._event("message_stop", {"type": "message_stop"})
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()

        return Handler


def _tool_name(body: dict[str, Any]) -> str:
    """The tool the request forces (tool_choice), as the API would call it."""
    choice = body.get("tool_choice") or {}
    return str(choice.get("name", "record_grade")) if isinstance(choice, dict) else "record_grade"


def _message(body: dict[str, Any], script: Script) -> dict[str, Any]:
    if script.kind == "tool":
        content = [{"type": "tool_use", "id": "toolu_fake", "name": _tool_name(body), "input": script.tool_input}]
    else:
        content = [{"type": "text", "text": script.text}]
    return {
        "id": "msg_fake",
        "type": "message",
        "role": "assistant",
        "model": body.get("model", "x"),
        "content": content,
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": script.usage,
    }


GOOD_GRADE = {
    "tier": "ok",
    "covered": ["defines both error sources"],
    "missed": ["how model capacity moves the balance"],
    "factual_errors": [],
    "feedback": "A solid start. You defined **bias** and **variance** but did not say how capacity trades one for the other.",
    "follow_up": "How would you tell, from learning curves, which of the two dominates?",
}
