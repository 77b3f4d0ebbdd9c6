"""data/time.ttl is what tools/gen_time.py writes, and it follows the 年度 rule (April–March)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rdflib import Graph, Literal, Namespace
from rdflib.namespace import TIME, XSD

ROOT = Path(__file__).resolve().parents[2]
T = Namespace("https://w3id.org/jichitai-kg/id/time/")
JKG = Namespace("https://w3id.org/jichitai-kg/ontology#")


def test_committed_file_is_the_generators_output(tmp_path):
    out = tmp_path / "time.ttl"
    subprocess.run([sys.executable, str(ROOT / "tools" / "gen_time.py"), str(out)], check=True)
    assert out.read_text(encoding="utf-8") == (ROOT / "data" / "time.ttl").read_text(encoding="utf-8")


def test_fiscal_years_run_april_to_march():
    g = Graph().parse(ROOT / "data" / "time.ttl")
    assert g.value(T.fy2019, JKG.startDate) == Literal("2019-04-01", datatype=XSD.date)
    assert g.value(T.fy2019, JKG.endDate) == Literal("2020-03-31", datatype=XSD.date)
    # February 2020 is in calendar year 2020 but in fiscal year 2019
    assert set(g.objects(T["2020-02"], TIME.intervalDuring)) == {T["2020"], T.fy2019}
    assert g.value(T["2020-02"], JKG.endDate) == Literal("2020-02-29", datatype=XSD.date)
    assert set(g.objects(T["2020-04"], TIME.intervalDuring)) == {T["2020"], T.fy2020}
