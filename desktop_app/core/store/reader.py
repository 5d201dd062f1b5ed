"""The list reader: a thread with its own read connection that answers list queries, the newest first.

The window asks for a list on every keystroke in the search box and every change of filter; answering on
the UI thread would freeze it for as long as the query runs (a broad search over 100,000 questions takes
about 80 ms to count). Here a new request replaces any waiting one and interrupts the one running
(`sqlite3.Connection.interrupt`), so typing never waits for a search the user has moved past. Results go
to a callback on this thread: the window's side turns them into a Qt signal (ui/lists.py).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop_app.core.store.listing import FirstPage, ListQuery, WholeList, first_page, whole_list


@dataclass(frozen=True)
class Answer:
    """One part of the answer to request `generation`: its first page, then the whole list."""

    generation: int
    query: ListQuery
    part: FirstPage | WholeList | None  # None: the request failed (`error` says why)
    error: str = ""


Deliver = Callable[[Answer], None]


class ListReader:
    def __init__(self, path: Path, deliver: Deliver, busy_timeout_s: float = 0.5):
        self._path = path
        self._deliver = deliver
        self._timeout = busy_timeout_s
        self._lock = threading.Condition()
        self._pending: tuple[int, ListQuery] | None = None
        self._running = 0  # the generation being answered, 0 when idle
        self._generation = 0
        self._closed = False
        self._con: sqlite3.Connection | None = None
        self._thread = threading.Thread(target=self._loop, name="mlprep-lists", daemon=True)
        self._thread.start()

    def request(self, query: ListQuery) -> int:
        """Ask for a list; returns the generation its answers will carry. Any older request is dropped."""
        with self._lock:
            self._generation += 1
            self._pending = (self._generation, query)
            if self._running and self._con is not None:
                self._con.interrupt()  # the running query is out of date: stop it where it is
            self._lock.notify()
            return self._generation

    @property
    def latest(self) -> int:
        return self._generation

    def close(self, timeout: float = 5.0) -> None:
        """Stop, then wait: the thread ends before the store it reads is closed."""
        with self._lock:
            self._closed = True
            self._pending = None
            if self._running and self._con is not None:
                self._con.interrupt()
            self._lock.notify()
        self._thread.join(timeout)

    # -- the thread -------------------------------------------------------------------------------

    def _loop(self) -> None:
        broken = ""  # why the store cannot be read: every request is answered with it
        try:
            self._con = sqlite3.connect(self._path, timeout=self._timeout, check_same_thread=False)
            self._con.isolation_level = None  # transactions are begun and ended here, explicitly
            self._con.execute("PRAGMA query_only = 1")
        except sqlite3.Error as exc:
            broken = str(exc)
        try:
            while True:
                with self._lock:
                    while self._pending is None and not self._closed:
                        self._lock.wait()
                    if self._closed:
                        return
                    assert self._pending is not None
                    generation, query = self._pending
                    self._pending = None
                    self._running = generation
                if broken:
                    self._deliver(Answer(generation, query, None, broken))
                else:
                    self._answer(generation, query)
                with self._lock:
                    self._running = 0
        finally:
            if self._con is not None:
                self._con.close()

    def _answer(self, generation: int, query: ListQuery) -> None:
        con = self._con
        assert con is not None
        try:
            _end_transaction(con)
            con.execute("BEGIN")  # both parts from one snapshot of the store
            first = first_page(con.execute, query)
            if not self._current(generation):
                return
            self._deliver(Answer(generation, query, first))
            whole = whole_list(con.execute, query, first)
            if self._current(generation):
                self._deliver(Answer(generation, query, whole))
        except sqlite3.OperationalError as exc:
            if "interrupt" in str(exc).lower() or not self._current(generation):
                return  # a newer request took over
            self._deliver(Answer(generation, query, None, str(exc)))
        except sqlite3.Error as exc:
            self._deliver(Answer(generation, query, None, str(exc)))
        finally:
            _end_transaction(con)

    def _current(self, generation: int) -> bool:
        with self._lock:
            return generation == self._generation and not self._closed


def _end_transaction(con: sqlite3.Connection) -> None:
    """End the read transaction, if one is open (an interrupted request can leave one behind)."""
    try:
        if con.in_transaction:
            con.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # interrupted itself: the next request ends it before it begins
