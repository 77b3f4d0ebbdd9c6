"""``/search``: the search page (HTML) and its JSON.

The view only reads the request and renders the answer: searching is :mod:`..search.searcher`,
the JSON shape :mod:`..search.present`.  The index comes from :func:`search_index`, which finds
it next to the app's store (``Dataset.store_path``), shared with ``web/reconcile.py``.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from ..errors import BadRequest, Unavailable
from ..i18n import Section
from ..linked_data.pages import local_path
from ..query.rules import media
from ..search import MAX_QUERY_CHARS, SearchIndex
from ..search.present import results_dict
from ..search.reconcile import clean_text
from ..store.text_index import content_index, ensure_index
from .responses import request_lang
from .state import app_cache, get_dataset
from .urls import path_prefix

bp = Blueprint("search", __name__)

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
JSON = "application/json"
_lock = threading.Lock()
_build_lock = threading.Lock()

TEXT = Section("search")


def search_index() -> SearchIndex:
    """The app's index, built next to its store on first use if the store predates it.

    In remote mode (the data lives in another SPARQL store) the index is built from the
    content files (:func:`_content_index`).  Unavailable (503) when the index can neither be
    opened nor built.
    """
    dataset = get_dataset()
    dataset.executor  # noqa: B018 - in local mode this prepares the store (and its index)
    try:
        if dataset.store_path is not None:
            path = ensure_index(dataset.store_path)
        elif dataset.remote:
            path = _content_index(dataset)
        else:
            raise Unavailable("search needs the local store, and this server has none", headers={})
    except (OSError, sqlite3.Error) as exc:
        raise Unavailable(f"the search index is not available: {exc}") from exc
    cache = app_cache("search")
    with _lock:
        if cache.get("path") != path:
            index = SearchIndex(path)
            index.warm()  # one-time set-up, outside any request's time limit
            cache["path"], cache["index"] = path, index
        return cache["index"]


def _content_index(dataset) -> Path:
    """Remote mode: the index of this server's own content files (the same files the remote
    store was pushed from, which the version check at start compares), built once."""
    with _build_lock:
        return content_index(dataset.inputs, dataset.cache_dir)


def local_url(iri: str) -> str:
    """The page of an IRI on this server (every path after the IRI base is served here)."""
    return local_path(iri, path_prefix()) or iri


def wants_json() -> bool:
    """``format=json``/``html``, else the ``Accept`` header (HTML when it names neither)."""
    fmt = request.args.get("format")
    if fmt in ("json", "html"):
        return fmt == "json"
    return media.negotiate(request.headers.get("Accept"), (media.HTML, JSON)) == JSON


def int_arg(name: str, default: int, low: int, high: int) -> int:
    """A whole-number query parameter, clamped to [low, high]; BadRequest when not a number."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise BadRequest(f"'{name}' must be a whole number (0–999999999, ASCII digits)")
    return max(low, min(int(raw), high))


def _problem(q: str) -> str | None:
    if not q:
        return "Give a search word in 'q' (e.g. /search?q=telework)."
    try:
        clean_text(q, "'q'")
    except BadRequest as exc:
        return exc.message + "."
    return None


def _printable(text: str) -> str:
    """The text without control characters and lone surrogates (to show back in the page)."""
    return "".join(ch for ch in text if ch >= " " and not "\ud800" <= ch <= "\udfff")


@bp.route("/search")
def search():
    lang = request_lang()
    q = request.args.get("q", "").strip()
    problem = _problem(q)
    if problem:
        if wants_json():
            raise BadRequest(problem)
        page = render_template("search.html", q=_printable(q[:MAX_QUERY_CHARS]), error=problem, total=0, hits=[],
                               facets={}, filters={}, offset=0, limit=DEFAULT_LIMIT, lang=lang, t=TEXT[lang])
        return Response(page, status=400, headers={"Vary": "Accept"})
    limit = int_arg("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = int_arg("offset", 0, 0, 100_000)
    filters = {"kind": request.args.get("type") or None, "government": request.args.get("government") or None,
               "category": request.args.get("category") or None}
    index = search_index()
    # nothing found: what the closest spelling finds, with a 「もしかして」 line
    deadline = time.monotonic() + float(current_app.config.get("QUERY_TIMEOUT", 10.0))
    results, suggestion = index.search_or_suggest(q, limit=limit, offset=offset, deadline=deadline, **filters)
    data = results_dict(results, index, lang, local_url, offset=offset, limit=limit,
                        filters={"type": filters["kind"], "government": filters["government"],
                                 "category": filters["category"]}, did_you_mean=suggestion)
    data["query"] = q
    if wants_json():
        response = jsonify(data)
    else:
        current = {"q": q, "lang": lang, "type": filters["kind"], "government": filters["government"],
                   "category": filters["category"]}

        def link(**changes) -> str:
            """This search with some parameters changed (a facet chosen, another page)."""
            return url_for("search.search", **{k: v for k, v in {**current, **changes}.items() if v})

        response = Response(render_template("search.html", q=q, total=results.total, hits=data["results"],
                                            did_you_mean=suggestion,
                                            suggestion_link=link(q=suggestion) if suggestion else None,
                                            facets=data["facets"], filters=filters, offset=offset, limit=limit,
                                            lang=lang, t=TEXT[lang], link=link))
    response.headers["Vary"] = "Accept"
    return response
