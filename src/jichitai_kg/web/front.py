"""The HTTP front: granian (a Rust HTTP server) hosting the Flask app in several processes.

Chosen over waitress and gunicorn by measurement (docs/deployment.md, "The HTTP front"):
it parses HTTP outside Python, closes a connection whose request header is not complete
within :data:`HEADER_READ_TIMEOUT` seconds, and keeps thousands of connections open per
process (:data:`CONNECTIONS_PER_PROCESS`), so slow clients cannot lock others out.

granian's main process supervises the serving processes (forked, each running
:func:`load_app`: its own app, query workers and answer cache).  On top of granian's own
supervision, :class:`Front` replaces a process that failed with back-off while the
others serve, and ends the server with exit code 1 only when no process ever started.
SIGTERM or SIGINT: every serving process stops accepting, finishes its requests in flight
and closes its query workers; one still busy after the grace period is killed.  A second
SIGTERM or SIGINT ends the grace period at once: every serving process is killed with its
query workers.
"""

from __future__ import annotations

import logging
import math
import multiprocessing.util
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from granian.constants import HTTPModes, Interfaces
from granian.http import HTTP1Settings
from granian.server.mp import MPServer

from ..errors import JKGError
from ..query.execution.sandbox import die_with_parent
from . import prefork

log = logging.getLogger(__name__)

#: Seconds a client has to send its whole request header; then the connection is closed.
HEADER_READ_TIMEOUT = 5.0
#: Connections one serving process keeps open at once (granian's backpressure); more wait
#: in the listen backlog.  Cheap in Rust: only complete requests reach Python's threads.
CONNECTIONS_PER_PROCESS = 16384
#: hyper (granian's HTTP parser) answers a bare 414 to a request-target this long or longer,
#: whatever the settings; the app's own URL cap (MAX_URL_BYTES) must stay below it.
FRONT_URL_LIMIT = 65_535
#: Pending connections the kernel keeps for the listening socket.
BACKLOG = 4096
#: Seconds a serving process gets, after the grace period, before it is killed.
KILL_MARGIN = 5.0
#: Longest wait between two attempts to replace a serving process that failed (seconds).
MAX_RESTART_DELAY = 30.0
#: A serving process that ran at least this long before it died is replaced at once.
HEALTHY_RUN = 60.0

_LOG_CONFIG = {"handlers": {
    "console": {"formatter": "generic", "class": "logging.StreamHandler", "stream": "ext://sys.stderr"},
    "access": {"formatter": "access", "class": "logging.StreamHandler", "stream": "ext://sys.stderr"}}}


class NeverStarted(Exception):
    """Every serving process failed before any became ready."""


def load_app(settings: dict, config_file: str | None, board: prefork.ReadinessBoard | None):
    """In a serving process: the app, with its query workers started; the process marks itself
    ready on ``board`` and closes its workers when it exits.  A JKGError is one line on
    stderr and the process's exit code."""
    from . import create_app
    from .shutdown import stop_multiprocessing_helpers
    from .state import get_dataset

    die_with_parent(signal.SIGTERM)  # drain, as on a stop of the parent
    if hasattr(os, "setpgid"):  # its query workers, forkserver and tracker join this group
        os.setpgid(0, 0)
    prefork.BOARD = board
    try:
        app = create_app(settings, config_file=config_file)
    except JKGError as exc:
        print(f"jichitai-kg serve: {exc.message}", file=sys.stderr, flush=True)
        sys.exit(exc.exit_code)
    dataset = get_dataset(app)

    def stop() -> None:
        if board is not None:
            board.mark_gone()
        dataset.close()
        stop_multiprocessing_helpers()
    # run by multiprocessing when this process's target returns (atexit is not, there)
    multiprocessing.util.Finalize(None, stop, exitpriority=100)
    if board is not None:
        board.mark_ready()
    return app


class Front(MPServer):
    """granian's process manager, with back-off for serving processes that fail."""

    def __init__(self, *args: Any, board: prefork.ReadinessBoard, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # granian warns about more than 2 × cores threads; ours mostly wait on query workers
        logging.getLogger("_granian").addFilter(lambda r: "Python threads" not in r.getMessage())
        self.board = board
        self.failures = 0
        self._delays: dict[int, float] = {}
        self._stop_signals = 0

    def signal_handler_interrupt(self, *args: Any, **kwargs: Any) -> None:
        """The first SIGTERM/SIGINT starts granian's graceful stop; a second one cuts the grace
        period short."""
        self._stop_signals += 1
        if self._stop_signals > 1:
            log.warning("second stop signal: the grace period ends now; serving processes killed")
            for wrk in list(self.wrks):
                wrk.kill()  # marked as stopped by its parent: not a failure to replace
                _kill_group(wrk.inner.pid)  # and its query workers
        super().signal_handler_interrupt(*args, **kwargs)

    def _respawn_workers(self, workers, spawn_target, target_loader, delay: float = 0):
        if self.interrupt_signal:
            return
        if delay == 0:  # a process failed (a reload or lifetime respawn passes a delay)
            self.failures += len(workers)
            if not self.board.ever_ready and self.failures >= self.workers:
                raise NeverStarted()
            wait = 0.0
            for idx in workers:
                ran = time.monotonic() - self.wrks[idx].birth
                self._delays[idx] = (1.0 if ran >= HEALTHY_RUN
                                     else min(self._delays.get(idx, 0.5) * 2, MAX_RESTART_DELAY))
                wait = max(wait, 0.0 if ran >= HEALTHY_RUN else self._delays[idx])
                log.error("serving process %d (pid %s) exited with code %s; starting another in %.0f s",
                          idx + 1, self.wrks[idx].inner.pid, self.wrks[idx].inner.exitcode, wait)
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline and not self.interrupt_signal:
                time.sleep(0.1)
            if self.interrupt_signal:
                return
        for idx in workers:  # what the dead process started goes with it
            _kill_group(self.wrks[idx].inner.pid)
        super()._respawn_workers(workers, spawn_target, target_loader, delay)
        self.respawned_wrks.clear()  # granian's crash-loop stop is replaced by the back-off above

    def _stop_workers(self):
        """granian's stop (SIGTERM, the grace period, then SIGKILL), and then whatever a
        killed serving process left running (a query worker busy with a runaway)."""
        pids = [w.inner.pid for w in self.wrks]
        super()._stop_workers()
        for pid in pids:
            _kill_group(pid)

    def serve_app(self, loader: Callable[[], Any], on_ready: Callable[[], None]) -> int:
        """Serve until SIGTERM/SIGINT: 0 after a clean stop, 1 when no process ever started."""
        announcer = threading.Thread(target=self._announce, args=(on_ready,), daemon=True)
        announcer.start()
        try:
            self.serve(target_loader=loader, wrap_loader=False)
        except NeverStarted:
            log.error("no serving process could start (see the messages above)")
            self.interrupt_signal = True
            self.interrupt_children.clear()
            self.shutdown(exit_code=0)
            return 1
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else 1
        return 0

    def _announce(self, on_ready: Callable[[], None]) -> None:
        while not self.interrupt_signal:
            if self.board.all_ready():
                on_ready()
                return
            time.sleep(0.1)


def _kill_group(pgid: int | None) -> None:
    if pgid and hasattr(os, "killpg"):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def read_buffer_bytes(max_header_bytes: int) -> int:
    """granian's read buffer for a request's head (request line and header): room for the
    longest URL it accepts and 4 × the app's header cap, so that a request over the app's
    limits but within this reaches the app and gets its 414 or 431 with a message and the
    security headers.  Over it, granian answers a bare 431 (a body is read apart from it)."""
    return 64 * 1024 + 4 * max_header_bytes


def create(host: str, port: int, *, processes: int, threads: int, grace: float,
           max_header_bytes: int, board: prefork.ReadinessBoard) -> Front:
    """The front for ``processes`` serving processes of ``threads`` threads each."""
    return Front(
        "jichitai_kg.web:create_app", address=host, port=port, interface=Interfaces.WSGI,
        workers=processes, blocking_threads=threads, backlog=BACKLOG,
        backpressure=CONNECTIONS_PER_PROCESS, http=HTTPModes.http1, websockets=False,
        http1_settings=HTTP1Settings(header_read_timeout=int(HEADER_READ_TIMEOUT * 1000),
                                     max_buffer_size=read_buffer_bytes(max_header_bytes)),
        log_level="warning", log_dictconfig=_LOG_CONFIG, log_access=False,
        respawn_failed_workers=True, workers_kill_timeout=math.ceil(grace + KILL_MARGIN),
        board=board)
