"""Take the README's screenshots of a running server with the system Chromium.

    .venv/bin/jichitai-kg serve --port 8000 &
    .venv/bin/python tools/screenshots.py http://127.0.0.1:8000 docs/img
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import sync_playwright

QUERY = """PREFIX jkg: <https://w3id.org/jichitai-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?gov ?name (COUNT(DISTINCT ?entry) AS ?entries) WHERE {
  ?entry a jkg:OverviewTableEntry ; jkg:government ?gov .
  ?gov rdfs:label ?name FILTER(LANG(?name) = "ja")
} GROUP BY ?gov ?name ORDER BY DESC(?entries)"""

SHOTS = {
    "workbench.png": ("/?" + urlencode({"query": QUERY}), "table.results-table tbody tr", "main"),
    "heatmap.png": ("/cq/category-matrix?format=html", "svg.heatmap", "#cq-chart"),
    "timeline.png": ("/cq/plans-timeline?format=html", "svg.timeline", "#cq-chart"),
}


def main(base: str, out: str) -> None:
    Path(out).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1100, "height": 900}, locale="ja-JP")
        for name, (path, ready, element) in SHOTS.items():
            page.goto(base + path)
            page.wait_for_selector(ready)
            page.locator(element).screenshot(path=str(Path(out) / name))
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
