"""Runs a coding question's tests (or one expression) against a solution inside a child process and writes a JSON
report.

Standard library only, and nothing from desktop_app but its sibling isolation.py: it runs as a plain script
(`python -I harness.py JOB REPORT`), as the frozen app's code-runner mode (`MLPrep --run-tests JOB REPORT`, which
imports this module and calls `main`), and under the bank's quality checks, always in a process of its own.
`main` changes that process for good (isolation.isolate: its own session, resource limits, process creation
blocked), so never call it in a process that has other work to do.

The tests are Python source run in the solution's namespace. Each top-level `test_*` function is one test,
called in the order written; module-level code in the tests runs first, as set-up. Tests with no `test_*`
functions are a single test named "tests". The report is rewritten before and after every test, so a run that
is killed (time limit, crash) still tells which tests finished and which one was running.

The job may also hold an "expression" (the window's custom-input box): then the solution runs as a module and
the expression is evaluated in its namespace; the report holds its value's repr instead of test results.

What the isolation is for: a run that loops, eats memory, prints without end, writes a huge file or forks in
a loop must end cleanly and leave the machine as it was. It guards against such accidents; it is not a
security boundary against code written to escape (ctypes can still call fork(2), and files and the network
stay reachable).
"""

from __future__ import annotations

import ast
import builtins
import errno
import json
import os
import sys
import time
import traceback
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING or __package__:
    # Imported as desktop_app.core.harness (the frozen app's --run-tests, the tests, the quality checks): a plain
    # import, which PyInstaller's analysis sees and bundles.
    from desktop_app.core import isolation
else:
    # Run as a script, `python -I harness.py`: -I leaves this file's folder off sys.path, so the sibling is loaded
    # from its file. That imports none of desktop_app's packages and puts nothing on the user's sys.path.
    import importlib.util

    _spec = importlib.util.spec_from_file_location(
        "desktop_app.core.isolation", os.path.join(os.path.dirname(os.path.abspath(__file__)), "isolation.py")
    )
    if _spec is None or _spec.loader is None:
        raise ImportError(f"cannot load isolation.py next to {__file__}")
    isolation = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(isolation)

SOLUTION_FILE = "solution.py"
TESTS_FILE = "tests.py"
INPUT_FILE = "input"
MAX_MESSAGE_CHARS = 2000
MAX_VALUE_CHARS = 10_000
DEFAULT_OUTPUT_CHARS = 1_000_000


class _Reporter:
    """The report file: rewritten whole each time through a fresh temporary name, so a reader never sees half
    a file and a write from the CPU-limit handler cannot collide with one it interrupted."""

    def __init__(self, path: str, report: dict[str, Any]):
        self.path = path
        self.report = report
        self._count = 0

    def write(self) -> None:
        self._count += 1
        tmp = f"{self.path}.{self._count}.tmp"
        try:
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(self.report, f)
            os.replace(tmp, self.path)
        except OSError:  # a full disk or the file-size limit: the parent still has the exit status
            try:
                os.unlink(tmp)
            except OSError:
                pass


_current: _Reporter | None = None
_isolation: dict[str, Any] | None = None  # what isolation.isolate() managed to apply, for the report


def _note_cpu_limit() -> None:
    """Note in the report that the CPU limit ended the run (isolation then lets SIGXCPU end the process)."""
    if _current is not None:
        _current.report["limit"] = "cpu"
        _current.write()


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


def _kind(exc: BaseException) -> str:
    if isinstance(exc, AssertionError):
        return "assertion"
    if isinstance(exc, SystemExit):
        return "exit"
    if isinstance(exc, MemoryError) or (isinstance(exc, OSError) and exc.errno == errno.ENOMEM):
        return "memory"
    if isinstance(exc, ImportError) and "failed to map segment" in str(exc):
        return "memory"  # a C extension's library did not fit in the address-space limit
    if isinstance(exc, isolation.ProcessBlocked):
        return "blocked"
    if isinstance(exc, OSError) and exc.errno == errno.EFBIG:
        return "file_size"
    return "error"


def _failure(exc: BaseException) -> dict[str, Any]:
    solution_line, tests_line = _lines(exc.__traceback__)
    if isinstance(exc, SystemExit):
        message = f"the code called sys.exit({exc.code!r})"
    else:
        try:
            text = str(exc)
        except Exception:  # a user's exception whose __str__ fails
            text = ""
        message = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return {
        "kind": _kind(exc),
        "message": message[:MAX_MESSAGE_CHARS],
        "solution_line": solution_line,
        "tests_line": tests_line,
    }


def _compile(source: str, filename: str, reporter: _Reporter) -> types.CodeType | None:
    report = reporter.report
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
    _finish(reporter)
    return None


def _finish(reporter: _Reporter) -> dict[str, Any]:
    reporter.report["finished"] = True
    reporter.report["phase"] = "done"
    reporter.report["running"] = None
    reporter.write()
    return reporter.report


def _load_solution(code: types.CodeType, reporter: _Reporter) -> dict[str, Any] | None:
    """Run the solution as a module; None (with the report finished) when that raised."""
    namespace: dict[str, Any] = {"__name__": "solution", "__builtins__": builtins}
    reporter.report["phase"] = "loading"
    reporter.write()
    try:
        exec(code, namespace)
    except BaseException as exc:  # anything the module does at import is a set-up error
        if isinstance(exc, KeyboardInterrupt):
            raise
        reporter.report["setup_error"] = {"where": "solution", **_failure(exc)}
        _finish(reporter)
        return None
    return namespace


def _test_names(tests: str) -> list[str]:
    """The tests' top-level test_* functions in the order written, read from the source, so they are known
    even when the set-up stops before defining them."""
    try:
        tree = ast.parse(tests)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_") and node.name not in names:
            names.append(node.name)
    return names


def _new_report(**extra: Any) -> dict[str, Any]:
    return {
        "tests": [],
        "names": [],
        "setup_error": None,
        "syntax_error": None,
        "phase": "starting",
        "running": None,
        "limit": None,
        "finished": False,
        "isolation": _isolation,
        **extra,
    }


def run(solution: str, tests: str, report_path: str) -> dict[str, Any]:
    global _current
    reporter = _current = _Reporter(report_path, _new_report())
    report = reporter.report
    reporter.write()
    solution_code = _compile(solution, SOLUTION_FILE, reporter)
    if solution_code is None:
        return report
    tests_code = _compile(tests, TESTS_FILE, reporter)
    if tests_code is None:
        return report
    started = time.perf_counter()
    namespace = _load_solution(solution_code, reporter)
    if namespace is None:
        return report
    report["names"] = names = _test_names(tests)
    report["phase"] = "setup"
    reporter.write()
    try:
        exec(tests_code, namespace)
        setup_ok = True
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        setup_ok = False
        failure = _failure(exc)
    if not names:
        # A flat script of asserts: it already ran as the module-level code, and that was the test.
        entry: dict[str, Any] = {"name": "tests", "passed": setup_ok, "seconds": time.perf_counter() - started}
        if not setup_ok:
            entry.update(failure)
        report["tests"].append(entry)
        return _finish(reporter)
    if not setup_ok:
        if failure["solution_line"] is None:
            # The tests' own code failed: a problem with the question, not with the user's code.
            report["setup_error"] = {"where": "tests", **failure}
            return _finish(reporter)
        # The set-up called the user's code (to fit a model every test uses, say) and that raised: every
        # test fails with it, as each would have had it been called inside.
        for name in names:
            report["tests"].append({"name": name, "passed": False, "seconds": 0.0, "in_setup": True, **failure})
        return _finish(reporter)
    report["phase"] = "test"
    for name in names:
        func = namespace.get(name)
        report["running"] = name
        reporter.write()
        t0 = time.perf_counter()
        entry = {"name": name, "passed": True}
        try:
            if not callable(func):
                raise TypeError(f"{name} is no longer a function after the set-up")
            func()
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            entry["passed"] = False
            entry.update(_failure(exc))
        entry["seconds"] = time.perf_counter() - t0
        report["tests"].append(entry)
    return _finish(reporter)


class _Capture:
    """sys.stdout while the expression runs: passes everything through (the parent caps the run's output) and
    keeps the first `limit` characters for the report."""

    def __init__(self, through: Any, limit: int):
        self.through = through
        self.limit = limit
        self.parts: list[str] = []
        self.size = 0
        self.truncated = False

    def write(self, text: str) -> int:
        if self.size < self.limit:
            keep = text[: self.limit - self.size]
            self.parts.append(keep)
            self.size += len(keep)
            self.truncated = self.truncated or len(keep) < len(text)
        else:
            self.truncated = self.truncated or bool(text)
        if self.through is not None:
            self.through.write(text)
        return len(text)

    def flush(self) -> None:
        if self.through is not None:
            self.through.flush()

    def __getattr__(self, name: str) -> Any:  # encoding, isatty and the rest, as the real stream has them
        return getattr(self.through, name)


def _type_name(value: object) -> str:
    kind = type(value)
    name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    try:
        shape, dtype = getattr(value, "shape", None), getattr(value, "dtype", None)
    except Exception:  # a user's property that raises
        return name
    if isinstance(shape, tuple) and dtype is not None:
        name += f" (shape {shape}, {dtype})"
    return name


def _is_statement(text: str) -> bool:
    try:
        compile(text, INPUT_FILE, "exec")
    except (SyntaxError, ValueError):
        return False
    return True


def evaluate(
    solution: str, expression: str, report_path: str, output_limit: int = DEFAULT_OUTPUT_CHARS
) -> dict[str, Any]:
    """Run the solution as a module, then evaluate one expression in its namespace."""
    global _current
    reporter = _current = _Reporter(
        report_path,
        _new_report(
            expression=expression,
            value=None,
            value_type=None,
            value_truncated=False,
            error=None,
            stdout="",
            stdout_truncated=False,
        ),
    )
    report = reporter.report
    reporter.write()
    code = _compile(solution, SOLUTION_FILE, reporter)
    if code is None:
        return report
    text = expression.strip()
    try:
        if not text:
            raise SyntaxError("the input is empty")
        expression_code = compile(text, INPUT_FILE, "eval")
    except (SyntaxError, ValueError) as exc:
        if text and _is_statement(text):
            kind = "statement"
            message = (
                "only an expression can be evaluated here, such as f([1.0, 2.0]); "
                "statements (an assignment, import, def, for, ...) are not allowed"
            )
        elif not text:
            kind, message = "syntax", "the input is empty: type an expression such as f([1.0, 2.0])"
        else:
            kind = "syntax"
            detail = exc.msg if isinstance(exc, SyntaxError) else str(exc)
            message = f"the input is not a valid Python expression: {detail}"
        line = exc.lineno if isinstance(exc, SyntaxError) else None
        report["error"] = {"kind": kind, "message": message, "line": line, "solution_line": None, "tests_line": None}
        return _finish(reporter)
    namespace = _load_solution(code, reporter)
    if namespace is None:
        return report
    report["phase"] = "expression"
    reporter.write()
    capture = _Capture(sys.stdout, output_limit)
    sys.stdout = capture
    try:
        value = eval(expression_code, namespace)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt):
            raise
        report["error"] = {"line": None, **_failure(exc)}
    else:
        try:
            shown = repr(value)
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            shown = f"<repr() raised {_failure(exc)['message']}>"
        report["value"] = shown[:MAX_VALUE_CHARS]
        report["value_truncated"] = len(shown) > MAX_VALUE_CHARS
        report["value_type"] = _type_name(value)
    finally:
        sys.stdout = capture.through
        report["stdout"] = "".join(capture.parts)
        report["stdout_truncated"] = capture.truncated
    return _finish(reporter)


def read_job(path: str) -> dict[str, Any]:
    """The job file; raises ValueError (with what is wrong) when it is not one."""
    with open(path, encoding="utf-8") as f:
        job = json.load(f)
    if not isinstance(job, dict) or not isinstance(job.get("solution"), str):
        raise ValueError("a job is a JSON object with a string 'solution'")
    for key in ("tests", "expression"):
        if job.get(key) is not None and not isinstance(job[key], str):
            raise ValueError(f"'{key}' must be a string")
    if job.get("limits") is not None and not isinstance(job["limits"], dict):
        raise ValueError("'limits' must be an object")
    return job


def main(argv: list[str]) -> int:
    """harness.py JOB.json REPORT.json (a leading "--run-tests" is allowed, as the frozen app passes it).

    The job holds {"solution", "tests", "expression"?, "limits"?}. Exit status: 0 when every test passed (or the
    expression was evaluated), 1 when not, 2 when the job could not be read.
    """
    global _isolation
    if argv[:1] == ["--run-tests"]:
        argv = argv[1:]
    if len(argv) != 2:
        print("usage: harness.py JOB.json REPORT.json", file=sys.stderr)
        return 2
    try:
        job = read_job(argv[0])
    except (OSError, ValueError) as exc:
        print(f"harness: cannot read the job {argv[0]}: {exc}", file=sys.stderr)
        return 2
    limits = job.get("limits") or {}
    _isolation = isolation.isolate(limits, on_cpu_limit=_note_cpu_limit)
    if job.get("expression") is not None:
        output_limit = int(isolation.limit_number(limits.get("output_bytes")) or DEFAULT_OUTPUT_CHARS)
        report = evaluate(job["solution"], job["expression"], argv[1], output_limit)
        ok = report["syntax_error"] is None and report["setup_error"] is None and report["error"] is None
        return 0 if ok else 1
    report = run(job["solution"], job.get("tests") or "", argv[1])
    passed = (
        report["syntax_error"] is None and report["setup_error"] is None and all(t["passed"] for t in report["tests"])
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
