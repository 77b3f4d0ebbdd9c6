"""Graceful stop of the waitress server on SIGTERM or SIGINT.

On the first signal the server stops accepting (its listening socket is
closed), requests already received keep being served for up to ``grace``
seconds, then ``on_stop`` runs (it closes the query executor, which kills and
reaps every worker) and the forkserver and resource tracker that
``multiprocessing`` started are stopped too, so no process is left behind.
A second signal skips the rest of the grace period.
"""

from __future__ import annotations

import logging
import multiprocessing.forkserver
import multiprocessing.resource_tracker
import signal
import threading
import time
from collections.abc import Callable

from waitress import wasyncore

log = logging.getLogger(__name__)

#: Seconds in-flight requests get after SIGTERM (``--grace``); a little over QUERY_TIMEOUT.
DEFAULT_GRACE = 15.0
#: Seconds between two looks at the stop flag while serving.
STOP_CHECK = 0.1


def stop_multiprocessing_helpers() -> None:
    """Stop the forkserver and resource tracker processes, if this process started them."""
    for helper in (multiprocessing.forkserver._forkserver,
                   multiprocessing.resource_tracker._resource_tracker):
        stop = getattr(helper, "_stop", None)  # private in multiprocessing, present since 3.8
        try:
            if stop is not None:
                stop()
        except Exception:  # already stopped, or never started
            pass


class GracefulServer:
    """Run a waitress server (from ``waitress.create_server``) until a stop signal, then drain."""

    def __init__(self, server, *, grace: float = DEFAULT_GRACE,
                 on_stop: Callable[[], None] | None = None):
        self.server = server
        self.grace = float(grace)
        self.on_stop = on_stop
        self.stopping = threading.Event()
        self._hurry = threading.Event()
        self._signals = 0

    def _on_signal(self, signum, frame) -> None:
        self._signals += 1
        if self._signals > 1:
            self._hurry.set()
            return
        # Only a flag: closing the socket here would break the select() the signal interrupted.
        self.stopping.set()

    def in_flight(self) -> int:
        """Requests received and not fully answered yet."""
        busy = 0
        for channel in list(self.server._map.values()):
            if getattr(channel, "requests", None) or getattr(channel, "total_outbufs_len", 0):
                busy += 1
        dispatcher = self.server.task_dispatcher
        return max(busy, len(dispatcher.queue))

    def serve(self) -> None:
        """Serve until a signal, drain within ``grace``, then stop everything."""
        previous = {s: signal.signal(s, self._on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        adj = self.server.adj
        try:
            while not self.stopping.is_set():
                # A signal does not end poll() early (PEP 475 retries it): the timeout bounds
                # how long after SIGTERM new connections are still accepted.
                wasyncore.loop(timeout=STOP_CHECK, map=self.server._map,
                               use_poll=adj.asyncore_use_poll, count=1)
            log.info("stopping: no new connections; finishing requests in flight (up to %g s)",
                     self.grace)
            wasyncore.dispatcher.close(self.server)  # the listening socket only, not the trigger
            deadline = time.monotonic() + self.grace
            while (self.in_flight() and time.monotonic() < deadline
                   and not self._hurry.is_set()):
                wasyncore.loop(timeout=0.05, map=self.server._map,
                               use_poll=adj.asyncore_use_poll, count=1)
            left = self.in_flight()
            if left:
                log.warning("grace period over: %d request(s) dropped", left)
        finally:
            try:
                if self.on_stop is not None:
                    self.on_stop()
            finally:
                self.server.task_dispatcher.shutdown(cancel_pending=True, timeout=2)
                wasyncore.close_all(self.server._map)
                stop_multiprocessing_helpers()
                for s, handler in previous.items():
                    signal.signal(s, handler)
