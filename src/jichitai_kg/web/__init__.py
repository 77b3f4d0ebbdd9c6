"""The web tier: the Flask application factory, one blueprint per concern.

``create_app`` loads the settings (``config.load_settings``), attaches one
:class:`~jichitai_kg.dataset.Dataset` (``state.py``), registers the blueprints and one
error handler that answers every :class:`~jichitai_kg.errors.JKGError` with its status.
"""

from __future__ import annotations

import atexit

from flask import Flask
from werkzeug.exceptions import HTTPException

from ..config import load_settings
from ..errors import JKGError
from . import (
    compression,
    cq,
    delivery,
    home,
    hot_path,
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
from .delivery import CONTENT_SECURITY_POLICY
from .problems import http_error, jkg_error

__all__ = ["CONTENT_SECURITY_POLICY", "create_app"]

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
    delivery.install(app)  # CORS, security headers, access log
    workbench.install(app)
    runs.install(app)
    rules = {r.rule.rstrip("/") for r in app.url_map.iter_rules()}
    app.context_processor(lambda: {"has_route": lambda path: path in rules})
    hot_path.install(app)  # plain SPARQL GETs without Flask's per-request machinery
    delivery.wrap(app)  # who and when; whole bodies to the front
    if app.config["EAGER_START"]:
        dataset.executor  # noqa: B018 - build the store and start the workers now
    return app
