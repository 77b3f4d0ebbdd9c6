"""The query worker: a process that answers queries from a pipe on its own read-only store.

Everything here runs in the worker process (or, for one-shot commands, in a thread of the
caller: ``inline.py``).  Results are serialized into a capped buffer, so an oversized result
is an explicit ``ResultTooLarge`` error and never a silent truncation.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import IO, NamedTuple, cast

from ...errors import (
    BY_NAME,
    BadRequest,
    NotAcceptable,
    QueryFailed,
    QuerySyntaxError,
    ResultTooLarge,
)
from ..rules import guard
from ..rules.media import CSV, TSV
from .services import ServicePolicy, prepare
from .worker_setup import WorkerLimits, prepare_worker, run_with_stack

#: Messages of the failures a worker turns into errors of its own.
OUT_OF_MEMORY = ("The query stopped its worker by needing more memory than this server "
                 "allows per query (QUERY_MEMORY_LIMIT); narrow it or add LIMIT.")

@dataclass
class QueryOutcome:
    kind: str  # "solutions" | "boolean" | "graph"
    body: bytes
    media_type: str


# Messages on a worker's pipe.  At start the worker sends Ready or StartFailed; then, for each
# request (a dict from make_request), Answer or Failure.


class Ready(NamedTuple):
    """The worker serves: whether its network sandbox is on, and why not when it is off."""
    sandboxed: bool
    why: str


class StartFailed(NamedTuple):
    """The worker cannot serve (the store would not open, a limit could not be set)."""
    reason: str


class Answer(NamedTuple):
    """One query answered."""
    outcome: QueryOutcome


class Failure(NamedTuple):
    """One query failed: the error's name (a key of ``errors.BY_NAME``) and its message."""
    error: str
    message: str



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


def parse_term(ntriples_term: str, *, allow_blank: bool = True):
    """Rebuild a pyoxigraph term from its N-Triples form by parsing a one-triple document.

    ``allow_blank=False`` refuses blank nodes (a remote store cannot be given one in the text).
    """
    import pyoxigraph as ox

    doc = f"<urn:x:s> <urn:x:p> {ntriples_term} .\n".encode()
    try:
        quads = list(ox.parse(doc, ox.RdfFormat.N_TRIPLES))
    except SyntaxError as exc:
        raise BadRequest(f"not an RDF term in N-Triples syntax: {ntriples_term!r} ({exc})") from None
    if len(quads) != 1:
        raise BadRequest(f"not a single RDF term: {ntriples_term!r}")
    if not allow_blank and isinstance(quads[0].object, ox.BlankNode):
        raise BadRequest(f"a blank node cannot be bound for a remote store: {ntriples_term!r}")
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


def execute(store, request: dict, max_bytes: int,
            policy: ServicePolicy = ServicePolicy()) -> tuple[str, bytes, str]:
    """Evaluate one request; SERVICE clauses are answered through ``policy`` (``services.py``),
    never by the engine."""
    import pyoxigraph as ox

    kwargs: dict = {"base_iri": request.get("base_iri")}
    subs = request.get("substitutions") or {}
    if subs:
        kwargs["substitutions"] = {ox.Variable(name.lstrip("?$")): parse_term(value)
                                   for name, value in subs.items()}
    default_graph = request.get("default_graph")
    named_graphs = request.get("named_graphs")
    if default_graph is None and named_graphs is None:
        # The union of the graphs is the default graph, unless the query names its own
        # dataset with FROM / FROM NAMED (pyoxigraph's union would override it).
        if not guard.sniff(request["query"]).dataset_clause:
            kwargs["use_default_graph_as_union"] = True
    else:
        # The protocol dataset replaces FROM / FROM NAMED entirely; an absent half is empty.
        kwargs["default_graph"] = [ox.NamedNode(g) for g in (default_graph or [])]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in (named_graphs or [])]
    text = prepare(request["query"], request.get("base_iri"), policy)
    try:
        result = store.query(text, **kwargs)
    except SyntaxError as exc:
        raise QuerySyntaxError(f"Query syntax error: {exc}") from None
    return serialize_result(result, request["result_format"], max_bytes)


def serialize_result(result, media_type: str, max_bytes: int) -> tuple[str, bytes, str]:
    """Serialize a pyoxigraph query result into ``media_type``, refusing more than ``max_bytes``.

    Shared by the workers and the remote executor (which re-serializes what the remote store
    returned), so both modes answer byte for byte the same way.
    """
    import pyoxigraph as ox

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
            from ...namespaces import used_prefixes

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


def open_for_queries(store_path: Path):
    import pyoxigraph as ox

    from ...store import open_read_only
    from ...store.text_index import is_index_file

    disk = open_read_only(store_path)
    # The search index shares the store's directory but is not read by queries.
    size = sum(f.stat().st_size for f in Path(store_path).rglob("*") if f.is_file() and not is_index_file(f))
    if size > MEMORY_COPY_MAX_BYTES:
        return disk
    memory = ox.Store()
    memory.bulk_extend(disk.quads_for_pattern(None, None, None))
    return memory


def failure(exc: BaseException) -> Failure:
    """The error name (a key of ``errors.BY_NAME``) and message sent back for a failed query.

    No SERVICE call can fail in here: the engine is only given texts without SERVICE
    (``services.prepare``), and what SERVICE needs went through the egress before."""
    name, msg = type(exc).__name__, str(exc)
    if isinstance(exc, MemoryError):
        return Failure("WorkerLost", OUT_OF_MEMORY)
    if name not in BY_NAME:
        return Failure("QueryFailed", f"{name}: {exc}")
    return Failure(name, msg)


def worker_main(conn, store_path: str, max_bytes: int, limits: WorkerLimits = WorkerLimits()) -> None:
    """Limit and sandbox this process, open the store, then serve queries on a large stack."""
    try:
        sandboxed, why = prepare_worker(limits)
        store = open_for_queries(Path(store_path))
    except BaseException as exc:  # report why we cannot serve, then stop
        conn.send(StartFailed(f"{type(exc).__name__}: {exc}"))
        return
    conn.send(Ready(sandboxed, why))
    policy = ServicePolicy(allowlist=limits.service_allowlist, egress_path=limits.egress_path,
                           timeout=limits.service_timeout, max_bytes=max_bytes, sandboxed=sandboxed)
    run_with_stack(lambda: serve(conn, store, max_bytes, policy), limits.stack_bytes)


def serve(conn, store, max_bytes: int, policy: ServicePolicy = ServicePolicy()) -> None:
    """Answer one query at a time until the pipe closes."""
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            kind, body, media_type = execute(store, request, max_bytes, policy)
            # the C pickler: multiprocessing's own (conn.send) costs more per small answer
            conn.send_bytes(pickle.dumps(Answer(QueryOutcome(kind=kind, body=body, media_type=media_type)),
                                         pickle.HIGHEST_PROTOCOL))
        except BaseException as exc:  # every failure goes back to the parent as data
            try:
                conn.send(failure(exc))
            except (BrokenPipeError, OSError):
                return
