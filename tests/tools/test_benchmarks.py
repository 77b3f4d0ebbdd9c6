"""The benchmark harness cannot rot: its generator and a tiny run are part of the suite.

No timing is asserted (the machines are shared and noisy); only that the
synthetic graph has the real graph's shape and passes validation, and that a
smoke run writes its tables.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from benchmarks import synth
from rdflib import Graph

from jichitai_kg.namespaces import GOV, JKG
from jichitai_kg.validation import format_report, validate

ROOT = Path(__file__).resolve().parents[2]


def test_check_digit_rule_matches_real_codes():
    # 全国地方公共団体コード of the report's governments (check digit = sixth digit)
    for code in ("140007", "142042", "260002", "110001", "082201", "131032", "360007", "141003"):
        assert synth.check_digit(code[:5]) == code[5]


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    return synth.generate(11, tmp_path_factory.mktemp("synth") / "tree")


def test_synthetic_governments_are_renamed_copies(tree):
    files = sorted(p.name for p in (tree / "data" / "gov").glob("*.ttl"))
    assert len(files) == 11 and "synth00008.ttl" in files and "kanagawa.ttl" in files
    clone, original = Graph(), Graph()
    clone.parse(tree / "data" / "gov" / "synth00008.ttl")  # round-robin over sorted files: kamakura
    original.parse(ROOT / "data" / "gov" / "kamakura.ttl")
    own_footnotes = [s for s in set(clone.subjects()) if "/source/synth00008-footnote-" in str(s)]
    assert own_footnotes  # kamakura's footnote 6, re-minted for the clone
    assert len(clone) - sum(len(list(clone.triples((f, None, None)))) for f in own_footnotes) == len(original)
    gov = GOV["synth00008"]
    assert str(clone.value(gov, JKG.dantaiCode)) == synth.synthetic_code(8)
    assert not any("kamakura" in str(s) for s in clone.subjects() if str(s).startswith(str(GOV)))
    # every initiative of the clone points at the clone, not at Kanagawa
    assert set(clone.objects(None, JKG.government)) == {gov}


def test_synthetic_tree_passes_validation(tree):
    report = validate(tree)
    assert report.ok, format_report(report)


@pytest.mark.server
def test_smoke_run_writes_its_tables(tmp_path):
    out = tmp_path / "bench.md"
    proc = subprocess.run([sys.executable, "-m", "benchmarks", "--smoke", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    assert "## Build" in text and "| 9 | native |" in text
    assert "## Start-up" in text and "## Query latency" in text and "| category-matrix |" in text
    assert "## HTTP throughput" in text and "## Per-request floor" in text
    results = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    build = results["build"]["9"]["native"]
    assert build["asserted_triples"] > 10_000 and build["inferred_kept"] > 0
    assert set(results["latency"]) >= {"category-matrix", "cdo", "figures"}
    floor = results["floor"]["jichitai-kg"]
    assert floor["1"]["rps"] > 0 and floor["8"]["errors"] == 0
    assert "| jichitai-kg | " in text.split("## Per-request floor")[1]
    cached = results["cached"]["rps"]  # the answer cache on, apart from the uncached table
    assert set(cached) == set(results["throughput"]["jichitai-kg"]["1"]) and min(cached.values()) > 0
    assert "With its answer cache on" in text
    assert all(r["tool"] in ("wrk", "python") for r in results["throughput"]["jichitai-kg"]["1"].values())


def test_search_latency_page_is_linked_not_overwritten(tmp_path):
    """`python -m benchmarks` rewrites benchmarks.md whole; search latency keeps its own page."""
    from benchmarks.report import search_section

    page = tmp_path / "benchmarks-search.md"
    page.write_text("# Search latency\n\n| query | hits |\n|---|---|\n| RPA | 96 |\n\n"
                    "Median over the 20 queries: **0.81 ms** in process.\n\nReading it: fast.\n", encoding="utf-8")
    lines = search_section(page)
    assert lines[0] == "## Search latency"
    assert "[benchmarks-search.md](benchmarks-search.md)" in lines[2]
    assert lines[2].endswith("Median over the 20 queries: **0.81 ms** in process.")
    assert search_section(tmp_path / "absent.md") == []
