"""The code runner's child made safe to run the user's code in: session, limits, no new processes.

What the harness does to its own process before the user's code runs: a session of its own, resource limits,
one BLAS thread, UTF-8 output, faulthandler, and process creation blocked. A module of its own so the harness
keeps to running tests and reporting them. Like the harness it uses the standard library only and nothing from
desktop_app, since the harness, run as a script under `python -I`, loads it from its file (see the top of
harness.py); the parent reads SINGLE_THREADED from it.
"""

from __future__ import annotations

import math
import os
import signal
import sys
import types
from collections.abc import Callable
from typing import Any

BLOCKED = "starting processes is blocked in the code runner"
# OpenBLAS, MKL and OpenMP size their thread pools (and the memory reserved for each) when numpy is first
# imported; with one thread numpy fits well under the memory limit and a run cannot load every core.
SINGLE_THREADED = (
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)
MB = 1024 * 1024

# Everything in os (and the posix or nt module under it) that starts a program or replaces this one. Several
# os functions are Python wrappers over the others; each is blocked by name so the message names what the
# code called. subprocess and multiprocessing end in _posixsubprocess.fork_exec, os.posix_spawn or os.fork
# (or _winapi.CreateProcess), so blocking those blocks them too, without importing them here.
_BLOCK = {
    "os": (
        "fork forkpty system popen posix_spawn posix_spawnp startfile "
        "spawnl spawnle spawnlp spawnlpe spawnv spawnve spawnvp spawnvpe "
        "execl execle execlp execlpe execv execve execvp execvpe"
    ).split(),
    "posix": "fork forkpty system posix_spawn posix_spawnp execv execve spawnv spawnve".split(),
    "nt": "system startfile spawnv spawnve execv execve".split(),
    "_posixsubprocess": ["fork_exec"],
    "_winapi": ["CreateProcess"],
}
_BLOCKED_AS = {"_posixsubprocess.fork_exec": "subprocess", "_winapi.CreateProcess": "subprocess"}


class ProcessBlocked(PermissionError):
    """What the code gets when it tries to start a process; a PermissionError, so `except OSError` sees it."""


def _blocker(name: str) -> Any:
    def blocked(*args: object, **kwargs: object) -> None:
        raise ProcessBlocked(f"{BLOCKED} ({name}); solve it in this process")

    blocked.__name__ = name.rsplit(".", 1)[-1]
    return blocked


def block_processes() -> list[str]:
    """Make the usual ways of starting a process raise ProcessBlocked; returns what was replaced."""
    replaced = []
    for module_name, names in _BLOCK.items():
        module = sys.modules.get(module_name)
        if module is None:
            try:
                module = __import__(module_name)
            except ImportError:
                continue
        for name in names:
            if hasattr(module, name):
                qualified = f"{module_name}.{name}"
                shown = _BLOCKED_AS.get(qualified, f"os.{name}")
                setattr(module, name, _blocker(shown))
                replaced.append(qualified)
    return replaced


def limit_number(value: object) -> float | None:
    """A job's limit as given: None unless it is a positive, finite number (a bool is not one)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0 or math.isinf(value):
        return None
    return float(value)


def apply_limits(limits: dict[str, Any]) -> dict[str, int]:
    """Resource limits from the job's "limits" (memory_mb, cpu_s, processes, file_mb), where the platform has
    them; returns the limits actually set. A missing or invalid value leaves that resource as it was."""
    try:
        import resource
    except ImportError:  # Windows
        return {}
    wanted: dict[str, tuple[int, int]] = {"RLIMIT_CORE": (0, 0)}  # a crash must not leave a core file behind
    memory = limit_number(limits.get("memory_mb"))
    if memory is not None:
        wanted["RLIMIT_AS"] = (int(memory * MB),) * 2
    cpu = limit_number(limits.get("cpu_s"))
    if cpu is not None:
        # SIGXCPU at the soft limit (the handler below reports it); SIGKILL a second later if it is ignored.
        wanted["RLIMIT_CPU"] = (math.ceil(cpu), math.ceil(cpu) + 1)
    processes = limit_number(limits.get("processes"))
    if processes is not None:
        # Counts every process and thread of the user, not only this run's, and does not bind root.
        wanted["RLIMIT_NPROC"] = (int(processes),) * 2
    file_mb = limit_number(limits.get("file_mb"))
    if file_mb is not None:
        wanted["RLIMIT_FSIZE"] = (int(file_mb * MB),) * 2
    applied = {}
    for name, (soft, hard) in wanted.items():
        which = getattr(resource, name, None)
        if which is None:
            continue
        try:
            _, old_hard = resource.getrlimit(which)
            if old_hard != resource.RLIM_INFINITY:
                hard = min(hard, old_hard)
                soft = min(soft, hard)
            resource.setrlimit(which, (soft, hard))
        except (OSError, ValueError):  # macOS refuses some; the others still apply
            continue
        applied[name] = soft
    return applied


_cpu_hook: Callable[[], None] | None = None  # what isolate() was asked to do when the CPU limit goes off


def _on_cpu_limit(signum: int, frame: types.FrameType | None) -> None:
    """Let the harness note that the CPU limit ended the run, then die of SIGXCPU as the limit intends."""
    if _cpu_hook is not None:
        _cpu_hook()
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGXCPU)


def isolate(limits: dict[str, Any], on_cpu_limit: Callable[[], None] | None = None) -> dict[str, Any]:
    """Everything that must happen before the first line of the user's code; returns what was applied.
    on_cpu_limit runs in the SIGXCPU handler, before the process dies of it."""
    global _cpu_hook
    _cpu_hook = on_cpu_limit
    session = False
    if hasattr(os, "setsid"):
        try:
            os.setsid()
            session = True
        except OSError:  # already a session leader (started with start_new_session): fine as it is
            session = os.getsid(0) == os.getpid()
    for name in SINGLE_THREADED:
        os.environ[name] = "1"
    applied = apply_limits(limits)
    if hasattr(signal, "SIGXCPU"):
        signal.signal(signal.SIGXCPU, _on_cpu_limit)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            # UTF-8 whatever the locale (-I ignores PYTHONIOENCODING), and line by line, so what the code printed
            # before a kill reaches the parent.
            reconfigure(encoding="utf-8", errors="backslashreplace", line_buffering=True)
    try:
        import faulthandler

        faulthandler.enable()  # a segfault prints the Python stack, with the solution's line, before dying
    except (ImportError, OSError, ValueError, RuntimeError, AttributeError):
        pass
    blocked = block_processes()
    return {"session": session, "limits": applied, "blocked": len(blocked)}
