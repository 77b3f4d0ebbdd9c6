"""Serving one listening socket from several processes (pre-fork), one per core.

One Python process answers a few hundred small requests a second before its threads
spend more time handing the interpreter lock to each other than working
(docs/benchmarks.md).  So ``serve`` binds the socket once (:func:`listen`), builds or
reuses the store once in a short-lived child (:func:`run_in_child`), then forks the
serving processes (:class:`Supervisor`); each creates its own application, with its own
query workers and answer cache, and serves the shared socket with waitress.  The kernel
hands each new connection to one of them.

The parent only supervises.  SIGTERM or SIGINT is passed on to every child, which stops
accepting and drains its requests within the grace period (:mod:`.shutdown`); the parent
waits for them, kills any still there after the grace period, and exits.  A child that
dies on its own is replaced, with back-off.  The parent never opens the store, starts no
thread and no worker before it forks, so every child starts from a clean process.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Callable

from ..query.sandbox import die_with_parent

log = logging.getLogger(__name__)

#: Longest wait between two attempts to replace a serving process that died (seconds).
MAX_RESTART_DELAY = 30.0
#: Seconds a serving process gets, after the grace period, before it is killed.
KILL_MARGIN = 5.0
#: A serving process that ran at least this long before it died is restarted at once.
HEALTHY_RUN = 60.0


def can_fork() -> bool:
    return hasattr(os, "fork")


def default_processes() -> int:
    """One serving process per usable core, up to 4 (waitress's threads do the rest)."""
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


def _child(target: Callable[[], int | None]) -> int:
    """Fork; in the child run ``target`` and exit with its code (never return)."""
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, signal.SIG_DFL)
        die_with_parent(signal.SIGTERM)  # drains, like a stop of the parent
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


class Supervisor:
    """Fork ``processes`` children running ``serve_one`` and keep them running until a signal.

    ``serve_one(ready)`` serves until its own stop signal and returns an exit code; it calls
    ``ready()`` once it accepts requests.
    """

    def __init__(self, serve_one: Callable[[Callable[[], None]], int | None], processes: int, *,
                 grace: float, listener: socket.socket):
        """``listener``: the shared socket, closed here on the first signal (with the
        children's copies closed too, new connections are refused rather than left waiting)."""
        self.serve_one = serve_one
        self.listener = listener
        self.processes = processes
        self.grace = float(grace)
        self.children: dict[int, float] = {}  # pid -> start time
        self._signals = 0

    def _on_signal(self, signum, frame) -> None:
        self._signals += 1
        self.listener.close()
        for pid in list(self.children):  # a second signal makes them skip the rest of the grace
            _kill(pid, signal.SIGTERM)

    def _start_one(self) -> int:
        """Fork one serving process; return the read end of the pipe it says "ready" on."""
        read_end, write_end = os.pipe()

        def target() -> int | None:
            os.close(read_end)
            return self.serve_one(lambda: _say_ready(write_end))
        self.children[_child(target)] = time.monotonic()
        os.close(write_end)
        return read_end

    def _reap(self) -> list[tuple[int, int, float]]:
        """(pid, exit code, seconds it ran) of children that have exited."""
        gone = []
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            started = self.children.pop(pid, None)
            if started is not None:
                gone.append((pid, os.waitstatus_to_exitcode(status), time.monotonic() - started))
        return gone

    def run(self, on_ready: Callable[[], None] = lambda: None) -> int:
        """Start the children, call ``on_ready`` once all of them serve, and supervise until
        SIGTERM/SIGINT: 0 after a clean stop, 1 when a child exits while starting."""
        previous = {s: signal.signal(s, self._on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            pipes = [self._start_one() for _ in range(self.processes)]
            started = [_wait_ready(fd) for fd in pipes]
            if not all(started) and not self._signals:
                log.error("a serving process exited while starting (see the messages above)")
                self.listener.close()
                self._stop(tell=True)
                return 1
            if not self._signals:
                on_ready()
            delay = 1.0
            restart_at: list[float] = []
            while not self._signals:
                for pid, code, ran in self._reap():
                    log.error("serving process %d exited with code %s; starting another", pid, code)
                    delay = 1.0 if ran >= HEALTHY_RUN else min(delay * 2, MAX_RESTART_DELAY)
                    restart_at.append(time.monotonic() + (0 if ran >= HEALTHY_RUN else delay))
                now = time.monotonic()
                for due in [t for t in restart_at if t <= now]:
                    restart_at.remove(due)
                    os.close(self._start_one())  # not waited for: the others serve meanwhile
                time.sleep(0.2)
            return self._stop(tell=False)  # the signal was passed on when it came
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)

    def _stop(self, *, tell: bool) -> int:
        """Wait for the children to drain and exit (``tell``: send them SIGTERM first; a
        second SIGTERM would cut their grace period short)."""
        for pid in list(self.children) if tell else ():
            _kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + self.grace + KILL_MARGIN
        while self.children and time.monotonic() < deadline:
            self._reap()
            time.sleep(0.05)
        for pid in list(self.children):
            log.warning("serving process %d did not stop within the grace period; killed", pid)
            _kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            self.children.pop(pid, None)
        return 0


def _say_ready(fd: int) -> None:
    try:
        os.write(fd, b"r")
    except OSError:  # the parent stopped listening (a replacement is not waited for)
        pass
    finally:
        os.close(fd)


def _wait_ready(fd: int) -> bool:
    """Whether the child behind ``fd`` said "ready" (False: it exited first)."""
    try:
        return os.read(fd, 1) == b"r"
    finally:
        os.close(fd)


def _kill(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass
