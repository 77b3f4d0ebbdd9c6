"""Query execution with a time limit that really stops the query, fair to everyone.

pyoxigraph evaluates a query inside one native call that cannot be interrupted, so
queries run in worker *processes* (``worker.py``), each with its own read-only handle on
the prepared store.  The parent waits on a pipe; when the time is up it kills the worker,
starts a replacement in the background, and raises ``QueryTimeout``.

Two lanes keep runaway queries from starving the others.  Every query starts in the
*quick* lane; one still running after ``quick_budget`` seconds is remembered as long, and
its worker trades places with an idle worker of the *long* lane, so the query goes on
there while the quick lane keeps its size.  With no long-lane worker idle, the query is
stopped and run again in the long lane's queue for the rest of its time limit.
A query text known to be long goes to the long lane directly.  So a burst of expensive
queries queues behind itself, while ordinary questions keep their workers.

What may run in a long lane is decided for the whole server, not per serving process
(:mod:`.admission`): long-lane tickets (at most ``LONG_QUERIES`` long queries at once in all
processes), a per-client limit, and the texts known to be long are shared.  Long-lane
workers also run at a lower CPU priority (:data:`LONG_NICE`), so on a busy machine the
quick lane's questions get the cores first.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import pickle
import queue
import select
import signal
import threading
import time
from pathlib import Path

from ...errors import BY_NAME, QueryFailed, QueryTimeout, WorkerLost
from ..rules import guard
from . import admission as admission_mod
from . import cancel as cancellation
from .worker import Answer, Failure, QueryOutcome, Ready, make_request, worker_main
from .worker_setup import WorkerLimits

log = logging.getLogger(__name__)

#: Longest wait between two attempts to start a replacement worker (seconds).
MAX_RESTART_DELAY = 30.0
#: CPU niceness of the long lane's workers (the quick lane's run at the server's own).
LONG_NICE = 10


class _OverBudget(Exception):
    """The query outlived the quick lane's budget (its worker was stopped)."""


class _Lane:
    """Workers that serve one kind of query, and the queue of the idle ones."""

    def __init__(self, name: str, size: int):
        self.name = name
        self.size = size
        self.idle: queue.Queue[_Worker] = queue.Queue()


class _Worker:
    def __init__(self, ctx, store_path: str, max_bytes: int, start_timeout: float,
                 limits: WorkerLimits):
        parent, child = ctx.Pipe()
        self.conn = parent
        self.sandboxed = False
        self.process = ctx.Process(target=worker_main,
                                   args=(child, store_path, max_bytes, limits),
                                   daemon=True, name="jichitai-kg-query")
        self.process.start()
        child.close()
        if not parent.poll(start_timeout):
            self.kill()
            raise QueryFailed("query worker did not start in time")
        try:
            msg = parent.recv()
        except EOFError:
            self.kill()
            raise QueryFailed("query worker exited while starting") from None
        if not isinstance(msg, Ready):
            self.kill()
            raise QueryFailed(f"query worker could not open the store: {msg.reason}")
        self.sandboxed = bool(msg.sandboxed)
        if limits.sandbox and not self.sandboxed:
            log.warning("query worker runs without network sandbox (%s); SERVICE is decided "
                        "on the engine's parse", msg.why)
        # Registered once: a wait is one system call (conn.poll(), is_alive() build selectors)
        self._answer = select.poll()
        self._answer.register(parent.fileno(), select.POLLIN)
        self._death = select.poll()
        self._death.register(self.process.sentinel, select.POLLIN)

    def alive(self) -> bool:
        """Whether the process still runs (its sentinel is readable once it has ended)."""
        return not self._death.poll(0)

    def answered(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for the worker's reply (or its end); True when one came."""
        return bool(self._answer.poll(math.ceil(max(0.0, seconds) * 1000)))

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.join(5)
        finally:
            try:
                self.conn.close()
            except OSError:
                pass


class QueryExecutor:
    """Pools of query worker processes (quick and long lanes) over one prepared store."""

    def __init__(self, store_path: Path | str, *, workers: int = 2, long_workers: int = 1,
                 quick_budget: float = 1.0, timeout: float = 10.0,
                 max_result_bytes: int = 20 * 1024 * 1024,
                 service_allowlist: list[str] | tuple[str, ...] = (),
                 start_method: str | None = None, start_timeout: float = 120.0,
                 limits: WorkerLimits | None = None,
                 admission: admission_mod.Admission | None = None):
        """``admission``: the server's shared long-lane admission (default: the one ``serve``
        made, or one of this executor's own)."""
        self.store_path = str(store_path)
        self.timeout = float(timeout)
        self.quick_budget = float(quick_budget)
        self.max_result_bytes = int(max_result_bytes)
        self.service_allowlist = list(service_allowlist)
        self.start_timeout = start_timeout
        self.limits = limits or WorkerLimits.for_allowlist(self.service_allowlist, timeout=self.timeout)
        self.sandboxed = True  # until a worker reports otherwise
        if start_method is None:
            methods = multiprocessing.get_all_start_methods()
            # forkserver: forking a threaded server process is unsafe, spawn is slow to replace.
            start_method = "forkserver" if "forkserver" in methods else "spawn"
        self._ctx = multiprocessing.get_context(start_method)
        self.quick = _Lane("quick", max(1, int(workers)))
        self.long = _Lane("long", max(0, int(long_workers))) if long_workers else None
        self.admission = admission or admission_mod.current()
        self._lock = threading.Lock()
        self._all: dict[_Worker, _Lane] = {}
        self._closed = False
        for lane in [la for la in (self.quick, self.long) if la is not None]:
            for _ in range(lane.size):
                self._add_worker(lane)

    # -- pool management

    def _add_worker(self, lane: _Lane) -> None:
        worker = _Worker(self._ctx, self.store_path, self.max_result_bytes, self.start_timeout,
                         self.limits)
        with self._lock:
            self.sandboxed = self.sandboxed and worker.sandboxed
            if self._closed:
                worker.kill()
                return
            self._all[worker] = lane
        if lane is self.long:
            _set_nice(worker, LONG_NICE)
        lane.idle.put(worker)

    def _discard(self, worker: _Worker, *, refill: bool = False) -> None:
        """Kill ``worker`` and start a replacement.  ``refill``: a quick-lane worker stopped on
        request is replaced at once by an idle long-lane one (the next query need not wait for
        a process to start); the replacement then joins the long lane."""
        with self._lock:
            lane = self._all.pop(worker, None)
        worker.kill()
        if refill and lane is self.quick and self.long is not None:
            try:
                idle = self.long.idle.get_nowait()
            except queue.Empty:
                idle = None
            if idle is not None:
                with self._lock:
                    moved = idle in self._all
                    if moved:
                        self._all[idle] = self.quick
                if moved:
                    self.quick.idle.put(idle)
                    lane = self.long
        if lane is not None and not self._closed:
            threading.Thread(target=self._replace, args=(lane,), daemon=True,
                             name="jichitai-kg-respawn").start()

    def _replace(self, lane: _Lane) -> None:
        """Start a replacement, retrying with back-off: a pool must not shrink for good."""
        delay = 0.5
        while not self._closed:
            try:
                self._add_worker(lane)
                return
            except Exception:  # keep serving with fewer workers, and try again later
                log.exception("could not start a replacement query worker; retrying in %.1f s", delay)
            time.sleep(delay)
            delay = min(delay * 2, MAX_RESTART_DELAY)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def worker_pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._all]

    def _checkout(self, lane: _Lane, request: dict, deadline: float, limit: float,
                  key: int | None = None) -> _Worker:
        """Hand the request to an idle worker; one that died while idle is replaced, not used.
        ``key``: a quick-lane query's text key; if the text became known as long while the
        query waited (another copy of it went over budget), _OverBudget sends it on."""
        while True:
            try:
                worker = lane.idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise QueryTimeout(f"All query workers stayed busy for {limit:g} s; "
                                   "try again later.") from None
            if not worker.alive():
                self._discard(worker)
                continue
            if key is not None and self.admission.is_long(key):
                lane.idle.put(worker)
                raise _OverBudget()
            try:
                worker.conn.send_bytes(pickle.dumps(request, pickle.HIGHEST_PROTOCOL))  # C pickler
                return worker
            except (OSError, BrokenPipeError, ValueError):
                self._discard(worker)

    def _evaluate(self, lane: _Lane, request: dict, deadline: float, limit: float,
                  budget: float | None = None, key: int | None = None,
                  who: str | None = None, query_id: str | None = None) -> Answer | Failure:
        """One query in one lane: the worker's reply, or QueryTimeout / _OverBudget.

        ``budget``: seconds of evaluation (waiting for a worker not counted) before the
        query counts as long (its text ``key`` is remembered).  Its worker then trades
        places with an idle long-lane worker and goes on, holding a long-lane ticket (``who``:
        the client, for its limit); with no ticket or no worker free, it is stopped and
        _OverBudget raised (the caller queues the query in the long lane).
        """
        checked_out = self._checkout(lane, request, deadline, limit, key)
        registered = cancellation.Registration(self.store_path, query_id, checked_out.process.pid)
        worker: _Worker | None = checked_out
        ticket: int | None = None
        try:
            assert worker is not None
            budget_end = None if budget is None else time.monotonic() + budget
            over_budget = budget_end is not None and budget_end < deadline
            until = deadline if budget_end is None else min(deadline, budget_end)
            ready = worker.answered(until - time.monotonic())
            traded = False
            if not ready and over_budget:
                if key is not None:
                    self.admission.remember_long(key)
                ticket = self.admission.try_ticket(who)
                traded = ticket is not None and self._trade_for_idle_long(worker)
                if traded and self.long is not None:
                    lane = self.long  # the worker belongs to the long lane now
                    ready = worker.answered(deadline - time.monotonic())
            if not ready:
                self._discard(worker)
                worker = None
                if over_budget and not traded:
                    raise _OverBudget()
                raise QueryTimeout(f"The query was stopped after {limit:g} s (QUERY_TIMEOUT).")
            reply = worker.conn.recv()
            if isinstance(reply, Failure) and reply.error == "WorkerLost":  # a MemoryError: start afresh
                self._discard(worker)
                worker = None
            return reply
        except (EOFError, OSError, BrokenPipeError):
            exitcode = None
            cancelled = cancellation.was_cancelled(self.store_path, query_id)
            if worker is not None:
                worker.process.join(2)
                exitcode = worker.process.exitcode
                self._discard(worker, refill=cancelled)
                worker = None
            if cancelled:
                raise cancellation.QueryCancelled() from None
            raise WorkerLost(_lost_message(exitcode)) from None
        finally:
            registered.close()
            if ticket is not None:
                self.admission.release(ticket)
            if worker is not None and not self._closed:
                lane.idle.put(worker)

    def _trade_for_idle_long(self, worker: _Worker) -> bool:
        """Move ``worker`` (busy past the quick budget) to the long lane and an idle long-lane
        worker to the quick lane: the query goes on, and the quick lane keeps its size without
        waiting for a replacement to start.  False when no long-lane worker is idle."""
        if self.long is None:
            return False
        try:
            idle = self.long.idle.get_nowait()
        except queue.Empty:
            return False
        with self._lock:
            if worker in self._all and idle in self._all:
                self._all[worker], self._all[idle] = self.long, self.quick
                traded = True
            else:  # one of them was discarded meanwhile
                traded = False
        if traded:
            _set_nice(worker, LONG_NICE)
            if not _set_nice(idle, 0):  # lowering niceness needs privilege: a fresh one instead
                self._discard(idle)
                return True
        (self.quick if traded else self.long).idle.put(idle)
        return traded

    def cancel(self, query_id: str) -> bool:
        """Stop the query the client named ``query_id`` (in any serving process of this store):
        its worker is killed and replaced.  False when no such query is running."""
        return cancellation.cancel(self.store_path, query_id)

    def is_known_long(self, query: str) -> bool:
        return self.admission.is_long(admission_mod.key64(query))

    def _evaluate_long(self, request: dict, deadline: float, limit: float, who: str | None,
                       query_id: str | None = None, known_long: bool = False) -> Answer | Failure:
        """A query in the long lane, once the server's admission gives it a ticket (a text
        known to be long waits behind queries merely found slow)."""
        assert self.long is not None
        with self.admission.long_work(deadline=deadline, limit=limit, who=who, known_long=known_long):
            return self._evaluate(self.long, request, deadline, limit, query_id=query_id)

    # -- the interface other modules use

    def check(self, query: str) -> guard.QueryInfo:
        """Refuse deep queries, updates, LOAD and SERVICE to endpoints not on the allowlist."""
        return guard.check(query, self.service_allowlist, sandboxed=self.sandboxed)

    def run(self, query: str, *, result_format: str,
            substitutions: dict[str, str] | None = None,
            default_graph: list[str] | None = None,
            named_graphs: list[str] | None = None,
            base_iri: str | None = None,
            timeout: float | None = None) -> QueryOutcome:
        """Run one query; ``timeout`` covers waiting for a worker plus evaluation, in both lanes."""
        if self._closed:
            raise QueryFailed("the query executor is closed")
        self.check(query)
        limit = self.timeout if timeout is None else float(timeout)
        deadline = time.monotonic() + limit
        request = make_request(query, result_format, substitutions, default_graph, named_graphs,
                               base_iri)
        key = admission_mod.key64(query)
        who = admission_mod.client.get()
        qid = cancellation.CURRENT_QUERY_ID.get()
        if self.long is None or limit <= self.quick_budget:
            reply = self._evaluate(self.quick, request, deadline, limit, query_id=qid)
        elif self.admission.is_long(key):
            reply = self._evaluate_long(request, deadline, limit, who, qid, known_long=True)
        else:
            try:
                reply = self._evaluate(self.quick, request, deadline, limit,
                                       budget=self.quick_budget, key=key, who=who, query_id=qid)
            except _OverBudget:
                reply = self._evaluate_long(request, deadline, limit, who, qid)
        if isinstance(reply, Answer):
            return reply.outcome
        raise BY_NAME.get(reply.error, QueryFailed)(reply.message)


def _set_nice(worker: _Worker, niceness: int) -> bool:
    """Set a worker's CPU niceness; False where this process may not (lowering it)."""
    try:
        if worker.process.pid is not None:
            os.setpriority(os.PRIO_PROCESS, worker.process.pid, niceness)
        return True
    except (PermissionError, ProcessLookupError, AttributeError):
        return False


def _lost_message(exitcode: int | None) -> str:
    """Why a worker died under a query: its memory cap (the engine aborts when an allocation
    fails under ``RLIMIT_AS``), or a crash, which the depth limits exist to prevent."""
    if exitcode == -signal.SIGABRT:
        return ("The query stopped its worker by needing more memory than this server allows "
                "per query (QUERY_MEMORY_LIMIT); the worker has been replaced. Narrow the query "
                "or add LIMIT.")
    return (f"The query worker crashed (exit code {exitcode}) and has been replaced; "
            "please report the query.")

