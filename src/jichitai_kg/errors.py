"""One error model: every failure a user can cause or meet carries its HTTP status and CLI exit code.

The web tier answers any :class:`JKGError` with ``status`` and a plain-text message (one
Flask error handler); the CLI prints the message and exits with ``exit_code`` (one mapping).
Exit codes: 1 failure, 2 bad input, 3 refused, 4 timeout / unavailable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping


class JKGError(Exception):
    """Base error; ``status`` may be overridden per instance (e.g. 413, 414, 415 from the protocol)."""

    status = 500
    exit_code = 1

    def __init__(self, message: str, *, status: int | None = None,
                 headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
            self.exit_code = 2 if 400 <= status < 500 else self.exit_code
        self.headers = dict(headers or {})


class BadRequest(JKGError):
    """Malformed request or argument."""

    status = 400
    exit_code = 2


class QuerySyntaxError(BadRequest):
    """The query does not parse; the message carries the parser's message and position
    (``line``, ``column`` and ``token`` once ``query/syntax_errors.rewrite`` has read it)."""

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None,
                 token: str | None = None):
        super().__init__(message)
        self.line, self.column, self.token = line, column, token


class QueryTooComplex(BadRequest):
    """Nesting or length over the limits of ``query/rules/nesting.py``: refused before any parser sees it."""


class InvalidParameter(BadRequest):
    """A protocol parameter beside the query (a dataset graph IRI) is not valid."""


class ParameterError(BadRequest):
    """A parameter value (or name) a question cannot accept; the message lists what it can."""

    def __init__(self, message: str, *, param: str | None = None, valid: Iterable[str] = ()):
        super().__init__(message)
        self.param = param
        self.valid = list(valid)


class Forbidden(JKGError):
    """An update, LOAD, or SERVICE to an endpoint not on the allowlist."""

    status = 403
    exit_code = 3


class NotFound(JKGError):
    status = 404
    exit_code = 2


class NotAcceptable(JKGError):
    """The requested media type cannot represent this kind of result."""

    status = 406
    exit_code = 2


class RequestTooLarge(JKGError):
    """A part of the request over the app's caps: the URL over ``MAX_URL_BYTES`` (414; long
    queries go by POST) or the header fields over ``MAX_HEADER_BYTES`` (431)."""

    exit_code = 2


class ResultTooLarge(JKGError):
    """The serialized result is over ``MAX_RESULT_BYTES``: never truncated silently."""

    status = 422


class QueryFailed(JKGError):
    """The query parsed but its evaluation failed (or the worker died)."""


class Unavailable(JKGError):
    """The dataset cannot answer now; clients may retry."""

    status = 503
    exit_code = 4

    def __init__(self, message: str, **kwargs):
        kwargs.setdefault("headers", {"Retry-After": "5"})
        super().__init__(message, **kwargs)


class QueryTimeout(Unavailable):
    """The query ran past its time limit and its worker was killed."""


class WorkerLost(Unavailable):
    """The worker died under the query (its memory cap, most likely); it is replaced."""


class StoreUnavailable(Unavailable):
    """The remote SPARQL store (STORE_QUERY_ENDPOINT) cannot be reached, or changed under the service."""


class VersionMismatch(JKGError):
    """The remote store holds no pushed dataset, or another version than this checkout builds.

    Serving refuses to start; exit code 2, as the configuration names the wrong store."""

    status = 503
    exit_code = 2


class PushError(JKGError):
    """``push`` could not complete or verify the remote copy; the message names the graph and why."""


class BuildError(JKGError):
    """The dataset cannot be built from its files (the last good store is kept)."""


class TurtleSyntaxError(BuildError):
    """A data or ontology file does not parse; names the file and line for the curator."""

    def __init__(self, path, line: int | None, column: int | None, message: str):
        from pathlib import Path

        self.path, self.line, self.column = Path(path), line, column
        where = f"{path}:{line}" + (f":{column}" if column else "") if line else str(path)
        super().__init__(f"{where}: {message}")
        self.message = message


#: Errors a query worker may send back by name (it runs in another process).
BY_NAME: dict[str, type[JKGError]] = {cls.__name__: cls for cls in (
    QuerySyntaxError, ResultTooLarge, NotAcceptable, QueryFailed, BadRequest, Forbidden,
    QueryTooComplex, InvalidParameter, WorkerLost)}
