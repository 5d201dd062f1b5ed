"""The coding round's runner: every way a run of the user's code can end, each in a real child process under
small limits, explained in one sentence; the scrubbed environment; the stub of every coding question."""

from __future__ import annotations

import ast
import json
import os
import signal
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from desktop_app.core import harness, isolation
from desktop_app.core.bank import Question, load_bank
from desktop_app.core.coderun import (
    DEFAULT_MEMORY_MB,
    Job,
    Limits,
    RunResult,
    command,
    environment,
    read_report,
    run_blocking,
    write_job,
)
from desktop_app.core.runexplain import explain
from desktop_app.core.stubs import stub
from tests.conftest import SHIPPED_BANK

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process groups and resource limits are POSIX")
# Enforced address-space limits and /proc: Linux (macOS does not enforce RLIMIT_AS).
LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux resource limits and /proc")

# Small limits keep the file fast; the grace is what the child gets on top of wall_s to start Python.
LIMITS = Limits(wall_s=3.0, cpu_s=5, output_bytes=100_000)
GRACE = 0.5

MEAN = """\
def mean(xs):
    total = 0
    for x in xs:
        total += x
    return total / len(xs)
"""

MEAN_TESTS = """\
def test_simple():
    assert mean([1, 2, 3]) == 2, "mean of 1, 2, 3 should be 2"

def test_empty_is_nan():
    assert mean([]) != mean([]), "an empty list has no mean: expected nan"

def test_one():
    assert mean([4]) == 4
"""


def run(solution: str, tests: str = "", expression: str | None = None, limits: Limits = LIMITS) -> RunResult:
    return run_blocking(Job(solution, tests, expression, limits), timeout_grace=GRACE)


def test_a_correct_solution_passes() -> None:
    fixed = MEAN.replace("return total / len(xs)", "return total / len(xs) if xs else float('nan')")
    result = run(fixed, MEAN_TESTS)
    assert result.all_passed and result.finished and (result.passed, result.failed) == (3, 0)
    assert result.exit_code == 0 and result.signal is None and not result.timed_out
    assert result.names == ["test_simple", "test_empty_is_nan", "test_one"]
    assert explain(result, LIMITS) == "All 3 tests passed."


def test_a_wrong_solution_names_the_failing_test_its_message_and_the_users_line() -> None:
    result = run(MEAN, MEAN_TESTS)
    assert not result.all_passed and (result.passed, result.failed) == (2, 1)
    first = result.first_failure
    assert first is not None and first.name == "test_empty_is_nan"
    assert (first.kind, first.message, first.solution_line) == ("error", "ZeroDivisionError: division by zero", 5)
    assert explain(result, LIMITS) == (
        "1 of 3 tests failed; the first, test_empty_is_nan, raised ZeroDivisionError: division by zero "
        "at line 5 of your code."
    )
    wrong = run(MEAN.replace("total / len(xs)", "total / (len(xs) + 1)"), MEAN_TESTS)
    assert explain(wrong, LIMITS).startswith(
        "3 of 3 tests failed; the first, test_simple, says: mean of 1, 2, 3 should be 2 (line 2 of the tests)."
    )


def test_an_infinite_loop_is_killed_at_the_wall_limit_with_the_finished_tests_kept() -> None:
    solution = "import time\n\ndef spin():\n    while True:\n        time.sleep(0.01)\n"
    tests = "def test_fine():\n    pass\n\ndef test_spins():\n    spin()\n\ndef test_never_reached():\n    pass\n"
    limits = Limits(wall_s=1.5)
    started = time.monotonic()
    result = run(solution, tests, limits=limits)
    assert limits.wall_s + GRACE <= time.monotonic() - started < limits.wall_s + GRACE + 2
    assert result.timed_out and result.signal == signal.SIGKILL and not result.finished
    assert result.running == "test_spins" and [t.name for t in result.tests] == ["test_fine"]
    assert explain(result, limits) == (
        "test_spins ran for more than 1.5 s and was stopped: an infinite loop? Before that: test_fine passed."
    )


@LINUX
def test_the_limits_the_platform_accepted_are_reported() -> None:
    result = run("", "def test_nothing():\n    pass\n")
    assert result.all_passed and result.applied_limits == {
        "RLIMIT_CORE": 0,
        "RLIMIT_AS": LIMITS.memory_mb << 20,
        "RLIMIT_CPU": LIMITS.cpu_s,
        "RLIMIT_NPROC": LIMITS.processes,
        "RLIMIT_FSIZE": LIMITS.file_mb << 20,
    }


def test_a_cpu_bound_loop_ends_at_the_cpu_limit() -> None:
    limits = Limits(wall_s=8.0, cpu_s=1)
    result = run("def spin():\n    while True:\n        pass\n", "def test_spins():\n    spin()\n", limits=limits)
    assert result.signal == signal.SIGXCPU and result.limit == "cpu" and not result.timed_out
    assert explain(result, limits) == (
        "test_spins used more than 1 s of CPU time and was stopped: an infinite loop or a very slow algorithm?"
    )


@LINUX
def test_a_memory_bomb_gets_a_memory_error_under_the_limit() -> None:
    limits = Limits(wall_s=5.0, memory_mb=300)
    bomb = "def grow():\n    hoard = []\n    while True:\n        hoard.append(bytearray(10_000_000))\n"
    result = run(bomb, "def test_grows():\n    grow()\n", limits=limits)
    first = result.first_failure
    assert result.finished and first is not None and first.kind == "memory" and first.solution_line == 4
    assert explain(result, limits) == (
        "1 of 1 test failed; the first, test_grows, ran out of memory at line 4 of your code (the limit is 300 MB)."
    )


def test_numpy_and_a_matrix_product_fit_in_the_default_memory_limit() -> None:
    solution = "import numpy as np\n\ndef gram(x):\n    x = np.asarray(x, dtype=float)\n    return x @ x.T\n"
    tests = "def test_gram():\n    rng = np.random.default_rng(0)\n    assert gram(rng.normal(size=(500, 300))).shape == (500, 500)\n"
    result = run(solution, tests, limits=Limits(wall_s=10.0))
    assert Limits().memory_mb == DEFAULT_MEMORY_MB and result.all_passed, explain(result, Limits())


def test_forking_in_a_loop_is_blocked_with_a_clear_message() -> None:
    # Even if the guard failed, each child would exit at once and there are only 50: never a fork bomb.
    solution = (
        "import os\n\ndef bomb():\n    for _ in range(50):\n        if os.fork() == 0:\n            os._exit(0)\n"
    )
    result = run(solution, "def test_bomb():\n    bomb()\n")
    first = result.first_failure
    assert first is not None and first.kind == "blocked" and first.solution_line == 5
    assert first.message == f"ProcessBlocked: {isolation.BLOCKED} (os.fork); solve it in this process"
    assert explain(result, LIMITS) == (
        "1 of 1 test failed; the first, test_bomb, tried to start a process at line 5 of your code, "
        "which the code runner blocks: solve it in this process."
    )


@LINUX
def test_what_the_guard_misses_the_process_group_kill_still_cleans_up() -> None:
    """ctypes can call fork(2) behind the guard's back; the child it makes dies with the run's group."""
    solution = (
        "import ctypes, os, time\n\n"
        "def escape():\n"
        "    pid = ctypes.CDLL(None).fork()\n"
        "    if pid == 0:\n"
        "        time.sleep(30)\n"
        "        os._exit(0)\n"
        "    print('stray', pid, flush=True)\n"
    )
    result = run(solution, "def test_escape():\n    escape()\n")
    assert result.all_passed
    pid = int(result.output.split("stray ")[1].split()[0])
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            break
        if state in ("Z", "X"):  # killed; waiting for init to reap it
            break
        time.sleep(0.05)
    else:
        os.kill(pid, signal.SIGKILL)
        pytest.fail("the stray child outlived the run")


def test_a_huge_print_is_capped_and_the_run_killed() -> None:
    result = run("def shout():\n    while True:\n        print('x' * 999)\n", "def test_shout():\n    shout()\n")
    assert result.output_truncated and result.signal == signal.SIGKILL and not result.timed_out
    assert len(result.output.encode()) == LIMITS.output_bytes and result.output.startswith("x" * 999 + "\n")
    assert explain(result, LIMITS) == (
        "The code printed more than 100,000 bytes while running test_shout, so the run was stopped: "
        "a print inside a loop?"
    )


def test_sys_exit_in_a_test_is_reported_and_the_other_tests_still_run() -> None:
    solution = "import sys\n\ndef answer():\n    sys.exit(3)\n"
    tests = "def test_exits():\n    answer()\n\ndef test_after():\n    assert 1 + 1 == 2\n"
    result = run(solution, tests)
    assert result.finished and [(t.name, t.passed) for t in result.tests] == [
        ("test_exits", False),
        ("test_after", True),
    ]
    assert result.tests[0].kind == "exit" and result.tests[0].message == "the code called sys.exit(3)"
    assert explain(result, LIMITS) == (
        "1 of 2 tests failed; the first, test_exits, ended with sys.exit(3) at line 4 of your code: "
        "return a value instead of exiting."
    )


def test_a_segfault_is_a_crash_with_the_test_and_the_line() -> None:
    solution = "import ctypes\n\ndef peek():\n    return ctypes.string_at(0)\n"
    tests = "def test_before():\n    pass\n\ndef test_peek():\n    peek()\n"
    result = run(solution, tests)
    assert result.signal == signal.SIGSEGV and result.running == "test_peek" and result.crash_line == 4
    assert explain(result, LIMITS) == (
        "The Python process crashed (segmentation fault) while running test_peek, at line 4 of your code. "
        "Before that: test_before passed."
    )
    # QProcess does not always say which signal: faulthandler's message in the output does.
    unknown = read_report(Path("/nonexistent"), exit_code=None, signal=None, output=result.output)
    assert unknown.signal == signal.SIGSEGV


def test_writing_a_100_mb_file_stops_at_the_file_size_limit() -> None:
    solution = (
        "import os\n\ndef dump():\n    with open('big.bin', 'wb') as f:\n"
        "        for _ in range(100):\n            f.write(bytes(1 << 20))\n"
    )
    tests = "def test_dump():\n    dump()\n\ndef test_size():\n    assert os.path.getsize('big.bin') == 16 << 20\n"
    result = run(solution, tests)
    first = result.first_failure
    assert first is not None and first.name == "test_dump" and first.kind == "file_size" and first.solution_line == 6
    assert "File too large" in first.message and result.tests[1].passed
    assert "wrote a file larger than the 16 MB limit at line 6 of your code" in explain(result, LIMITS)


def test_an_expression_gives_its_value_and_what_it_printed() -> None:
    solution = "import numpy as np\n\ndef double(xs):\n    print('doubling', len(xs))\n    return np.asarray(xs) * 2\n"
    result = run(solution, expression="double([1.0, 2.5])")
    assert result.finished and result.value_error is None and result.exit_code == 0
    assert result.value == "array([2., 5.])" and result.value_type == "numpy.ndarray (shape (2,), float64)"
    assert result.value_output == "doubling 2\n" and "doubling 2" in result.output
    assert explain(result, LIMITS) == (
        "double([1.0, 2.5]) returned a value of type numpy.ndarray (shape (2,), float64)."
    )


def test_an_expression_that_raises_names_the_users_line() -> None:
    result = run(MEAN, expression="mean([])")
    error = result.value_error
    assert error is not None and error.where == "input" and error.solution_line == 5
    assert result.value is None and result.exit_code == 1
    assert explain(result, LIMITS) == (
        "Evaluating mean([]), your code raised ZeroDivisionError: division by zero at line 5 of your code."
    )


def test_a_statement_in_the_input_box_is_refused_with_the_reason() -> None:
    for text in ("x = mean([1, 2])", "import os", "for x in []: pass"):
        result = run(MEAN, expression=text)
        assert result.value_error is not None and result.value_error.kind == "statement", text
        assert explain(result, LIMITS).startswith("Only an expression can be evaluated here")
    broken = run(MEAN, expression="mean([1, 2)")
    assert broken.value_error is not None and broken.value_error.kind == "syntax"
    assert explain(broken, LIMITS).startswith("The input is not a valid Python expression")


def test_secrets_proxies_and_python_settings_never_reach_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "ANTHROPIC_API_KEY": "sk-ant-secret",
        "OPENAI_API_KEY": "sk-secret",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "GITHUB_TOKEN": "ghp_secret",
        "HTTPS_PROXY": "http://proxy:1",
        "http_proxy": "http://proxy:2",
        "PYTHONPATH": "/somewhere",
        "PYTHONSTARTUP": "/somewhere/startup.py",
    }.items():
        monkeypatch.setenv(name, value)
    result = run("import os\n", expression="os.environ.get('ANTHROPIC_API_KEY')")
    assert result.value == "None" and explain(result, LIMITS) == "os.environ.get('ANTHROPIC_API_KEY') returned None."
    seen = run("import os\n", expression="dict(os.environ)")
    child = ast.literal_eval(seen.value or "")
    home = child["HOME"]
    assert set(child) == set(environment(Path(home))) and "secret" not in (seen.value or "")
    assert all(not k.startswith("PYTHON") or k == "PYTHONIOENCODING" for k in child)
    assert child["TMPDIR"] == home != os.environ["HOME"] and child["OPENBLAS_NUM_THREADS"] == "1"


def test_the_environment_is_built_from_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-secret")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy:1")
    env = environment(tmp_path)
    assert "ANTHROPIC_API_KEY" not in env and "HTTPS_PROXY" not in env and "PYTHONPATH" not in env
    assert env["HOME"] == env["TMPDIR"] == env["TEMP"] == env["TMP"] == str(tmp_path)
    assert env["LC_ALL"].endswith("UTF-8") and env["PYTHONIOENCODING"] == "utf-8"
    assert env["OPENBLAS_NUM_THREADS"] == env["OMP_NUM_THREADS"] == env["MKL_NUM_THREADS"] == "1"


def test_write_job_command_and_a_stale_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "report.json").write_text('{"finished": true, "tests": []}', encoding="utf-8")
    job_path, report_path = write_job(Job("x = 1\n", "", "x", Limits(memory_mb=512)), tmp_path)
    assert not report_path.exists(), "an earlier run's report must not be read as this run's"
    data = json.loads(job_path.read_text(encoding="utf-8"))
    assert data["expression"] == "x" and data["limits"]["memory_mb"] == 512 and data["limits"]["wall_s"] == 10.0
    assert command(job_path, report_path) == [
        sys.executable,
        "-I",
        str(Path(harness.__file__).resolve()),
        str(job_path),
        str(report_path),
    ]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert command(job_path, report_path) == [sys.executable, "--run-tests", str(job_path), str(report_path)]


def test_a_missing_half_written_or_foreign_report_never_crashes(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    missing = read_report(report, exit_code=2, output="harness: cannot read the job\n")
    assert not missing.has_report and not missing.finished and not missing.all_passed
    assert explain(missing, LIMITS) == "The code runner did not start (exit code 2): harness: cannot read the job"
    for text in ('{"tests": [{"name": "test_a", "pass', "[1, 2]", '{"tests": [7, {"name": 3}], "finished": "yes"}'):
        report.write_text(text, encoding="utf-8")
        result = read_report(report, exit_code=1)
        assert result.tests == [] and not result.finished and not result.all_passed
        assert explain(result, LIMITS)
    report.write_text(
        json.dumps({"tests": [{"name": "test_a", "passed": True}], "running": "test_b", "phase": "test"}),
        encoding="utf-8",
    )
    stopped = read_report(report, signal=signal.SIGKILL, stopped=True)
    assert explain(stopped, LIMITS) == "You stopped the run while running test_b. Before that: test_a passed."


@LINUX
def test_numpy_under_too_small_a_memory_limit_is_explained_as_memory() -> None:
    """Why the default limit was measured: below about 100 MB numpy cannot even load. Its libraries fail to
    map (ImportError) or OpenBLAS exits instead of raising; either way the user reads that memory ran out."""
    for memory_mb in (40, 80):
        limits = Limits(wall_s=3.0, memory_mb=memory_mb)
        result = run("import numpy as np\n", "def test_a():\n    pass\n", limits=limits)
        assert result.tests == [] and not result.all_passed
        said = explain(result, limits)
        assert "ran out of memory" in said and f"(the limit is {memory_mb} MB)" in said, said


def test_kills_the_runner_did_not_make_are_explained(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"tests": [], "running": "test_big", "phase": "test"}), encoding="utf-8")
    limits = Limits(cpu_s=2)
    oom = read_report(report, signal=signal.SIGKILL, seconds=0.5)
    assert explain(oom, limits) == (
        "The Python process was killed while running test_big, most likely for using too much memory "
        f"(the limit is {DEFAULT_MEMORY_MB} MB)."
    )
    hard_cpu = read_report(report, signal=signal.SIGKILL, seconds=3.2)
    assert explain(hard_cpu, limits).startswith("test_big used more than 2 s of CPU time")
    os_exit = read_report(report, exit_code=7, output="bye\n")
    assert explain(os_exit, limits) == (
        "The Python process exited with code 7 while running test_big, before the tests finished. Its last output: bye."
    )


def test_syntax_and_loading_errors_are_explained() -> None:
    syntax = run("def mean(xs:\n    return 0\n", MEAN_TESTS)
    assert syntax.syntax_error is not None and syntax.syntax_error.line == 1
    assert explain(syntax, LIMITS).startswith("Syntax error at line 1, column 9 of your code:")
    loading = run("import math\n\nRATE = math.log(0)\n", MEAN_TESTS)
    assert loading.setup_error is not None and loading.setup_error.solution_line == 3
    assert explain(loading, LIMITS) == (
        "Your code, while loading (before any test ran), raised ValueError: math domain error at line 3 of your code."
    )


# ---------------------------------------------------------------------------------------------------------------
# The stub

SOLUTION = '''\
"""A module docstring."""

from __future__ import annotations

import functools
import re

import numpy as np

EPS = 1e-12
_SCALE = 2.0
_DEFAULT_K = _SCALE * 3
_PATTERN = re.compile(r"\\d+")
TABLE = {"a": 1}
_TABLE = {"b": 2}
relu = lambda x: np.maximum(x, 0)
ACTIVATIONS = {"relu": lambda x: np.maximum(x, 0)}


def helper(x: np.ndarray, *, k: float = _DEFAULT_K, eps=EPS) -> np.ndarray:
    """Scale x.

    More words.
    """
    return x * k + eps


@functools.lru_cache(maxsize=None)
def cached(n: int = 3) -> int:
    return n * 2


class Model:
    """A model."""

    bias: float = 0.0
    NAMES = ("a", "b")

    def __init__(self, w: float = 1.0) -> None:
        self.w = w

    @property
    def weight(self) -> float:
        return self.w

    def predict(self, x):
        def inner(v):
            return v * self.w
        return inner(x)


DERIVED = helper(np.ones(2))
for _i in range(3):
    pass
if __name__ == "__main__":
    print(helper(np.ones(2)))
'''


def test_stub_keeps_signatures_docstrings_and_constants_and_drops_the_answer() -> None:
    text = stub(SOLUTION)
    compile(text, "stub", "exec")
    tree = ast.parse(text)
    assert ast.get_docstring(tree) == "A module docstring."
    names = [
        getattr(n, "name", None) or ast.unparse(n).split(" =")[0] for n in tree.body if not isinstance(n, ast.Expr)
    ]
    assert names == [
        "from __future__ import annotations",
        "import functools",
        "import re",
        "import numpy as np",
        "EPS",
        "_SCALE",
        "_DEFAULT_K",
        "TABLE",
        "relu",
        "helper",
        "cached",
        "Model",
    ]
    assert (
        'def helper(x: np.ndarray, *, k: float = _DEFAULT_K, eps=EPS) -> np.ndarray:\n    """Scale x.\n\n    More words.\n    """\n    raise NotImplementedError\n'
        in text
    )
    assert "@functools.lru_cache(maxsize=None)\ndef cached(n: int = 3) -> int:\n    raise NotImplementedError" in text
    assert (
        '    bias: float = 0.0\n    NAMES = ("a", "b")' in text
        and "    @property\n    def weight(self) -> float:" in text
    )
    assert "def relu(x):\n    raise NotImplementedError" in text and "lambda" not in text and "ACTIVATIONS" not in text
    assert "inner" not in text and "DERIVED" not in text and "_PATTERN" not in text and "__main__" not in text
    assert (
        "return" not in text and "\n\n\n@functools.lru_cache" in text and text.endswith("raise NotImplementedError\n")
    )
    # The author's own layout, where the syntax tree would print `lr: float=0.001`.
    adam = next(q for q in CODING if q.id == "implement-adam-adamw-step")
    assert "lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,\n" in stub(adam.solution or "")
    with pytest.raises(ValueError, match="does not parse at line 1"):
        stub("def f(:\n")


ODD_LAYOUT = """\
class Base:
  pass
class A(
    Base,  # the base
):
  \"\"\"Two-space indents.\"\"\"
  x = 1
  def f(self, a,
        b=2):  # trailing comment
    \"\"\"Doc
    more.\"\"\"
    return a
  def g(self): return 3
def h(x): "doc"; return x
async def k(y: float = 1e-8) -> None:
    await y
"""


def test_stub_of_an_odd_layout_keeps_it_and_still_compiles() -> None:
    text = stub(ODD_LAYOUT)
    compile(text, "stub", "exec")
    assert "class A(\n    Base,  # the base\n):\n" in text and "  def f(self, a,\n        b=2):\n" in text
    assert 'def h(x):\n    "doc"\n    raise NotImplementedError' in text and "async def k(y: float = 1e-8)" in text
    assert "return" not in text and "await" not in text and text.count("raise NotImplementedError") == 4


CODING = [q for q in load_bank([SHIPPED_BANK])[0].questions if q.solution]


@pytest.fixture(scope="module")
def stub_runs() -> dict[str, tuple[str, RunResult]]:
    """Every coding question's tests run against its stub, four at a time."""

    def one(q: Question) -> tuple[str, tuple[str, RunResult]]:
        text = stub(q.solution or "")
        return q.id, (text, run_blocking(Job(text, q.tests or "", limits=Limits(wall_s=20.0)), timeout_grace=GRACE))

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(pool.map(one, CODING))


def test_the_bank_has_seventy_coding_questions() -> None:
    assert len(CODING) == 70


@pytest.mark.parametrize("question", CODING, ids=[q.id for q in CODING])
def test_the_stub_of_every_coding_question_fails_its_tests_cleanly(
    question: Question, stub_runs: dict[str, tuple[str, RunResult]]
) -> None:
    text, result = stub_runs[question.id]
    compile(text, f"stub of {question.id}", "exec")
    defined = {n.name for n in ast.parse(question.solution or "").body if isinstance(n, ast.FunctionDef)}
    kept = {n.name for n in ast.parse(text).body if isinstance(n, ast.FunctionDef)}
    assert defined <= kept
    assert result.syntax_error is None and result.setup_error is None and result.finished, explain(result, Limits())
    assert result.tests and all(not t.passed and t.message == "NotImplementedError" for t in result.tests)
