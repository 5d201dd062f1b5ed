"""Runs the user's code against a question's tests in a child process started with QProcess, without ever
waiting on it: output arrives as signals, the wall-time limit and Stop kill the whole process group, and
the result is read from the report the harness wrote (core/coderun.py reads it, core/runexplain.py words it)."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

from desktop_app.core.coderun import Job, RunResult, command, environment, read_report, write_job

KILL_GRACE_S = 1.0  # past the wall-time limit, before the process group is killed (the harness stops itself first)


class CodeRunner(QObject):
    """One run at a time; `run` while a run is going stops it first."""

    started = Signal()
    output = Signal(str)  # stdout and stderr as they arrive (capped)
    finished = Signal(object)  # RunResult

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._process: QProcess | None = None
        self._alive: set[QProcess] = set()  # every process not yet discarded, the replaced ones too
        self._folder: Path | None = None
        self._report: Path | None = None
        self._job: Job | None = None
        self._chunks: list[str] = []
        self._size = 0
        self._truncated = False
        self._timed_out = False
        self._stopped = False
        self._started_at = 0.0
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self._time_out)

    @property
    def folder(self) -> Path | None:
        """The temporary folder of the current run (its working directory and HOME), removed when it ends."""
        return self._folder

    @property
    def running(self) -> bool:
        return self._process is not None

    def run(self, job: Job) -> None:
        if self._process is not None:
            self.stop()
        self._job = job
        self._folder = Path(tempfile.mkdtemp(prefix="mlprep-run-"))
        job_path, self._report = write_job(job, self._folder)
        argv = command(job_path, self._report)
        # Not a child of the runner: a QProcess child that had deleteLater() called and whose runner was then
        # garbage-collected crashed PySide on the next event loop pass (tests/ui/test_coding.py). The
        # runner holds each process itself until it is discarded.
        process = QProcess()
        self._alive.add(process)
        process.setProperty("folder", str(self._folder))
        env = QProcessEnvironment()
        for key, value in environment(self._folder).items():
            env.insert(key, value)
        process.setProcessEnvironment(env)
        process.setWorkingDirectory(str(self._folder))
        process.readyReadStandardOutput.connect(lambda p=process: self._read(p, out=True))
        process.readyReadStandardError.connect(lambda p=process: self._read(p, out=False))
        process.finished.connect(lambda code, status, p=process: self._done(p, code, status))
        process.errorOccurred.connect(lambda error, p=process: self._failed(p, error))
        self._process = process
        self._chunks, self._size, self._truncated, self._timed_out, self._stopped = [], 0, False, False, False
        self._started_at = time.monotonic()
        process.start(argv[0], argv[1:])
        self._timer.start(int((job.limits.wall_s + KILL_GRACE_S) * 1000))
        self.started.emit()

    def stop(self) -> None:
        """End the run at once (the user pressed Stop): the whole process group is killed."""
        if self._process is not None:
            self._stopped = True
            self._kill(self._process)

    def _time_out(self) -> None:
        if self._process is not None:
            self._timed_out = True
            self._kill(self._process)

    def _kill(self, process: QProcess) -> None:
        pid = int(process.processId())
        if pid > 0 and hasattr(os, "killpg"):
            try:
                os.killpg(pid, signal.SIGKILL)  # the harness made itself a process group leader
            except (ProcessLookupError, PermissionError):
                pass
        process.kill()

    def _read(self, process: QProcess, out: bool) -> None:
        data = bytes((process.readAllStandardOutput() if out else process.readAllStandardError()).data())
        if not data or self._job is None or process is not self._process:
            return
        room = self._job.limits.output_bytes - self._size
        if room <= 0:
            return
        if len(data) > room:
            data = data[:room]
            self._truncated = True
        self._size += len(data)
        text = data.decode("utf-8", errors="replace")
        self._chunks.append(text)
        self.output.emit(text)
        if self._truncated:
            self._kill(process)  # a print loop: stop it rather than read megabytes nobody will see

    def _done(self, process: QProcess, code: int, status: QProcess.ExitStatus) -> None:
        if process is not self._process:  # a run replaced by a newer one: nothing to report, only tidy up
            self._discard(process)
            return
        self._read(process, out=True)
        self._read(process, out=False)
        # On a crash QProcess reports the signal that ended the process as its exit code (checked on Linux).
        crashed = status == QProcess.ExitStatus.CrashExit
        self._finish(process, None if crashed else int(code), int(code) if crashed and code > 0 else None)

    def _failed(self, process: QProcess, error: QProcess.ProcessError) -> None:
        if process is not self._process or error != QProcess.ProcessError.FailedToStart:
            return
        self._chunks.append(f"The code runner could not start: {process.errorString()}")
        self._finish(process, None, None)

    def _finish(self, process: QProcess, exit_code: int | None, signal_number: int | None) -> None:
        self._timer.stop()
        self._process = None
        assert self._report is not None
        result = read_report(
            self._report,
            exit_code=exit_code,
            signal=signal_number,
            timed_out=self._timed_out,
            stopped=self._stopped,
            output="".join(self._chunks),
            output_truncated=self._truncated,
            seconds=time.monotonic() - self._started_at,
        )
        self._discard(process)
        self.finished.emit(result)

    def _discard(self, process: QProcess) -> None:
        folder = process.property("folder")
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
        self._alive.discard(process)
        process.deleteLater()

    def shutdown(self) -> None:
        """Stop, then wait for the process to be gone: nothing of a run outlives its window."""
        process = self._process
        if process is not None:
            self.stop()
            process.waitForFinished(3000)


__all__ = ["CodeRunner", "RunResult"]
