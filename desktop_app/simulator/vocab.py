"""The interview's vocabulary as types: where a mock interview stands, what is asked of the worker,
and what kind of entry a transcript turn is. StrEnums, so they store and compare as the plain strings
the database and older transcripts already hold."""

from __future__ import annotations

from enum import StrEnum


class MockState(StrEnum):
    ASKING = "asking"  # the interviewer's question is streaming
    ANSWERING = "answering"  # the candidate types; the clock runs
    GRADING = "grading"  # the grade is streaming
    SELF_SCORING = "self_scoring"  # offline: the candidate scores against the reference
    FAULT = "fault"  # a request failed; Retry resends it
    FINISHED = "finished"  # the summary is shown


STREAMING = (MockState.ASKING, MockState.GRADING)
CAN_SKIP = (MockState.ANSWERING, MockState.FAULT, MockState.SELF_SCORING)


class RequestKind(StrEnum):
    ASK = "ask"  # the interviewer asks the current question in its own words
    GRADE = "grade"  # the interviewer grades an answer and proposes a follow-up
    GENERATE = "generate"  # questions proposed for a job description
    MODELS = "models"  # the models the key can use
    PROBE = "probe"  # import the SDK and build a client, no network (the bundle's smoke test)


class TurnKind(StrEnum):
    QUESTION = "question"
    ANSWER = "answer"
    FEEDBACK = "feedback"
    NOTICE = "notice"
