"""SPARQL 1.1 Protocol request parsing as pure functions (§2.1 query operation).

Nothing here touches Flask or the store: the view hands over the method, the URL
parameters, the Content-Type and the body, and gets a :class:`SparqlRequest` or a
:class:`JKGError` carrying the status the protocol prescribes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import pyoxigraph as ox

from ...config import parse_bool
from ...errors import BadRequest, Forbidden, InvalidParameter, JKGError
from ..memo import memoize_text
from .guard import READ_ONLY

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"


@dataclass
class SparqlRequest:
    """A protocol request reduced to what the executor needs."""

    query: str | None  # None: no query, answer with the service description
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    infer: bool | None = None
    format: str | None = None


def parse_content_type(value: str | None) -> tuple[str | None, dict[str, str]]:
    if not value or not value.strip():
        return None, {}
    parts = [p.strip() for p in value.split(";")]
    params = {}
    for p in parts[1:]:
        k, _, v = p.partition("=")
        params[k.strip().lower()] = v.strip().strip('"')
    return parts[0].lower(), params


def _decode_utf8(body: bytes, params: dict[str, str], what: str) -> str:
    charset = params.get("charset")
    if charset and charset.lower() not in ("utf-8", "utf8"):
        raise BadRequest(f"The {what} must be UTF-8 encoded (Content-Type says charset={charset}).")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"The {what} is not valid UTF-8 (byte {exc.start}).") from None


@memoize_text()  # decoding a percent-encoded query costs more than running a small one
def parse_pairs(raw: str) -> tuple[tuple[str, str], ...]:
    """Decode ``a=b&c=d`` strictly: undecodable percent-escapes are a client error."""
    try:
        return tuple(parse_qsl(raw, keep_blank_values=True, strict_parsing=False,
                               encoding="utf-8", errors="strict"))
    except UnicodeDecodeError:
        raise BadRequest("A percent-encoded parameter is not valid UTF-8.") from None


def parse_request(method: str, url_params: Sequence[tuple[str, str]], content_type: str | None,
                  body: bytes) -> SparqlRequest:
    """Apply the protocol's rules (SPARQL 1.1 Protocol §2.1, §2.2) to one HTTP request."""
    method = method.upper()
    if method in ("GET", "HEAD"):
        params = list(url_params)
        if _values(params, "update"):
            raise BadRequest("SPARQL Update cannot be sent with GET (and this endpoint is "
                                "read-only).")
        return _from_params(params, allow_empty=True)
    if method != "POST":
        raise JKGError(f"Method {method} is not allowed; use GET or POST.", status=405,
                       headers={"Allow": "GET, HEAD, POST, OPTIONS"})
    mtype, ct_params = parse_content_type(content_type)
    if mtype is None:
        raise BadRequest("POST needs a Content-Type: application/x-www-form-urlencoded, "
                            "application/sparql-query (or application/sparql-update).")
    if mtype == FORM:
        text = _decode_utf8(body, ct_params, "form body")
        body_params = parse_pairs(text)
        for key in ("query", "update"):
            if _values(url_params, key) and _values(body_params, key):
                raise BadRequest(f"'{key}' given both in the URL and in the body.")
        params = [*url_params, *body_params]
        updates = _values(params, "update")
        if updates and _values(params, "query"):
            raise BadRequest("A request carries either 'query' or 'update', not both.")
        if len(updates) > 1:
            raise BadRequest("More than one 'update' parameter.")
        if updates:
            raise Forbidden(READ_ONLY)
        req = _from_params(params, allow_empty=False)
        return req
    if mtype == SPARQL_QUERY:
        text = _decode_utf8(body, ct_params, "query")
        if _values(url_params, "query") or _values(url_params, "update"):
            raise BadRequest("With Content-Type application/sparql-query the query is the "
                                "body; do not also pass 'query' or 'update' in the URL.")
        if not text.strip():
            raise BadRequest("The request body (the query) is empty.")
        req = _from_params(list(url_params), allow_empty=True)
        req.query = text
        return req
    if mtype == SPARQL_UPDATE:
        _decode_utf8(body, ct_params, "update")
        raise Forbidden(READ_ONLY)
    raise JKGError(status=415, message=f"Unsupported Content-Type {mtype}; use application/x-www-form-"
                        "urlencoded or application/sparql-query.")


def _values(params: Sequence[tuple[str, str]], key: str) -> list[str]:
    return [v for k, v in params if k == key]


def _from_params(params: list[tuple[str, str]], *, allow_empty: bool) -> SparqlRequest:
    queries = _values(params, "query")
    if len(queries) > 1:
        raise BadRequest("More than one 'query' parameter.")
    if not queries and not allow_empty:
        raise BadRequest("The form body has no 'query' parameter.")
    if queries and not queries[0].strip():
        raise BadRequest("The 'query' parameter is empty.")
    infers = _values(params, "infer")
    infer = parse_bool(infers[-1], "infer") if infers else None
    formats = _values(params, "format")
    return SparqlRequest(
        query=queries[0] if queries else None,
        default_graphs=_graph_iris(params, "default-graph-uri"),
        named_graphs=_graph_iris(params, "named-graph-uri"),
        infer=infer,
        format=",".join(formats) if formats else None,
    )


def _graph_iris(params: list[tuple[str, str]], key: str) -> list[str]:
    """The graph IRIs of ``default-graph-uri``/``named-graph-uri``; anything else is a 400."""
    iris = [v for v in _values(params, key) if v]
    for iri in iris:
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise InvalidParameter(f"{key}={iri!r} is not an absolute IRI ({exc}).") from None
    return iris
