"""The common SPARQL request answered without Flask's per-request machinery.

A plain ``GET /sparql?query=…`` (no conditional request, no query id, no ``lang=`` or
``bom=``, no body) is most of what a SPARQL endpoint serves.  For it, Flask would build a
request context, match the URL, run six hooks and a response object, and the view would
decode the URL, scan the query and negotiate again on every request.  Here, the *plan*
(``sparql.plan_query``: protocol rules, guard, negotiation, the ETag's key) is computed once
per distinct request text, Accept header and endpoint, and kept in a table bounded by bytes;
the answer then leaves with its headers built from values computed once.

The answer is the one the Flask view gives, header for header (``tests/web/test_hot_path.py``
compares them): every request this path does not take, every refusal of the plan, and
every error of the executor go through Flask (its error handler and hooks), so problem
details, compression of large answers, cookies and 304s are Flask's own.  Nothing is skipped
that limits work: the URL and header limits (``request_limits.py``) are checked first, the
plan runs the guard, and the executor keeps its time and memory limits and its own check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response
from werkzeug.sansio.utils import get_host

from ..errors import QuerySyntaxError
from ..query.caching.cache import request_key
from ..query.memo import BytesLRU
from ..query.rules import media, protocol, syntax_errors
from . import access_log, compression, delivery, request_limits, state
from .responses import DATA_RELEASE_HEADER, DATA_VERSION_HEADER
from .sparql import Plan, plan_query

#: Memory for plans, counted as twice the request text they are kept for (key and plan).
PLAN_BYTES = 8 * 1024 * 1024
#: A plan counted larger than this (a request text over half of it) is made each time.
PLAN_ENTRY_BYTES = 32 * 1024
PATHS = ("/sparql", "/sparql/")
#: Request headers that need Flask: conditional requests (304, compressed ETags), the
#: workbench's query id (cancelling), a body.
_FLASK_HEADERS = ("HTTP_IF_NONE_MATCH", "HTTP_X_QUERY_ID", "HTTP_TRANSFER_ENCODING")
_SECURITY = tuple(delivery.constant_headers(delivery.CONTENT_SECURITY_POLICY))


class HotPath:
    """WSGI: plain SPARQL GETs answered here, everything else by ``flask_app``."""

    def __init__(self, app: Flask, flask_app: Callable):
        self.app = app
        self.flask_app = flask_app
        self.plans = BytesLRU(PLAN_BYTES, PLAN_ENTRY_BYTES)
        self._settled: tuple[int, bool, str | None, tuple[tuple[str, str], ...]] | None = None

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        qs = environ.get("QUERY_STRING", "")
        if (environ.get("REQUEST_METHOD") != "GET" or environ.get("PATH_INFO") not in PATHS
                or not qs or "lang=" in qs or "bom=" in qs
                or environ.get("CONTENT_LENGTH", "0") not in ("", "0")
                or any(h in environ for h in _FLASK_HEADERS)):
            return self.flask_app(environ, start_response)
        limit, infer_default, public_base, version_headers = self._settings()
        if len(qs) > limit or request_limits.refusal(environ, self._max_url, self._max_header):
            return self.flask_app(environ, start_response)  # Flask refuses it: 414, 431
        base = public_base or self._base_url(environ)
        accept = environ.get("HTTP_ACCEPT")
        key = f"{base}\x00{accept}\x00{qs}"
        found = self.plans.get(key)
        if found is None:
            try:
                found = self._plan(qs, accept, base + "/sparql", infer_default)
            except Exception:  # refused: Flask refuses it the same way, by its handlers
                found = None
            if found is None:
                return self.flask_app(environ, start_response)
            self.plans.put(key, found, 2 * len(key))
        plan, etag = found
        try:
            outcome = self._dataset.answers.run(plan.query, **plan.args())
        except QuerySyntaxError as exc:  # as the view says it: with line, column and token
            return self._through_flask(environ, start_response, syntax_errors.rewrite(exc, plan.query))
        except Exception as exc:  # Flask's handlers answer it, as for the view
            return self._through_flask(environ, start_response, exc)
        body = outcome.body
        content_type = media.content_type(outcome.media_type)
        if (len(body) >= compression.MIN_BYTES and environ.get("HTTP_ACCEPT_ENCODING")
                and outcome.media_type in compression.COMPRESSIBLE):  # Flask-Compress decides
            return self._through_flask(environ, start_response, Response(
                body, status=200, headers=[*self._answer_headers(content_type, etag, version_headers)]))
        headers = [*self._answer_headers(content_type, etag, version_headers), *_SECURITY]
        headers.insert(3, ("Content-Length", str(len(body))))
        start_response("200 OK", headers)
        if access_log.enabled():
            delivery.log_environ(environ, 200, len(body))
        return [body]

    def _answer_headers(self, content_type: str, etag: str,
                        version_headers: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
        return [("Vary", "Accept"), self._cache_control, ("Content-Type", content_type),
                ("ETag", f'"{self._version16}-{etag}"'), *version_headers]

    def _plan(self, qs: str, accept: str | None, endpoint: str,
              infer_default: bool) -> tuple[Plan, str] | None:
        raw = qs.encode("latin-1").decode("utf-8")  # as werkzeug hands the view its bytes
        sreq = protocol.parse_request("GET", protocol.parse_pairs(raw), None, b"")
        if sreq.query is None:
            return None  # the service description: Flask's view
        plan = plan_query(sreq, accept, infer_default=infer_default, dataset=self._dataset,
                          base_iri=endpoint)
        return plan, request_key(plan.query, **plan.args())[:32]

    def _settings(self) -> tuple[int, bool, str | None, tuple[tuple[str, str], ...]]:
        """The settings this path reads, and the dataset's version headers, read once."""
        if self._settled is None:
            config = self.app.config
            self._dataset = dataset = state.get_dataset(self.app)
            dataset.prepare()
            versions: list[tuple[str, str]] = []
            if dataset.version:
                versions.append((DATA_VERSION_HEADER, dataset.version))
            release = dataset.release if not dataset.remote else None
            if release is not None:
                versions.append((DATA_RELEASE_HEADER, release.version))
            self._cache_control = ("Cache-Control", f"public, max-age={config['RESULT_MAX_AGE']}")
            self._version16 = (dataset.version or "")[:16]
            self._max_url, self._max_header = config["MAX_URL_BYTES"], config["MAX_HEADER_BYTES"]
            self._settled = (config["MAX_REQUEST_BYTES"], bool(config["INFERENCE"]),
                             config.get("PUBLIC_BASE"), tuple(versions))
        return self._settled

    @staticmethod
    def _base_url(environ: dict) -> str:
        """``scheme://host[/prefix]``, as ``urls.base_url`` reads it from a Flask request."""
        scheme = environ.get("wsgi.url_scheme", "http")
        server = environ.get("SERVER_NAME")
        port = environ.get("SERVER_PORT")
        host = get_host(scheme, environ.get("HTTP_HOST"),
                        (server, int(port) if port and port.isdigit() else None) if server else None)
        script_root = environ.get("SCRIPT_NAME", "").encode("latin-1").decode("utf-8", "replace").rstrip("/")
        return f"{scheme}://{host}{script_root}"

    def _through_flask(self, environ: dict, start_response: Callable,
                       outcome: Response | BaseException) -> Any:
        """Finish the request in Flask: an error by its handlers, then every hook."""
        app = self.app
        with app.request_context(environ):
            if isinstance(outcome, BaseException):
                try:
                    rv = app.handle_user_exception(outcome)  # type: ignore[arg-type]
                except Exception as exc:  # no handler: Flask's 500
                    rv = app.handle_exception(exc)
            else:
                rv = outcome
            response = app.finalize_request(rv)
            return response(environ, start_response)


EXTENSION = "jichitai_kg.hot_path"


def install(app: Flask) -> None:
    """Put the hot path in front of Flask (inside the wrappers of ``delivery.wrap``)."""
    app.extensions[EXTENSION] = app.wsgi_app = HotPath(app, app.wsgi_app)  # type: ignore[method-assign]
