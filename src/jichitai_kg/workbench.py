"""What every HTML page shares: the chosen language, local links, the CSP, Excel CSV.

Flask-light on purpose: the functions take what they need as arguments, and
:func:`install` wires them into an app with one ``after_request`` hook and one
context processor (the lead re-homes this in ``web/`` without changes).

Language: ``?lang=`` wins, then the ``lang`` cookie (set whenever ``?lang=`` is
given), then ``Accept-Language``; Japanese is the default.
"""

from __future__ import annotations

import hashlib
import json
from typing import Callable, Mapping
from urllib.parse import urlencode

from flask import Flask, Response, current_app, request

from .namespaces import BASE, PREFIXES

LANGUAGES = ("ja", "en")
LANG_COOKIE = "lang"
#: Every HTML page is served under this policy: no inline code, nothing from another origin.
CSP = "default-src 'self'; img-src 'self' data:; base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
#: ``bom=1`` on a CSV download prepends a UTF-8 byte order mark (Excel on Japanese Windows).
UTF8_BOM = b"\xef\xbb\xbf"


def choose_lang(arg: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The page language from the request's three signals, in that order of precedence."""
    for value in (arg, cookie):
        if value in LANGUAGES:
            return value
    best, best_q = "ja", 0.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGUAGES:
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > best_q:
            best, best_q = primary, q
    return best


def current_lang() -> str:
    """The language of the page being rendered (request-bound wrapper of :func:`choose_lang`)."""
    return choose_lang(request.args.get("lang"), request.cookies.get(LANG_COOKIE),
                       request.headers.get("Accept-Language"))


def local_href(iri: str, public_base: str | None, script_root: str = "") -> str:
    """Where a browser should go for ``iri``: this server unless PUBLIC_BASE says IRIs resolve.

    With PUBLIC_BASE set to the dataset base (``https://w3id.org/jichitai-kg``) the IRI itself
    is the link; otherwise IRIs under the dataset base link to the same path on this server.
    """
    if not iri.startswith(BASE):
        return iri
    if public_base and BASE.startswith(public_base.rstrip("/") + "/"):
        return iri
    return f"{script_root.rstrip('/')}/{iri[len(BASE):]}"


def lang_url(path: str, lang: str, **params: str) -> str:
    """``path`` with ``lang`` and other parameters: how header links carry the language."""
    query = {k: v for k, v in params.items() if v not in (None, "")}
    query["lang"] = lang
    return f"{path}?{urlencode(query)}"


def result_digest(results: Mapping) -> str:
    """SHA-256 of a SPARQL JSON result in canonical form (sorted keys, no spaces, UTF-8).

    The workbench computes the same digest in the browser for its "cite this result" box.
    """
    text = json.dumps(results, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def workbench_config(*, endpoint: str, lang: str, examples: list[dict], questions: list[dict],
                     dataset_version: str | None, public_base: str | None, script_root: str,
                     infer_default: bool) -> dict:
    """The JSON the workbench page hands its scripts (in a ``type=application/json`` tag)."""
    local_base = BASE if public_base and BASE.startswith(public_base.rstrip("/") + "/") \
        else f"{script_root.rstrip('/')}/"
    return {
        "endpoint": endpoint,
        "lang": lang,
        "prefixes": dict(PREFIXES),
        "base": BASE,
        "localBase": local_base,
        "examples": examples,
        "questions": questions,
        "datasetVersion": dataset_version,
        "inferDefault": infer_default,
    }


def _after_request(response: Response) -> Response:
    lang_arg = request.args.get("lang")
    if lang_arg in LANGUAGES and request.cookies.get(LANG_COOKIE) != lang_arg:
        response.set_cookie(LANG_COOKIE, lang_arg, max_age=365 * 24 * 3600, samesite="Lax")
    mimetype = response.mimetype or ""
    if mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.vary.add("Cookie")
        response.vary.add("Accept-Language")
    if mimetype == "text/csv" and request.args.get("bom") == "1" and not response.direct_passthrough:
        body = response.get_data()
        if not body.startswith(UTF8_BOM):
            response.set_data(UTF8_BOM + body)
    return response


def install(app: Flask, page_globals: Callable[[], dict] | None = None) -> None:
    """Register the language cookie, the CSP, the CSV BOM and the template helpers."""
    app.after_request(_after_request)

    def _context() -> dict:
        lang = current_lang()
        extra = page_globals() if page_globals else {}
        def page_url(path: str, lang: str = lang, **params: str) -> str:
            return lang_url(path, lang, **params)

        return {"lang": lang, "lang_url": page_url,
                "local_href": lambda iri: local_href(iri, current_app.config.get("PUBLIC_BASE"),
                                                     request.script_root), **extra}

    app.context_processor(_context)
