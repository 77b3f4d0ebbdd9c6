"""Answer queries from a remote SPARQL 1.1 store with the local executor's interface.

``RemoteExecutor`` has the methods, arguments, return type and exceptions of
``query.execution.executor.QueryExecutor`` so that every view works unchanged when the app is
configured with ``STORE_QUERY_ENDPOINT`` (``Dataset`` builds it):

* the same guards run first (``query.rules.guard.check``: no update, no LOAD, no SERVICE outside
  the allowlist), and the query is parsed locally by pyoxigraph, so a syntax error
  is reported exactly as in embedded mode and nothing malformed is forwarded;
* parameters are pre-bound in the text (``bindings.py``) because the protocol has
  no substitutions;
* the dataset is always explicit: by default every graph ``push`` wrote (recorded in
  the store's metadata graph), as ``default-graph-uri`` *and* ``named-graph-uri``,
  which is what the union default graph gives locally and keeps the institute's other
  data out of our answers; ``infer=false`` passes the asserted graphs; a query's own
  FROM / FROM NAMED is kept, but may only name those graphs (403 otherwise);
* the store answers in SPARQL results JSON or N-Triples, and the answer is parsed
  and re-serialized by the same code as in embedded mode, so every format, the
  result cap and the prefixes are the same whichever store answered;
* the time limit is the HTTP client's deadline (503 as today); the store's own limit
  applies on top where it has one.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass

from ..content import app_query, rq_header
from ..errors import (
    Forbidden,
    QueryFailed,
    QuerySyntaxError,
    QueryTimeout,
    ResultTooLarge,
    StoreUnavailable,
    VersionMismatch,
)
from ..namespaces import OWN
from ..query.execution.worker import QueryOutcome, parse_term, serialize_result
from ..query.rules import guard, media
from ..query.rules.protocol import FORM
from .bindings import inline_bindings
from .http import Client, Credentials, RemoteError, RemoteTimeout, RemoteTooLarge, form_body, short_url

#: The graph ``push`` writes the dataset version and the list of graphs into.
META_GRAPH = OWN["GRAPH"] + "meta"
#: Seconds allowed for copying one whole graph (snapshot for the downloads).
SNAPSHOT_TIMEOUT = 120.0
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.8, application/rdf+xml;q=0.5"
#: How much bigger than MAX_RESULT_BYTES the store's raw answer may be (JSON is verbose).
RAW_FACTOR = 4


@dataclass(frozen=True)
class StoreMetadata:
    version: str
    graphs: dict[str, int]  # graph IRI → triples, as push counted them


class RemoteExecutor:
    """Forward guarded, locally parsed queries to ``query_endpoint``."""

    def __init__(self, query_endpoint: str, *, timeout: float = 10.0,
                 max_result_bytes: int = 20 * 1024 * 1024,
                 service_allowlist: list[str] | tuple[str, ...] = (),
                 credentials: Credentials | None = None,
                 expected_version: str | None = None):
        import pyoxigraph as ox

        self.query_endpoint = query_endpoint
        self.timeout = float(timeout)
        self.max_result_bytes = int(max_result_bytes)
        self.service_allowlist = list(service_allowlist)
        self.store_path = None  # there is no local store
        self._client = Client(credentials)
        self._parser = ox.Store()  # empty: used only to parse queries exactly as locally
        self._closed = False
        self._lock = threading.Lock()
        self.expected_version = expected_version
        self.metadata = self.read_metadata()
        self._check_version(self.metadata.version)

    def _check_version(self, version: str) -> None:
        if self.expected_version is not None and version != self.expected_version:
            raise VersionMismatch(
                f"The store at {self.query_endpoint} holds dataset version {version}, but this "
                f"checkout builds {self.expected_version}. Run `jichitai-kg push` again, or set "
                "STORE_VERSION_CHECK=false to serve it anyway.")

    # -- the interface of query.execution.executor.QueryExecutor

    def check(self, query: str) -> guard.QueryInfo:
        return guard.check(query, self.service_allowlist)

    def close(self) -> None:
        self._closed = True

    def run(self, query: str, *, result_format: str, substitutions: dict[str, str] | None = None,
            default_graph: list[str] | None = None, named_graphs: list[str] | None = None,
            base_iri: str | None = None, timeout: float | None = None) -> QueryOutcome:
        """The signature of ``QueryExecutor.run``; the query is forwarded after the checks."""
        if self._closed:
            raise QueryFailed("the query executor is closed")
        info = self.check(query)
        self._parse_locally(query, substitutions, base_iri)
        text = inline_bindings(query, substitutions)
        if base_iri and info.base is None:
            text = f"BASE <{parse_term(f'<{base_iri}>').value}>\n{text}"
        params = [("query", text)]
        if default_graph is None and named_graphs is None:
            from_graphs = _from_clause_graphs(query, info)
            if from_graphs is None:
                graphs = sorted(self.metadata.graphs)
                params += [("default-graph-uri", g) for g in graphs]
                params += [("named-graph-uri", g) for g in graphs]
            else:  # the query's own dataset applies, but only over this dataset's graphs
                outside = [g or "?" for g in from_graphs if g not in self.metadata.graphs]
                if outside:
                    raise Forbidden(
                        "FROM / FROM NAMED may only name this dataset's graphs ("
                        + ", ".join(f"<{g}>" for g in sorted(self.metadata.graphs))
                        + "); refused: " + ", ".join(outside))
        else:
            params += [("default-graph-uri", g) for g in (default_graph or [])]
            params += [("named-graph-uri", g) for g in (named_graphs or [])]
        graph_form = info.form in ("CONSTRUCT", "DESCRIBE")
        accept = GRAPH_ACCEPT if graph_form else media.JSON_RESULTS
        result = self._fetch(params, accept, self.timeout if timeout is None else float(timeout))
        kind, body, media_type = serialize_result(result, result_format, self.max_result_bytes)
        return QueryOutcome(kind=kind, body=body, media_type=media_type)

    # -- remote-specific

    def health(self) -> dict:
        """For /healthz (after its real query through ``run``): the version the store holds now.

        Raises ``StoreUnavailable`` (503) when the store now holds another version than the
        one this service checked at start.
        """
        version = self.read_metadata().version
        if version != self.metadata.version:
            raise StoreUnavailable(f"The store at {self.query_endpoint} now holds dataset version "
                                   f"{version}; this service started with "
                                   f"{self.metadata.version}: restart it.")
        return {"remote_store": short_url(self.query_endpoint), "dataset_version": version}

    def read_metadata(self) -> StoreMetadata:
        """The version and graphs ``push`` recorded; a clear error when there are none."""
        text = inline_bindings(app_query("remote-meta"), {"meta": f"<{META_GRAPH}>"})
        result = self._fetch([("query", text)], media.JSON_RESULTS, self.timeout)
        versions, graphs = set(), {}
        for row in result:
            versions.add(row["version"].value)
            graphs[row["graph"].value] = int(row["triples"].value)
        if not versions:
            raise VersionMismatch(f"The store at {self.query_endpoint} holds no jichitai-kg "
                                  f"dataset (no metadata graph <{META_GRAPH}>): run "
                                  "`jichitai-kg push` first.")
        if len(versions) > 1:
            raise VersionMismatch(f"The metadata graph of {self.query_endpoint} names several "
                                  f"versions ({', '.join(sorted(versions))}): push again.")
        return StoreMetadata(version=versions.pop(), graphs=graphs)

    def snapshot(self):
        """An in-memory pyoxigraph store with every graph push wrote (for the dumps)."""
        import pyoxigraph as ox

        store = ox.Store()
        for graph in sorted(self.metadata.graphs):
            text = inline_bindings(app_query("remote-graph-dump"), {"graph": f"<{graph}>"})
            triples = self._fetch([("query", text)], GRAPH_ACCEPT,
                                  max(self.timeout, SNAPSHOT_TIMEOUT))
            store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph))
                              for t in triples)
        return store

    # -- internals

    def _parse_locally(self, query: str, substitutions, base_iri) -> None:
        """Let pyoxigraph parse the query over an empty store: same messages as embedded mode."""
        import pyoxigraph as ox

        kwargs: dict = {"base_iri": base_iri}
        text = _ask_as_select(query)
        if substitutions and text is not query:
            # A substituted variable must be projected, which the parse-only SELECT is not:
            # check the text with the terms written in instead.
            text = _ask_as_select(inline_bindings(query, substitutions))
        elif substitutions:
            kwargs["substitutions"] = {ox.Variable(n.lstrip("?$")): parse_term(v)
                                       for n, v in substitutions.items()}
        try:
            with self._lock:  # SELECT, CONSTRUCT, DESCRIBE are lazy: nothing is evaluated
                self._parser.query(text, **kwargs)
        except SyntaxError as exc:
            raise QuerySyntaxError(f"Query syntax error: {exc}") from None

    def _fetch(self, params: list[tuple[str, str]], accept: str, timeout: float):
        import pyoxigraph as ox

        try:
            resp = self._client.request(
                "POST", self.query_endpoint, body=form_body(params), timeout=timeout,
                headers={"Content-Type": FORM, "Accept": accept},
                max_bytes=RAW_FACTOR * self.max_result_bytes)
        except RemoteTooLarge:
            raise ResultTooLarge(f"The result is larger than {self.max_result_bytes} bytes; add "
                                 "LIMIT or narrow the query.") from None
        except RemoteTimeout:
            raise QueryTimeout(f"The query was stopped after {timeout:g} s (QUERY_TIMEOUT).") from None
        except RemoteError as exc:
            if exc.status is None or exc.status in (502, 503, 504):
                raise StoreUnavailable(f"The SPARQL store is unavailable: {exc}") from None
            raise QueryFailed(f"The SPARQL store refused the query: {exc}") from None
        media_type = resp.content_type.split(";")[0].strip().lower()
        try:
            results_format = ox.QueryResultsFormat.from_media_type(media_type)
            if results_format is not None:
                body = resp.body
                if results_format == ox.QueryResultsFormat.JSON and XSD_BOOLEAN.encode() in body:
                    body = _canonical_booleans(body)
                return ox.parse_query_results(body, results_format)
            rdf_format = ox.RdfFormat.from_media_type(media_type)
            if rdf_format is not None:
                return [ox.Triple(q.subject, q.predicate, q.object)
                        for q in ox.parse(resp.body, rdf_format)]
        except (SyntaxError, ValueError) as exc:
            raise QueryFailed(f"The SPARQL store's answer ({media_type}) does not parse: {exc}") from None
        raise QueryFailed(f"The SPARQL store answered in an unexpected format: {media_type or 'none'}")


def from_config(config, expected_version: str) -> RemoteExecutor:
    """The executor the app uses when ``STORE_QUERY_ENDPOINT`` is set (see config.py)."""
    return RemoteExecutor(
        config["STORE_QUERY_ENDPOINT"],
        timeout=config["QUERY_TIMEOUT"],
        max_result_bytes=config["MAX_RESULT_BYTES"],
        service_allowlist=config["SERVICE_ALLOWLIST"],
        credentials=Credentials.from_env(config.get("STORE_USER"), config.get("STORE_PASSWORD_ENV")),
        expected_version=expected_version if config.get("STORE_VERSION_CHECK", True) else None,
    )


XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_BOOLEAN_CANONICAL = {"1": "true", "0": "false"}


def _canonical_booleans(body: bytes) -> bytes:
    """Write xsd:boolean values in their canonical form (Virtuoso answers "1"/"0").

    "1" and "true" are the same value (XML Schema 1.1, 3.3.2); embedded mode returns the
    data's lexical form, which in this dataset is always the canonical one.
    """
    data = json.loads(body)
    for row in data.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("datatype") == XSD_BOOLEAN and term.get("value") in _BOOLEAN_CANONICAL:
                term["value"] = _BOOLEAN_CANONICAL[term["value"]]
    return json.dumps(data).encode("utf-8")


def _ask_as_select(query: str) -> str:
    """The query with ASK turned into a SELECT, for parsing only.

    pyoxigraph evaluates ASK eagerly, and even over an empty store a query can multiply
    inline data (VALUES) without bound; SELECT is evaluated only when read, which the
    parse check never does.  The projection is ``sparql/remote-parse-check-projection.rq``.
    """
    for kind, text, start, end in guard.scan(query):
        if kind == "name" and text.upper() in guard.QUERY_FORMS:
            if text.upper() != "ASK":
                return query
            projection = rq_header(app_query("remote-parse-check-projection"))[1].strip()
            return query[:start] + projection + query[end:]
    return query


def _from_clause_graphs(query: str, info: guard.QueryInfo) -> list[str | None] | None:
    """The graphs named by FROM / FROM NAMED (None: no such clause; None items: unresolvable)."""
    tokens = guard.tokenize(query)
    graphs: list[str | None] = []
    found = False
    for i, tok in enumerate(tokens):
        if tok.kind == "name" and tok.text.upper() == "FROM":
            found = True
            j = i + 1
            if j < len(tokens) and tokens[j].kind == "name" and tokens[j].text.upper() == "NAMED":
                j += 1
            graphs.append(guard.iri_of_token(tokens[j] if j < len(tokens) else None, info))
    return graphs if found else None
