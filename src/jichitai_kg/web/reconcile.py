"""The reconciliation service under ``/reconcile`` (W3C Entity Reconciliation API, as
OpenRefine 3.x speaks it).

The views only read requests and serialize answers; the logic is :mod:`..search.reconcile`.
Malformed requests raise :class:`~jichitai_kg.errors.BadRequest` (400 with the message).
"""

from __future__ import annotations

import json
import time
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request

from ..errors import BadRequest, JKGError, NotFound
from ..i18n import texts
from ..namespaces import BASE
from ..query.execution import admission
from ..search import MAX_QUERY_CHARS
from ..search import reconcile as rc
from ..search.extend import data_extension, propose_properties
from .problems import problem_response
from .responses import request_lang
from .search import MAX_LIMIT, int_arg, local_url, search_index
from .state import get_dataset
from .urls import base_url

bp = Blueprint("reconcile", __name__)

#: The preview is shown by OpenRefine in a frame of its own page (another origin), so it may
#: be framed; it loads nothing but this server's style sheet and runs no script.
PREVIEW_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
                  "form-action 'none'; frame-ancestors *")


#: Deepest JSON nesting accepted in 'queries' (a batch is 4 levels deep: batch, query,
#: properties, value); checked by a linear scan before the parser, which would recurse.
MAX_JSON_DEPTH = 8


def json_depth_exceeds(raw: str, limit: int) -> bool:
    """True when brackets outside strings nest deeper than ``limit`` (one linear pass)."""
    depth, in_string, escaped = 0, False, False
    for ch in raw:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _json_param(name: str) -> Any:
    raw = request.values.get(name) or ""
    if raw.count("[") + raw.count("{") > MAX_JSON_DEPTH and json_depth_exceeds(raw, MAX_JSON_DEPTH):
        raise BadRequest(f"'{name}' is nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise BadRequest(f"'{name}' is not valid JSON: {exc}") from None


def _time_limit() -> float:
    return float(current_app.config.get("QUERY_TIMEOUT", 10.0))


#: A batch larger than this (OpenRefine sends about ten) is long work: it waits for one of the
#: server's long-lane tickets, shared with long SPARQL queries and counted against the client.
LONG_BATCH = 50


def _admitted(items: Any) -> AbstractContextManager[None]:
    """Hold a long-lane ticket while a batch of more than LONG_BATCH items (a dict of queries or
    a list of ids) is answered; smaller batches need none."""
    if not isinstance(items, (dict, list)) or len(items) <= LONG_BATCH:
        return nullcontext()
    limit = _time_limit()
    return admission.current().long_work(deadline=time.monotonic() + limit, limit=limit)


@bp.errorhandler(JKGError)
def _json_error(exc: JKGError):
    """The reconciliation API's clients read JSON: errors are problem details (RFC 9457) always."""
    return problem_response(exc.status, exc.message, type(exc).__name__, exc.headers)


@bp.route("/reconcile", methods=["GET", "POST"])
def reconcile():
    if "queries" in request.values:
        queries = _json_param("queries")
        with _admitted(queries):
            return jsonify(rc.reconcile_batch(queries, search_index(), time_limit=_time_limit()))
    if "extend" in request.values:
        extend = _json_param("extend")
        with _admitted(extend.get("ids") if isinstance(extend, dict) else None):
            return jsonify(data_extension(extend, get_dataset().runner(), time_limit=_time_limit()))
    if "query" in request.values:
        raw = request.values["query"].strip()
        query = _json_param("query") if raw.startswith("{") else {"query": raw}
        return jsonify(rc.reconcile_one(query, search_index(), time.monotonic() + _time_limit()))
    return jsonify(rc.manifest(base_url()))


@bp.route("/reconcile/propose_properties")
def proposed_properties():
    return jsonify(propose_properties(request.args.get("type"), int_arg("limit", 20, 1, 50)))


@bp.route("/reconcile/suggest/<kind>")
def suggest(kind: str):
    prefix = rc.clean_text(request.args.get("prefix", ""), "'prefix'", limit=MAX_QUERY_CHARS)
    limit = int_arg("limit", 10, 1, MAX_LIMIT)
    if kind == "entity":
        return jsonify(rc.suggest_entity(prefix, search_index(), type_=request.args.get("type") or None,
                                         limit=limit))
    if kind == "type":
        return jsonify(rc.suggest_type(prefix, search_index(), limit=limit))
    if kind == "property":
        return jsonify(rc.suggest_property(prefix, limit=limit))
    raise NotFound(f"no suggest service '{kind}'; use entity, type or property")


@bp.route("/reconcile/preview")
def preview():
    lang = request_lang()
    data = rc.preview_data(request.args.get("id", ""), search_index(), lang)
    if data is None:
        raise NotFound("unknown id: give the IRI of an entity of this dataset in 'id'")
    page = render_template("reconcile_preview.html", e=data, url=local_url(data["iri"]), t=texts(lang, "search"),
                           lang=lang)
    return Response(page, headers={"Content-Security-Policy": PREVIEW_POLICY})


@bp.route("/reconcile/view")
def view():
    """Redirect to the entity's page on this server: only for an IRI the index holds, and only
    to a path of this server (never '//host/…', which a browser reads as another site)."""
    iri = rc.clean_text(request.args.get("id", ""), "'id'", limit=2000)
    target = local_url(iri) if iri.startswith(BASE) and search_index().row_of(iri) else ""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        raise NotFound("'id' must be the IRI of an entity of this dataset")
    return redirect(target, code=303)
