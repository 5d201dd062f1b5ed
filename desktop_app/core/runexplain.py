"""One or two sentences for the user on how a run of their code ended, whatever the way it ended.

Every outcome a RunResult can hold (a syntax error, a failed set-up, a time, CPU or output limit, a kill, a
crash, an evaluated input, failed or passed tests) in words, with the line to look at and the tests that
finished before. Qt-free; the windows, the command line and the bank's quality checks all show these words.
"""

from __future__ import annotations

import re
import signal

from desktop_app.core.coderun import CodeError, Limits, RunResult, TestResult
from desktop_app.core.harness import TESTS_FILE

_SIGNAL_WORDS = {
    "SIGSEGV": "segmentation fault",
    "SIGBUS": "bus error",
    "SIGFPE": "floating-point exception",
    "SIGILL": "illegal instruction",
    "SIGABRT": "abort",
}
_MESSAGE_CHARS = 300


def _short(message: str) -> str:
    message = " ".join(message.split())
    return message if len(message) <= _MESSAGE_CHARS else message[: _MESSAGE_CHARS - 1] + "…"


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _at(solution_line: int | None, tests_line: int | None = None) -> str:
    if solution_line is not None:
        return f" at line {solution_line} of your code"
    if tests_line is not None:
        return f" (line {tests_line} of the tests)"
    return ""


def _during(result: RunResult) -> str:
    if result.running:
        return f" while running {result.running}"
    return {
        "loading": " while loading your code",
        "setup": " during the tests' set-up",
        "expression": " while evaluating the input",
    }.get(result.phase, "")


def _subject(result: RunResult) -> str:
    if result.running:
        return result.running
    return {
        "loading": "Your code, while loading,",
        "setup": "The tests' set-up",
        "expression": "The input",
    }.get(result.phase, "The run")


def _before(result: RunResult) -> str:
    """The tests that finished before the run was cut short, so the user knows what still counts."""
    if not result.tests:
        return ""
    done = ", ".join(f"{t.name} {'passed' if t.passed else 'failed'}" for t in result.tests)
    return f" Before that: {done}."


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _failure_words(t: TestResult | CodeError, limits: Limits) -> str:
    """What went wrong, to follow "the first, test_x," or "evaluating the input"."""
    at = _at(t.solution_line, t.tests_line)
    message = _short(t.message)
    if t.kind == "blocked":
        return f"tried to start a process{at}, which the code runner blocks: solve it in this process"
    if t.kind == "memory":
        return f"ran out of memory{at} (the limit is {limits.memory_mb} MB)"
    if t.kind == "exit":
        return f"ended with {message.removeprefix('the code called ')}{at}: return a value instead of exiting"
    if t.kind == "file_size":
        return f"wrote a file larger than the {limits.file_mb} MB limit{at}"
    if t.kind == "assertion":
        text = message.removeprefix("AssertionError").removeprefix(": ").strip()
        return f"says: {text}{at}" if text else f"failed an assertion{at}"
    return f"raised {message}{at}"


def explain(result: RunResult, limits: Limits) -> str:
    """One or two sentences for the user on how the run ended, whatever the way."""
    during, before = _during(result), _before(result)
    if result.stopped:
        return f"You stopped the run{during}.{before}"
    if result.syntax_error is not None:
        s = result.syntax_error
        column = f", column {s.column}" if s.column else ""
        where = f"line {s.line}{column}" if s.line else "an unknown line"
        if s.file == TESTS_FILE:
            return f"The question's tests have a syntax error at {where}: {s.message}. This is a problem with the question, not your code."
        return f"Syntax error at {where} of your code: {s.message}."
    if result.setup_error is not None:
        e = result.setup_error
        if e.where == "tests":
            return (
                f"The question's tests failed in their set-up with {_short(e.message)}"
                f"{_at(None, e.tests_line)}. This is a problem with the question, not your code."
            )
        return f"Your code, while loading (before any test ran), {_failure_words(e, limits)}."
    if result.timed_out:
        return f"{_subject(result)} ran for more than {limits.wall_s:g} s and was stopped: an infinite loop?{before}"
    if result.output_truncated and not result.finished:
        return (
            f"The code printed more than {limits.output_bytes:,} bytes{during}, so the run was stopped: "
            f"a print inside a loop?{before}"
        )
    killed = result.signal is not None and result.signal == getattr(signal, "SIGKILL", None)
    if (
        result.limit == "cpu"
        or result.signal == getattr(signal, "SIGXCPU", None)
        # SIGKILL at the hard CPU limit, a second after a SIGXCPU the code did not return to Python to see
        or (killed and result.seconds >= limits.cpu_s + 1)
    ):
        return (
            f"{_subject(result)} used more than {limits.cpu_s} s of CPU time and was stopped: "
            f"an infinite loop or a very slow algorithm?{before}"
        )
    if killed:
        return (
            f"The Python process was killed{during}, most likely for using too much memory "
            f"(the limit is {limits.memory_mb} MB).{before}"
        )
    if result.signal is not None:
        name = _signal_name(result.signal)
        words = _SIGNAL_WORDS.get(name, name)
        at = f", at line {result.crash_line} of your code" if result.crash_line else ""
        return f"The Python process crashed ({words}){during}{at}.{before}"
    if result.expression is not None and result.finished:
        if result.value_error is not None:
            e = result.value_error
            if e.kind in ("statement", "syntax"):
                return e.message[:1].upper() + e.message[1:] + "."
            return f"Evaluating {_short(result.expression)}, your code {_failure_words(e, limits)}."
        if result.value_type == "NoneType":
            return f"{_short(result.expression)} returned None."
        return f"{_short(result.expression)} returned a value of type {result.value_type or 'unknown'}."
    if not result.finished:
        last = next((line for line in reversed(result.output.splitlines()) if line.strip()), "")
        if not result.has_report:
            code = f" (exit code {result.exit_code})" if result.exit_code is not None else ""
            return f"The code runner did not start{code}: {_short(last) or 'no output'}"
        if re.search(r"memory|alloc", last, re.I):
            # A library that gives up on a failed allocation by exiting (OpenBLAS does) rather than raising.
            return f"The code ran out of memory{during} (the limit is {limits.memory_mb} MB): {_sentence(_short(last))}{before}"
        if result.exit_code is not None:
            said = f" Its last output: {_sentence(_short(last))}" if last else " Does the code call os._exit?"
            return f"The Python process exited with code {result.exit_code}{during}, before the tests finished.{said}{before}"
        return f"The run ended before the tests finished{during}.{before}"
    if not result.tests:
        return "No tests ran."
    first = result.first_failure
    if first is None:
        return "The test passed." if len(result.tests) == 1 else f"All {len(result.tests)} tests passed."
    failed = f"{result.failed} of {_plural(len(result.tests), 'test')} failed"
    if first.in_setup:
        return (
            f"{failed}: the tests' set-up calls your code, and it {_failure_words(first, limits)} "
            f"(line {first.tests_line} of the tests)."
            if first.tests_line
            else f"{failed}: the tests' set-up calls your code, and it {_failure_words(first, limits)}."
        )
    return f"{failed}; the first, {first.name}, {_failure_words(first, limits)}."
