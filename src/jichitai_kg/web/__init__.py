"""The web tier: the Flask application factory, one blueprint per concern.

``create_app`` loads the settings (``config.load_settings``), attaches one
:class:`~jichitai_kg.dataset.Dataset` (``state.py``), registers the blueprints and one
error handler that answers every :class:`~jichitai_kg.errors.JKGError` with its status.
"""

from __future__ import annotations

import atexit
import time

from flask import Flask, g, request
from werkzeug.exceptions import HTTPException

from ..config import load_settings
from ..errors import JKGError
from ..query.execution import admission
from . import (
    access_log,
    compression,
    cq,
    home,
    linked_data,
    map,
    reconcile,
    request_limits,
    runs,
    search,
    sparql,
    state,
    workbench,
)
from .problems import http_error, jkg_error

BLUEPRINTS = (sparql.bp, home.bp, cq.bp, linked_data.bp, search.bp, reconcile.bp, map.bp, runs.bp)
#: The blueprints also mounted under /v/<release>/ (docs/releases.md).
RELEASED = (sparql.bp, cq.bp, linked_data.bp, search.bp, reconcile.bp)


def create_app(test_config: dict | None = None, *, config_file: str | None = None) -> Flask:
    app = Flask(__name__.rpartition(".")[0])
    app.config.update(load_settings(test_config, config_file=config_file))
    # Flask itself rejects bodies over this size with 413 before a view runs.
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_REQUEST_BYTES"]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    dataset = state.init_app(app)
    atexit.register(dataset.close)
    atexit.register(state.close_releases, app)
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)
    for bp in RELEASED:  # every release stays queryable: /v/<release>/sparql, /v/<release>/id/…
        app.register_blueprint(bp, url_prefix="/v/<release>", name=f"v_{bp.name}")
    app.register_error_handler(JKGError, jkg_error)  # JSON for JSON clients, else plain text
    app.register_error_handler(HTTPException, http_error)
    request_limits.install(app)  # URL (414) and header (431) caps, below the front's own
    compression.install(app)  # first of the after_request hooks, so it runs last
    _install_cors_and_logging(app)
    app.after_request(_security_headers)
    workbench.install(app)
    runs.install(app)
    rules = {r.rule.rstrip("/") for r in app.url_map.iter_rules()}
    app.context_processor(lambda: {"has_route": lambda path: path in rules})
    if app.config["EAGER_START"]:
        dataset.executor  # noqa: B018 - build the store and start the workers now
    return app


def _install_cors_and_logging(app: Flask) -> None:
    @app.before_request
    def _start_timer():
        g._jkg_started = time.perf_counter()
        admission.client.set(request.remote_addr)  # per-client limits on long work

    @app.after_request
    def _cors_and_log(response):
        # Every route is read-only, so any origin may read it (YASGUI, notebooks, other sites).
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers.setdefault("Access-Control-Expose-Headers", "Content-Type, Vary, ETag, X-Data-Version, X-Data-Release")
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = (
                request.headers.get("Access-Control-Request-Headers") or "Content-Type, Accept")
            response.headers["Access-Control-Max-Age"] = "86400"
        started = getattr(g, "_jkg_started", None)
        elapsed = (time.perf_counter() - started) * 1000 if started else 0.0
        response.headers["Server-Timing"] = f"app;dur={elapsed:.1f}"
        access_log.record(request.remote_addr, request.method, request.full_path.rstrip("?"),
                          response.status_code, response.calculate_content_length(), elapsed)
        return response


#: Pages load scripts, styles and data from this server only; nothing inline, no framing.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
                           "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _security_headers(response):
    """A view may set its own policy to be framed (the reconciliation preview, which
    OpenRefine shows in a frame); every other answer may not be."""
    csp = response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if "frame-ancestors 'none'" in csp:
        response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    return response
