"""The reconciliation service under ``/reconcile`` (W3C Entity Reconciliation API, as
OpenRefine 3.x speaks it).

The views only read requests and serialize answers; the logic is :mod:`..search.reconcile`.
Malformed requests raise :class:`~jichitai_kg.errors.BadRequest` (400 with the message).
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, jsonify, redirect, render_template, request

from ..errors import BadRequest, NotFound
from ..namespaces import BASE
from ..search import MAX_QUERY_CHARS
from ..search import reconcile as rc
from .responses import request_lang
from .search import MAX_LIMIT, TEXT, int_arg, local_url, search_index
from .urls import base_url

bp = Blueprint("reconcile", __name__)

#: The preview is shown by OpenRefine in a frame of its own page (another origin), so it may
#: be framed; it loads nothing but this server's style sheet and runs no script.
PREVIEW_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
                  "form-action 'none'; frame-ancestors *")


def _json_param(name: str) -> Any:
    raw = request.values.get(name)
    try:
        return json.loads(raw or "")
    except ValueError as exc:
        raise BadRequest(f"'{name}' is not valid JSON: {exc}") from None


@bp.route("/reconcile", methods=["GET", "POST"])
def reconcile():
    if "queries" in request.values:
        return jsonify(rc.reconcile_batch(_json_param("queries"), search_index()))
    if "query" in request.values:
        raw = request.values["query"].strip()
        query = _json_param("query") if raw.startswith("{") else {"query": raw}
        return jsonify(rc.reconcile_one(query, search_index()))
    return jsonify(rc.manifest(base_url()))


@bp.route("/reconcile/suggest/<kind>")
def suggest(kind: str):
    prefix = request.args.get("prefix", "")
    if len(prefix) > MAX_QUERY_CHARS:
        raise BadRequest(f"'prefix' is longer than {MAX_QUERY_CHARS} characters.")
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
    page = render_template("reconcile_preview.html", e=data, url=local_url(data["iri"]), t=TEXT[lang], lang=lang)
    return Response(page, headers={"Content-Security-Policy": PREVIEW_POLICY})


@bp.route("/reconcile/view")
def view():
    iri = request.args.get("id", "")
    if not iri.startswith(BASE):
        raise NotFound("'id' must be an IRI of this dataset")
    return redirect(local_url(iri), code=303)
