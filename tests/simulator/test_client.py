"""The SDK client against a real local HTTP server speaking the Messages API: replies, grades, every fault, stop."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from desktop_app.simulator.client import CancelToken, GradeRequest, InterviewerClient, InterviewError, QuestionContext
from tests.simulator.fake_anthropic import GOOD_GRADE, FakeAnthropic, Script

CONTEXT = QuestionContext("Question: explain bias and variance. Expected answer: ...")
GRADE = GradeRequest(transcript="", asked="Explain bias and variance.", answer="Bias is ...", round=0, max_rounds=1)


@pytest.fixture
def client() -> Iterator[Callable[[], InterviewerClient]]:
    made: list[InterviewerClient] = []

    def make() -> InterviewerClient:
        made.append(InterviewerClient("sk-ant-test", max_retries=1, timeout=10))
        return made[-1]

    yield make
    for c in made:
        c.close()


def test_ask_streams_text_and_sends_the_cached_context(
    client: Callable[[], InterviewerClient], fake: FakeAnthropic
) -> None:
    fake.push(Script("text", text="Let us begin: what do bias and variance mean to you?"))
    seen: list[str] = []
    reply = client().ask(CONTEXT, seen.append, CancelToken())
    assert reply.text == "Let us begin: what do bias and variance mean to you?"
    assert len(seen) > 3 and seen[-1] == reply.text and seen[0] != reply.text  # it streamed
    request = fake.requests[-1]
    assert request["stream"] is True
    assert request["system"][1]["cache_control"] == {"type": "ephemeral"}
    assert "explain bias and variance" in request["system"][1]["text"]
    headers = fake.headers[-1]
    assert "sk-ant-test" in (headers.get("x-api-key", "") + headers.get("authorization", ""))
    assert reply.usage["input_tokens"] == 120 and reply.cost_usd > 0


def test_grade_is_a_forced_tool_call_parsed_into_a_grade(
    client: Callable[[], InterviewerClient], fake: FakeAnthropic
) -> None:
    fake.push(Script("tool", tool_input=GOOD_GRADE))
    seen: list[str] = []
    reply = client().grade(CONTEXT, GRADE, seen.append, CancelToken())
    assert reply.grade is not None and reply.grade.tier == "ok"
    assert reply.grade.missed == ("how model capacity moves the balance",)
    assert seen and GOOD_GRADE["feedback"].startswith(seen[0][:5])  # feedback streamed from the partial JSON
    request = fake.requests[-1]
    assert request["tool_choice"] == {"type": "tool", "name": "record_grade"}
    assert "Bias is ..." in request["messages"][0]["content"]


@pytest.mark.parametrize(
    ("status", "kind", "words"),
    [
        (401, "auth", "rejected (401)"),
        (429, "rate_limit", "rate limiting"),
        (529, "overloaded", "overloaded"),
        (500, "server", "server error (500)"),
        (503, "server", "server error (503)"),
        (404, "request", "Check the model name"),
    ],
)
def test_http_errors_become_clear_messages(
    client: Callable[[], InterviewerClient], fake: FakeAnthropic, status: int, kind: str, words: str
) -> None:
    fake.default = Script("error", status=status, text="scripted failure")
    with pytest.raises(InterviewError) as err:
        client().ask(CONTEXT, lambda _t: None, CancelToken())
    assert err.value.kind == kind and words in err.value.message
    if status in (429, 529, 500, 503):
        assert len(fake.requests) == 2  # the SDK retried once (max_retries=1) before giving up


def test_stream_cut_off_keeps_what_arrived(client: Callable[[], InterviewerClient], fake: FakeAnthropic) -> None:
    fake.push(Script("cut", text="one two three four five six seven", cut_after=3))
    with pytest.raises(InterviewError) as err:
        client().ask(CONTEXT, lambda _t: None, CancelToken())
    assert err.value.kind == "cut_off" and "cut off" in err.value.message
    assert err.value.partial.startswith("one two three")


@pytest.mark.parametrize("cut_after", [0, 1])
def test_a_drop_after_the_first_event_is_cut_off_whatever_the_sdk_raises(
    client: Callable[[], InterviewerClient], fake: FakeAnthropic, cut_after: int
) -> None:
    """The line is the first event: message_start arrived, so the reply had begun (cut_after=0 keeps nothing)."""
    fake.push(Script("cut", text="one two three", cut_after=cut_after))
    with pytest.raises(InterviewError) as err:
        client().ask(CONTEXT, lambda _t: None, CancelToken())
    assert err.value.kind == "cut_off" and "What arrived is kept" in err.value.message
    assert err.value.partial == ("one " if cut_after else "")


def test_a_drop_before_any_byte_is_a_connection_problem(
    client: Callable[[], InterviewerClient], fake: FakeAnthropic
) -> None:
    fake.default = Script("drop")  # the SDK's own retry gets the same
    with pytest.raises(InterviewError) as err:
        client().ask(CONTEXT, lambda _t: None, CancelToken())
    assert err.value.kind == "network" and "Could not reach the API" in err.value.message
    assert err.value.partial == ""


@pytest.mark.parametrize(
    "raw",
    [
        '{"tier": "excellent", "covered": [], "missed": [], "factual_errors": [], "feedback": "x", "follow_up": "y"}',
        '{"tier": "ok", "covered": [], "missed": [], "factual_errors": []}',
        '{"tier": "ok", "covered": "not a list", "missed": [], "factual_errors": [], "feedback": "x", "follow_up": "y"}',
        '{"tier": "ok", "feedback": ',
    ],
)
def test_an_unusable_grade_is_reported_never_guessed(
    client: Callable[[], InterviewerClient], fake: FakeAnthropic, raw: str
) -> None:
    fake.push(Script("tool", raw_tool_json=raw))
    with pytest.raises(InterviewError) as err:
        client().grade(CONTEXT, GRADE, lambda _t: None, CancelToken())
    assert err.value.kind in ("bad_grade", "cut_off")
    assert "grade could not be read" in err.value.message or "cut off" in err.value.message


def test_no_network_is_a_network_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("ANTHROPIC_BASE_URL", f"http://127.0.0.1:{port}")
    with InterviewerClient("sk", max_retries=0, timeout=5) as c, pytest.raises(InterviewError) as err:
        c.ask(CONTEXT, lambda _t: None, CancelToken())
    assert err.value.kind == "network" and "Could not reach the API" in err.value.message


def test_stop_mid_stream_returns_at_once_with_the_text_so_far(
    client: Callable[[], InterviewerClient], fake: FakeAnthropic
) -> None:
    fake.push(Script("text", text=" ".join(f"w{i}" for i in range(400)), delay=0.02))
    token = CancelToken()
    seen: list[str] = []
    stopped_at: list[float] = []

    def stop_when_streaming() -> None:
        while len(seen) < 5:
            time.sleep(0.005)
        stopped_at.append(time.perf_counter())
        token.cancel()

    threading.Thread(target=stop_when_streaming, daemon=True).start()
    reply = client().ask(CONTEXT, seen.append, token)
    elapsed = time.perf_counter() - stopped_at[0]
    assert reply.stopped and reply.text.startswith("w0 w1 w2 w3")
    assert elapsed < 2.0  # the rest of the reply would take 8 s; bench/mock_stream.py measures the real figure


def test_stop_while_the_server_is_silent(client: Callable[[], InterviewerClient], fake: FakeAnthropic) -> None:
    fake.push(Script("hang"))
    token = CancelToken()
    threading.Timer(0.2, token.cancel).start()
    start = time.perf_counter()
    reply = client().ask(CONTEXT, lambda _t: None, token)
    assert reply.stopped and time.perf_counter() - start < 3.0  # the server would stay silent 30 s


def test_models_come_from_the_models_api(client: Callable[[], InterviewerClient], fake: FakeAnthropic) -> None:
    assert client().list_models() == ["claude-sonnet-5-5", "claude-haiku-5-5"]


@pytest.mark.parametrize(
    ("kind", "fault", "words"),
    [("silent", "timeout", "sent nothing for 0.5 s"), ("hang", "cut_off", "stalled mid-stream")],
)
def test_a_server_that_stops_answering_times_out(fake: FakeAnthropic, kind: str, fault: str, words: str) -> None:
    """Silent before replying: a timeout. Silent after the reply began: the reply was cut off by the stall."""
    fake.push(Script(kind, delay=3.0))
    with InterviewerClient("sk", max_retries=0, timeout=0.5) as c, pytest.raises(InterviewError) as err:
        c.ask(CONTEXT, lambda _t: None, CancelToken())
    assert err.value.kind == fault and words in err.value.message


def test_a_server_that_echoes_the_key_never_gets_it_into_a_message(fake: FakeAnthropic) -> None:
    """Issue 12: error text is shown and stored; a hostile server can echo the credential in it."""
    fake.default = Script("error", status=400, text="bad request from key {api_key} (copy: {api_key})")
    with InterviewerClient("opaque-credential-XYZ123456", max_retries=0) as c, pytest.raises(InterviewError) as err:
        c.ask(CONTEXT, lambda _t: None, CancelToken())
    assert err.value.kind == "request"
    assert "opaque-credential" not in err.value.message and "[redacted key]" in err.value.message
    # Anything shaped like an Anthropic key is masked too, even one that is not in use.
    assert "sk-ant-" not in InterviewError("x", "leaked sk-ant-api03-abcdefgh1234").message


def test_stop_before_the_server_sends_a_single_header(
    client: Callable[[], InterviewerClient], fake: FakeAnthropic
) -> None:
    """Issue 12: with a server that accepts the connection and says nothing, Stop waited for the timeout
    (the stop hook was installed only once headers arrived)."""
    fake.push(Script("silent", delay=30.0))
    token = CancelToken()
    threading.Timer(0.3, token.cancel).start()
    c = client()
    start = time.perf_counter()
    reply = c.ask(CONTEXT, lambda _t: None, token)
    assert reply.stopped and time.perf_counter() - start < 3.0  # the server would stay silent 30 s
    assert not c.usable, "the abandoned client is replaced before the next request"


@pytest.mark.parametrize("want_grade", [False, True])
def test_a_reply_cut_by_the_token_limit_is_reported_as_such_and_kept(
    client: Callable[[], InterviewerClient], fake: FakeAnthropic, want_grade: bool
) -> None:
    """Issue 12: a reply cut by max_tokens was saved as the interviewer's question, and a truncated grade
    was rejected with "'follow_up' is missing", which did not say why."""
    if want_grade:
        partial = {"tier": "ok", "covered": [], "missed": [], "factual_errors": [], "feedback": "Fine so far"}
        fake.push(Script("tool", tool_input=partial, stop_reason="max_tokens"))
    else:
        fake.push(Script("text", text="What is the trade-off, and tell", stop_reason="max_tokens"))
    with pytest.raises(InterviewError) as err:
        if want_grade:
            client().grade(CONTEXT, GRADE, lambda _t: None, CancelToken())
        else:
            client().ask(CONTEXT, lambda _t: None, CancelToken())
    assert err.value.kind == "truncated" and "length limit" in err.value.message
    assert err.value.partial == ("Fine so far" if want_grade else "What is the trade-off, and tell")


GOOD_PROPOSAL = {
    "job_title": "ML engineer, search ranking",
    "focus_topics": [
        {"topic_id": "recsys", "weight": 3},
        {"topic_id": "evaluation", "weight": 1},
        {"topic_id": "not-a-topic", "weight": 5},
    ],
    "questions": [
        {
            "question": "How would you evaluate a learning-to-rank model offline before an A/B test?",
            "level": "intermediate",
            "answer": "Use held-out query logs and rank metrics such as NDCG@k and MRR ...",
            "follow_ups": [
                "Why not accuracy?",
                "How do position biases distort the logs?",
                "What if labels are clicks?",
            ],
            "rubric": {
                "strong": ["Names NDCG or MRR at a cutoff", "Explains position bias in logged data"],
                "ok": "Names a rank metric but not the bias in logs.",
                "weak": "Uses accuracy or AUC over items without the query structure.",
            },
            "tags": ["ranking", "evaluation"],
            "gap": "The job ranks search results; the bank has no ranking evaluation question.",
        }
    ],
}


def test_generate_is_a_forced_tool_call_read_into_proposals(
    client: Callable[[], InterviewerClient], fake: FakeAnthropic
) -> None:
    from desktop_app.simulator.generate import BankMap, GenerateRequest

    fake.push(Script("tool", tool_input=GOOD_PROPOSAL))
    seen: list[str] = []
    bank = BankMap(
        (("recsys", "Recommender Systems", ("What is collaborative filtering?",)), ("evaluation", "Evaluation", ()))
    )
    reply = client().generate(
        GenerateRequest("We rank search results for 50M users.", bank, count=5), seen.append, CancelToken()
    )
    proposal = reply.proposal
    assert proposal is not None and proposal.job_title == "ML engineer, search ranking"
    assert proposal.focus == {"recsys": 0.75, "evaluation": 0.25}, "unknown topics dropped, weights scaled to 1"
    assert len(proposal.questions) == 1 and proposal.questions[0].strong[1] == "Explains position bias in logged data"
    assert seen and seen[-1].startswith("Writing questions")  # progress streamed from the partial JSON
    request = fake.requests[-1]
    assert request["tool_choice"] == {"type": "tool", "name": "propose_questions"}
    content = request["messages"][0]["content"]
    assert "50M users" in content and "What is collaborative filtering?" in content and "topic id: recsys" in content
    enum = request["tools"][0]["input_schema"]["properties"]["focus_topics"]["items"]["properties"]["topic_id"]["enum"]
    assert enum == ["recsys", "evaluation"]


@pytest.mark.parametrize(
    ("broken", "words"),
    [
        ({**GOOD_PROPOSAL, "questions": "none"}, "questions is not a list"),
        ({**GOOD_PROPOSAL, "questions": [{**GOOD_PROPOSAL["questions"][0], "level": "expert"}]}, "level is 'expert'"),  # type: ignore[dict-item]
        (
            {**GOOD_PROPOSAL, "questions": [{**GOOD_PROPOSAL["questions"][0], "follow_ups": []}]},
            "follow_ups has 0 items",
        ),  # type: ignore[dict-item]
    ],
)
def test_an_unusable_proposal_is_reported_never_guessed(
    client: Callable[[], InterviewerClient], fake: FakeAnthropic, broken: dict[str, object], words: str
) -> None:
    from desktop_app.simulator.generate import BankMap, GenerateRequest

    fake.push(Script("tool", tool_input=broken))
    with pytest.raises(InterviewError) as err:
        client().generate(GenerateRequest("A job.", BankMap((("recsys", "R", ()),))), lambda _t: None, CancelToken())
    assert words in err.value.message and "Nothing was saved" in err.value.message
