"""The test harness every coding run goes through: one report entry per test, with the line to look at."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

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
