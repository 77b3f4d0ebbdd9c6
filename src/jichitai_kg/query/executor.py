"""Query execution with a time limit that really stops the query.

pyoxigraph evaluates a query inside one native call that cannot be interrupted
and holds its thread, so a thread-based timeout would leave runaway queries
eating CPU.  Queries therefore run in worker *processes*, each with its own
read-only handle on the prepared store.  The parent waits on a pipe; when the
time is up it kills the worker, starts a replacement in the background, and
raises ``QueryTimeout``.  Other requests keep being served by the other workers.

Results are serialized in the worker into a capped buffer, so an oversized
result is an explicit ``ResultTooLarge`` error and never a silent truncation.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, cast

from ..errors import (
    BY_NAME,
    BadRequest,
    NotAcceptable,
    QueryFailed,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
)
from . import guard
from .media import CSV, TSV

log = logging.getLogger(__name__)

#: Longest wait between two attempts to start a replacement worker (seconds).
MAX_RESTART_DELAY = 30.0


@dataclass
class QueryOutcome:
    kind: str  # "solutions" | "boolean" | "graph"
    body: bytes
    media_type: str


# --------------------------------------------------------------------------- worker side


class _CappedBuffer:
    """A write target that refuses to grow past the cap (pyoxigraph streams into it)."""

    def __init__(self, cap: int):
        self.cap = cap
        self.parts: list[bytes] = []
        self.size = 0
        self.exceeded = False

    def write(self, data) -> int:
        self.size += len(data)
        if self.size > self.cap:
            self.exceeded = True
            raise OverflowError("result too large")
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def _term(ntriples_term: str):
    """Rebuild a pyoxigraph term from its N-Triples form by parsing a one-triple document."""
    import pyoxigraph as ox

    doc = f"<urn:x:s> <urn:x:p> {ntriples_term} .\n".encode()
    try:
        quads = list(ox.parse(doc, ox.RdfFormat.N_TRIPLES))
    except SyntaxError as exc:
        raise BadRequest(f"not an RDF term in N-Triples syntax: {ntriples_term!r} ({exc})") from None
    if len(quads) != 1:
        raise BadRequest(f"not a single RDF term: {ntriples_term!r}")
    return quads[0].object


def _collect(triples, raw_cap: int) -> list:
    """Gather a graph result for prefix selection without letting it grow without bound.

    The raw size of the terms is only a guard against memory blow-up (Turtle prefixes can
    make the output smaller than the raw terms); the exact cap applies while serializing.
    """
    out, raw = [], 0
    for t in triples:
        raw += len(str(t))
        if raw > raw_cap:
            raise ResultTooLarge("graph result too large")
        out.append(t)
    return out


def make_request(query: str, result_format: str, substitutions: dict[str, str] | None,
                 default_graph: list[str] | None, named_graphs: list[str] | None,
                 base_iri: str | None) -> dict:
    """What a worker needs to run one query (plain data: it crosses a pipe)."""
    return {
        "query": query,
        "result_format": result_format,
        "substitutions": dict(substitutions) if substitutions else None,
        "default_graph": list(default_graph) if default_graph is not None else None,
        "named_graphs": list(named_graphs) if named_graphs is not None else None,
        "base_iri": base_iri,
    }


def execute(store, request: dict, max_bytes: int) -> tuple[str, bytes, str]:
    import pyoxigraph as ox

    kwargs: dict = {"base_iri": request.get("base_iri")}
    subs = request.get("substitutions") or {}
    if subs:
        kwargs["substitutions"] = {ox.Variable(name.lstrip("?$")): _term(value)
                                   for name, value in subs.items()}
    default_graph = request.get("default_graph")
    named_graphs = request.get("named_graphs")
    if default_graph is None and named_graphs is None:
        kwargs["use_default_graph_as_union"] = True
    else:
        # The protocol dataset replaces FROM / FROM NAMED entirely; an absent half is empty.
        kwargs["default_graph"] = [ox.NamedNode(g) for g in (default_graph or [])]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in (named_graphs or [])]
    try:
        result = store.query(request["query"], **kwargs)
    except SyntaxError as exc:
        raise QuerySyntaxError(f"Query syntax error: {exc}") from None
    media_type = request["result_format"]
    if isinstance(result, ox.QueryBoolean):
        kind = "boolean"
    elif isinstance(result, ox.QuerySolutions):
        kind = "solutions"
    else:
        kind = "graph"
    base_type = media_type.split(";")[0].strip().lower()
    rdf_format = ox.RdfFormat.from_media_type(base_type) if kind == "graph" else None
    results_format = None if kind == "graph" else ox.QueryResultsFormat.from_media_type(base_type)
    if kind == "graph" and rdf_format is None:
        raise NotAcceptable(f"{media_type} cannot represent a graph result")
    if kind != "graph" and (results_format is None or (kind == "boolean" and base_type in (CSV, TSV))):
        raise NotAcceptable(f"{media_type} cannot represent a {kind} result")
    capped = _CappedBuffer(max_bytes)
    buf = cast(IO[bytes], capped)  # a write-only file object is all pyoxigraph needs
    try:
        if results_format is not None:
            result.serialize(buf, results_format)
        elif rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
            # Declare only the prefixes the answer uses, so a small answer stays readable.
            from ..namespaces import used_prefixes

            triples = _collect(result, 4 * max_bytes)
            ox.serialize(triples, buf, rdf_format, prefixes=used_prefixes(triples))
        else:
            ox.serialize(result, buf, rdf_format)  # streamed: the cap stops it early
    except Exception as exc:  # the cap, or an evaluation error surfacing while streaming
        if capped.exceeded or isinstance(exc, ResultTooLarge):
            raise ResultTooLarge(f"The result is larger than {max_bytes} bytes; add LIMIT or "
                                 "narrow the query.") from None
        if isinstance(exc, SyntaxError):
            raise QuerySyntaxError(f"Query syntax error: {exc}") from None
        raise QueryFailed(f"{type(exc).__name__}: {exc}") from None
    return kind, b"".join(capped.parts), media_type


#: Stores whose files take up to this many bytes are copied into memory by each worker:
#: pyoxigraph's in-memory store answers the competency questions about twice as fast as
#: the read-only on-disk one, and copying the real graph takes milliseconds.  Larger
#: stores (the benchmarks' thousands of governments) are queried on disk.
MEMORY_COPY_MAX_BYTES = 32 * 1024 * 1024


def _open_for_queries(store_path: Path):
    import pyoxigraph as ox

    from ..store import open_read_only

    disk = open_read_only(store_path)
    size = sum(f.stat().st_size for f in Path(store_path).rglob("*") if f.is_file())
    if size > MEMORY_COPY_MAX_BYTES:
        return disk
    memory = ox.Store()
    memory.bulk_extend(disk.quads_for_pattern(None, None, None))
    return memory


def _worker_main(conn, store_path: str, max_bytes: int) -> None:
    """Serve queries from the pipe until it closes; one query at a time."""
    try:
        store = _open_for_queries(Path(store_path))
    except BaseException as exc:  # report why we cannot serve, then stop
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready",))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            kind, body, media_type = execute(store, request, max_bytes)
            conn.send(("ok", kind, body, media_type))
        except BaseException as exc:  # every failure goes back to the parent as data
            name, msg = type(exc).__name__, str(exc)
            if name not in BY_NAME:
                name, msg = "QueryFailed", f"{name}: {exc}"
            try:
                conn.send(("error", name, msg))
            except (BrokenPipeError, OSError):
                return


# --------------------------------------------------------------------------- parent side


class _Worker:
    def __init__(self, ctx, store_path: str, max_bytes: int, start_timeout: float):
        parent, child = ctx.Pipe()
        self.conn = parent
        self.process = ctx.Process(target=_worker_main, args=(child, store_path, max_bytes),
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
        if msg[0] != "ready":
            self.kill()
            raise QueryFailed(f"query worker could not open the store: {msg[1]}")

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
    """A pool of query worker processes over one prepared (read-only) store."""

    def __init__(self, store_path: Path | str, *, workers: int = 2, timeout: float = 10.0,
                 max_result_bytes: int = 20 * 1024 * 1024,
                 service_allowlist: list[str] | tuple[str, ...] = (),
                 start_method: str | None = None, start_timeout: float = 120.0):
        self.store_path = str(store_path)
        self.timeout = float(timeout)
        self.max_result_bytes = int(max_result_bytes)
        self.service_allowlist = list(service_allowlist)
        self.start_timeout = start_timeout
        if start_method is None:
            methods = multiprocessing.get_all_start_methods()
            # forkserver: forking a threaded server (waitress) is unsafe, spawn is slow to replace.
            start_method = "forkserver" if "forkserver" in methods else "spawn"
        self._ctx = multiprocessing.get_context(start_method)
        self._size = max(1, int(workers))
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._all: set[_Worker] = set()
        self._closed = False
        for _ in range(self._size):
            self._add_worker()

    # -- pool management

    def _add_worker(self) -> None:
        worker = _Worker(self._ctx, self.store_path, self.max_result_bytes, self.start_timeout)
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def _discard(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        if not self._closed:
            threading.Thread(target=self._replace, daemon=True,
                             name="jichitai-kg-respawn").start()

    def _replace(self) -> None:
        """Start a replacement, retrying with back-off: a pool must not shrink for good."""
        delay = 0.5
        while not self._closed:
            try:
                self._add_worker()
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

    def _checkout(self, request: dict, deadline: float, limit: float) -> _Worker:
        """Hand the request to an idle worker; one that died while idle is replaced, not used."""
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise QueryTimeout(f"All query workers stayed busy for {limit:g} s; "
                                   "try again later.") from None
            if not worker.process.is_alive():
                self._discard(worker)
                continue
            try:
                worker.conn.send(request)
                return worker
            except (OSError, BrokenPipeError, ValueError):
                self._discard(worker)

    # -- the interface other modules use

    def check(self, query: str) -> guard.QueryInfo:
        """Refuse updates, LOAD and SERVICE to endpoints not on the allowlist, before running."""
        return guard.check(query, self.service_allowlist)

    def run(self, query: str, *, result_format: str,
            substitutions: dict[str, str] | None = None,
            default_graph: list[str] | None = None,
            named_graphs: list[str] | None = None,
            base_iri: str | None = None,
            timeout: float | None = None) -> QueryOutcome:
        """Run one query in a worker; ``timeout`` covers waiting for a worker plus evaluation."""
        if self._closed:
            raise QueryFailed("the query executor is closed")
        self.check(query)
        limit = self.timeout if timeout is None else float(timeout)
        deadline = time.monotonic() + limit
        request = make_request(query, result_format, substitutions, default_graph, named_graphs,
                               base_iri)
        worker: _Worker | None = self._checkout(request, deadline, limit)
        try:
            assert worker is not None
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._discard(worker)
                worker = None
                raise QueryTimeout(f"The query was stopped after {limit:g} s (QUERY_TIMEOUT).")
            reply = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            if worker is not None:
                self._discard(worker)
                worker = None
            raise QueryFailed("The query worker died while evaluating the query "
                              "(out of memory?).") from None
        finally:
            if worker is not None and not self._closed:
                self._idle.put(worker)
        if reply[0] == "ok":
            return QueryOutcome(kind=reply[1], body=reply[2], media_type=reply[3])
        raise BY_NAME.get(reply[1], QueryFailed)(reply[2])
