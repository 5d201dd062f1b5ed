"""The test harness every coding run goes through: one report entry per test, with the line to look at."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop_app.core import harness

SOLUTION = """\
def mean(xs):
    total = 0
    for x in xs:
        total += x
    return total / len(xs)
"""

TESTS = """\
import math

def test_simple():
    assert mean([1, 2, 3]) == 2, "mean of 1, 2, 3 should be 2"

def test_empty_is_nan():
    assert math.isnan(mean([])), "an empty list has no mean: expected nan"

def test_prints():
    print("hello from the test")
    assert mean([4]) == 4
"""


def run(tmp_path: Path, solution: str, tests: str) -> tuple[int, dict[str, Any], str]:
    job = tmp_path / "job.json"
    job.write_text(json.dumps({"solution": solution, "tests": tests}), encoding="utf-8")
    report = tmp_path / "report.json"
    proc = subprocess.run(
        [sys.executable, "-I", harness.__file__, str(job), str(report)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    return proc.returncode, json.loads(report.read_text(encoding="utf-8")), proc.stdout


def test_each_test_function_is_reported_with_its_failure_and_the_solution_line(tmp_path: Path) -> None:
    code, report, stdout = run(tmp_path, SOLUTION, TESTS)
    assert code == 1 and report["finished"]
    assert [(t["name"], t["passed"]) for t in report["tests"]] == [
        ("test_simple", True),
        ("test_empty_is_nan", False),
        ("test_prints", True),
    ]
    failed = report["tests"][1]
    assert failed["kind"] == "error" and failed["message"] == "ZeroDivisionError: division by zero"
    assert failed["solution_line"] == 5 and failed["tests_line"] == 7
    assert "hello from the test" in stdout


def test_assertion_message_and_passing_run(tmp_path: Path) -> None:
    fixed = SOLUTION.replace("    return total / len(xs)", "    return total / len(xs) if xs else float('nan')")
    code, report, _ = run(tmp_path, fixed, TESTS)
    assert code == 0 and all(t["passed"] for t in report["tests"])
    code, report, _ = run(tmp_path, fixed.replace("total / len(xs)", "total / (len(xs) + 1)"), TESTS)
    first = report["tests"][0]
    assert code == 1 and first["kind"] == "assertion"
    assert first["message"] == "AssertionError: mean of 1, 2, 3 should be 2"


def test_flat_asserts_are_one_test_and_syntax_errors_name_the_line(tmp_path: Path) -> None:
    code, report, _ = run(tmp_path, SOLUTION, "assert mean([2, 4]) == 3\nassert mean([1]) == 2, 'one item'\n")
    assert code == 1 and [t["name"] for t in report["tests"]] == ["tests"]
    assert report["tests"][0]["message"] == "AssertionError: one item" and report["tests"][0]["tests_line"] == 2
    code, report, _ = run(tmp_path, "def f(:\n    pass\n", TESTS)
    assert code == 1 and report["syntax_error"]["file"] == "solution.py" and report["syntax_error"]["line"] == 1


def test_sys_exit_in_the_code_is_a_failure_not_a_pass(tmp_path: Path) -> None:
    code, report, _ = run(tmp_path, "import sys\ndef mean(xs):\n    sys.exit(0)\n", TESTS)
    assert code == 1
    assert report["tests"][0]["passed"] is False and "sys.exit(0)" in report["tests"][0]["message"]
    code, report, _ = run(tmp_path, "import sys\nsys.exit(0)\n", TESTS)
    assert code == 1 and report["setup_error"]["where"] == "solution"


# ---------------------------------------------------------------------------------------------------------------
# Isolation, the custom-input expression, and the frozen app's way in. Each job runs in its own child process.


def run_job(tmp_path: Path, job: dict[str, Any], argv: list[str] | None = None) -> tuple[int, dict[str, Any], str]:
    job_path = tmp_path / "job.json"
    job_path.write_text(json.dumps(job), encoding="utf-8")
    report = tmp_path / "report.json"
    proc = subprocess.run(
        argv or [sys.executable, "-I", harness.__file__, str(job_path), str(report)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    return proc.returncode, json.loads(report.read_text(encoding="utf-8")), proc.stdout + proc.stderr


# Each check passes only if the call was refused. Were the guard to fail, each would start one short-lived
# process (`true`, or a child that exits at once) and the test would fail: never a runaway.
GUARD_TESTS = """\
import multiprocessing
import os
import pty
import subprocess


def refused(call):
    try:
        pid = call()
    except PermissionError as exc:
        assert "starting processes is blocked in the code runner" in str(exc), str(exc)
        return str(exc)
    if pid == 0:
        os._exit(0)
    raise AssertionError(f"{call} was allowed")


def test_fork():
    assert "(os.fork)" in refused(os.fork)

def test_forkpty():
    refused(lambda: os.forkpty()[0])

def test_pty_fork():
    refused(lambda: pty.fork()[0])

def test_system():
    assert "(os.system)" in refused(lambda: os.system("true"))

def test_popen():
    refused(lambda: os.popen("true").close())

def test_spawn():
    refused(lambda: os.spawnlp(os.P_WAIT, "true", "true"))

def test_posix_spawn():
    refused(lambda: os.posix_spawn("/bin/true", ["true"], {}))

def test_exec():
    refused(lambda: os.execv("/bin/true", ["true"]))

def test_subprocess():
    assert "(subprocess)" in refused(lambda: subprocess.run(["true"]).returncode + 1)

def test_multiprocessing_fork():
    process = multiprocessing.get_context("fork").Process(target=int)
    refused(lambda: process.start() or 1)

def test_multiprocessing_spawn():
    process = multiprocessing.get_context("spawn").Process(target=int)
    refused(lambda: process.start() or 1)

def test_posix_module_too():
    import posix
    refused(posix.fork)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="fork, pty and posix_spawn are POSIX")
def test_every_usual_way_to_start_a_process_is_refused(tmp_path: Path) -> None:
    code, report, output = run_job(tmp_path, {"solution": "", "tests": GUARD_TESTS})
    failed = [(t["name"], t.get("message")) for t in report["tests"] if not t["passed"]]
    assert code == 0 and failed == [] and len(report["tests"]) == 12, (failed, output)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="sessions and every rlimit as on Linux")
def test_the_harness_leads_its_own_session_and_applies_the_limits(tmp_path: Path) -> None:
    expression = (
        "(os.getsid(0) == os.getpid() == os.getpgid(0), "
        "[resource.getrlimit(getattr(resource, n)) for n in ('RLIMIT_AS', 'RLIMIT_CPU', 'RLIMIT_NPROC', "
        "'RLIMIT_FSIZE', 'RLIMIT_CORE')], os.environ['OPENBLAS_NUM_THREADS'])"
    )
    limits = {"memory_mb": 700, "cpu_s": 7, "processes": 32, "file_mb": 3, "output_bytes": 100}
    code, report, _ = run_job(
        tmp_path, {"solution": "import os, resource\n", "expression": expression, "limits": limits}
    )
    mb = 1024 * 1024
    assert code == 0 and report["error"] is None
    assert report["value"] == repr((True, [(700 * mb, 700 * mb), (7, 8), (32, 32), (3 * mb, 3 * mb), (0, 0)], "1"))


def test_an_expression_reports_its_value_type_and_printed_output(tmp_path: Path) -> None:
    solution = "def scale(xs, k=2):\n    print('scaling', xs)\n    return [k * x for x in xs]\n"
    code, report, output = run_job(tmp_path, {"solution": solution, "expression": "  scale([1, 2])\n"})
    assert code == 0 and report["finished"] and report["tests"] == []
    assert (report["value"], report["value_type"], report["stdout"]) == ("[2, 4]", "list", "scaling [1, 2]\n")
    assert "scaling [1, 2]" in output  # still passed through, so the output cap applies to it too
    long = {"solution": "", "expression": "'x' * 20000", "limits": {"output_bytes": 5}}
    code, report, _ = run_job(tmp_path, long)
    assert len(report["value"]) == harness.MAX_VALUE_CHARS and report["value_truncated"]
    code, report, _ = run_job(
        tmp_path, {"solution": "", "expression": "print('abcdefgh')", "limits": {"output_bytes": 5}}
    )
    assert report["stdout"] == "abcde" and report["stdout_truncated"] and report["value"] == "None"


def test_an_expression_error_a_statement_and_an_empty_input(tmp_path: Path) -> None:
    code, report, _ = run_job(tmp_path, {"solution": SOLUTION, "expression": "mean([])"})
    assert code == 1 and report["value"] is None
    assert report["error"]["message"] == "ZeroDivisionError: division by zero" and report["error"]["solution_line"] == 5
    code, report, _ = run_job(tmp_path, {"solution": SOLUTION, "expression": "m = mean([1])"})
    assert code == 1 and report["error"]["kind"] == "statement" and "only an expression" in report["error"]["message"]
    code, report, _ = run_job(tmp_path, {"solution": SOLUTION, "expression": "   "})
    assert report["error"]["kind"] == "syntax" and "empty" in report["error"]["message"]
    code, report, _ = run_job(tmp_path, {"solution": "def f(:\n", "expression": "f()"})
    assert report["syntax_error"]["line"] == 1 and report["error"] is None


def test_the_set_up_calling_the_users_code_fails_each_test_not_the_question(tmp_path: Path) -> None:
    solution = "def fit(xs):\n    raise NotImplementedError\n"
    tests = "MODEL = fit([1, 2])\n\ndef test_a():\n    assert MODEL\n\ndef test_b():\n    assert MODEL\n"
    code, report, _ = run_job(tmp_path, {"solution": solution, "tests": tests})
    assert code == 1 and report["setup_error"] is None and report["names"] == ["test_a", "test_b"]
    assert [(t["name"], t["passed"], t["message"], t["in_setup"]) for t in report["tests"]] == [
        ("test_a", False, "NotImplementedError", True),
        ("test_b", False, "NotImplementedError", True),
    ]
    assert report["tests"][0]["solution_line"] == 2 and report["tests"][0]["tests_line"] == 1
    # A set-up that fails in the tests' own code is the question's problem, and says so.
    code, report, _ = run_job(tmp_path, {"solution": solution, "tests": "1 / 0\n\ndef test_a():\n    pass\n"})
    assert report["setup_error"]["where"] == "tests" and report["tests"] == []


@pytest.mark.skipif(sys.platform == "win32", reason="a segfault is a signal on POSIX")
def test_a_crash_leaves_the_finished_tests_and_the_running_one_in_the_report(tmp_path: Path) -> None:
    tests = "import ctypes\n\ndef test_a():\n    pass\n\ndef test_crash():\n    ctypes.string_at(0)\n\ndef test_c():\n    pass\n"
    code, report, output = run_job(tmp_path, {"solution": "", "tests": tests})
    assert code == -11 and not report["finished"] and report["running"] == "test_crash"
    assert report["names"] == ["test_a", "test_crash", "test_c"] and [t["name"] for t in report["tests"]] == ["test_a"]
    assert 'File "tests.py", line 7' in output  # faulthandler's stack
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_imported_as_a_module_as_the_frozen_app_runs_it(tmp_path: Path) -> None:
    root = Path(harness.__file__).resolve().parents[2]
    program = (
        f"import sys; sys.path.insert(0, {str(root)!r}); from desktop_app.core import harness; "
        "sys.exit(harness.main(sys.argv[1:]))"
    )
    job = tmp_path / "job.json"
    report = tmp_path / "report.json"
    argv = [sys.executable, "-I", "-c", program, "--run-tests", str(job), str(report)]
    code, result, _ = run_job(tmp_path, {"solution": SOLUTION, "tests": TESTS, "limits": {"memory_mb": 512}}, argv)
    assert code == 1 and [t["passed"] for t in result["tests"]] == [True, False, True]
    assert result["tests"][1]["solution_line"] == 5
    code, result, _ = run_job(tmp_path, {"solution": SOLUTION, "expression": "mean([1, 3])"}, argv)
    assert code == 0 and result["value"] == "2.0"


def test_a_job_that_cannot_be_read_is_exit_2_with_the_reason(tmp_path: Path) -> None:
    job = tmp_path / "job.json"
    job.write_text('{"tests": "x"}', encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-I", harness.__file__, str(job), str(tmp_path / "r.json")], capture_output=True, text=True
    )
    assert proc.returncode == 2 and "a job is a JSON object with a string 'solution'" in proc.stderr
    assert not (tmp_path / "r.json").exists()
