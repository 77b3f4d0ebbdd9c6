"""Error answers: JSON (RFC 9457 problem details) for JSON clients, plain text for the others.

A client is a JSON client when ``format=`` names a JSON format or its ``Accept`` header
prefers a JSON type (``application/json``, ``application/sparql-results+json``,
``application/ld+json``, any ``+json``) to plain text and HTML.  Every error goes through
here: :class:`~jichitai_kg.errors.JKGError` from the views and Flask's own 404, 405 and 413,
so a JSON client never has to parse an HTML page or a bare sentence.  The body::

    {"type": "about:blank", "title": "Bad Request", "status": 400,
     "detail": "Unknown prefix `foo:` at 1:21 (line 1, column 21) — add …",
     "error": "QuerySyntaxError", "line": 1, "column": 21, "token": "foo:"}

``line``/``column``/``token`` appear for query syntax errors (``query/rules/syntax_errors.py``);
``param``/``valid`` for a parameter a question cannot accept.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask import Response, request
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES, parse_accept_header

from ..errors import JKGError, ParameterError, QuerySyntaxError
from .responses import text_response

PROBLEM_JSON = "application/problem+json"
JSON_FORMATS = {"json", "jsonld", "json-ld", "srj"}


def wants_json() -> bool:
    """Whether the client of this request reads JSON (see the module's description)."""
    formats = [f.strip().lower() for v in request.args.getlist("format") for f in v.split(",")]
    if any(f in JSON_FORMATS or f.endswith("json") for f in formats):
        return True
    best_json = best_other = 0.0
    for value, q in parse_accept_header(request.headers.get("Accept")):
        mtype = value.split(";")[0].strip().lower()
        if mtype.endswith(("/json", "+json")):
            best_json = max(best_json, q)
        elif mtype in ("text/plain", "text/html", "application/xhtml+xml", "*/*", "text/*"):
            best_other = max(best_other, q)
    return best_json > 0 and best_json >= best_other


def problem_body(status: int, message: str, error: str, extra: Mapping[str, Any] | None = None) -> dict:
    return {"type": "about:blank", "title": HTTP_STATUS_CODES.get(status, "Error"), "status": status,
            "detail": message, "error": error, **(extra or {})}


def problem_response(status: int, message: str, error: str, headers: Mapping[str, str] | None = None,
                     extra: Mapping[str, Any] | None = None) -> Response:
    body = json.dumps(problem_body(status, message, error, extra), ensure_ascii=False)
    resp = Response(body, status=status, headers=dict(headers or {}))
    resp.headers["Content-Type"] = PROBLEM_JSON
    return resp


def _fields(exc: JKGError) -> dict[str, Any]:
    if isinstance(exc, QuerySyntaxError) and exc.line is not None:
        return {"line": exc.line, "column": exc.column, "token": exc.token}
    if isinstance(exc, ParameterError) and exc.param:
        return {"param": exc.param, "valid": exc.valid}
    return {}


def jkg_error(exc: JKGError) -> Response:
    headers = {**exc.headers, "Vary": "Accept"}
    if wants_json():
        return problem_response(exc.status, exc.message, type(exc).__name__, headers, _fields(exc))
    return text_response(exc.status, exc.message, headers)


def http_error(exc: HTTPException):
    """Flask's own errors (404 no such route, 405, 413 body too large…)."""
    status = exc.code or 500
    if status == 405:
        message = f"Method {request.method} is not allowed on {request.path}; use GET or POST."
        headers = {"Allow": "GET, HEAD, POST, OPTIONS"}
    else:
        message = f"{exc.name}: {exc.description}" if exc.description else str(exc.name)
        if status == 404:
            message = f"Nothing is published at {request.path}."
        headers = {}
    if wants_json():
        return problem_response(status, message, exc.name.replace(" ", ""), {**headers, "Vary": "Accept"})
    if status == 405:
        return text_response(405, message, headers)
    return exc  # Flask's own page for browsers
