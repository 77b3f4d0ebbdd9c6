"""Regenerate the screenshots of docs/workbench.md with the system Chromium.

    .venv/bin/python tools/screenshots.py                 # starts its own server on 127.0.0.1
    .venv/bin/python tools/screenshots.py --base http://127.0.0.1:8000 --only timeline map

Every view of the workbench, a question page with its parameter form, the map, and the
workbench at phone width, in Japanese (and English where the language shows).  Japanese text
needs a Japanese font (Debian: ``make fonts`` installs fonts-ipafont-gothic).
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]

PER_GOVERNMENT = """PREFIX jkg: <https://w3id.org/jichitai-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?gov ?name (COUNT(DISTINCT ?entry) AS ?entries) WHERE {
  ?entry a jkg:OverviewTableEntry ; jkg:government ?gov .
  ?gov rdfs:label ?name FILTER(LANG(?name) = "ja")
} GROUP BY ?gov ?name ORDER BY DESC(?entries)"""
CONSTRUCT = """PREFIX jkg: <https://w3id.org/jichitai-kg/ontology#>
CONSTRUCT { ?plan ?p ?o } WHERE { ?plan a jkg:Plan ; jkg:government <https://w3id.org/jichitai-kg/id/gov/yokohama> ; ?p ?o }"""
MAP_EXAMPLE = (ROOT / "src" / "jichitai_kg" / "sparql" / "home-example-5-case-governments-on-a-map.rq").read_text(
    encoding="utf-8")
BROKEN = "PREFIX jkg: <https://w3id.org/jichitai-kg/ontology#>\nSELECT ?plan WHERE {\n  ?plan a jkg:Plan .\n  FILTER(\n}"


def wb(**args: str) -> str:
    return "/?" + urlencode(args)


#: name → (path, selector to wait for, element to capture, viewport width)
SHOTS = {
    "workbench.png": (wb(query=PER_GOVERNMENT), "table.results-table tbody tr", "main", 1100),
    "bar.png": (wb(query=PER_GOVERNMENT, view="bar label=name value=entries"), "svg.bar-chart", "section.results", 1100),
    "heatmap.png": ("/cq/category-matrix?format=html&lang=ja", "svg.heatmap", "#cq-chart", 1100),
    "heatmap-en.png": (wb(question="category-matrix", view="heatmap", lang="en"), "svg.heatmap", "section.results", 1100),
    "timeline.png": ("/cq/plans-timeline?format=html&lang=ja", "svg.timeline", "#cq-chart", 1100),
    "graph.png": (wb(query=CONSTRUCT, view="graph"), "svg.graph", "section.results", 1100),
    "question-form.png": (wb(question="government-profile", gov="kamakura", lang="en"),
                          "table.results-table tbody tr", "section.workbench", 1100),
    "syntax-error.png": (wb(query=BROKEN), ".cm-lintRange-error", "section.workbench", 1100),
    "map.png": ("/map?lang=ja", "#map svg", "#map", 1100),
    "map-view.png": (wb(query=MAP_EXAMPLE, view="map"), "svg.map-view", "section.results", 1100),
    "phone.png": (wb(question="plans-timeline", lang="ja"), "svg.timeline", "body", 390),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server() -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([str(Path(sys.executable).with_name("jichitai-kg")), "serve", "--host", "127.0.0.1",
                             "--port", str(port), "--processes", "1"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5):
                return proc, base
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("the server exited while starting") from None
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("the server did not answer /healthz in 300 s")


def shoot(base: str, out: Path, names: list[str], chromium: str = "/usr/bin/chromium") -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        for name in names:
            path, ready, element, width = SHOTS[name]
            page = browser.new_page(viewport={"width": width, "height": 900}, locale="ja-JP")
            page.goto(base + path)
            page.wait_for_selector(ready, timeout=30000)
            page.wait_for_load_state("networkidle")
            target = out / name
            if element == "body":
                page.screenshot(path=str(target), full_page=True)
            else:
                page.locator(element).first.screenshot(path=str(target))
            written.append(target)
            page.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--base", help="a running server (default: start one on a free loopback port)")
    p.add_argument("--out", default=str(ROOT / "docs" / "img"))
    p.add_argument("--only", nargs="*", choices=sorted(n.removesuffix(".png") for n in SHOTS))
    args = p.parse_args(argv)
    names = [n + ".png" for n in args.only] if args.only else list(SHOTS)
    proc = None
    base = args.base
    if base is None:
        proc, base = start_server()
    try:
        for path in shoot(base.rstrip("/"), Path(args.out), names):
            print(path)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
