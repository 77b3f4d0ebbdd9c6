"""axe-core (vendored under tests/browser/vendor, never served) finds no critical or serious
accessibility problem on the main pages, in both languages and at phone width."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.server, pytest.mark.slow]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
PAGES = {
    "home": "/",
    "question": "/cq/category-matrix?format=html",
    "resource": "/id/gov/kanagawa",
    "search": "/search?q=RPA",
    "map": "/map",
    "void": "/.well-known/void",
    "service": "/sparql?format=html",
}


def axe_violations(watched) -> list[dict]:
    """Run axe in the page (evaluated through the driver: the page's CSP allows no inline script).
    axe itself tries inline styles while it measures, which the CSP refuses: those complaints,
    and only those, made while axe runs, are not the page's."""
    page = watched.page
    before = len(watched.problems)
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("""async () => {
      const r = await axe.run(document, { resultTypes: ["violations"] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact,
        nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
    }""")
    watched.problems[before:] = [p for p in watched.problems[before:] if "Applying inline style" not in p]
    return [v for v in result if v["impact"] in ("critical", "serious")]


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_problems(open_page, name, lang, width):
    path = PAGES[name]
    path += ("&" if "?" in path else "?") + f"lang={lang}"
    watched = open_page(path, width=width)
    page = watched.page
    page.wait_for_load_state("networkidle")
    if name == "home":  # with a result and a chart on screen
        page.click("#run")
        page.wait_for_selector("table.results-table tbody tr")
    if name == "question":
        page.wait_for_selector("svg.heatmap")
    assert axe_violations(watched) == []
