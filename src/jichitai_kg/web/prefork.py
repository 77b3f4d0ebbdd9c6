"""What the serving processes share, and the parent's part before they start.

``serve`` checks the port (:func:`listen`), builds or reuses the store once in a short-lived
child (:func:`run_in_child`) so that the parent never opens it, then hands over to the HTTP
front (:mod:`.front`), which forks the serving processes.  A :class:`ReadinessBoard` in
shared memory, made before they fork, tells every one of them how many serving processes
are ready: ``/healthz`` answers ready only when all of them are.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import resource
import signal
import socket
import sys
import traceback
from collections.abc import Callable

from ..query.execution.sandbox import die_with_parent


def can_fork() -> bool:
    return hasattr(os, "fork")


def default_processes() -> int:
    """One serving process per usable core, up to 4 (the front's threads do the rest)."""
    if not can_fork():
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


def listen(host: str, port: int, backlog: int = 1024) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (OSError when it cannot be had)."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        if os.name == "posix":  # a restarted server may bind while old connections linger
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    return sock


def raise_open_files_limit() -> int:
    """Raise this process's open-file limit to its hard limit (thousands of connections need
    thousands of descriptors; children inherit it).  Returns the limit in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = 1 << 20 if hard == resource.RLIM_INFINITY else hard
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            return target
        except (ValueError, OSError):
            pass
    return soft


def _child(target: Callable[[], int | None]) -> int:
    """Fork; in the child run ``target`` and exit with its code (never return)."""
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, signal.SIG_DFL)
        die_with_parent(signal.SIGTERM)
        code = int(target() or 0)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def run_in_child(target: Callable[[], int | None]) -> int:
    """Run ``target`` in a forked child and return its exit code.

    The parent stays clean: a store opened or a thread started by ``target`` is gone with
    the child, so the serving processes forked later do not inherit it.
    """
    _, status = os.waitpid(_child(target), 0)
    return os.waitstatus_to_exitcode(status)


class ReadinessBoard:
    """Which serving processes are ready, in memory shared by all of them (made before they
    fork).  A process marks itself ready once its app and query workers run, and unmarks
    itself when it stops; one that died is not counted (its pid is gone)."""

    def __init__(self, processes: int):
        self.processes = processes
        ctx = multiprocessing.get_context("fork")  # no resource tracker for a fork-shared lock
        self._pids = ctx.RawArray(ctypes.c_long, max(1, processes) * 4)
        self._ever = ctx.RawValue(ctypes.c_long, 0)
        self._lock = ctx.Lock()

    def mark_ready(self, pid: int | None = None) -> None:
        pid = pid or os.getpid()
        with self._lock:
            slots = list(self._pids)
            free = next((k for k, p in enumerate(slots) if p == pid), None)
            if free is None:
                free = next((k for k, p in enumerate(slots) if not p or not _alive(p)), None)
            if free is not None:
                self._pids[free] = pid
            self._ever.value += 1

    def mark_gone(self, pid: int | None = None) -> None:
        pid = pid or os.getpid()
        with self._lock:
            for k, p in enumerate(self._pids):
                if p == pid:
                    self._pids[k] = 0

    def ready(self) -> int:
        """Serving processes ready now."""
        return sum(1 for p in list(self._pids) if p and _alive(p))

    def all_ready(self) -> bool:
        return self.ready() >= self.processes

    @property
    def ever_ready(self) -> bool:
        """Whether any serving process ever became ready."""
        return self._ever.value > 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (dead, not yet reaped) is not serving
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return True


#: The board of this server, set by ``serve`` before the serving processes fork; None when
#: the app is not served by ``serve`` (tests, another WSGI server): then there is nothing to wait for.
BOARD: ReadinessBoard | None = None


def readiness() -> tuple[int, int] | None:
    """(ready, expected) serving processes while some are not ready; None when all are."""
    board = BOARD
    if board is None or board.all_ready():
        return None
    return board.ready(), board.processes
