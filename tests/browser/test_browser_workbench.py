"""The query workbench in a real browser: editor, run, views, permalink, history, citation."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from workbench_page import editor_text, type_query

pytestmark = [pytest.mark.server, pytest.mark.slow]

JKG = Namespace("https://w3id.org/jichitai-kg/ontology#")
EXPECTED = Path(__file__).resolve().parents[1] / "expected" / "cq"
PER_GOVERNMENT = """PREFIX jkg: <https://w3id.org/jichitai-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?name (COUNT(DISTINCT ?entry) AS ?entries) WHERE {
  ?entry a jkg:OverviewTableEntry ; jkg:government ?gov .
  ?gov rdfs:label ?name FILTER(LANG(?name) = "ja")
} GROUP BY ?name ORDER BY ?name"""
GOVERNMENTS = """PREFIX jkg: <https://w3id.org/jichitai-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?gov ?name ?code WHERE {
  ?gov a jkg:CaseGovernment ; rdfs:label ?name ; jkg:dantaiCode ?code .
  FILTER(LANG(?name) = "ja")
} ORDER BY ?code"""


def sparql_json(server, query: str, infer: bool = True) -> dict:
    params = {"query": query, "format": "json"}
    if not infer:
        params["infer"] = "false"
    with urllib.request.urlopen(server.url + "/sparql?" + urllib.parse.urlencode(params)) as resp:
        return json.load(resp)


def test_ctrl_enter_runs_the_query_and_shows_rows(open_page, live_server, asserted_graph):
    w = open_page("/")
    page = w.page
    type_query(page, GOVERNMENTS)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("table.results-table tbody tr")
    rows = page.locator("table.results-table tbody tr")
    codes = sorted(str(o) for gov in asserted_graph.subjects(RDF.type, JKG.CaseGovernment)
                   for o in asserted_graph.objects(gov, JKG.dantaiCode))
    assert rows.count() == len(codes) == 8
    assert [c.strip() for c in rows.locator("td:nth-child(3) .lit").all_inner_texts()] == codes
    kanagawa = URIRef("https://w3id.org/jichitai-kg/id/gov/kanagawa")
    label = str(next(o for o in asserted_graph.objects(kanagawa, RDFS.label) if o.language == "ja"))
    row = rows.filter(has_text=label)
    link = row.locator("a.iri").first
    assert link.inner_text() == "gov:kanagawa"
    assert link.get_attribute("href") == "/id/gov/kanagawa"  # a local page, not w3id.org
    assert row.locator(".lang-tag").first.inner_text() == "@ja"
    assert re.match(r"8 件", page.locator("#row-count").inner_text())
    assert re.match(r"\d+ ミリ秒", page.locator("#timing").inner_text())
    # The address records the query: pasting it reproduces the page.
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)["query"] == [GOVERNMENTS]


def test_syntax_error_is_marked_on_its_line(open_page):
    page = open_page("/").page
    type_query(page, "SELECT ?s\nWHERE {\n  ?s ?p ?o .\n  FILTER(\n}")
    page.click("#run")
    page.wait_for_selector("pre.error")
    message = page.locator("pre.error").inner_text()
    line = int(re.search(r"at (\d+):(\d+)", message).group(1))
    mark = page.wait_for_selector(".cm-lintRange-error")
    lines = page.locator(".cm-line")
    marked = [i + 1 for i in range(lines.count()) if lines.nth(i).locator(".cm-lintRange-error").count()]
    assert marked == [line] and line >= 4
    assert mark.is_visible()
    assert page.locator(".cm-lint-marker-error").count() == 1


#: Every triple except those about the register's other governments and wards (the 1,780 bodies
#: the report does not profile and their geometry nodes): a result of tens of thousands of rows.
REPORT_TRIPLES = """PREFIX jkg: <https://w3id.org/jichitai-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT * WHERE {
  ?s ?p ?o .
  FILTER(!isBlank(?s))
  FILTER NOT EXISTS {
    ?s <http://schema.org/subjectOf> <https://w3id.org/jichitai-kg/id/source/register-japancode>
    FILTER NOT EXISTS { ?s a jkg:CaseGovernment }
  }
}"""


def test_big_result_is_paged_sorted_and_filtered(open_page, live_server):
    query = REPORT_TRIPLES
    rows = sparql_json(live_server, query)["results"]["bindings"]
    total = len(rows)
    code = str(JKG.dantaiCode)
    # The filter matches the text shown: the compact name, also inside a literal (wardCode's definition)
    mentions = [r for r in rows if any(r[v]["value"] == code or "jkg:dantaiCode" in r[v]["value"] for v in "spo")]
    as_predicate = [r for r in mentions if r["p"]["value"] == code]
    page = open_page("/?" + urllib.parse.urlencode({"query": query})).page
    page.wait_for_selector("table.results-table tbody tr")
    assert page.locator("table.results-table tbody tr").count() == 100
    assert f"({total} 件)" in page.locator(".page-info").inner_text()
    assert page.locator("#row-count").inner_text().startswith(f"{total} 件")
    page.click("button.next")
    assert page.locator(".page-info").inner_text().startswith("2 / ")
    page.fill("input.filter", "jkg:dantaiCode")
    page.wait_for_function(f"() => document.querySelector('.page-info').textContent.includes('({len(mentions)} 件)')")
    preds = page.locator("table.results-table tbody td:nth-child(2)").all_inner_texts()
    assert preds.count("jkg:dantaiCode") == len(as_predicate) == 8
    page.fill("input.filter", "")
    page.click("th[data-var=p]")
    first = page.locator("table.results-table tbody td:nth-child(2)").all_inner_texts()
    assert first == sorted(first)
    page.click("th[data-var=p]")
    assert page.locator("th[data-var=p]").get_attribute("aria-sort") == "descending"
    last = page.locator("table.results-table tbody td:nth-child(2)").all_inner_texts()
    assert last == sorted(last, reverse=True) and last[0] >= first[-1]


def test_ask_and_construct(open_page, live_server):
    page = open_page("/").page
    type_query(page, "ASK { ?g a <https://w3id.org/jichitai-kg/ontology#CaseGovernment> }")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".ask-answer")
    assert page.locator(".ask-answer").inner_text() == "はい"
    construct = ("CONSTRUCT { ?g <http://www.w3.org/2000/01/rdf-schema#label> ?l } WHERE { "
                 "?g a <https://w3id.org/jichitai-kg/ontology#CaseGovernment> ; "
                 "<http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    expected = sparql_json(live_server, construct.replace("CONSTRUCT { ?g <http://www.w3.org/2000/01/"
                                                          "rdf-schema#label> ?l }", "SELECT ?g ?l"))
    type_query(page, construct)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("table.results-table th[data-var=predicate]")
    rows = page.locator("table.results-table tbody tr")
    assert rows.count() == len(expected["results"]["bindings"]) == 16
    assert set(rows.locator("td:nth-child(2)").all_inner_texts()) == {"rdfs:label"}
    assert set(rows.locator("td:nth-child(3) .lang-tag").all_inner_texts()) == {"@ja", "@en"}
    page.click("#views button[data-view=raw]")
    raw = page.locator("pre.raw").inner_text()
    assert raw.count("<http://www.w3.org/2000/01/rdf-schema#label>") == 16
    page.click("#views button[data-view=graph]")
    page.wait_for_selector("svg.graph")
    assert page.locator("svg.graph g.edge").count() == 16
    assert {e.get_attribute("data-predicate") for e in page.locator("svg.graph g.edge").element_handles()} \
        == {"rdfs:label"}
    govs = {b["g"]["value"] for b in expected["results"]["bindings"]}
    assert page.locator("svg.graph g.node.uri").count() == len(govs) == 8
    assert page.locator("svg.graph g.node.literal").count() == 16


def overview_totals(asserted_graph) -> dict[str, int]:
    """Overview-table bullets per government (ja label), from the report's expected table."""
    totals = {}
    with open(EXPECTED / "category-matrix.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            gov = URIRef(f"https://w3id.org/jichitai-kg/id/gov/{row['gov']}")
            label = next(str(o) for o in asserted_graph.objects(gov, RDFS.label) if o.language == "ja")
            totals[label] = sum(int(row[c]) for c in ("culture", "resources", "information"))
    return totals


def test_permalink_reproduces_query_view_and_rows(open_page, live_server, asserted_graph):
    page = open_page("/?lang=en").page
    type_query(page, PER_GOVERNMENT)
    page.click("#run")
    page.wait_for_selector("table.results-table tbody tr")
    page.click("#views button[data-view=bar]")
    page.wait_for_selector("svg.bar-chart g.bar")
    url = page.url
    params = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    assert params["view"] == ["bar"] and params["lang"] == ["en"] and params["query"] == [PER_GOVERNMENT]
    again = open_page(url.removeprefix(live_server.url)).page
    again.wait_for_selector("svg.bar-chart g.bar")
    assert editor_text(again) == PER_GOVERNMENT
    assert again.locator("#views button.active").get_attribute("data-view") == "bar"
    bars = {b.get_attribute("data-label"): int(b.get_attribute("data-value"))
            for b in again.locator("svg.bar-chart g.bar").element_handles()}
    assert bars == overview_totals(asserted_graph)
    again.click("#views button[data-view=table]")
    assert again.locator("table.results-table tbody tr").count() == 8


def test_history_and_citation(open_page, live_server):
    page = open_page("/").page
    type_query(page, GOVERNMENTS)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("table.results-table tbody tr")
    history = page.evaluate("() => JSON.parse(localStorage.getItem('jichitai-kg.history'))")
    assert history[0]["query"] == GOVERNMENTS
    assert page.locator("#history option").count() == 2
    page.click("#cite summary")
    page.wait_for_function("() => /^[0-9a-f]{64}$/.test(document.getElementById('cite-digest').textContent)")
    from jichitai_kg.query.caching.cache import result_digest

    digest = page.locator("#cite-digest").inner_text()
    assert digest == result_digest(sparql_json(live_server, GOVERNMENTS))
    assert digest in page.locator("#cite-bibtex").inner_text()
    csl = json.loads(page.locator("#cite-csl").inner_text())
    assert csl["type"] == "dataset" and GOVERNMENTS in csl["note"]
    # Pages on plain HTTP (no crypto.subtle) hash with the script's own SHA-256.
    for text in ("", "abc", "神奈川県" * 40, GOVERNMENTS * 3):
        got = page.evaluate("async (t) => (await import('/static/workbench/sha256.js')).sha256Fallback(t)", text)
        assert got == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_completion_offers_ontology_terms_with_labels(open_page, asserted_graph):
    page = open_page("/").page
    type_query(page, "SELECT * WHERE { ?p a jkg:Pla")
    page.keyboard.press("Control+Space")
    option = page.locator(".cm-tooltip-autocomplete li", has_text="jkg:Plan").first
    option.wait_for()
    label = next(str(o) for o in asserted_graph.objects(JKG.Plan, RDFS.label) if o.language == "ja")
    assert label in option.inner_text()
    option.click()
    text = editor_text(page)
    assert text.startswith("PREFIX jkg: <https://w3id.org/jichitai-kg/ontology#>")
    assert "?p a jkg:Plan" in text
