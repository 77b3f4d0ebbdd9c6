"""The static site (web/publish.py) served by Debian's Apache httpd on loopback: 303s, media
types and Vary for every kind of resource, the w3id rules, and a link check of every page.

A partial site keeps the run short: two resources of each kind plus Kamakura (`sample=2`;
links to the resources left out go to their w3id IRIs, outside the site). The full site is
the same code on 2,950 resources (docs/linked-data.md#static-publication).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from apache import Apache, fetch
from jichitai_kg.linked_data.formats import choose
from jichitai_kg.web.publish import publish_site

pytestmark = pytest.mark.server

SERVICE = "http://127.0.0.1:9/live"
SITE_HOST = "https://example.org/kg"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
ACCEPTS = [None, "*/*", BROWSER, "text/turtle", "application/ld+json", "application/n-triples",
           "application/rdf+xml", "application/json", "text/n3", "text/turtle;q=0.9, text/html;q=0.5",
           "application/xhtml+xml"]
MEDIA = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples",
         "rdf": "application/rdf+xml", "html": "text/html", "en.html": "text/html"}
THINGS = ["/id/gov/kamakura", "/id/category/culture", "/ontology", "/.well-known/void", "/sparql"]


@pytest.fixture(scope="module")
def served(app):
    work = Path(tempfile.mkdtemp(prefix="jkg-site-"))
    try:
        os.chmod(work, 0o755)
        site = work / "site"
        report = publish_site(app, site, service=SERVICE, site=SITE_HOST, sample=2,
                              include=("gov/kamakura", "category/culture"))
        for path in [work, *work.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        server = Apache(site, work / "run", aliases={"/w3id/jichitai-kg": site / "w3id"})
        try:
            yield server, site, report
        finally:
            server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def extension(location: str) -> str:
    name = urlsplit(location).path.rsplit("/", 1)[-1]
    return "en.html" if name.endswith(".en.html") else name.rsplit(".", 1)[-1]


@pytest.mark.parametrize("thing", THINGS)
def test_things_negotiate_like_the_service(served, client, thing):
    server, site, _ = served
    for accept in ACCEPTS:
        status, headers, _ = fetch(server.url + thing, {"Accept": accept} if accept else {})
        assert status == 303, (thing, accept)
        assert "Accept" in headers["Vary"]
        got = extension(headers["Location"])
        expected = choose(accept).extension  # the service's own negotiation
        assert got == expected, (thing, accept)
        if thing.startswith("/id/"):  # the service answers the same way
            app_resp = client.get(thing, headers={"Accept": accept} if accept else {})
            assert app_resp.status_code == 303 and extension(app_resp.headers["Location"]) == got
        doc_status, doc_headers, body = fetch(urljoin(server.url, headers["Location"]))
        assert doc_status == 200 and doc_headers["Content-Type"].split(";")[0] == MEDIA[got]
        assert body == (site / urlsplit(headers["Location"]).path.lstrip("/")).read_bytes()
    status, headers, _ = fetch(server.url + thing, {"Accept": BROWSER, "Accept-Language": "en-GB,en;q=0.9"})
    assert status == 303 and headers["Location"].endswith(".en.html")


def test_documents_equal_the_service_and_have_their_types(served, client):
    server, _, _ = served
    for ext in ("ttl", "jsonld", "nt", "rdf"):
        status, headers, body = fetch(f"{server.url}/id/gov/kamakura.{ext}")
        app_resp = client.get(f"/id/gov/kamakura.{ext}")
        assert status == 200 and body == app_resp.data
        assert headers["Content-Type"].split(";")[0] == app_resp.headers["Content-Type"].split(";")[0]
        assert headers["Access-Control-Allow-Origin"] == "*"
        assert "Vary" not in headers  # a document does not vary
    assert fetch(server.url + "/id/gov/kamakura.ttl")[1]["Content-Type"] == "text/turtle; charset=utf-8"
    page = fetch(server.url + "/id/gov/kamakura.en.html")[2].decode()
    assert "Kamakura City" in page and 'href="/id/gov/kamakura.html"' in page  # the other language


def test_other_kinds_of_iri(served):
    server, _, _ = served
    for path in ("/dataset", "/graph/data", "/ontology/1.0"):
        status, headers, _ = fetch(server.url + path)
        assert status == 303 and "Accept" in headers["Vary"]
        assert urlsplit(headers["Location"]).path in ("/.well-known/void", "/ontology")
    assert fetch(server.url + "/id/gov/nowhere")[0] == 404
    status, headers, _ = fetch(server.url + "/sparql?query=ASK%7B%7D")
    assert status == 307 and headers["Location"] == SERVICE + "/sparql?query=ASK%7B%7D"
    status, headers, _ = fetch(server.url + "/cq/telework?gov=kamakura")
    assert status == 307 and headers["Location"] == SERVICE + "/cq/telework?gov=kamakura"
    status, headers, body = fetch(server.url + "/download/SHA256SUMS")
    assert status == 200 and headers["Content-Type"].startswith("text/plain") and b"jichitai-kg.nq.gz" in body
    status, headers, body = fetch(server.url + "/download/jichitai-kg.nq.gz")
    assert status == 200 and headers["Content-Type"] == "application/gzip" and "Content-Encoding" not in headers
    sd = fetch(server.url + "/sparql.ttl")[2].decode()
    assert f"<{SERVICE}/sparql>" in sd and "http://localhost" not in sd


def test_w3id_rules_redirect_to_the_site(served):
    server, _, _ = served
    status, headers, _ = fetch(server.url + "/w3id/jichitai-kg/id/gov/kamakura", {"Accept": "text/turtle"})
    assert status == 303 and headers["Location"] == SITE_HOST + "/id/gov/kamakura"
    status, headers, _ = fetch(server.url + "/w3id/jichitai-kg/sparql?query=ASK%7B%7D")
    assert status == 307 and headers["Location"] == SERVICE + "/sparql?query=ASK%7B%7D"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def test_every_link_of_every_page_resolves(served):
    server, site, report = served
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 2 * report.resources
    checked: dict[str, int] = {}
    broken = []
    for page in pages:
        url = server.url + "/" + page.relative_to(site).as_posix()
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            target = urljoin(url, link.split("#")[0])
            if not target.startswith(server.url) or not urlsplit(target).path:
                continue  # the live service, w3id IRIs of resources left out, other sites
            if target not in checked:
                checked[target] = _resolve(target, server.url)
            if checked[target] != 200:
                broken.append((page.name, link, checked[target]))
    assert not broken, broken[:20]
    assert len(checked) > 200


def _resolve(url: str, origin: str, hops: int = 3) -> int:
    """Follow redirects inside the site; one that leaves it (the live service) counts as resolved."""
    for _ in range(hops):
        status, headers, _ = fetch(url, {"Accept": BROWSER})
        if status not in (301, 302, 303, 307, 308):
            return status
        url = urljoin(url, headers["Location"])
        if not url.startswith(origin):
            return 200 if re.match(r"^https?://", url) else status
    return 0
