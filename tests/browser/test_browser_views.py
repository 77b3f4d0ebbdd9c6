"""The workbench's views and tools: charts that say what they show (title, legend, axis titles,
<title>/<desc>, table, SVG/PNG), graph zoom, large results, jump to page, the syntax check as
you type, short permalinks, and the whole workbench by keyboard alone."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from workbench_page import type_query

pytestmark = [pytest.mark.server, pytest.mark.slow]

CONSTRUCT = """PREFIX jkg: <https://w3id.org/jichitai-kg/ontology#>
CONSTRUCT { ?plan ?p ?o } WHERE { ?plan a jkg:Plan ; ?p ?o } LIMIT 83"""


def test_charts_have_title_legend_axes_table_and_downloads(open_page, live_server):
    page = open_page("/?question=category-matrix&view=heatmap&lang=en").page
    svg = page.locator("svg.heatmap")
    svg.wait_for()
    title, desc = svg.locator("title").first.text_content(), svg.locator("desc").text_content()
    assert title.startswith("Heatmap: initiatives") and "8 rows × 3 columns" in desc
    assert svg.get_attribute("aria-labelledby").split() == [svg.locator("title").first.get_attribute("id"),
                                                            svg.locator("desc").get_attribute("id")]
    assert svg.locator("text.x-title").text_content() == "categoryLabel"
    assert "govLabel" in svg.locator("text.y-title").text_content()
    assert page.locator("figure.chart-figure ul.legend li").all_inner_texts() == ["low (0)", "high (3)"]
    page.click("details.chart-table summary")
    assert page.locator("details.chart-table tbody tr").count() == 24
    with page.expect_download() as svg_file:
        page.click("button.dl-svg")
    text = open(svg_file.value.path(), encoding="utf-8").read()
    assert text.startswith("<svg") and "<title" in text and "Kanagawa Prefecture" in text
    with page.expect_download() as png_file:
        page.click("button.dl-png")
    png = open(png_file.value.path(), "rb").read()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000
    page.click("#views button[data-view=bar]")
    bar = page.locator("svg.bar-chart")
    assert bar.locator("text.x-title").text_content() == "initiatives"
    assert bar.locator("title").first.text_content().startswith("Bar chart")


def test_graph_view_zooms_pans_and_labels(open_page):
    page = open_page("/").page
    type_query(page, CONSTRUCT)
    page.click("#run")
    page.wait_for_function("() => /^83 /.test((document.getElementById('row-count') || {}).textContent)")
    page.click("#views button[data-view=graph]")
    svg = page.locator("svg.graph")
    svg.wait_for()
    assert svg.get_attribute("data-zoom") == "1.00"
    assert not page.locator("svg.graph .edge-label.detail").first.is_visible()  # 83 edges: hidden until zoomed
    page.click("p.zoom-controls button >> nth=0")
    page.click("p.zoom-controls button >> nth=0")
    assert svg.get_attribute("data-zoom") == "1.56"
    assert page.locator("svg.graph .edge-label.detail").first.is_visible()
    before = page.locator("svg.graph g.viewport").get_attribute("transform")
    svg.focus()
    page.keyboard.press("ArrowLeft")
    assert page.locator("svg.graph g.viewport").get_attribute("transform") != before
    page.keyboard.press("0")
    assert svg.get_attribute("data-zoom") == "1.00"
    box = svg.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -200)
    assert float(svg.get_attribute("data-zoom")) > 1


def test_100000_rows_stay_responsive_with_a_note_and_jump_to_page(open_page):
    page = open_page("/").page
    query = "SELECT ?s ?p WHERE { { ?s ?p ?o } UNION { ?s ?p ?o } } LIMIT 100000"
    type_query(page, query)
    page.click("#run")
    page.wait_for_function("() => /^100000 /.test((document.getElementById('row-count') || {}).textContent)",
                           timeout=60000)
    jump = page.locator(".page-jump input")
    jump.fill("750")
    jump.press("Enter")
    assert page.locator(".page-info").inner_text().startswith("750 / 1000")
    took = page.evaluate("""() => { const t = performance.now();
      document.querySelector("th.sortable").click(); return performance.now() - t; }""")
    assert took < 3000, took  # Japanese collation over 100,000 rows
    assert page.locator(".page-info").inner_text().startswith("1 / 1000")
    took = page.evaluate("""() => { const t = performance.now();
      document.querySelector("#views button[data-view=raw]").click(); return performance.now() - t; }""")
    assert took < 3000, took
    assert "200,000" in page.locator("p.capped-note").inner_text()
    assert len(page.locator("pre.raw").text_content()) <= 200_002
    # A large graph answer: the drawing stops at 150 terms and says so.
    type_query(page, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 20000")
    page.click("#run")
    page.wait_for_function("() => /^20000 /.test((document.getElementById('row-count') || {}).textContent)",
                           timeout=60000)
    page.click("#views button[data-view=graph]")
    page.wait_for_selector("svg.graph")
    assert page.locator("svg.graph g.node").count() <= 150
    assert "20000" in page.locator("p.capped-note").inner_text()


def test_syntax_is_checked_as_you_type(open_page):
    page = open_page("/?lang=en").page
    type_query(page, "SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(\n}")
    page.wait_for_function("() => document.getElementById('syntax-status').classList.contains('error')")
    assert page.locator("#syntax-status").inner_text().startswith("Syntax error")
    assert page.locator(".cm-lintRange-error").count() == 1
    marked = [i + 1 for i in range(page.locator(".cm-line").count())
              if page.locator(".cm-line").nth(i).locator(".cm-lintRange-error").count()]
    assert marked and marked[0] >= 3
    assert page.locator("table.results-table").count() == 0  # nothing ran
    type_query(page, "ASK { ?s ?p ?o }")
    page.wait_for_function("() => document.getElementById('syntax-status').classList.contains('ok')")
    assert page.locator(".cm-lintRange-error").count() == 0


def test_short_permalink_resolves_to_the_same_result(open_page, live_server):
    page = open_page("/?question=government-profile&gov=kamakura&lang=en").page
    page.wait_for_function("() => /^19 /.test((document.getElementById('row-count') || {}).textContent)")
    # the English form names the governments in English, the Japanese name in brackets
    assert page.locator("#param-gov option:checked").text_content() == "Kamakura City (鎌倉市, kamakura)"
    assert page.locator("#param-gov option").nth(1).text_content() == "Kamakura City (鎌倉市, kamakura)"
    page.click("#shorten")
    page.wait_for_function("() => document.getElementById('short-permalink').value.includes('/q/')")
    short = page.locator("#short-permalink").input_value()
    assert len(short) < len(live_server.url) + 20
    again = open_page(urllib.parse.urlsplit(short).path).page
    again.wait_for_function("() => /^19 /.test((document.getElementById('row-count') || {}).textContent)")
    assert again.locator("#param-gov").input_value() == "kamakura"
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(again.url).query)["question"] == ["government-profile"]


def test_the_workbench_by_keyboard_alone(open_page):
    page = open_page("/?lang=en").page
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")

    def tab_to(predicate: str, limit: int = 60) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(f"() => {{ const e = document.activeElement; return {predicate}; }}"):
                return
        raise AssertionError(f"Tab never reached {predicate}")

    tab_to("e.id === 'questions'")
    options = page.locator("#questions option").evaluate_all("(os) => os.map((o) => o.value)")
    for _ in range(options.index("category-matrix")):
        page.keyboard.press("ArrowDown")
    assert page.locator("#questions").input_value() == "category-matrix"
    tab_to("e.id === 'editor'")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("svg.heatmap g.cell")
    tab_to("e.dataset && e.dataset.view === 'table'")
    page.keyboard.press("Enter")
    page.wait_for_selector("table.results-table tbody tr")
    tab_to("e.classList.contains('sortable')")
    page.keyboard.press("Enter")
    assert page.locator("th[aria-sort]").count() == 1


def test_question_parameters_in_the_picker_form(open_page, live_server):
    page = open_page("/?lang=en").page
    page.select_option("#questions", "government-profile")
    page.click("#run")  # the browser's own check stops the run: gov is required
    assert page.locator("#param-gov").evaluate("(e) => e.required && !e.validity.valid")
    assert page.locator("#param-gov").evaluate("(e) => e.matches(':invalid')")
    assert page.locator("table.results-table").count() == 0
    page.select_option("#param-gov", "kamakura")
    page.click("#run")
    page.wait_for_function("() => /^19 /.test((document.getElementById('row-count') || {}).textContent)")
    with urllib.request.urlopen(live_server.url + "/cq/government-profile?gov=kamakura&lang=en&format=json") as r:
        expected = json.load(r)
    shown = page.locator("table.results-table tbody tr").count()
    assert shown == len(expected["results"]["bindings"]) == 19


@pytest.mark.parametrize("typed, offered, label", [
    ("skos:alt", "skos:altLabel", "別名"),
    ("rdfs:lab", "rdfs:label", "ラベル"),
    ("org:hasU", "org:hasUnit", "部署"),
    ("geo:la", "geo:lat", "緯度"),
])
def test_completion_knows_every_vocabulary_the_data_uses(open_page, typed, offered, label):
    page = open_page("/").page
    page.wait_for_load_state("networkidle")  # the terms arrive once per page
    type_query(page, "SELECT * WHERE { ?s " + typed)
    page.keyboard.press("Control+Space")
    option = page.locator(".cm-tooltip-autocomplete li", has_text=offered).first
    option.wait_for()
    assert label in option.inner_text()


def test_map_view_draws_the_places_of_a_result(open_page, live_server):
    page = open_page("/map?lang=en").page
    with urllib.request.urlopen(live_server.url + "/sparql?" + urllib.parse.urlencode({
            "query": page.evaluate("() => new URL(document.querySelector('a.workbench-map').href).searchParams.get('query')"),
            "format": "json"})) as r:
        rows = json.load(r)["results"]["bindings"]
    page.click("a.workbench-map")
    svg = page.locator("svg.map-view")
    svg.wait_for()
    assert page.locator("#views button.active").get_attribute("data-view") == "map"
    places = svg.locator("g.place")
    assert places.count() == len(rows) > 100
    assert {p.get_attribute("data-label") for p in places.element_handles()} == {r["label"]["value"] for r in rows}
    north = max(places.element_handles(), key=lambda p: float(p.get_attribute("data-lat")))
    assert float(north.query_selector("circle").get_attribute("cy")) == min(
        float(p.query_selector("circle").get_attribute("cy")) for p in places.element_handles())
    assert f"{len(rows)} places" in page.locator("figure.chart-figure figcaption").inner_text()


def test_table_sorts_by_japanese_collation(open_page):
    page = open_page("/").page
    type_query(page, 'SELECT ?x WHERE { VALUES ?x { "か" "ア" "あ" "カ" } }')
    page.click("#run")
    page.wait_for_selector("table.results-table tbody tr")
    page.click("th.sortable")
    cells = [c.strip() for c in page.locator("table.results-table tbody td").all_inner_texts()]
    # By reading (hiragana and katakana of one sound together); code points give あ か ア カ.
    assert set(cells[:2]) == {"あ", "ア"} and set(cells[2:]) == {"か", "カ"}


def test_an_unknown_prefix_is_named_and_marked_at_its_token(open_page):
    page = open_page("/?lang=en").page
    type_query(page, "SELECT * WHERE {\n  ?s foo:bar ?o\n}")
    page.wait_for_function("() => document.getElementById('syntax-status').classList.contains('error')")
    status = page.locator("#syntax-status").inner_text()
    assert "Unknown prefix `foo:`" in status and "PREFIX foo:" in status and len(status) < 200
    assert page.locator(".cm-lintRange-error").inner_text() == "foo:"
    page.click("#run")  # a run's 400 says and marks the same
    page.wait_for_selector("pre.error")
    assert "Unknown prefix `foo:`" in page.locator("pre.error").inner_text()
    assert page.locator(".cm-lintRange-error").inner_text() == "foo:"
