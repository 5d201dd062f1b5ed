"""Running the user's code for the coding round: the job and its limits, the child's command and scrubbed
environment, and the harness's report read back (the stub the user starts from is in stubs.py, the sentence on
how a run ended in runexplain.py).

Qt-free. The window starts the child through QProcess with write_job(), command() and environment(), kills it
with kill_group() and reads the outcome with read_report(); run_blocking() is the same run through subprocess,
for the command line, the bank's quality checks and the tests.
"""

from __future__ import annotations

import json
import os
import re
import signal as _signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO

from desktop_app.core import harness, isolation

JOB_FILE = "job.json"
REPORT_FILE = "report.json"

# Measured on Linux with numpy 2.4 and one BLAS thread (see environment()): the interpreter alone reserves 14 MB
# of address space, importing numpy 100 MB, and the heaviest of the bank's 70 reference solutions and its 424
# mutants peaks at 149 MB. A gigabyte leaves room for answers less frugal than the reference (an n-by-n distance
# matrix, a copy too many) and still ends a runaway allocation with a MemoryError long before the machine swaps.
# RLIMIT_AS caps address space, not resident memory, so the margin also covers libraries that reserve more
# than they touch. Threaded BLAS would reserve a buffer per core; that is why the run is single-threaded.
DEFAULT_MEMORY_MB = 1024


@dataclass(frozen=True)
class Limits:
    """What one run may use. wall_s is enforced by the parent (it kills the process group); the others by the
    kernel, through the harness's resource limits, where the platform has them (Linux, and macOS in part)."""

    wall_s: float = 10.0
    cpu_s: int = 10
    memory_mb: int = DEFAULT_MEMORY_MB
    processes: int = 64
    output_bytes: int = 1_000_000
    file_mb: int = 16


@dataclass(frozen=True)
class Job:
    """The user's code and what to do with it: run the tests, or (with an expression) evaluate that instead."""

    solution: str
    tests: str = ""
    expression: str | None = None
    limits: Limits = Limits()


def write_job(job: Job, folder: Path) -> tuple[Path, Path]:
    """Write the job into `folder` for the harness; returns (job file, report file to read afterwards)."""
    folder.mkdir(parents=True, exist_ok=True)
    job_path = folder / JOB_FILE
    report_path = folder / REPORT_FILE
    # A report left by an earlier run in the same folder must never be read as this run's.
    report_path.unlink(missing_ok=True)
    data = {"solution": job.solution, "tests": job.tests, "expression": job.expression, "limits": asdict(job.limits)}
    job_path.write_text(json.dumps(data), encoding="utf-8")
    return job_path, report_path


def command(job_path: Path, report_path: Path) -> list[str]:
    """The child's command line: the harness under this interpreter, or the frozen app in its code-runner mode
    (a frozen app has no separate python to run a script with)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--run-tests", str(job_path), str(report_path)]
    return [sys.executable, "-I", str(Path(harness.__file__).resolve()), str(job_path), str(report_path)]


def environment(folder: Path) -> dict[str, str]:
    """The child's whole environment, built from nothing rather than filtered from ours: no API keys, tokens,
    proxies or PYTHON* settings can reach the user's code. Home and temporary files point into the run's
    folder; I/O is UTF-8; BLAS and OpenMP use one thread (see DEFAULT_MEMORY_MB)."""
    home = str(folder)
    utf8 = "en_US.UTF-8" if sys.platform == "darwin" else "C.UTF-8"
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": home,
        "TMPDIR": home,
        "TEMP": home,
        "TMP": home,
        "LANG": utf8,
        "LC_ALL": utf8,
        "PYTHONIOENCODING": "utf-8",  # the frozen app reads it; under -I the harness sets UTF-8 itself
        **{name: "1" for name in isolation.SINGLE_THREADED},
    }
    if os.name == "nt":
        # Windows cannot start Python without SYSTEMROOT (its crypto and sockets need it).
        root = os.environ.get("SYSTEMROOT", r"C:\Windows")
        env.update(
            SYSTEMROOT=root,
            WINDIR=root,
            PATH=f"{root}\\System32;{root}",
            USERPROFILE=home,
            APPDATA=home,
            LOCALAPPDATA=home,
        )
    return env


def kill_group(pid: int) -> None:
    """Kill the run's child and everything it started (the harness makes itself a process-group leader).

    Call it while the child runs or before it is reaped, so its process-group id cannot have been reused; a
    child that has not reached setsid yet is killed on its own. Never raises.
    """
    if not hasattr(os, "killpg"):  # Windows: no process groups to speak of; end the child itself
        try:
            os.kill(pid, _signal.SIGTERM)
        except OSError:
            pass
        return
    try:
        os.killpg(pid, _signal.SIGKILL)
        return
    except ProcessLookupError:
        pass  # no group of that id (yet): the child alone
    except PermissionError:
        return
    try:
        os.kill(pid, _signal.SIGKILL)
    except OSError:
        pass


# ---------------------------------------------------------------------------------------------------------------
# The outcome


@dataclass
class TestResult:
    """One test_* function's outcome. kind is "" for a pass, else assertion, error, exit (sys.exit), memory,
    blocked (tried to start a process) or file_size. in_setup: the tests' shared set-up called the user's code
    and that raised, so every test failed with it."""

    __test__ = False  # not a pytest test class, despite the name

    name: str
    passed: bool
    seconds: float = 0.0
    kind: str = ""
    message: str = ""
    solution_line: int | None = None
    tests_line: int | None = None
    in_setup: bool = False


@dataclass(frozen=True)
class SyntaxProblem:
    """Code that does not compile. file: "solution.py" (the user's) or "tests.py" (the question's)."""

    file: str
    line: int | None
    column: int | None
    message: str


@dataclass(frozen=True)
class CodeError:
    """An exception outside a test: while loading the code ("solution"), in the tests' set-up ("tests"), or
    evaluating the custom input ("input"; kind "statement" or "syntax" when it is not an expression)."""

    where: str
    kind: str
    message: str
    solution_line: int | None = None
    tests_line: int | None = None


@dataclass
class RunResult:
    """Everything known about one run: the harness's report, and how the process ended."""

    tests: list[TestResult] = field(default_factory=list)
    syntax_error: SyntaxProblem | None = None
    setup_error: CodeError | None = None
    value: str | None = None
    value_error: CodeError | None = None
    finished: bool = False
    exit_code: int | None = None
    signal: int | None = None
    timed_out: bool = False
    stopped: bool = False
    output: str = ""
    output_truncated: bool = False
    seconds: float = 0.0
    # Beyond the basics: what the window shows around them.
    names: list[str] = field(default_factory=list)  # every test, known before any ran
    running: str | None = None  # the test running when the run ended, if it did not finish
    phase: str = "starting"  # starting, loading (the user's module), setup, test, expression, done
    limit: str | None = None  # "cpu" when the harness saw the CPU limit go off
    expression: str | None = None
    value_type: str | None = None
    value_truncated: bool = False
    value_output: str = ""  # what evaluating the expression printed
    crash_line: int | None = None  # the user's line in the crash's Python stack (faulthandler)
    has_report: bool = False  # False: the harness never started (or never wrote)
    applied_limits: dict[str, int] = field(default_factory=dict)  # the rlimits the platform accepted

    @property
    def passed(self) -> int:
        return sum(1 for t in self.tests if t.passed)

    @property
    def failed(self) -> int:
        return sum(1 for t in self.tests if not t.passed)

    @property
    def all_passed(self) -> bool:
        return (
            self.finished
            and self.syntax_error is None
            and self.setup_error is None
            and bool(self.tests)
            and all(t.passed for t in self.tests)
        )

    @property
    def first_failure(self) -> TestResult | None:
        return next((t for t in self.tests if not t.passed), None)


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(value: object, default: str = "") -> str:
    return value if isinstance(value, str) else default


def _code_error(raw: object, where: str) -> CodeError | None:
    if not isinstance(raw, dict):
        return None
    return CodeError(
        where=_str(raw.get("where"), where),
        kind=_str(raw.get("kind"), "error"),
        message=_str(raw.get("message")),
        solution_line=_int(raw.get("solution_line")),
        tests_line=_int(raw.get("tests_line")),
    )


_FATAL = {
    "Segmentation fault": "SIGSEGV",
    "Bus error": "SIGBUS",
    "Floating-point exception": "SIGFPE",
    "Floating point exception": "SIGFPE",
    "Illegal instruction": "SIGILL",
    "Aborted": "SIGABRT",
}
_FATAL_LINE = re.compile(r"^Fatal Python error: (.+?)\s*$", re.M)
_SOLUTION_FRAME = re.compile(r'File "' + re.escape(harness.SOLUTION_FILE) + r'", line (\d+)')


def _crash(output: str) -> tuple[int | None, int | None]:
    """From faulthandler's dump in the output: the fatal signal and the user's innermost line."""
    dumps = list(_FATAL_LINE.finditer(output))
    if not dumps:
        return None, None
    found = dumps[-1]  # the last dump: the code could print a look-alike first
    name = _FATAL.get(found.group(1))
    number = getattr(_signal, name, None) if name else None
    line = _SOLUTION_FRAME.search(output, found.end())  # most recent call first: the innermost frame
    return (int(number) if number is not None else None), (int(line.group(1)) if line else None)


def read_report(
    report_path: Path,
    exit_code: int | None = None,
    signal: int | None = None,
    timed_out: bool = False,
    stopped: bool = False,
    output: str = "",
    output_truncated: bool = False,
    seconds: float = 0.0,
) -> RunResult:
    """The run's result from the harness's report and how the process ended. A missing, half-written or foreign
    report gives a result that says the run did not finish; it never raises.

    exit_code: the exit status if the process exited; signal: the signal that ended it, if one did (from
    QProcess, exitCode() after a CrashExit). When the process crashed and neither is known, pass both as None:
    the signal is then read from faulthandler's message in the output.
    """
    result = RunResult(
        exit_code=exit_code,
        signal=signal,
        timed_out=timed_out,
        stopped=stopped,
        output=output,
        output_truncated=output_truncated,
        seconds=seconds,
    )
    crash_signal, result.crash_line = _crash(output)
    if result.signal is None and result.exit_code is None:
        result.signal = crash_signal
    try:
        raw = json.loads(Path(report_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return result
    if not isinstance(raw, dict):
        return result
    result.has_report = True
    for entry in raw.get("tests") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        passed = entry.get("passed") is True
        seconds_taken = entry.get("seconds")
        result.tests.append(
            TestResult(
                name=entry["name"],
                passed=passed,
                seconds=float(seconds_taken) if isinstance(seconds_taken, int | float) else 0.0,
                kind="" if passed else _str(entry.get("kind"), "error"),
                message="" if passed else _str(entry.get("message")),
                solution_line=_int(entry.get("solution_line")),
                tests_line=_int(entry.get("tests_line")),
                in_setup=entry.get("in_setup") is True,
            )
        )
    syntax = raw.get("syntax_error")
    if isinstance(syntax, dict):
        result.syntax_error = SyntaxProblem(
            file=_str(syntax.get("file"), harness.SOLUTION_FILE),
            line=_int(syntax.get("line")),
            column=_int(syntax.get("column")),
            message=_str(syntax.get("message")),
        )
    result.setup_error = _code_error(raw.get("setup_error"), "solution")
    result.value_error = _code_error(raw.get("error"), "input")
    names = raw.get("names")
    result.names = [n for n in names if isinstance(n, str)] if isinstance(names, list) else []
    result.finished = raw.get("finished") is True
    result.running = raw.get("running") if isinstance(raw.get("running"), str) else None
    result.phase = _str(raw.get("phase"), "starting")
    result.limit = raw.get("limit") if isinstance(raw.get("limit"), str) else None
    result.expression = raw.get("expression") if isinstance(raw.get("expression"), str) else None
    result.value = raw.get("value") if isinstance(raw.get("value"), str) else None
    result.value_type = raw.get("value_type") if isinstance(raw.get("value_type"), str) else None
    result.value_truncated = raw.get("value_truncated") is True
    result.value_output = _str(raw.get("stdout"))
    isolation = raw.get("isolation")
    applied = isolation.get("limits") if isinstance(isolation, dict) else None
    if isinstance(applied, dict):
        result.applied_limits = {k: v for k, v in applied.items() if isinstance(k, str) and _int(v) is not None}
    return result


# ---------------------------------------------------------------------------------------------------------------
# A whole run, blocking


class _Output(threading.Thread):
    """Reads the child's merged stdout and stderr, keeping the first `cap` bytes; past the cap it keeps reading
    (so the child never blocks on a full pipe before it is killed) and throws the rest away."""

    def __init__(self, stream: IO[bytes], cap: int):
        super().__init__(daemon=True)
        self.stream = stream
        self.cap = cap
        self.chunks: list[bytes] = []
        self.size = 0
        self.over = threading.Event()
        self.done = threading.Event()
        self.wake = threading.Event()

    def run(self) -> None:
        try:
            while chunk := self.stream.read1(65536):  # type: ignore[attr-defined]
                if self.size <= self.cap:
                    self.chunks.append(chunk)
                    self.size += len(chunk)
                    if self.size > self.cap:
                        self.over.set()
                        self.wake.set()
        except (OSError, ValueError):
            pass
        finally:
            self.done.set()
            self.wake.set()

    def text(self) -> str:
        return b"".join(self.chunks)[: self.cap].decode("utf-8", "replace")


def _exited(proc: subprocess.Popen[bytes]) -> bool:
    """Whether the child has exited, without reaping it, so its process-group id stays ours to kill."""
    if proc.returncode is not None:
        return True
    waitid = getattr(os, "waitid", None)
    if waitid is None:
        return proc.poll() is not None
    try:
        return waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return proc.poll() is not None


def run_blocking(job: Job, timeout_grace: float = 2.0) -> RunResult:
    """Run a job to the end in a child process and return its result.

    The child gets limits.wall_s plus `timeout_grace` seconds from launch (the grace covers starting the
    interpreter and importing numpy, which are not the user's time); then its whole process group is killed.
    Output past limits.output_bytes also ends the run. The run's folder (cwd, HOME, TMPDIR) is deleted after.
    """
    limits = job.limits
    with tempfile.TemporaryDirectory(prefix="mlprep-run-", ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        job_path, report_path = write_job(job, folder)
        started = time.monotonic()
        proc = subprocess.Popen(
            command(job_path, report_path),
            cwd=folder,
            env=environment(folder),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=hasattr(os, "setsid"),  # a group of its own from the first instruction
        )
        assert proc.stdout is not None
        reader = _Output(proc.stdout, limits.output_bytes)
        reader.start()
        deadline = started + limits.wall_s + timeout_grace
        timed_out = False
        while not reader.over.is_set() and not _exited(proc):
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            if reader.done.is_set():
                time.sleep(min(left, 0.005))  # the pipe closed: the exit is a moment away
            else:
                reader.wake.wait(min(left, 0.05))
        kill_group(proc.pid)  # on a limit, and after a normal exit for anything the code left behind
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # stuck in the kernel; it has been sent SIGKILL and will go
            proc.kill()
            proc.wait()
        reader.join(timeout=2.0)
        if not reader.is_alive():
            proc.stdout.close()
        seconds = time.monotonic() - started
        code = proc.returncode
        return read_report(
            report_path,
            exit_code=code if code >= 0 else None,
            signal=-code if code < 0 else None,
            timed_out=timed_out,
            output=reader.text(),
            output_truncated=reader.over.is_set(),
            seconds=seconds,
        )
