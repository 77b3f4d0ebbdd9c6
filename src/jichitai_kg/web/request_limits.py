"""The app's own limits on a request's URL (414) and header (431), below the HTTP front's.

The front (granian, ``front.py``) refuses a URL of 65,535 bytes or more and a header over
its read buffer itself, with a bare answer (no body, none of the app's headers).  These
checks answer such requests earlier, at ``MAX_URL_BYTES`` and ``MAX_HEADER_BYTES``, the
way the app answers every error: problem details for JSON clients, a message otherwise, and
the security headers.  Both are one pass over the WSGI environ (a few dozen entries), before
any view runs.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, current_app, request

from ..errors import RequestTooLarge


def url_bytes(environ: Mapping[str, str]) -> int:
    """Length of the request's path and query string (the path as decoded by the server)."""
    query = environ.get("QUERY_STRING", "")
    return (len(environ.get("SCRIPT_NAME", "")) + len(environ.get("PATH_INFO", ""))
            + (len(query) + 1 if query else 0))


def header_bytes(environ: Mapping[str, str]) -> int:
    """Size of the header fields as sent, each counted as ``Name: value`` and its line end
    (the WSGI key ``HTTP_NAME`` is 5 longer than ``Name``; a line adds 4)."""
    size = sum([len(key) - 1 + len(value) for key, value in environ.items() if key[:5] == "HTTP_"])
    for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):  # WSGI keeps these two without the prefix
        value = environ.get(key)
        if value:
            size += len(key) + 4 + len(value)
    return size


def refusal(environ: Mapping[str, str], max_url: int, max_header: int) -> RequestTooLarge | None:
    """The error a request over either limit gets (414 first), or None."""
    if url_bytes(environ) > max_url:
        return RequestTooLarge(f"The URL is longer than {max_url} bytes (MAX_URL_BYTES); "
                               "send long queries with POST.", status=414)
    if header_bytes(environ) > max_header:
        return RequestTooLarge(f"The request's header fields are larger than {max_header} bytes "
                               "(MAX_HEADER_BYTES); send less, such as fewer or smaller cookies.",
                               status=431)
    return None


def check() -> None:
    """Refuse the current request if its URL or header is over the app's limits."""
    config = current_app.config
    error = refusal(request.environ, config["MAX_URL_BYTES"], config["MAX_HEADER_BYTES"])
    if error is not None:
        raise error


def install(app: Flask) -> None:
    """Check every request first, before the other hooks and the view."""
    app.before_request_funcs.setdefault(None, []).insert(0, check)
