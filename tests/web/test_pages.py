"""Pages as served: language choice, local links, CSP, CSV BOM, VoID page, CQ forms."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from jichitai_kg.linked_data.pages import local_href
from jichitai_kg.query.caching.cache import result_digest
from jichitai_kg.query.rules.media import UTF8_BOM
from jichitai_kg.web import CONTENT_SECURITY_POLICY as CSP
from jichitai_kg.web.responses import choose_lang

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


class Links(HTMLParser):
    def __init__(self, scope: str | None = None):
        super().__init__()
        self.hrefs: list[str] = []
        self.scope, self.depth = scope, 0 if scope else 1

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.scope and tag == "table" and self.scope in (attrs.get("class") or ""):
            self.depth += 1
        if tag == "a" and self.depth and attrs.get("href") and "hidden" not in attrs:
            self.hrefs.append(attrs["href"])

    def handle_endtag(self, tag):
        if self.scope and tag == "table" and self.depth:
            self.depth -= 1


def links(html: str, scope: str | None = None) -> list[str]:
    parser = Links(scope)
    parser.feed(html)
    return parser.hrefs


@pytest.mark.parametrize("arg, cookie, accept, want", [
    (None, None, None, "ja"),
    ("en", None, None, "en"),
    ("ja", "en", "en", "ja"),
    (None, "en", "ja", "en"),
    (None, None, "en-US,en;q=0.9,ja;q=0.8", "en"),
    (None, None, "ja,en-US;q=0.7", "ja"),
    (None, None, "fr-FR,fr;q=0.9", "ja"),
    ("xx", "yy", "de", "ja"),
])
def test_choose_lang(arg, cookie, accept, want):
    assert choose_lang(arg, cookie, accept) == want


def test_local_href_follows_public_base():
    iri = "https://w3id.org/jichitai-kg/id/gov/kanagawa"
    assert local_href(iri, None) == "/id/gov/kanagawa"
    assert local_href(iri, None, "/kg") == "/kg/id/gov/kanagawa"
    assert local_href(iri, "https://w3id.org/jichitai-kg") == iri  # the public IRIs resolve
    # elsewhere the links go to this server, below PUBLIC_BASE's path as the /id/ pages' links do
    assert local_href(iri, "https://example.org/kg") == "/kg/id/gov/kanagawa"
    assert local_href("http://www.w3.org/ns/org#Organization", None) == "http://www.w3.org/ns/org#Organization"


def test_result_digest_is_order_and_space_independent():
    a = {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "横浜市"}}]}}
    b = json.loads(json.dumps(a, indent=4))
    assert result_digest(a) == result_digest(b)
    assert result_digest(a) != result_digest({**a, "head": {"vars": ["y"]}})


def test_language_cookie_and_accept_language(client):
    client.delete_cookie("lang")
    resp = client.get("/?lang=en")
    assert 'lang="en"' in resp.get_data(as_text=True)
    assert "lang=en" in resp.headers["Set-Cookie"]
    page = client.get("/cq?format=html").get_data(as_text=True)  # the cookie decides now
    assert '<html lang="en">' in page and "Competency questions" in page
    client.delete_cookie("lang")
    page = client.get("/cq?format=html", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in page
    page = client.get("/cq?format=html").get_data(as_text=True)
    assert '<html lang="ja">' in page and "コンピテンシー・クエスチョン" in page


def test_header_links_carry_the_language(client):
    client.delete_cookie("lang")
    html = client.get("/cq/category-matrix?format=html&lang=en").get_data(as_text=True)
    header = html.split("</header>")[0]
    nav = [h for h in links(header) if not h.startswith(("/cq/category-matrix", "#", "/static/"))]
    assert nav and all("lang=en" in h for h in nav), nav
    assert "/.well-known/void?lang=en" in nav


def test_html_pages_have_a_strict_csp_and_no_inline_code(client):
    client.delete_cookie("lang")
    for path in ("/", "/cq", "/cq/category-matrix?format=html", "/id/gov/kanagawa", "/.well-known/void"):
        resp = client.get(path, headers={"Accept": BROWSER}, follow_redirects=True)
        assert resp.status_code == 200, path
        assert resp.headers["Content-Security-Policy"] == CSP
        html = resp.get_data(as_text=True)
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        for attrs, _body in scripts:
            assert "src=" in attrs or 'type="application/json"' in attrs, (path, attrs)
        assert " style=" not in html and "<style" not in html, path
        assert "https://cdn" not in html


def test_csv_with_bom_for_excel(client):
    query = 'SELECT ?l WHERE { <https://w3id.org/jichitai-kg/id/gov/yokohama> <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(LANG(?l) = "ja") }'
    plain = client.get("/sparql", query_string={"query": query, "format": "csv"}).data
    excel = client.get("/sparql", query_string={"query": query, "format": "csv", "bom": "1"}).data
    assert not plain.startswith(UTF8_BOM)
    assert excel == UTF8_BOM + plain
    assert excel.decode("utf-8-sig").splitlines() == ["l", "横浜市"]
    cq = client.get("/cq/category-matrix?format=csv&bom=1").data
    assert cq.startswith(UTF8_BOM) and "神奈川県" in cq.decode("utf-8-sig")


def test_void_has_an_html_page_for_browsers(client):
    client.delete_cookie("lang")
    resp = client.get("/.well-known/void", headers={"Accept": "text/html"})
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    html = resp.get_data(as_text=True)
    assert "データセットの記述（VoID）" in html
    assert ">void:triples<" in html and 'href="/.well-known/void.ttl"' in html
    turtle = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert turtle.mimetype == "text/turtle"


def test_required_parameter_page_shows_the_form_in_the_page_language(client):
    client.delete_cookie("lang")
    resp = client.get("/cq/government-profile?format=html")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "パラメータを選んでから「実行」を押してください。" in html and 'role="alert"' not in html
    assert '<option value="" selected disabled>選択してください</option>' in html
    assert not re.search(r"<option value=\"kanagawa\"[^>]*selected", html)
    bad = client.get("/cq/government-profile?format=html&gov=osaka")
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "パラメータ gov の値 osaka は使えません" in text and "kanagawa (140007" in text


def test_catalog_links_for_required_parameters_go_to_the_form(client):
    client.delete_cookie("lang")
    html = client.get("/cq?format=html").get_data(as_text=True)
    for qid in ("government-profile", "category-explanation"):
        section = html.split(f'id="{qid}"')[1].split("</section>")[0]
        hrefs = links(section)
        assert f"/cq/{qid}?lang=ja&format=html#form" in hrefs
        assert not any("format=csv" in h or "format=json" in h for h in hrefs)
        for href in hrefs:
            assert client.get(href.split("#")[0]).status_code == 200, href


def test_every_link_in_cq_tables_and_on_the_home_page_answers_here(client):
    client.delete_cookie("lang")
    catalog = client.get("/cq?format=json").get_json()["questions"]
    hrefs = set(links(client.get("/").get_data(as_text=True)))
    for q in catalog:
        if any(p["required"] for p in q["params"]):
            continue
        hrefs |= set(links(client.get(f"/cq/{q['id']}?format=html").get_data(as_text=True), "cq-results"))
    assert len(hrefs) > 100
    foreign = sorted(h for h in hrefs if urlsplit(h).netloc)
    assert foreign == [], foreign[:5]
    for href in sorted(hrefs):
        resp = client.get(href.split("#")[0], headers={"Accept": BROWSER}, follow_redirects=True)
        assert resp.status_code == 200, (href, resp.status_code)


def test_service_description_page_speaks_the_page_language(client):
    client.delete_cookie("lang")
    ja = client.get("/sparql?format=html").get_data(as_text=True)
    assert "<title>SPARQL サービス記述</title>" in ja and "<th>役割</th>" in ja and "<td>推論</td>" in ja
    assert 'href="/sparql?format=html&amp;lang=en"' in ja
    en = client.get("/sparql?format=html&lang=en").get_data(as_text=True)
    assert "<title>SPARQL service description</title>" in en and "<td>inferred</td>" in en


def test_void_page_advertises_only_representations_that_answer(client):
    resp = client.get("/.well-known/void", headers={"Accept": BROWSER})
    alternates = re.findall(r"<([^>]+)>; rel=\"alternate\"", resp.headers["Link"])
    assert "/.well-known/void.ttl" in alternates and not any(a.endswith(".html") for a in alternates)
    for href in alternates:
        assert client.get(href).status_code == 200, href


def test_result_table_links_only_local_and_http_iris(app):
    from jichitai_kg.web.cq import _cell

    with app.test_request_context("/cq/cdo?format=html"):
        gov = _cell({"type": "uri", "value": "https://w3id.org/jichitai-kg/id/gov/kanagawa"})
        assert gov == {"text": "gov:kanagawa", "href": "/id/gov/kanagawa",
                       "title": "https://w3id.org/jichitai-kg/id/gov/kanagawa"}
        assert _cell({"type": "uri", "value": "javascript:alert(1)"}) == {"text": "<javascript:alert(1)>"}
        assert _cell({"type": "uri", "value": "https://www.wikidata.org/entity/Q1"})["href"] == \
            "https://www.wikidata.org/entity/Q1"
