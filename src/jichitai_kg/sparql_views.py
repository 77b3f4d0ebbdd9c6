"""The ``/sparql`` endpoint: HTTP in, protocol functions, executor, HTTP out.

All protocol decisions are made by ``protocol``; this module maps them and the
executor's exceptions to status codes:

====================  ======  ==================================================
situation             status  why
====================  ======  ==================================================
malformed request     400     protocol violations, syntax errors (with position)
update / SERVICE      403     the endpoint is read-only; SERVICE would make us a proxy
method                405     only GET, HEAD, POST, OPTIONS
nothing acceptable    406     Accept admits none of the formats for that query form
body too large        413     over MAX_REQUEST_BYTES
URL too long          414     query string over MAX_REQUEST_BYTES
content type          415     POST body neither form nor sparql-query
result too large      422     serialized answer over MAX_RESULT_BYTES (never truncated)
evaluation failure    500
timeout / busy        503     the worker was killed after QUERY_TIMEOUT
====================  ======  ==================================================
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from . import protocol, workbench
from .app import asserted_graphs, get_executor, get_state
from .executor import (ForbiddenOperation, QueryFailed, QuerySyntaxError, QueryTimeout,
                       ResultTooLarge, UnsupportedFormat)
from .namespaces import DATA_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, SD, VOID, bind_prefixes

bp = Blueprint("sparql", __name__)

FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMAT_IRIS = {
    protocol.JSON_RESULTS: FORMATS + "SPARQL_Results_JSON",
    protocol.XML_RESULTS: FORMATS + "SPARQL_Results_XML",
    protocol.CSV: FORMATS + "SPARQL_Results_CSV",
    protocol.TSV: FORMATS + "SPARQL_Results_TSV",
    protocol.TURTLE: FORMATS + "Turtle",
    protocol.NTRIPLES: FORMATS + "N-Triples",
    protocol.JSONLD: FORMATS + "JSON-LD",
    protocol.RDFXML: FORMATS + "RDF_XML",
}
OWL_RDF_BASED = URIRef("http://www.w3.org/ns/entailment/OWL-RDF-Based")
OWL_RL = URIRef("http://www.w3.org/ns/owl-profile/RL")
RDFLIB_FORMAT = {
    protocol.TURTLE: "turtle",
    protocol.NTRIPLES: "nt",
    protocol.JSONLD: "json-ld",
    protocol.RDFXML: "xml",
}
TEXT_TYPES = (protocol.CSV, protocol.TSV, protocol.TURTLE, protocol.NTRIPLES, protocol.HTML)


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    resp = Response(message.rstrip() + "\n", status=status, mimetype="text/plain")
    resp.headers["Content-Type"] = "text/plain; charset=utf-8"
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    resp.headers["Vary"] = "Accept"
    return resp


def endpoint_url() -> str:
    """The endpoint's public IRI: PUBLIC_BASE when set (behind a proxy), else the request URL."""
    base = current_app.config.get("PUBLIC_BASE")
    if base:
        return base + "/sparql"
    return request.base_url.rstrip("/")


def content_type_header(media_type: str) -> str:
    return f"{media_type}; charset=utf-8" if media_type in TEXT_TYPES else media_type


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def sparql():
    if request.method == "OPTIONS":
        resp = Response(status=204)
        resp.headers["Allow"] = "GET, HEAD, POST, OPTIONS"
        return resp
    limit = current_app.config["MAX_REQUEST_BYTES"]
    if len(request.query_string) > limit:
        return _text(414, f"The URL is longer than {limit} bytes; send the query with POST.")
    if request.content_length is not None and request.content_length > limit:
        return _text(413, f"The request body is larger than {limit} bytes (MAX_REQUEST_BYTES).")
    try:
        try:
            raw_params = request.query_string.decode("utf-8")
        except UnicodeDecodeError:
            raise protocol.ProtocolError(400, "The URL is not valid UTF-8.") from None
        body = request.get_data(cache=False) if request.method == "POST" else b""
        sreq = protocol.parse_request(
            request.method,
            protocol.parse_pairs(raw_params),
            request.headers.get("Content-Type"),
            body,
        )
    except protocol.ProtocolError as exc:
        return _text(exc.status, exc.message, exc.headers)
    if sreq.query is None:
        return service_description(sreq.format)
    return run_query(sreq)


# The W3C protocol tests address the endpoint as /sparql/; answer there too, without a redirect.
bp.add_url_rule("/sparql/", endpoint="sparql_slash", view_func=sparql,
                methods=["GET", "POST", "OPTIONS"])


@bp.app_errorhandler(405)
def _method_not_allowed(exc):
    return _text(405, f"Method {request.method} is not allowed on {request.path}; use GET or POST.",
                 {"Allow": "GET, HEAD, POST, OPTIONS"})


#: Everything ``QueryExecutor.run`` raises for a query that cannot be answered.
EXECUTOR_ERRORS = (QuerySyntaxError, ForbiddenOperation, UnsupportedFormat, ResultTooLarge,
                   QueryTimeout, QueryFailed)


def executor_error_response(exc: Exception) -> Response:
    """The status and plain-text message of an executor error (the README's status table)."""
    if isinstance(exc, QuerySyntaxError):
        return _text(400, f"Query syntax error: {exc}")
    if isinstance(exc, ForbiddenOperation):
        return _text(403, str(exc))
    if isinstance(exc, UnsupportedFormat):
        return _text(406, str(exc))
    if isinstance(exc, ResultTooLarge):
        return _text(422, str(exc))
    if isinstance(exc, QueryTimeout):
        return _text(503, str(exc), {"Retry-After": "5"})
    return _text(500, f"Query evaluation failed: {exc}")


def run_query(sreq: protocol.SparqlRequest) -> Response:
    info = protocol.sniff(sreq.query)
    try:
        if info.update:
            raise ForbiddenOperation(protocol.READ_ONLY)
        if info.form is None:
            # Not recognisably a query: the parser will say what is wrong (400), not negotiation.
            media_type = protocol.JSON_RESULTS
        else:
            media_type = protocol.negotiate_result(request.headers.get("Accept"), info.form,
                                                   sreq.format)
    except ForbiddenOperation as exc:
        return _text(403, str(exc))
    except protocol.ProtocolError as exc:
        return _text(exc.status, exc.message, exc.headers)
    try:
        default_graph, named_graphs = _dataset(sreq)
        outcome = get_executor().run(
            sreq.query,
            result_format=media_type,
            default_graph=default_graph,
            named_graphs=named_graphs,
            base_iri=endpoint_url(),
        )
    except EXECUTOR_ERRORS as exc:
        return executor_error_response(exc)
    resp = Response(outcome.body, status=200)
    resp.headers["Content-Type"] = content_type_header(outcome.media_type)
    resp.headers["Vary"] = "Accept"
    return resp


def _dataset(sreq: protocol.SparqlRequest) -> tuple[list[str] | None, list[str] | None]:
    """The RDF dataset: the request's graphs if it names any, else the union (minus inferences)."""
    if sreq.default_graphs or sreq.named_graphs:
        return sreq.default_graphs, sreq.named_graphs
    infer = current_app.config["INFERENCE"] if sreq.infer is None else sreq.infer
    if infer:
        return None, None
    graphs = asserted_graphs(get_state().graph_counts())
    return graphs, graphs


# --------------------------------------------------------------------------- service description


def build_service_description(endpoint: str, counts: dict[str, int], *,
                              federated: bool = False) -> Graph:
    """The sd:Service graph (SPARQL 1.1 Service Description), built as RDF, not as text.

    ``federated``: SERVICE works (for allowlisted endpoints only), so sd:BasicFederatedQuery.
    """
    g = bind_prefixes(Graph())
    g.bind("formats", FORMATS)
    g.bind("ent", "http://www.w3.org/ns/entailment/")
    service = URIRef(endpoint)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for iri in RESULT_FORMAT_IRIS.values():
        g.add((service, SD.resultFormat, URIRef(iri)))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    if federated:
        g.add((service, SD.feature, SD.BasicFederatedQuery))
    g.add((service, SD.defaultEntailmentRegime, OWL_RDF_BASED))
    g.add((service, SD.defaultSupportedEntailmentProfile, OWL_RL))

    dataset = BNode("defaultDataset")
    g.add((service, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    # The default graph is the union of the named graphs, OWL 2 RL entailments included.
    g.add((dataset, SD.entailmentRegime, OWL_RDF_BASED))
    g.add((dataset, SD.supportedEntailmentProfile, OWL_RL))
    default_graph = BNode("defaultGraph")
    g.add((dataset, SD.defaultGraph, default_graph))
    g.add((default_graph, RDF.type, SD.Graph))
    g.add((default_graph, SD.entailmentRegime, OWL_RDF_BASED))
    g.add((default_graph, SD.supportedEntailmentProfile, OWL_RL))
    g.add((default_graph, VOID.triples, Literal(sum(counts.values()), datatype=XSD.integer)))
    for index, (name, triples) in enumerate(sorted(counts.items())):
        named = BNode(f"namedGraph{index}")
        graph = BNode(f"graph{index}")
        g.add((dataset, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
        g.add((named, SD.graph, graph))
        g.add((graph, RDF.type, SD.Graph))
        g.add((graph, VOID.triples, Literal(triples, datatype=XSD.integer)))
        if URIRef(name) == INFERRED_GRAPH:
            g.add((named, SD.entailmentRegime, OWL_RDF_BASED))
    return g


GRAPH_ROLES = {str(ONTOLOGY_GRAPH): "ontology", str(DATA_GRAPH): "data",
               str(INFERRED_GRAPH): "inferred"}


def service_description(format_param: str | None) -> Response:
    try:
        if format_param:
            wanted = protocol.FORMAT_PARAM.get(format_param.strip().lower())
            if wanted not in protocol.DESCRIPTION_TYPES:
                raise protocol.ProtocolError(400, f"format={format_param} is not available for the "
                                             "service description; use turtle, ntriples, jsonld, "
                                             "rdfxml or html.")
            media_type = wanted
        else:
            media_type = protocol.negotiate(request.headers.get("Accept"),
                                            protocol.DESCRIPTION_TYPES, protocol.graph_aliases())
            if media_type is None:
                raise protocol.ProtocolError(
                    406, "The service description is available as "
                    + ", ".join(protocol.DESCRIPTION_TYPES))
    except protocol.ProtocolError as exc:
        return _text(exc.status, exc.message)
    try:
        counts = get_state().graph_counts()
    except (QueryTimeout, QueryFailed) as exc:
        return _text(503, f"The dataset is not available: {exc}")
    endpoint = endpoint_url()
    graph = build_service_description(endpoint, counts,
                                      federated=bool(current_app.config["SERVICE_ALLOWLIST"]))
    if media_type == protocol.HTML:
        body = render_template(
            "service_description.html",
            endpoint=endpoint,
            graphs=[(name, GRAPH_ROLES.get(name, "extra"), n) for name, n in sorted(counts.items())],
            total=sum(counts.values()),
            turtle=graph.serialize(format="turtle"),
            result_formats=list(RESULT_FORMAT_IRIS.items()),
            lang=_lang(),
        )
    else:
        body = graph.serialize(format=RDFLIB_FORMAT[media_type])
    resp = Response(body, status=200)
    resp.headers["Content-Type"] = content_type_header(media_type)
    resp.headers["Vary"] = "Accept"
    return resp


def _lang() -> str:
    return workbench.current_lang()
