"""The Flask application factory and the per-app state other blueprints use.

State (prepared store, query executor) lives in ``app.extensions["jichitai_kg"]``
rather than in module globals so that tests can run several apps side by side
and the store is built once per app, not per request.
"""

from __future__ import annotations

import atexit
import importlib
import json
import logging
import threading
import time
from pathlib import Path

from flask import Flask, current_app, g, request

from . import config as config_mod
from . import protocol
from .executor import QueryExecutor
from .namespaces import INFERRED_GRAPH
from .store import Inputs, prepare

access_log = logging.getLogger("jichitai_kg.access")

#: Blueprints written by other engineers; registered when their module exists.
OPTIONAL_BLUEPRINTS = ("cq_views", "linked_data", "map_views")


class KGState:
    """What a running app knows about its dataset; built lazily, at most once."""

    def __init__(self, app_config):
        self.root = Path(app_config["ROOT"])
        self.cache_dir = Path(app_config["CACHE_DIR"])
        self.inputs = Inputs.from_root(self.root, extra_graphs=app_config["EXTRA_GRAPHS"])
        self._config = app_config
        self.store_path: Path | None = None
        self.executor: QueryExecutor | None = None
        self._graph_counts: dict[str, int] | None = None
        self._lock = threading.Lock()

    def get_executor(self) -> QueryExecutor:
        with self._lock:
            if self.executor is None:
                self.store_path = prepare(self.inputs, self.cache_dir,
                                          engine=self._config.get("REASONING_ENGINE") or "auto")
                cfg = self._config
                self.executor = QueryExecutor(
                    self.store_path,
                    workers=cfg["QUERY_WORKERS"],
                    timeout=cfg["QUERY_TIMEOUT"],
                    max_result_bytes=cfg["MAX_RESULT_BYTES"],
                    service_allowlist=cfg["SERVICE_ALLOWLIST"],
                )
                atexit.register(self.executor.close)
            return self.executor

    def graph_counts(self) -> dict[str, int]:
        """Triples per named graph; the store never changes while served, so computed once."""
        if self._graph_counts is None:
            self._graph_counts = graph_counts(self.get_executor(), self.root)
        return self._graph_counts

    def close(self) -> None:
        if self.executor is not None:
            self.executor.close()


def read_app_query(root: Path | str, name: str) -> str:
    """The text of ``queries/app/<name>.rq`` (SPARQL stays in files, not in Python)."""
    path = Path(root) / "queries" / "app" / f"{name}.rq"
    return path.read_text(encoding="utf-8")


def select_rows(executor: QueryExecutor, query: str, **kwargs) -> list[dict[str, str]]:
    """Run a SELECT and return plain string values per row (for counts and page content)."""
    outcome = executor.run(query, result_format=protocol.JSON_RESULTS, **kwargs)
    data = json.loads(outcome.body)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def graph_counts(executor: QueryExecutor, root: Path | str) -> dict[str, int]:
    rows = select_rows(executor, read_app_query(root, "sparql-graph-counts"))
    return {r["graph"]: int(r["triples"]) for r in rows}


def asserted_graphs(counts: dict[str, int]) -> list[str]:
    """Every graph except the inferred one: the dataset for ``infer=false``/``--no-inference``."""
    return sorted(g for g in counts if g != str(INFERRED_GRAPH))


def get_state(app: Flask | None = None) -> KGState:
    app = app or current_app
    return app.extensions["jichitai_kg"]


def get_executor(app: Flask | None = None) -> QueryExecutor:
    """The app's query executor (other blueprints call this; the interface is stable)."""
    return get_state(app).get_executor()


def create_app(test_config: dict | None = None, *, config_file: str | None = None) -> Flask:
    app = Flask(__name__)
    config_mod.load_config(app, test_config, config_file)
    app.json.ensure_ascii = False
    app.extensions["jichitai_kg"] = KGState(app.config)

    from . import pages, sparql_views

    app.register_blueprint(sparql_views.bp)
    app.register_blueprint(pages.bp)
    for name in OPTIONAL_BLUEPRINTS:
        modname = f"{__package__}.{name}"
        try:
            module = importlib.import_module(modname)
        except ModuleNotFoundError as exc:
            if exc.name != modname:
                raise
            continue
        app.register_blueprint(module.bp)

    _install_cors_and_logging(app)
    rules = {r.rule.rstrip("/") for r in app.url_map.iter_rules()}
    app.context_processor(lambda: {"has_route": lambda path: path in rules})
    if app.config["EAGER_START"]:
        get_executor(app)
    return app


def _install_cors_and_logging(app: Flask) -> None:
    @app.before_request
    def _start_timer():
        g._jkg_started = time.perf_counter()

    @app.after_request
    def _cors_and_log(response):
        # Every route is read-only, so any origin may read it (YASGUI, notebooks, other sites).
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers.setdefault("Access-Control-Expose-Headers", "Content-Type, Vary")
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = (
                request.headers.get("Access-Control-Request-Headers") or "Content-Type, Accept")
            response.headers["Access-Control-Max-Age"] = "86400"
        started = getattr(g, "_jkg_started", None)
        elapsed = (time.perf_counter() - started) * 1000 if started else 0.0
        response.headers["Server-Timing"] = f"app;dur={elapsed:.1f}"
        path = request.full_path.rstrip("?")
        if len(path) > 300:  # long queries would drown the log; the first part identifies them
            path = path[:300] + "…"
        access_log.info('%s "%s %s" %s %s %.1fms', request.remote_addr or "-", request.method,
                        path, response.status_code,
                        response.calculate_content_length() or "-", elapsed)
        return response
