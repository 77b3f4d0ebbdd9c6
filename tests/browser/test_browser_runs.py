"""The four ways the workbench used to show or cite a wrong answer (issue 22), each reproduced
and shown fixed, and Stop: a stopped runaway frees its worker at once."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request

import pytest

from jichitai_kg.query.caching.cache import result_digest
from workbench_page import editor_text, type_query

pytestmark = [pytest.mark.server, pytest.mark.slow]

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
VALUES = "SELECT ?x WHERE { VALUES ?x { 1 2 3 } }"


def get_json(server, path: str) -> dict:
    with urllib.request.urlopen(server.url + path) as resp:
        return json.load(resp)


def test_a_slow_answer_never_replaces_a_newer_one_and_the_citation_matches_the_screen(open_page, live_server):
    page = open_page("/").page
    held = []  # the runaway's request, answered only after the newer run showed its rows

    def hold_first(route):
        body = route.request.post_data or ""
        if "COUNT" in urllib.parse.unquote_plus(body) and not held:
            held.append(route)
        else:
            route.continue_()

    page.route("**/sparql", hold_first)
    type_query(page, RUNAWAY)
    page.click("#run")
    page.wait_for_function("() => document.getElementById('run').textContent.trim() === '停止'")
    type_query(page, VALUES)
    page.keyboard.press("Control+Enter")  # the newer run, while the slow one is out
    page.wait_for_selector("table.results-table tbody tr")
    assert held, "the slow request was sent"
    late = {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "999"}}]}}
    try:  # the old request was aborted: answering it now must change nothing
        held[0].fulfill(status=200, content_type="application/sparql-results+json", body=json.dumps(late))
    except Exception:  # Playwright refuses to answer an aborted request: fine
        pass
    page.wait_for_function("() => /^[0-9a-f]{64}$/.test(document.getElementById('cite-digest').textContent)")
    cells = page.locator("table.results-table tbody td").all_inner_texts()
    assert [c.split("^^")[0].strip() for c in cells] == ["1", "2", "3"]
    assert page.locator("#run").inner_text().strip() == "実行"
    expected = result_digest(get_json(live_server, "/sparql?" + urllib.parse.urlencode({"query": VALUES, "format": "json"})))
    assert page.locator("#cite-digest").text_content() == expected
    permalink = page.locator("#permalink").input_value()
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(permalink).query)["query"] == [VALUES]
    assert permalink in page.locator("#cite-text").text_content()


def test_stop_ends_the_query_and_frees_its_worker(open_page, live_server):
    page = open_page("/").page
    type_query(page, RUNAWAY + " # stop")
    with page.expect_request("**/sparql") as sent:
        page.click("#run")
    query_id = sent.value.headers["x-query-id"]
    assert len(query_id) == 32
    page.wait_for_function("() => document.getElementById('run').textContent.trim() === '停止'")
    # A cancel that arrives before the query reached its worker is asked again (run.js).
    with page.expect_response(lambda r: "/cancel/" in r.url and r.json().get("cancelled")) as cancelled:
        page.click("#run")  # the button says Stop while the query runs
    assert cancelled.value.json()["id"] == query_id
    assert page.locator("#run").inner_text().strip() == "実行"
    assert page.locator("#status").inner_text() == "停止しました"
    started = time.monotonic()
    rows = get_json(live_server, "/sparql?" + urllib.parse.urlencode({"query": VALUES + " # after", "format": "json"}))
    assert time.monotonic() - started < 1.0  # the next query answers at once
    assert [b["x"]["value"] for b in rows["results"]["bindings"]] == ["1", "2", "3"]
    assert page.locator("table.results-table").count() == 0  # nothing of the stopped run is shown


def test_editor_link_keeps_the_questions_parameters(open_page, live_server):
    page = open_page("/cq/government-profile?gov=kamakura&format=html&lang=en").page
    on_page = page.locator("table.cq-results tbody tr").count()
    expected = get_json(live_server, "/cq/government-profile?gov=kamakura&format=json&lang=en")
    assert on_page == len(expected["results"]["bindings"]) == 19
    page.click("a.editor")
    page.wait_for_selector("table.results-table tbody tr")
    page.wait_for_function("() => /^19 /.test((document.getElementById('row-count') || {}).textContent)")
    params = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert params["question"] == ["government-profile"] and params["gov"] == ["kamakura"]
    assert params["lang"] == ["en"]
    assert page.locator("#param-gov").input_value() == "kamakura"
    assert "government-profile" in editor_text(page) or "SELECT" in editor_text(page)
    # Downloads carry the parameters and the language as well.
    page.locator("a.dl[data-format=csv]").first.focus()
    href = page.locator("a.dl[data-format=csv]").first.get_attribute("href")
    assert href.startswith("/cq/government-profile?") and "gov=kamakura" in href and "lang=en" in href


def test_questions_follow_the_interface_language(open_page, live_server):
    page = open_page("/?lang=en").page
    page.select_option("#questions", "cio-posts")
    page.click("#run")
    page.wait_for_selector("table.results-table tbody tr")
    text = page.locator("table.results-table").inner_text()
    assert "Kanagawa Prefecture" in text and "神奈川県" not in text
    expected = get_json(live_server, "/cq/cio-posts?lang=en&format=json")
    page.wait_for_function("() => /^[0-9a-f]{64}$/.test(document.getElementById('cite-digest').textContent)")
    assert page.locator("#cite-digest").text_content() == result_digest(expected)
    # The heatmap drawn in the English workbench has English labels.
    page.select_option("#questions", "category-matrix")
    page.click("#run")
    page.wait_for_selector("svg.heatmap g.cell")
    rows = {c.get_attribute("data-row") for c in page.locator("svg.heatmap g.cell").element_handles()}
    assert "Kanagawa Prefecture" in rows and not any("県" in r for r in rows)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_timeline_draws_every_plan_with_its_government(open_page, live_server, lang):
    rows = get_json(live_server, f"/cq/plans-timeline?format=json&lang={lang}")["results"]["bindings"]
    plans = {r["plan"]["value"] for r in rows}
    assert len(plans) == 20
    page = open_page(f"/cq/plans-timeline?format=html&lang={lang}").page
    marks = page.locator("svg.timeline g.plan")
    marks.first.wait_for()
    assert marks.count() == 20
    governments = {m.get_attribute("data-government") for m in marks.element_handles()}
    assert governments == {r["govLabel"]["value"] for r in rows}
    points = page.locator("svg.timeline g.point circle")
    bars = page.locator("svg.timeline g.period rect")
    undated = page.locator("svg.timeline g.undated")
    with_date = {r["plan"]["value"] for r in rows if "adopted" in r}
    with_period = {r["plan"]["value"] for r in rows if "periodStart" in r}
    assert points.count() == len(with_date)
    assert bars.count() == len(with_period)
    assert undated.count() == len(plans - with_date - with_period)
    caption = page.locator("figure.chart-figure figcaption").inner_text()
    assert "20" in caption and str(undated.count()) in caption  # says what it leaves unmarked
    # Dates in one form: ISO 8601 (a fiscal year as its interval).
    import re

    for m in marks.element_handles():
        date = m.get_attribute("data-date")
        assert date == "" or re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?(/\d{4}-\d{2})?", date), date
