"""The ``/sparql`` endpoint: HTTP in, protocol functions, executor, HTTP out.

Request parsing is ``query.rules.protocol``, negotiation ``query.rules.media``, refusals
``query.rules.guard``; every failure is a :class:`~jichitai_kg.errors.JKGError` whose status
the app's one error handler answers (see the status table in docs/usage.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request

from ..dataset import Dataset
from ..errors import BadRequest, Forbidden, JKGError, NotAcceptable, QuerySyntaxError
from ..linked_data.formats import BY_MEDIA_TYPE, write_rdf
from ..linked_data.service import GRAPH_ROLES, RESULT_FORMAT_IRIS, describe_service
from ..query.rules import guard, media, protocol, syntax_errors
from .responses import answer_response, request_lang
from .state import get_dataset, jsonld_context
from .urls import endpoint_url

bp = Blueprint("sparql", __name__)


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def sparql():
    if request.method == "OPTIONS":
        return Response(status=204, headers={"Allow": "GET, HEAD, POST, OPTIONS"})
    limit = current_app.config["MAX_REQUEST_BYTES"]
    if len(request.query_string) > limit:
        raise JKGError(f"The URL is longer than {limit} bytes; send the query with POST.", status=414)
    if request.content_length is not None and request.content_length > limit:
        raise JKGError(f"The request body is larger than {limit} bytes (MAX_REQUEST_BYTES).",
                       status=413)
    try:
        raw_params = request.query_string.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("The URL is not valid UTF-8.") from None
    body = request.get_data(cache=False) if request.method == "POST" else b""
    sreq = protocol.parse_request(request.method, protocol.parse_pairs(raw_params),
                                  request.headers.get("Content-Type"), body)
    if sreq.query is None:
        return service_description(sreq.format)
    return run_query(sreq)


# The W3C protocol tests address the endpoint as /sparql/; answer there too, without a redirect.
bp.add_url_rule("/sparql/", endpoint="sparql_slash", view_func=sparql,
                methods=["GET", "POST", "OPTIONS"])


@dataclass(frozen=True)
class Plan:
    """What a query request asks the executor for: decided by the protocol rules, the guard
    and negotiation, the same for every request with the same text, Accept and endpoint
    (``hot_path.py`` keeps it per distinct request)."""

    query: str
    result_format: str
    default_graph: list[str] | None
    named_graphs: list[str] | None
    base_iri: str

    def args(self) -> dict[str, Any]:
        return {"result_format": self.result_format, "default_graph": self.default_graph,
                "named_graphs": self.named_graphs, "base_iri": self.base_iri}


def plan_query(sreq: protocol.SparqlRequest, accept: str | None, *, infer_default: bool,
               dataset: Dataset, base_iri: str) -> Plan:
    """The guard's refusals (400, 403) and negotiation (406) for one query request."""
    assert sreq.query is not None
    info = guard.precheck(sreq.query)  # limits and NUL first: scans linear in the query's length
    if info.update:
        raise Forbidden(guard.READ_ONLY)
    if info.form is None:
        # Not recognisably a query: the parser will say what is wrong (400), not negotiation.
        media_type = media.JSON_RESULTS
    else:
        media_type = media.negotiate_result(accept, info.form, sreq.format)
    graphs: dict[str, list[str]]
    if sreq.default_graphs or sreq.named_graphs:
        graphs = {"default_graph": sreq.default_graphs, "named_graphs": sreq.named_graphs}
    else:
        graphs = dataset.protocol_dataset(infer_default if sreq.infer is None else sreq.infer)
    return Plan(sreq.query, media_type, graphs.get("default_graph"), graphs.get("named_graphs"),
                base_iri)


def run_query(sreq: protocol.SparqlRequest) -> Response:
    dataset = get_dataset()
    plan = plan_query(sreq, request.headers.get("Accept"), dataset=dataset, base_iri=endpoint_url(),
                      infer_default=current_app.config["INFERENCE"])
    dataset.prepare()  # the ETag names the dataset version
    try:
        return answer_response(plan.query, **plan.args())
    except QuerySyntaxError as exc:  # the parser's message as a sentence with its position
        raise syntax_errors.rewrite(exc, plan.query) from None


def service_description(format_param: str | None) -> Response:
    if format_param:
        wanted = [media.format_value(v.strip().lower(), "DESCRIBE", media.graph_aliases())
                  for v in format_param.split(",")]
        media_type = next((w for w in wanted if w in media.DESCRIPTION_TYPES), None)
        if media_type is None:
            raise BadRequest(f"format={format_param} is not available for the service description; "
                             "use turtle, ntriples, jsonld, rdfxml or html.")
    else:
        media_type = media.negotiate(request.headers.get("Accept"), media.DESCRIPTION_TYPES,
                                     media.graph_aliases())
        if media_type is None:
            raise NotAcceptable("The service description is available as "
                                + ", ".join(media.DESCRIPTION_TYPES))
    counts = get_dataset().graph_counts()
    endpoint = endpoint_url()
    triples = describe_service(endpoint, counts,
                               federated=bool(current_app.config["SERVICE_ALLOWLIST"]))
    body: str | bytes
    if media_type == media.HTML:
        body = render_template(
            "service_description.html",
            endpoint=endpoint,
            graphs=[(name, GRAPH_ROLES.get(name, "extra"), n) for name, n in sorted(counts.items())],
            total=sum(counts.values()),
            turtle=write_rdf(triples, BY_MEDIA_TYPE[media.TURTLE], {}).decode("utf-8"),
            result_formats=list(RESULT_FORMAT_IRIS.items()),
            lang=request_lang(),
        )
    else:
        body = write_rdf(triples, BY_MEDIA_TYPE[media_type], jsonld_context())
    return Response(body, status=200, headers={"Content-Type": media.content_type(media_type),
                                               "Vary": "Accept"})
