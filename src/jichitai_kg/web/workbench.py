"""What every HTML page shares besides the security headers: the sticky language, local
links in templates, CSV for Excel, and the configuration the workbench page hands its scripts.

:func:`install` wires it into an app: one ``after_request`` hook and one context processor.
The language rules themselves are :func:`~jichitai_kg.web.responses.request_lang`.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, Response, request, url_for

from ..content import app_query
from ..namespaces import BASE, PREFIXES
from ..query.rules.media import CSV, UTF8_BOM
from .responses import LANG_COOKIE, LANGUAGES, request_lang
from .urls import local_base, local_href

#: Vocabularies the data uses beyond the project's prefixes: the editor completes them too.
EXTRA_PREFIXES = {"geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
                  "geosparql": "http://www.opengis.net/ont/geosparql#"}

#: A year: the language choice outlives the browser session.
LANG_COOKIE_AGE = 365 * 24 * 3600


def lang_url(path: str, lang: str, **params: str) -> str:
    """``path`` with ``lang`` and other parameters: how header links carry the language."""
    query = {k: v for k, v in params.items() if v not in (None, "")}
    query["lang"] = lang
    return f"{path}?{urlencode(query)}"


def workbench_config(*, endpoint: str, lang: str, examples: list[dict], questions: list[dict],
                     dataset_version: str | None, infer_default: bool,
                     governments: list[dict] | None = None) -> dict:
    """The JSON the workbench page hands its scripts (in a ``type=application/json`` tag:
    the CSP allows no inline script)."""
    return {
        "endpoint": endpoint,
        "lang": lang,
        "prefixes": {**PREFIXES, **EXTRA_PREFIXES},
        "base": BASE,
        "localBase": local_base(),
        "examples": examples,
        "questions": questions,
        "termsQuery": app_query("workbench-terms"),
        "datasetVersion": dataset_version,
        "inferDefault": infer_default,
        "governments": governments or [],
        "cancelBase": url_for("runs.cancel", query_id="ID").removesuffix("ID"),
        "shortLinks": url_for("runs.shorten"),
        "checkUrl": url_for("runs.check"),
        "cqBase": url_for("cq.catalog").rstrip("/") + "/",
    }


def _after_request(response: Response) -> Response:
    # Parsing the arguments costs more than a small answer: only when ?lang= may be there.
    lang_arg = request.args.get("lang") if b"lang=" in request.query_string else None
    if lang_arg in LANGUAGES and request.cookies.get(LANG_COOKIE) != lang_arg:
        response.set_cookie(LANG_COOKIE, lang_arg, max_age=LANG_COOKIE_AGE, samesite="Lax")
    if response.mimetype == "text/html":
        # The page's language also follows the cookie and Accept-Language.
        response.vary.add("Cookie")
        response.vary.add("Accept-Language")
    if response.mimetype == CSV and request.args.get("bom") == "1" and not response.direct_passthrough:
        body = response.get_data()
        if not body.startswith(UTF8_BOM):
            response.set_data(UTF8_BOM + body)
    return response


def _template_globals() -> dict:
    lang = request_lang()

    def page_url(path: str, lang: str = lang, **params: str) -> str:
        return lang_url(path, lang, **params)

    return {"lang": lang, "lang_url": page_url, "local_href": local_href}


def install(app: Flask) -> None:
    """Register the language cookie, the CSV byte order mark, the template helpers and
    ``/favicon.ico`` (browsers ask for it on every site, whatever the page's ``<link rel=icon>``)."""
    app.after_request(_after_request)
    app.context_processor(_template_globals)
    app.add_url_rule("/favicon.ico", "favicon", lambda: app.send_static_file("favicon.ico"))
