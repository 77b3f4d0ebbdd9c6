"""Push the built dataset into a remote SPARQL 1.1 store.

Each named graph of the local (built) store replaces only its own graph in the remote
store: with the Graph Store Protocol (one ``PUT`` of N-Triples per graph) when a GSP
endpoint is given, otherwise with SPARQL Update (``DROP SILENT GRAPH`` then
``INSERT DATA`` in chunks of at most ``chunk_triples`` triples; triples sharing a
blank node always travel in the same chunk, because a blank node label only means
the same node within one request).  Running it twice gives the same remote state.

Order matters for the service's version check: the metadata graph is dropped first,
the graphs are written and their remote sizes compared with the local ones, and only
then is the metadata graph written with the dataset version (the build's content
hash) and the graph sizes.  A push that fails half-way therefore leaves a store that
``serve --query-endpoint`` refuses, never one that looks complete.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..content import app_query, rq_header
from ..errors import PushError
from ..query.rules.guard import scan
from ..query.rules.media import JSON_RESULTS, NTRIPLES
from ..query.rules.protocol import FORM, SPARQL_UPDATE
from .bindings import inline_bindings
from .executor import META_GRAPH
from .http import Client, Credentials, form_body, with_params

DCTERMS = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
XSD = "http://www.w3.org/2001/XMLSchema#"


@dataclass(frozen=True)
class PushTarget:
    query_endpoint: str
    update_endpoint: str
    gsp_endpoint: str | None = None
    credentials: Credentials | None = None
    timeout: float = 120.0
    chunk_triples: int = 1000


@dataclass
class PushReport:
    version: str
    method: str  # "gsp" | "update"
    triples: dict[str, int] = field(default_factory=dict)  # graph → triples (local = remote)
    requests: int = 0
    seconds: float = 0.0


def local_graphs(store: ox.Store) -> dict[str, list[ox.Triple]]:
    """The triples of every named graph of the built store."""
    graphs: dict[str, list[ox.Triple]] = {}
    for q in store.quads_for_pattern(None, None, None):
        if isinstance(q.graph_name, ox.NamedNode):
            graphs.setdefault(q.graph_name.value, []).append(
                ox.Triple(q.subject, q.predicate, q.object))
    return graphs


def check_blank_nodes_stay_in_one_graph(graphs: dict[str, list[ox.Triple]]) -> None:
    """A blank node used in two graphs would become two nodes remotely (one per request)."""
    seen: dict[str, str] = {}
    for graph, triples in graphs.items():
        for t in triples:
            for term in (t.subject, t.object):
                if isinstance(term, ox.BlankNode):
                    other = seen.setdefault(term.value, graph)
                    if other != graph:
                        raise PushError(f"blank node _:{term.value} is used in <{other}> and "
                                        f"<{graph}>; it cannot be pushed graph by graph")


def chunks(triples: list[ox.Triple], size: int) -> list[list[ox.Triple]]:
    """Split into chunks of about ``size`` triples, keeping blank-node-connected triples together."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    plain, linked = [], []
    for t in triples:
        nodes = [term.value for term in (t.subject, t.object) if isinstance(term, ox.BlankNode)]
        if not nodes:
            plain.append(t)
            continue
        linked.append((t, nodes[0]))
        for other in nodes[1:]:
            parent[find(other)] = find(nodes[0])
    groups: dict[str, list[ox.Triple]] = {}
    for t, node in linked:
        groups.setdefault(find(node), []).append(t)
    out: list[list[ox.Triple]] = []
    current: list[ox.Triple] = []
    for group in list(groups.values()) + [[t] for t in plain]:
        if current and len(current) + len(group) > size:
            out.append(current)
            current = []
        current.extend(group)
    if current:
        out.append(current)
    return out


def ntriples(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def update_text(name: str, graph: str, triples: str = "") -> str:
    """The SPARQL Update ``sparql/<name>.rq`` for ``graph``: ``?graph`` pre-bound to its IRI
    (checked by pyoxigraph) and the variable ``$triples`` replaced by N-Triples pyoxigraph wrote."""
    template = rq_header(app_query(name))[1]
    binding = {"graph": str(ox.NamedNode(graph))}
    for kind, text, start, end in scan(template):
        if kind == "var" and text == "$triples":
            return (inline_bindings(template[:start], binding) + triples
                    + inline_bindings(template[end:], binding))
    return inline_bindings(template, binding)


def metadata_triples(version: str, counts: dict[str, int]) -> list[ox.Triple]:
    meta = ox.NamedNode(META_GRAPH)
    out = [
        ox.Triple(meta, ox.NamedNode(DCTERMS + "hasVersion"), ox.Literal(version)),
        ox.Triple(meta, ox.NamedNode(DCTERMS + "modified"),
                  ox.Literal(time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                             datatype=ox.NamedNode(XSD + "dateTime"))),
    ]
    for graph, n in sorted(counts.items()):
        out.append(ox.Triple(meta, ox.NamedNode(DCTERMS + "hasPart"), ox.NamedNode(graph)))
        out.append(ox.Triple(ox.NamedNode(graph), ox.NamedNode(VOID + "triples"),
                             ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))))
    return out


class Pusher:
    """Writes graphs to one remote store and reads their sizes back."""

    def __init__(self, target: PushTarget):
        self.target = target
        self.client = Client(target.credentials)
        self.requests = 0

    def update(self, text: str) -> None:
        self.requests += 1
        self.client.request("POST", self.target.update_endpoint, body=text.encode("utf-8"),
                            headers={"Content-Type": SPARQL_UPDATE},
                            timeout=self.target.timeout)

    def replace_graph(self, graph: str, triples: list[ox.Triple]) -> None:
        if self.target.gsp_endpoint:
            self.requests += 1
            self.client.request("PUT", with_params(self.target.gsp_endpoint, [("graph", graph)]),
                                body=ntriples(triples), timeout=self.target.timeout,
                                headers={"Content-Type": NTRIPLES})
            return
        self.drop_graph(graph)
        for part in chunks(triples, self.target.chunk_triples):
            blank = any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)
                        for t in part)
            self.update(update_text("remote-insert-template" if blank else "remote-insert-data",
                                    graph, ntriples(part).decode("utf-8")))

    def drop_graph(self, graph: str) -> None:
        self.update(update_text("remote-drop-graph", graph))

    def remote_size(self, graph: str) -> int:
        text = inline_bindings(app_query("remote-graph-size"), {"graph": str(ox.NamedNode(graph))})
        self.requests += 1
        resp = self.client.request("POST", self.target.query_endpoint,
                                   body=form_body([("query", text)]),
                                   headers={"Content-Type": FORM,
                                            "Accept": JSON_RESULTS},
                                   timeout=self.target.timeout)
        solutions = ox.parse_query_results(resp.body, ox.QueryResultsFormat.JSON)
        rows = list(solutions) if isinstance(solutions, ox.QuerySolutions) else []
        return int(rows[0]["triples"].value) if rows else 0


def push(store: ox.Store, version: str, target: PushTarget,
         log: Callable[[str], None] = lambda line: None) -> PushReport:
    """Replace the remote copy of every named graph of ``store``; verify; record ``version``."""
    started = time.perf_counter()
    graphs = local_graphs(store)
    check_blank_nodes_stay_in_one_graph(graphs)
    if META_GRAPH in graphs:
        raise PushError(f"the dataset itself uses the metadata graph <{META_GRAPH}>")
    pusher = Pusher(target)
    report = PushReport(version=version, method="gsp" if target.gsp_endpoint else "update")
    pusher.drop_graph(META_GRAPH)
    for graph, triples in sorted(graphs.items()):
        pusher.replace_graph(graph, triples)
        local = len(set(triples))
        remote = pusher.remote_size(graph)
        if remote != local:
            raise PushError(f"<{graph}>: the store counts {remote} triples after the push, "
                            f"the build has {local}")
        report.triples[graph] = local
        log(f"{graph}: {local} triples")
    pusher.replace_graph(META_GRAPH, metadata_triples(version, report.triples))
    report.requests = pusher.requests
    report.seconds = time.perf_counter() - started
    return report
