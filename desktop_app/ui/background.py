"""Work off the UI thread, in the spirit of Anki's QueryOp: run a function on a worker thread, deliver its
result or its error on the UI thread, optionally with progress; the latest request of a kind wins.

    run(owner, work, on_done, on_error=..., on_progress=..., key="search")

`work(job)` runs on a pool thread and may call `job.progress(done, total)` and check `job.cancelled`.
Callbacks run on the UI thread, and only while `owner` still exists, so a window closed mid-way never
receives a result. With a `key`, starting a new job cancels the previous one of that key and drops its
result: typing fast never shows an older search's answer after a newer one.
Background code never touches a widget: it returns values and the callbacks apply them.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

T = TypeVar("T")

_pool: QThreadPool | None = None
_latest: dict[tuple[int, str], Job[Any]] = {}
_running: set[Job[Any]] = set()
_lock = threading.Lock()


def pool() -> QThreadPool:
    """A pool of our own, not the global one, so shutdown() can wait for exactly our jobs."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setObjectName("mlprepBackground")
        _pool.setMaxThreadCount(4)
    return _pool


class _Relay(QObject):
    """Lives on the UI thread; signals emitted from the worker arrive there, queued."""

    done = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)


class Job(Generic[T]):
    def __init__(self, owner: QObject, key: str | None):
        self._owner = owner
        self.key = key
        self._cancelled = threading.Event()
        self.relay = _Relay()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        self._cancelled.set()

    def progress(self, done: int, total: int) -> None:
        if not self.cancelled:
            self.relay.progressed.emit(done, total)

    def owner_alive(self) -> bool:
        return shiboken6.isValid(self._owner)


class _Runnable(QRunnable):
    def __init__(self, job: Job[T], work: Callable[[Job[T]], T]):
        super().__init__()
        self.setAutoDelete(True)
        self._job = job
        self._work = work

    def run(self) -> None:
        job = self._job
        try:
            result = self._work(job)
        except BaseException as exc:  # delivered to the UI thread; a worker must never die silently
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            _emit(job, job.relay.failed, exc)
        else:
            _emit(job, job.relay.done, result)


def _emit(job: Job[Any], signal: Any, value: object) -> None:
    """Deliver, unless the app is already gone (its relay deleted at exit): nobody is left to tell."""
    if not shiboken6.isValid(job.relay):
        return
    try:
        signal.emit(value)
    except RuntimeError:
        if shiboken6.isValid(job.relay):
            raise


def run(
    owner: QObject,
    work: Callable[[Job[T]], T],
    on_done: Callable[[T], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    key: str | None = None,
) -> Job[T]:
    job: Job[T] = Job(owner, key)
    slot = (id(owner), key) if key is not None else None
    with _lock:
        if slot is not None:
            previous = _latest.get(slot)
            if previous is not None:
                previous.cancel()
            _latest[slot] = job
        _running.add(job)

    def current() -> bool:
        """Deliver only to a live owner, and only the latest job of a key."""
        if job.cancelled or not job.owner_alive():
            return False
        return slot is None or _latest.get(slot) is job

    def finish() -> None:
        with _lock:
            _running.discard(job)
            if slot is not None and _latest.get(slot) is job:
                del _latest[slot]

    def done(result: T) -> None:
        deliver = current()
        finish()
        if deliver and on_done is not None:
            on_done(result)

    def failed(exc: BaseException) -> None:
        deliver = current()
        finish()
        if not deliver:
            return
        if on_error is not None:
            on_error(exc)
        else:
            print(getattr(exc, "__traceback_text__", repr(exc)), flush=True)

    job.relay.done.connect(done)
    job.relay.failed.connect(failed)
    if on_progress is not None:
        job.relay.progressed.connect(lambda d, t: on_progress(d, t) if current() else None)
    pool().start(_Runnable(job, work))
    return job


def busy() -> bool:
    with _lock:
        return bool(_running)


def shutdown(timeout_ms: int = 5000) -> bool:
    """Cancel every job and wait for the pool: stop, then wait, before the app goes away."""
    with _lock:
        for job in _running:
            job.cancel()
    return bool(pool().waitForDone(timeout_ms))
