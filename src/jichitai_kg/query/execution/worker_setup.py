"""What a query worker process does to itself before it serves its first query.

Call :func:`prepare_worker` first thing in the worker, then run the serving loop
through :func:`run_with_stack`.  In order:

1. ``PR_SET_PDEATHSIG``: the kernel kills the worker when its parent (the
   forkserver, which exits with the server) goes, so no worker outlives the server;
2. ``RLIMIT_AS`` = ``QUERY_MEMORY_LIMIT`` bytes: an allocation past it fails, the
   engine aborts, and the parent answers 503 and starts a fresh worker;
3. the network sandbox (:func:`.sandbox.deny_network`), when ``sandbox`` is true (in every
   mode by default: with ``SERVICE_ALLOWLIST`` set, SERVICE calls leave only through the
   egress of the serving process, ``egress.py``, whose socket path travels in
   ``WorkerLimits.egress_path``).
"""

from __future__ import annotations

import resource
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import egress, sandbox

#: Address-space cap per worker (``QUERY_MEMORY_LIMIT``).  An idle worker holding the
#: project's store in memory maps about 0.3 GB of address space; 2 GiB leaves room for
#: ordinary queries and stops the 2.3 GB sort of a cartesian product of the whole store
#: with itself (two unrelated triple patterns ordered by one variable of each).
DEFAULT_MEMORY_LIMIT = 2 * 1024 ** 3
#: Stack of the thread that parses and evaluates queries (see :mod:`.nesting`).
QUERY_STACK_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class WorkerLimits:
    """The per-worker settings, picklable so they travel to a forkserver child."""

    memory_limit: int | None = DEFAULT_MEMORY_LIMIT  # bytes of address space; None: no cap
    sandbox: bool = True  # install the seccomp network filter
    stack_bytes: int = QUERY_STACK_BYTES
    service_allowlist: tuple[str, ...] = ()  # SERVICE endpoints the egress may call
    egress_path: str | None = None  # the egress's Unix socket (set with an allowlist)
    service_timeout: float = 10.0  # seconds a worker waits for one SERVICE answer

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> WorkerLimits:
        """From the normalised ``QUERY_MEMORY_LIMIT``, ``QUERY_SANDBOX``, ``SERVICE_ALLOWLIST``,
        ``QUERY_TIMEOUT`` and ``MAX_RESULT_BYTES`` settings (config.py); starts this process's
        egress when the allowlist is not empty."""
        return cls.for_allowlist(settings["SERVICE_ALLOWLIST"],
                                 memory_limit=settings["QUERY_MEMORY_LIMIT"] or None,
                                 sandbox=bool(settings["QUERY_SANDBOX"]),
                                 timeout=float(settings["QUERY_TIMEOUT"]),
                                 max_bytes=int(settings["MAX_RESULT_BYTES"]))

    @classmethod
    def for_allowlist(cls, allowlist: Sequence[str], *, timeout: float = 10.0,
                      max_bytes: int = egress.DEFAULT_MAX_BYTES, **fields: Any) -> WorkerLimits:
        """Limits for workers that may call ``allowlist`` through this process's egress
        (started here, in the serving process, when ``allowlist`` is not empty)."""
        allow = tuple(a.strip() for a in allowlist)
        path = egress.egress_for(allow, timeout=timeout, max_bytes=max_bytes).path if allow else None
        return cls(service_allowlist=allow, egress_path=path, service_timeout=timeout, **fields)


#: glibc's ``M_ARENA_MAX`` option and the arenas a worker keeps under the cap.
M_ARENA_MAX = -8
MALLOC_ARENAS = 2


def set_memory_limit(limit: int | None) -> None:
    """Cap this process's address space (soft and hard) at ``limit`` bytes.

    glibc reserves 64 MiB of address space per malloc arena, and makes an arena for each
    thread that allocates (the store's background threads, the query thread), so under
    the cap a worker could fail to start with memory to spare; its arenas are limited first.
    """
    if limit:
        sandbox.limit_malloc_arenas(M_ARENA_MAX, MALLOC_ARENAS)
        resource.setrlimit(resource.RLIMIT_AS, (int(limit), int(limit)))


def prepare_worker(limits: WorkerLimits) -> tuple[bool, str]:
    """Apply ``limits`` to this process; returns :func:`.sandbox.sandbox_status`."""
    sandbox.die_with_parent()
    set_memory_limit(limits.memory_limit)
    if limits.sandbox:
        sandbox.deny_network()
    return sandbox.sandbox_status()


def start_with_stack(target: Callable[[], None], stack_bytes: int = QUERY_STACK_BYTES, *,
                     name: str = "jichitai-kg-query-loop", daemon: bool = False) -> threading.Thread:
    """Start ``target`` on a new thread with a ``stack_bytes`` stack (the parser recurses)."""
    previous = threading.stack_size(stack_bytes)
    try:
        thread = threading.Thread(target=target, name=name, daemon=daemon)
        thread.start()
    finally:
        threading.stack_size(previous)
    return thread


def run_with_stack(target: Callable[[], None], stack_bytes: int = QUERY_STACK_BYTES) -> None:
    """Run ``target`` on a new thread with a ``stack_bytes`` stack and wait for it."""
    start_with_stack(target, stack_bytes).join()
