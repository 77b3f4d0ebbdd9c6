"""Admission to long-running work, shared by every serving process.

Each serving process has its own query workers (``executor.py``), but what decides who may
run *long* work is one :class:`Admission` in shared memory, made by ``serve`` before the
serving processes fork (:data:`SHARED`); a process not started by ``serve`` makes its own.
It holds:

- the texts known to be long (a query that once outlived the quick budget in any process
  goes to the long lane directly in all of them);
- the long-lane tickets: at most ``long_slots`` long queries run at once on the whole
  server (not one lane per process: two runaways must not take both cores), the others
  wait for a ticket until their deadline and are then answered 503; a query merely found
  slow waits ahead of texts already known to be long (runaways that came back);
- per-client limits: one client (its address, :data:`client`) may have at most
  ``per_client`` long queries running or waiting; more are refused at once with 503.

Every entry records the pid of the serving process that holds it, so a process that dies
holding a ticket does not leak it.  Other kinds of long work (a large reconciliation
batch, a search) can be admitted the same way::

    with executor.admission.long_work(deadline=time.monotonic() + limit, limit=limit):
        ...  # runs holding one of the long-lane tickets, counted against the client
"""

from __future__ import annotations

import contextlib
import contextvars
import ctypes
import hashlib
import multiprocessing
import os
import time
from collections.abc import Iterator

from ...errors import QueryTimeout, Unavailable

#: The client the current request came from (its address), set by the web tier per request.
client: contextvars.ContextVar[str | None] = contextvars.ContextVar("jichitai_kg_client", default=None)
#: Entries of the table of long work (running or waiting), on the whole server.
TABLE_SIZE = 256
#: Query texts remembered as long (a lossy hash set: a forgotten text just proves itself again).
KNOWN_LONG_SIZE = 4096
#: Seconds between two looks for a free ticket.
POLL = 0.05

_RUNNING, _WAITING, _WAITING_KNOWN_LONG = 2, 1, 3


def key64(text: str) -> int:
    """A 63-bit key of a text (never 0, which marks a free entry)."""
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return (int.from_bytes(digest, "big") >> 1) or 1


class Admission:
    """Long-lane tickets, per-client limits and known-long texts, in memory that forked
    processes share."""

    def __init__(self, long_slots: int = 1, per_client: int = 2):
        self.long_slots = max(1, int(long_slots))
        self.per_client = max(1, int(per_client))
        ctx = multiprocessing.get_context("fork")  # plain shared memory: no resource tracker
        self._pid = ctx.RawArray(ctypes.c_long, TABLE_SIZE)
        self._who = ctx.RawArray(ctypes.c_uint64, TABLE_SIZE)
        self._state = ctx.RawArray(ctypes.c_int, TABLE_SIZE)
        self._long = ctx.RawArray(ctypes.c_uint64, KNOWN_LONG_SIZE)
        self._lock = ctx.Lock()

    # -- texts known to be long

    def remember_long(self, key: int) -> None:
        self._long[key % KNOWN_LONG_SIZE] = key

    def is_long(self, key: int) -> bool:
        return self._long[key % KNOWN_LONG_SIZE] == key

    # -- long-lane tickets

    def _live(self, k: int) -> bool:
        pid = self._pid[k]
        if not pid:
            return False
        if pid == os.getpid():
            return True
        try:
            os.kill(pid, 0)
            return True
        except ProcessLookupError:
            self._pid[k], self._state[k] = 0, 0  # its process died holding it
            return False
        except PermissionError:
            return True

    def _enter(self, who: int, state: int) -> int:
        """Add an entry (under the lock); its index, or -1 over the client's limit or a full table."""
        mine = 0
        free = -1
        for k in range(TABLE_SIZE):
            if self._live(k):
                mine += self._who[k] == who
            elif free < 0:
                free = k
        if mine >= self.per_client or free < 0:
            return -1
        self._pid[free], self._who[free], self._state[free] = os.getpid(), who, state
        return free

    def _running(self) -> int:
        return sum(1 for k in range(TABLE_SIZE) if self._state[k] == _RUNNING and self._live(k))

    def _fresh_waiting(self) -> bool:
        return any(self._state[k] == _WAITING and self._live(k) for k in range(TABLE_SIZE))

    def _leave(self, k: int) -> None:
        with self._lock:
            self._pid[k], self._who[k], self._state[k] = 0, 0, 0

    def running(self) -> int:
        """Long work running now, in all serving processes."""
        with self._lock:
            return self._running()

    def try_ticket(self, who: str | None = None) -> int | None:
        """A ticket now, or None (none free, or the client is at its limit): for a query
        that is already running and would go on in the long lane."""
        with self._lock:
            if self._running() >= self.long_slots:
                return None
            k = self._enter(key64(who or "-"), _RUNNING)
            return None if k < 0 else k

    def release(self, ticket: int) -> None:
        self._leave(ticket)

    @contextlib.contextmanager
    def long_work(self, *, deadline: float, limit: float, who: str | None = None,
                  known_long: bool = False) -> Iterator[None]:
        """Run the body holding a long-lane ticket.  Unavailable (503) at once when the client
        (``who``, default: the current request's) has ``per_client`` long queries running or
        waiting; QueryTimeout (503) when no ticket is free before ``deadline``.  ``known_long``:
        work already known to be long waits behind the rest."""
        who = who if who is not None else client.get()
        with self._lock:
            k = self._enter(key64(who or "-"), _WAITING_KNOWN_LONG if known_long else _WAITING)
        if k < 0:
            raise Unavailable(f"This client already has {self.per_client} long queries running "
                              "or waiting; wait for them to finish (LONG_QUERIES_PER_CLIENT).")
        try:
            while True:
                with self._lock:
                    if self._running() < self.long_slots and not (
                            known_long and self._fresh_waiting()):
                        self._state[k] = _RUNNING
                        break
                if time.monotonic() >= deadline:
                    raise QueryTimeout(f"All long-query workers stayed busy for {limit:g} s; "
                                       "try again later.")
                time.sleep(POLL)
            yield
        finally:
            self._leave(k)


#: The server's admission, made by ``serve`` before the serving processes fork.
SHARED: Admission | None = None


def current(long_slots: int = 1, per_client: int = 2) -> Admission:
    """The server's shared admission, or (not under ``serve``: tests, one-shot commands) a
    new one of this process's own."""
    return SHARED if SHARED is not None else Admission(long_slots, per_client)
