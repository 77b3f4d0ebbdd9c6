"""How every answer leaves the app: its constant headers, and its body in one piece.

:func:`install` does two things per request, as cheaply as Python allows (the profile is in
benchmarks/analysis.md):

* one ``after_request`` hook sets the headers every answer carries (CORS, the security
  headers, the content security policy), from values computed once, and queues the access
  log line only when the log is on;
* the WSGI app hands an answer whose body is already in memory (a ``Content-Length`` of at
  most :data:`WHOLE_BODY_BYTES`) to the HTTP front as a one-item list, so granian sends it
  with one call; werkzeug's iterator would make granian call back into Python for it,
  which cost a small answer half the serving process's interpreter time.  Streamed answers
  (dumps) keep their iterator.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, request

from ..query.execution import admission
from . import access_log

#: Bodies up to this size (bytes) are joined and handed over whole (a file sent from disk
#: with a known length is read at once; larger ones stream).
WHOLE_BODY_BYTES = 4 * 1024 * 1024

#: Pages load scripts, styles and data from this server only; nothing inline, no framing.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
                           "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
#: Every route is read-only, so any origin may read it (YASGUI, notebooks, other sites).
EXPOSED_HEADERS = "Content-Type, Vary, ETag, X-Data-Version, X-Data-Release"
_ALWAYS = (("Access-Control-Allow-Origin", "*"), ("X-Content-Type-Options", "nosniff"),
           ("Referrer-Policy", "same-origin"))
_PREFLIGHT = (("Access-Control-Allow-Methods", "GET, HEAD, POST, OPTIONS"),
              ("Access-Control-Max-Age", "86400"))
_STARTED = "jichitai_kg.started"


def install(app: Flask) -> None:
    """Register the headers hook (it runs after the views' own hooks, before compression)."""
    app.after_request(finish)


def wrap(app: Flask) -> None:
    """The outermost WSGI layers: who and when (:func:`arrival`), whole bodies."""
    app.wsgi_app = whole_bodies(arrival(app.wsgi_app))  # type: ignore[method-assign]


def constant_headers(csp: str) -> list[tuple[str, str]]:
    """What :func:`finish` adds to an answer with no headers of its own (but ``csp``)."""
    headers = [*_ALWAYS, ("Access-Control-Expose-Headers", EXPOSED_HEADERS),
               ("Content-Security-Policy", csp)]
    if "frame-ancestors 'none'" in csp:
        headers.append(("X-Frame-Options", "DENY"))
    return headers


def finish(response: Response) -> Response:
    """CORS and the security headers on every answer.  A view may set its own policy to be
    framed (the reconciliation preview, which OpenRefine shows in a frame); every other
    answer may not be."""
    headers = response.headers
    for name, value in _ALWAYS:
        headers[name] = value
    if "Access-Control-Expose-Headers" not in headers:
        headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    csp = headers.get("Content-Security-Policy")
    if csp is None:
        headers["Content-Security-Policy"] = csp = CONTENT_SECURITY_POLICY
    if "frame-ancestors 'none'" in csp:
        headers["X-Frame-Options"] = "DENY"
    if request.method == "OPTIONS":
        for name, value in _PREFLIGHT:
            headers[name] = value
        headers["Access-Control-Allow-Headers"] = (
            request.headers.get("Access-Control-Request-Headers") or "Content-Type, Accept")
    if access_log.enabled():
        access_log.record(request.remote_addr, request.method, request.full_path.rstrip("?"),
                          response.status_code, response.calculate_content_length(),
                          _elapsed_ms(request.environ))
    return response


def log_environ(environ: dict, status: int, size: int | None) -> None:
    """The access log line of a request answered without Flask."""
    qs = environ.get("QUERY_STRING")
    path = environ.get("PATH_INFO", "") + (f"?{qs}" if qs else "")
    access_log.record(environ.get("REMOTE_ADDR"), environ.get("REQUEST_METHOD", ""), path,
                      status, size, _elapsed_ms(environ))


def _elapsed_ms(environ: dict) -> float:
    started = environ.get(_STARTED)
    return (time.perf_counter() - started) * 1000 if started else 0.0


def arrival(wsgi_app: Callable) -> Callable:
    """Note who sent the request (per-client limits on long work) and, while the access log
    is on, when it arrived."""
    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        admission.client.set(environ.get("REMOTE_ADDR"))
        if access_log.enabled():
            environ[_STARTED] = time.perf_counter()
        return wsgi_app(environ, start_response)
    return app


def whole_bodies(wsgi_app: Callable) -> Callable:
    """``wsgi_app`` answering with ``[body]`` whenever its body is in memory anyway."""
    def app(environ: dict, start_response: Callable) -> Iterable[bytes]:
        length: list[int] = []

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
            for name, value in headers:
                if name == "Content-Length" and value.isdigit():
                    length.append(int(value))
            return start_response(status, headers, exc_info)

        body = wsgi_app(environ, start)
        if isinstance(body, list) or not length or length[0] > WHOLE_BODY_BYTES:
            return body
        try:
            return [b"".join(body)]
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
    return app
