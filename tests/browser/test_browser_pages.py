"""Server-rendered pages in a real browser: CQ views, mobile width, language, origin, CSP."""

from __future__ import annotations

import csv
import json
import re
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import pytest
from rdflib import URIRef
from rdflib.namespace import RDFS

pytestmark = [pytest.mark.server, pytest.mark.slow]

EXPECTED = Path(__file__).resolve().parents[1] / "expected" / "cq"
GOV = "https://w3id.org/jichitai-kg/id/gov/"
CATEGORY = "https://w3id.org/jichitai-kg/id/category/"
#: Plan periods as the report states them (start, end; "" where it gives no end).
REPORT_PERIODS = {("2004-04-01", "2014-03-31"), ("2014-04-01", "2021-03-31"),
                  ("2018-04-01", "2021-03-31"), ("2018-04-01", "2022-03-31"), ("2020-04-01", "")}


def label(graph, iri: str, lang: str = "ja") -> str:
    return next(str(o) for o in graph.objects(URIRef(iri), RDFS.label) if o.language == lang)


def test_category_matrix_opens_as_heatmap_with_the_reports_counts(open_page, asserted_graph):
    page = open_page("/cq/category-matrix?format=html").page
    cells = page.locator("svg.heatmap g.cell")
    cells.first.wait_for()
    got = {(c.get_attribute("data-row"), c.get_attribute("data-column")): c.query_selector("text").text_content()
           for c in cells.element_handles()}
    expected = {}
    with open(EXPECTED / "category-matrix.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for cat in ("culture", "resources", "information"):
                key = (label(asserted_graph, GOV + row["gov"]), label(asserted_graph, CATEGORY + cat))
                expected[key] = row[cat]
    assert len(got) == 24
    assert got == expected
    assert got[("神奈川県", label(asserted_graph, CATEGORY + "information"))] == "3"


def test_plans_timeline_draws_one_bar_per_plan_with_a_period(open_page, live_server):
    with urllib.request.urlopen(live_server.url + "/cq/plans-timeline?format=json") as resp:
        rows = json.load(resp)["results"]["bindings"]
    with_period = {r["plan"]["value"] for r in rows if "periodStart" in r}
    page = open_page("/cq/plans-timeline?format=html").page
    bars = page.locator("svg.timeline g.period")
    bars.first.wait_for()
    periods = {(b.get_attribute("data-start"), b.get_attribute("data-end")) for b in bars.element_handles()}
    assert bars.count() == len(with_period)
    assert REPORT_PERIODS <= periods
    box = bars.first.locator("rect").bounding_box()
    assert box["width"] > 4 and box["height"] > 4


def test_figures_open_as_bars(open_page, live_server):
    with urllib.request.urlopen(live_server.url + "/cq/figures?format=json") as resp:
        rows = json.load(resp)["results"]["bindings"]
    page = open_page("/cq/figures?format=html").page
    bars = page.locator("svg.bar-chart g.bar")
    bars.first.wait_for()
    assert bars.count() == len(rows)
    assert sorted(float(b.get_attribute("data-value")) for b in bars.element_handles()) == \
        sorted(float(r["value"]["value"]) for r in rows)


PAGES = ["/", "/?lang=en", "/cq", "/cq/category-matrix?format=html", "/cq/government-profile?format=html",
         "/id/gov/kanagawa", "/ontology.html", "/download/", "/.well-known/void", "/sparql?format=html", "/map",
         "/search?q=鎌倉", "/search?q=RPA&lang=en", "/search?q=telewrok&lang=en"]


@pytest.mark.parametrize("path", PAGES)
def test_page_fits_390px_and_stays_on_its_origin(open_page, live_server, path):
    """No horizontal scroll at phone width; the fixture fails on foreign requests or CSP errors."""
    w = open_page(path, width=390)
    page = w.page
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert page.locator("header.site").is_visible()


def test_workbench_with_a_wide_result_fits_360px(open_page):
    """The table scrolls inside its box; the page itself does not scroll sideways."""
    query = "SELECT * WHERE { ?s ?p ?o } LIMIT 300"
    page = open_page("/?" + urlencode({"query": query, "view": "table"}), width=360).page
    page.wait_for_selector("table.results-table tbody tr")
    assert page.locator("table.results-table tbody tr").count() == 100
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    page.click("#views button[data-view=heatmap]")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360


def test_language_sticks_across_pages(open_page, browser, live_server):
    page = open_page("/?lang=en").page
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("header.site nav a:text('CQ')")
    assert page.locator("html").get_attribute("lang") == "en" and "lang=en" in page.url
    page.goto(live_server.url + "/cq/category-matrix?format=html")  # no ?lang: the cookie decides
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Initiatives per government" in page.locator("h1").inner_text()
    english = open_page("/", locale="en-US").page  # a fresh browser that prefers English
    assert english.locator("html").get_attribute("lang") == "en"
    japanese = open_page("/").page
    assert japanese.locator("html").get_attribute("lang") == "ja"


#: The page's prose: code (the editor, SPARQL listings, IRIs) is the same in both languages, and
#: text that exists in one language only is marked with its own lang attribute.
PROSE = """() => { const body = document.body.cloneNode(true);
  body.querySelectorAll('#editor, pre, code, textarea, script, a.iri').forEach((e) => e.remove());
  body.querySelectorAll('[lang]').forEach((e) => { if (e.lang !== document.documentElement.lang) e.remove(); });
  return body.textContent; }"""


def _strings(table: dict, lang: str) -> set[str]:
    other = "en" if lang == "ja" else "ja"
    return {v for k, v in table[other].items() if v != table[lang].get(k) and len(v) > 3}


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_no_interface_text_of_the_other_language(open_page, lang):
    from jichitai_kg.linked_data.void import PAGE_TEXT as void_text
    from jichitai_kg.web import cq as cq_web
    from jichitai_kg.web import home

    tables = [(home.TEXT, "/"), (cq_web.TEXT, "/cq"), (cq_web.TEXT, "/cq/category-matrix?format=html"),
              (cq_web.TEXT, "/cq/government-profile?format=html"), (void_text, "/.well-known/void")]
    for table, path in tables:
        page = open_page(f"{path}{'&' if '?' in path else '?'}lang={lang}").page
        page.wait_for_load_state("networkidle")
        text = page.evaluate(PROSE)
        leaked = [s for s in _strings(table, lang) if s not in ("English", "日本語")
                  and re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)]
        assert leaked == [], f"{path} ({lang}) shows {leaked}"
        if lang == "ja":
            for english in ("Code: MIT", "Ontology", "Downloads", "Results", "Download", "Error"):
                assert not re.search(rf"\b{english}\b", text), f"{path} shows {english!r}"
