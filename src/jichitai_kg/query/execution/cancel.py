"""Stopping a running query on the client's request, from any serving process.

A client names its query with an id (``X-Query-Id`` on the request; the workbench sends a
random one with every run).  While a worker evaluates that query, :func:`running` leaves the
worker's process id in a small file named after the query id, in a directory every serving
process of the same store shares (``serve --processes`` forks several; the cancel request may
reach another one than the query).  :func:`cancel` reads that file and kills the worker: the
executor that owns it sees the pipe close, replaces the worker and answers "cancelled".

The id is the client's secret: an id of 16–64 letters, digits, ``-`` or ``_`` (a UUID); any
other string is refused before it touches the file system.
"""

from __future__ import annotations

import contextvars
import hashlib
import os
import re
import signal
import tempfile
from pathlib import Path

from ...errors import QueryFailed

#: The id of the query the current request runs (set by the web tier, read by the executor).
CURRENT_QUERY_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "jichitai_kg_query_id", default=None)

_VALID_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_CANCELLED = ".cancelled"


def valid_id(query_id: str | None) -> bool:
    return bool(query_id) and bool(_VALID_ID.match(query_id or ""))


def registry_dir(store_path: str) -> Path:
    """The directory shared by the serving processes of one store (per user)."""
    digest = hashlib.sha1(store_path.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]
    uid = os.getuid() if hasattr(os, "getuid") else 0
    return Path(tempfile.gettempdir()) / f"jichitai-kg-running-{uid}-{digest}"


class Registration:
    """The file that says which worker runs a named query; ``close()`` removes it."""

    def __init__(self, store_path: str, query_id: str | None, pid: int | None):
        self.path: Path | None = None
        if not valid_id(query_id) or pid is None:
            return
        folder = registry_dir(store_path)
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            (folder / str(query_id)).write_text(str(pid), encoding="ascii")
        except OSError:  # no registry: the query still runs, it just cannot be cancelled
            return
        self.path = folder / str(query_id)

    def close(self) -> None:
        if self.path is None:
            return
        for p in (self.path, self.path.with_name(self.path.name + _CANCELLED)):
            try:
                p.unlink()
            except FileNotFoundError:
                pass
        self.path = None


def was_cancelled(store_path: str, query_id: str | None) -> bool:
    """Did a cancel request stop ``query_id`` (so its worker's death is no crash)?"""
    if not valid_id(query_id):
        return False
    return (registry_dir(store_path) / f"{query_id}{_CANCELLED}").exists()


class QueryCancelled(QueryFailed):
    """The client asked to stop its query (``POST /sparql/cancel``); nobody waits for it."""

    status = 499  # "client closed request", as nginx names it

    def __init__(self) -> None:
        super().__init__("The query was stopped at the client's request.")


def cancel(store_path: str, query_id: str) -> bool:
    """Kill the worker running ``query_id``; False when no such query runs (any more)."""
    if not valid_id(query_id):
        return False
    path = registry_dir(store_path) / query_id
    marker = path.with_name(path.name + _CANCELLED)
    try:
        # The rename claims the entry: one cancel wins, and the owner learns why its worker died.
        os.rename(path, marker)
        pid = int(marker.read_text(encoding="ascii"))
    except (OSError, ValueError):
        return False
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return False
    return True
