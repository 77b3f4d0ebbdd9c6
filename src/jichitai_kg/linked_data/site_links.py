"""Links of a served page rewritten for the static site (``web/publish.py``).

A page rendered by the service links to its own paths.  In the static site:

* a document of a published resource stays a local link, in the page's language
  (``kamakura.html?lang=en`` → ``kamakura.en.html``), and a thing's IRI path links its
  page directly (no redirect hop, the language kept);
* a resource left out of a partial site (``--sample``) is linked by its w3id IRI;
* what only the live service can answer (the workbench, questions, search, a query)
  is linked on the live service;
* style sheets, scripts, dumps, VoID, the JSON-LD context stay local.
"""

from __future__ import annotations

import re
from collections.abc import Container
from urllib.parse import parse_qs, urlsplit

from ..namespaces import BASE

_ATTRIBUTE = re.compile(r'\b(href|src|action)="(/[^"]*)"')
_DOC_EXT = re.compile(r"^(.*?)(?:\.(ttl|jsonld|nt|rdf|html))?$")
#: Documents that exist in every site, with an English page beside the Japanese one.
PAGES = {"/ontology": "/ontology", "/.well-known/void": "/.well-known/void", "/sparql": "/sparql"}
LOCAL_PREFIXES = ("/static/", "/download/", "/v/", "/releases/")
LOCAL_FILES = ("/context.jsonld", "/index.html", "/dataset")


def page_name(path: str, lang: str) -> str:
    """``/id/gov/kamakura`` → ``/id/gov/kamakura.html`` (``.en.html`` in English)."""
    return f"{path}.{'en.' if lang == 'en' else ''}html"


def rewrite(html: str, *, lang: str, published: Container[str], service: str) -> str:
    """``html`` with every root-relative link made to work in the static site."""
    service = service.rstrip("/")

    def one(match: re.Match[str]) -> str:
        attribute, url = match.group(1), match.group(2).replace("&amp;", "&")
        return f'{attribute}="{link(url, lang=lang, published=published, service=service).replace("&", "&amp;")}"'

    return _ATTRIBUTE.sub(one, html)


def link(url: str, *, lang: str, published: Container[str], service: str) -> str:
    parts = urlsplit(url)
    path, query = parts.path or "/", parse_qs(parts.query)
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    wanted = (query.get("lang") or [lang])[0]
    if path == "/" and not set(query) - {"lang"}:
        return "/" + fragment
    if path.startswith(LOCAL_PREFIXES) and path != "/download/":
        return path + fragment
    if path == "/download/" or path == "/download":
        return ("/download/index.en.html" if wanted == "en" else "/download/") + fragment
    if path in LOCAL_FILES:
        return path + fragment
    stem, ext = _DOC_EXT.match(path).groups()  # type: ignore[union-attr]
    if stem in PAGES and not (stem == "/sparql" and set(query) - {"lang"}):
        return _document(stem, ext, wanted) + fragment
    if stem.startswith("/id/"):
        if stem[4:] in published:
            return _document(stem, ext, wanted) + fragment
        return BASE + stem[1:] + (f".{ext}" if ext else "") + fragment
    return service + url  # the workbench, questions, search, a query: the live service


def _document(stem: str, ext: str | None, lang: str) -> str:
    if ext and ext != "html":
        return f"{stem}.{ext}"
    return page_name(stem, lang)
