"""Small pieces every view shares: plain-text answers, query answers with ETags, the page
language, the infer switch."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response, current_app, request

from ..config import parse_bool
from ..query.caching.cache import request_key
from ..query.rules import media
from .state import get_dataset

LANGUAGES = ("ja", "en")
#: The data version (store content hash) that answered a query.
DATA_VERSION_HEADER = "X-Data-Version"
#: The release (``1.2.0``) that answered, when the data is a release; permalinks pin it.
DATA_RELEASE_HEADER = "X-Data-Release"


def text_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """A plain-text answer (errors, checksums); never HTML, so input is never interpreted."""
    resp = Response(message.rstrip() + "\n", status=status)
    resp.headers["Content-Type"] = "text/plain; charset=utf-8"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    for k, v in (headers or {}).items():
        resp.headers[k] = v
    return resp


#: Set whenever ``?lang=`` names a language, so the choice sticks across pages.
LANG_COOKIE = "lang"


def choose_lang(arg: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The page language: ``?lang=``, then the ``lang`` cookie, then ``Accept-Language``
    (the best-weighted of ja and en); Japanese when none of them names one."""
    for value in (arg, cookie):
        if value in LANGUAGES:
            return value
    best, best_q = LANGUAGES[0], 0.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGUAGES:
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > best_q:
            best, best_q = primary, q
    return best


def request_lang() -> str:
    """The language of the page being rendered (see :func:`choose_lang`)."""
    return choose_lang(request.args.get("lang"), request.cookies.get(LANG_COOKIE),
                       request.headers.get("Accept-Language"))


def request_infer() -> bool:
    """``?infer=`` (true/false…), defaulting to the INFERENCE setting; BadRequest otherwise."""
    value = request.args.get("infer")
    if value is None:
        return bool(current_app.config["INFERENCE"])
    return parse_bool(value, "infer")


def answer_response(query: str, *, result_format: str, substitutions: dict[str, str] | None = None,
                    default_graph: list[str] | None = None, named_graphs: list[str] | None = None,
                    base_iri: str | None = None) -> Response:
    """A query's answer with ``ETag`` (dataset version + question) and ``Cache-Control``.

    The dataset only changes when the store is rebuilt, so a GET that names the ETag in
    ``If-None-Match`` gets ``304 Not Modified`` without running anything, and a repeated
    question is answered from memory (``Dataset.answers``).
    """
    dataset = get_dataset()
    args: dict[str, Any] = {"result_format": result_format, "substitutions": substitutions,
            "default_graph": default_graph, "named_graphs": named_graphs, "base_iri": base_iri}
    etag = f"{(dataset.version or '')[:16]}-{request_key(query, **args)[:32]}"
    headers = {"Vary": "Accept",
               "Cache-Control": f"public, max-age={current_app.config['RESULT_MAX_AGE']}"}
    if request.method in ("GET", "HEAD") and request.if_none_match.contains(etag):
        resp = Response(status=304, headers=headers)
    else:
        outcome = dataset.answers.run(query, **args)
        resp = Response(outcome.body, status=200,
                        headers={**headers, "Content-Type": media.content_type(outcome.media_type)})
    resp.set_etag(etag)
    add_data_version(resp)
    return resp


def add_data_version(resp: Response) -> Response:
    """What answered, for citations, permalinks and the Python API (docs/releases.md):
    ``X-Data-Version`` the content hash, ``X-Data-Release`` the release when there is one."""
    dataset = get_dataset()
    if dataset.version:
        resp.headers[DATA_VERSION_HEADER] = dataset.version
    release = dataset.release if not dataset.remote else None
    if release is not None:
        resp.headers[DATA_RELEASE_HEADER] = release.version
    return resp
