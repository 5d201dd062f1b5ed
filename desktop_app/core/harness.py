"""Runs a coding question's tests against a solution inside a child process and writes a JSON report.

Standard library only and no imports from desktop_app: it runs as a plain script (`python -I harness.py`),
as the frozen app's code-runner mode, and under the bank's quality checks, always in its own process.

The tests are Python source run in the solution's namespace. Each top-level `test_*` function is one
test, called in the order written; module-level code in the tests runs first, as set-up. Tests with no
`test_*` functions are a single test named "tests". The report is rewritten after every test, so a run
that is killed (time limit, crash) still tells which tests finished.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
import types
from typing import Any

SOLUTION_FILE = "solution.py"
TESTS_FILE = "tests.py"
MAX_MESSAGE_CHARS = 2000


def _write(path: str, report: dict[str, Any]) -> None:
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(report, f)
    os.replace(tmp, path)


def _lines(tb: types.TracebackType | None) -> tuple[int | None, int | None]:
    """The deepest line of the solution and of the tests in a traceback: where the user looks first."""
    solution_line = tests_line = None
    for frame, lineno in traceback.walk_tb(tb):
        name = frame.f_code.co_filename
        if name == SOLUTION_FILE:
            solution_line = lineno
        elif name == TESTS_FILE:
            tests_line = lineno
    return solution_line, tests_line


def _failure(exc: BaseException) -> dict[str, Any]:
    solution_line, tests_line = _lines(exc.__traceback__)
    if isinstance(exc, SystemExit):
        message = f"the code called sys.exit({exc.code!r})"
    else:
        text = str(exc)
        message = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return {
        "kind": "assertion" if isinstance(exc, AssertionError) else "error",
        "message": message[:MAX_MESSAGE_CHARS],
        "solution_line": solution_line,
        "tests_line": tests_line,
    }


def _compile(source: str, filename: str, report: dict[str, Any], report_path: str) -> types.CodeType | None:
    try:
        return compile(source, filename, "exec")
    except SyntaxError as exc:
        report["syntax_error"] = {
            "file": filename,
            "line": exc.lineno,
            "column": exc.offset,
            "message": exc.msg,
        }
    except (ValueError, RecursionError, MemoryError) as exc:  # null bytes, absurd nesting
        report["syntax_error"] = {"file": filename, "line": None, "column": None, "message": f"{type(exc).__name__}"}
    report["finished"] = True
    _write(report_path, report)
    return None


def run(solution: str, tests: str, report_path: str) -> dict[str, Any]:
    report: dict[str, Any] = {"tests": [], "setup_error": None, "syntax_error": None, "finished": False}
    _write(report_path, report)
    solution_code = _compile(solution, SOLUTION_FILE, report, report_path)
    if solution_code is None:
        return report
    tests_code = _compile(tests, TESTS_FILE, report, report_path)
    if tests_code is None:
        return report
    namespace: dict[str, Any] = {"__name__": "solution", "__builtins__": __builtins__}
    started = time.perf_counter()
    try:
        exec(solution_code, namespace)
    except BaseException as exc:  # anything the module does at import is a set-up error
        if isinstance(exc, KeyboardInterrupt):
            raise
        report["setup_error"] = {"where": "solution", **_failure(exc)}
        report["finished"] = True
        _write(report_path, report)
        return report
    try:
        exec(tests_code, namespace)
        setup_ok = True
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        setup_ok = False
        failure = _failure(exc)
    test_functions = [
        (name, value)
        for name, value in namespace.items()
        if name.startswith("test_")
        and isinstance(value, types.FunctionType)
        and value.__code__.co_filename == TESTS_FILE
    ]
    if not test_functions:
        # A flat script of asserts: it already ran as the module-level code, and that was the test.
        entry: dict[str, Any] = {"name": "tests", "passed": setup_ok, "seconds": time.perf_counter() - started}
        if not setup_ok:
            entry.update(failure)
        report["tests"].append(entry)
        report["finished"] = True
        _write(report_path, report)
        return report
    if not setup_ok:
        report["setup_error"] = {"where": "tests", **failure}
        report["finished"] = True
        _write(report_path, report)
        return report
    for name, func in test_functions:
        t0 = time.perf_counter()
        entry = {"name": name, "passed": True}
        try:
            func()
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            entry["passed"] = False
            entry.update(_failure(exc))
        entry["seconds"] = time.perf_counter() - t0
        report["tests"].append(entry)
        _write(report_path, report)
    report["finished"] = True
    _write(report_path, report)
    return report


def main(argv: list[str]) -> int:
    """harness.py JOB.json REPORT.json: the job holds {"solution": ..., "tests": ...}."""
    if len(argv) != 2:
        print("usage: harness.py JOB.json REPORT.json", file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as f:
        job = json.load(f)
    report = run(str(job["solution"]), str(job["tests"]), argv[1])
    passed = (
        report["syntax_error"] is None and report["setup_error"] is None and all(t["passed"] for t in report["tests"])
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
