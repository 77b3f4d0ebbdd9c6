"""``/cq`` and ``/cq/<id>``: catalog listing, formats, negotiation, errors, HTML pages."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from jichitai_kg.web import create_app
from jichitai_kg.web.state import get_dataset

ROOT = Path(__file__).resolve().parents[2]
GOV = "https://w3id.org/jichitai-kg/id/gov/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def app():
    app = create_app({"ROOT": str(ROOT), "QUERY_WORKERS": 1, "EAGER_START": False,
                      "TESTING": True})
    yield app
    get_dataset(app).close()


@pytest.fixture()
def client(app):
    return app.test_client()


def _json(resp):
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return json.loads(resp.get_data(as_text=True))


# --------------------------------------------------------------------------- the catalog


def test_catalog_json_lists_every_question(client):
    resp = client.get("/cq", headers={"Accept": "application/json"})
    assert resp.mimetype == "application/json"
    data = _json(resp)
    ids = [q["id"] for q in data["questions"]]
    assert ids[:3] == ["category-matrix", "initiatives-by-category", "cdo"]
    assert "government-profile" in ids and len(ids) >= 17
    matrix = data["questions"][0]
    assert matrix["columns"] == ["gov", "govLabel", "category", "categoryLabel", "initiatives"]
    assert matrix["title"]["ja"] == "自治体・分野別の取組数"
    assert {p["name"] for p in matrix["params"]} == {"gov", "category"}
    assert "SELECT" in matrix["query"]
    assert matrix["url"].endswith("/cq/category-matrix")


def test_catalog_html_for_browsers(client):
    resp = client.get("/cq", headers={"Accept": BROWSER})
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    html = resp.get_data(as_text=True)
    assert "自治体・分野別の取組数" in html  # a title, in Japanese by default
    assert "各自治体の一覧表は" in html      # its question
    assert 'href="/cq/cdo?lang=ja&amp;format=html"' in html  # a run link
    assert "skos:hasTopConcept" in html     # the SPARQL is shown
    editor = [a for a in html.split('href="')[1:] if a.startswith("/?question=")]
    assert editor, "an 'open in the query editor' link"
    args = parse_qs(urlparse(editor[0].split('"')[0].replace("&amp;", "&")).query)
    assert args["question"] == ["category-matrix"] and args["lang"] == ["ja"]


def test_catalog_html_in_english(client):
    html = client.get("/cq?lang=en&format=html").get_data(as_text=True)
    assert "Competency questions" in html and "Initiatives per government and success factor" in html


def test_catalog_unknown_format(client):
    resp = client.get("/cq?format=pdf")
    assert resp.status_code == 400 and "json or html" in resp.get_data(as_text=True)


# --------------------------------------------------------------------------- running a question


def test_run_default_json_results(client):
    data = _json(client.get("/cq/category-matrix?gov=kanagawa"))
    assert data["head"]["vars"][:5] == ["gov", "govLabel", "category", "categoryLabel",
                                        "initiatives"]
    got = {(b["category"]["value"].rsplit("/", 1)[-1], int(b["initiatives"]["value"]))
           for b in data["results"]["bindings"]}
    # 神奈川県's overview table: 組織文化 2 bullets, 資源 2, 情報力・組織体制 3.
    assert got == {("culture", 2), ("resources", 2), ("information", 3)}
    assert {b["gov"]["value"] for b in data["results"]["bindings"]} == {GOV + "kanagawa"}


def test_government_by_code_and_iri(client):
    by_code = _json(client.get("/cq/category-matrix?gov=082201"))
    by_iri = _json(client.get("/cq/category-matrix", query_string={"gov": GOV + "tsukuba"}))
    assert by_code["results"] == by_iri["results"]
    assert {b["gov"]["value"] for b in by_code["results"]["bindings"]} == {GOV + "tsukuba"}


def test_language_switch(client):
    ja = _json(client.get("/cq/cdo"))["results"]["bindings"][0]
    en = _json(client.get("/cq/cdo?lang=en"))["results"]["bindings"][0]
    assert ja["govLabel"] == {"type": "literal", "value": "神奈川県", "xml:lang": "ja"}
    assert en["govLabel"]["xml:lang"] == "en" and "Kanagawa" in en["govLabel"]["value"]


@pytest.mark.parametrize("fmt, media_type", [
    ("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
    ("xml", "application/sparql-results+xml"), ("json", "application/sparql-results+json"),
])
def test_formats_by_parameter(client, fmt, media_type):
    resp = client.get(f"/cq/cdo?format={fmt}")
    assert resp.status_code == 200 and resp.mimetype == media_type
    body = resp.get_data(as_text=True)
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(body)))
        assert [(r["gov"], r["post"]) for r in rows] == [
            (GOV + "kanagawa", "https://w3id.org/jichitai-kg/id/post/kanagawa-cdo")]
    elif fmt == "tsv":
        header, *lines = body.strip().split("\n")
        assert header.split("\t")[:2] == ["?gov", "?govLabel"]
        assert len(lines) == 1 and f"<{GOV}kanagawa>" in lines[0]
    elif fmt == "xml":
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        root = ET.fromstring(body)
        assert [u.text for u in root.findall(".//r:binding[@name='gov']/r:uri", ns)] == \
            [GOV + "kanagawa"]
    else:
        assert json.loads(body)["results"]["bindings"][0]["post"]["value"].endswith("kanagawa-cdo")


@pytest.mark.parametrize("accept, media_type", [
    ("text/csv", "text/csv"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("application/json", "application/sparql-results+json"),
    (BROWSER, "text/html"),
])
def test_content_negotiation(client, accept, media_type):
    resp = client.get("/cq/leadership-bodies", headers={"Accept": accept})
    assert resp.status_code == 200 and resp.mimetype == media_type
    assert "Accept" in resp.headers.get("Vary", "")


def test_not_acceptable(client):
    resp = client.get("/cq/cdo", headers={"Accept": "image/png"})
    assert resp.status_code == 406


def test_bad_government_is_400_naming_valid_values(client):
    resp = client.get("/cq/category-matrix?gov=osaka")
    assert resp.status_code == 400
    msg = resp.get_data(as_text=True)
    for expected in ("osaka", "kanagawa (140007, 神奈川県)", "yokohama (141003, 横浜市)",
                     "tsukuba (082201, つくば市)"):
        assert expected in msg


def test_missing_required_parameter_is_400(client):
    resp = client.get("/cq/government-profile")
    assert resp.status_code == 400
    assert "'gov'" in resp.get_data(as_text=True) and "minato" in resp.get_data(as_text=True)


def test_bad_category_and_unknown_parameter_are_400(client):
    resp = client.get("/cq/initiatives-by-category?category=money")
    assert resp.status_code == 400 and "culture, resources, information" in resp.get_data(as_text=True)
    resp = client.get("/cq/cdo?gov=kanagawa")
    assert resp.status_code == 400 and "takes no parameters" in resp.get_data(as_text=True)


def test_bad_lang_is_400(client):
    resp = client.get("/cq/cdo?lang=fr")
    assert resp.status_code == 400 and "ja, en" in resp.get_data(as_text=True)


def test_unknown_question_is_404(client):
    resp = client.get("/cq/no-such-question")
    assert resp.status_code == 404 and "category-matrix" in resp.get_data(as_text=True)


def test_infer_false_leaves_out_derived_categories(client):
    with_inference = _json(client.get("/cq/classification-disagreements"))
    without = _json(client.get("/cq/classification-disagreements?infer=false"))
    assert len(with_inference["results"]["bindings"]) == 2
    assert without["results"]["bindings"] == []


def test_parameter_filter_with_partner_kind(client):
    data = _json(client.get("/cq/partners?kind=university&lang=ja"))
    labels = {b["partnerLabel"]["value"] for b in data["results"]["bindings"]}
    assert labels == {"筑波大学"}


# --------------------------------------------------------------------------- HTML result pages


def test_result_page_html(client):
    resp = client.get("/cq/leadership-bodies?format=html")
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    html = resp.get_data(as_text=True)
    assert "首長・副首長が長を務める全庁横断組織" in html
    assert "<th>bodyLabel</th>" in html and "<th>lang</th>" not in html
    for name in ("京都府時間外勤務縮減推進委員会", "スマート県庁推進会議", "ICT推進本部"):
        assert f">{name}<" in html
    assert "(3 件)" in html
    # Links go to this server (PUBLIC_BASE is unset), the full IRI on hover.
    assert 'href="/id/gov/tokushima" title="https://w3id.org/jichitai-kg/id/gov/tokushima">gov:tokushima</a>' in html
    assert "format=csv" in html and "/?question=" in html


def test_result_page_html_english_with_parameter(client):
    html = client.get("/cq/category-matrix?format=html&lang=en&gov=minato").get_data(as_text=True)
    assert "Initiatives per government and success factor" in html
    assert "Organizational culture" in html
    assert '<option value="minato" selected>' in html


def _government_options(html: str) -> dict[str, str]:
    """The government picker's choices: value → text."""
    picker = html[html.index('<select name="gov"'):]
    picker = picker[:picker.index("</select>")]
    return dict(re.findall(r'<option value="([a-z]+)"(?: selected)? *>([^<]*)</option>', picker))


def test_government_choices_are_named_in_the_page_language(client):
    """In English the picker names each government in English with the Japanese in brackets;
    in Japanese it keeps the Japanese names only."""
    en = _government_options(client.get("/cq/category-matrix?format=html&lang=en&gov=minato")
                             .get_data(as_text=True))
    assert en["kamakura"] == "Kamakura City (鎌倉市, kamakura)"
    assert en["kyoto"] == "Kyoto Prefecture (京都府, kyoto)"
    assert en["minato"] == "Minato City (港区, minato)"
    assert len(en) == 8 and all(" (" in text and text[0].isascii() for text in en.values())
    ja = _government_options(client.get("/cq/category-matrix?format=html&lang=ja").get_data(as_text=True))
    assert ja["kamakura"] == "鎌倉市 (kamakura)" and ja["tsukuba"] == "つくば市 (tsukuba)"
    assert len(ja) == 8 and not any("City" in text or "Prefecture" in text for text in ja.values())


def test_result_page_html_error(client):
    resp = client.get("/cq/category-matrix?format=html&gov=osaka")
    assert resp.status_code == 400 and resp.mimetype == "text/html"
    html = resp.get_data(as_text=True)
    assert 'role="alert"' in html and "osaka" in html and "kanagawa (140007" in html


@pytest.mark.parametrize("label, iso", [("2011年3月", "2011-03"), ("March 2011", "2011-03"),
                                        ("2018年度", "2018-04/2019-03"), ("FY2018", "2018-04/2019-03"),
                                        ("2004", None), ("鎌倉市", None)])
def test_date_labels_read_in_one_form(label, iso):
    from jichitai_kg.web.cq import iso_date_text

    assert iso_date_text(label) == iso


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_plans_timeline_page_writes_every_adoption_date_in_iso_form(client, lang):
    page = client.get(f"/cq/plans-timeline?format=html&lang={lang}").get_data(as_text=True)
    table = page[page.index('<table class="cq-results">'):]
    for bad in ("年3月", "年度", "FY20", "March "):
        assert f">{bad}" not in table and bad not in table.split("<tbody>")[1].replace('title="', "\0").split("\0")[0]
    assert "<span title=\"" in table and ">2018-04/2019-03<" in table


def test_editor_link_keeps_parameters_language_and_inference(client):
    page = client.get("/cq/government-profile?gov=kamakura&format=html&lang=en&infer=false").get_data(as_text=True)
    href = page.split('<a class="editor" href="')[1].split('"')[0].replace("&amp;", "&")
    assert parse_qs(urlparse(href).query) == {"question": ["government-profile"], "gov": ["kamakura"],
                                              "infer": ["false"], "lang": ["en"]}
