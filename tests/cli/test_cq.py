"""``jichitai-kg cq list|show|run``: output content and exit statuses."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from jichitai_kg.cli import main

ROOT = Path(__file__).resolve().parents[2]
GOV = "https://w3id.org/jichitai-kg/id/gov/"


def run(capsys, *argv):
    code = main(["--root", str(ROOT), "cq", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_list(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split(None, 1) == ["category-matrix", "自治体・分野別の取組数"]
    assert any(line.startswith("government-profile ") for line in lines)
    code, out, _ = run(capsys, "list", "--lang", "en")
    assert "Chief Data Officer posts" in out


def test_show(capsys):
    code, out, _ = run(capsys, "show", "partners", "--lang", "en")
    assert code == 0
    assert "title:    External partners" in out
    assert "param:    kind (partner-kind, optional)" in out
    assert "columns:  gov govLabel partner partnerLabel partnerKind initiative" in out
    assert "jkg:partner ?partner" in out  # the SPARQL itself


def test_show_unknown_question(capsys):
    code, _, err = run(capsys, "show", "nope")
    assert code == 2 and "category-matrix" in err


def test_run_table(capsys):
    code, out, _ = run(capsys, "run", "leadership-bodies")
    assert code == 0
    header = out.splitlines()[0].split()
    assert header == ["gov", "govLabel", "body", "bodyLabel", "head"]  # no parameter columns
    assert "スマート県庁推進会議@ja" in out and "ICT推進本部@ja" in out
    assert out.rstrip().endswith("(3 rows)")


def test_run_json_is_sparql_results(capsys):
    code, out, _ = run(capsys, "run", "category-matrix", "--param", "gov=141003",
                       "--format", "json", "--lang", "en")
    assert code == 0
    data = json.loads(out)
    assert data["head"]["vars"][:5] == ["gov", "govLabel", "category", "categoryLabel",
                                        "initiatives"]
    counts = {b["category"]["value"].rsplit("/", 1)[-1]: int(b["initiatives"]["value"])
              for b in data["results"]["bindings"]}
    assert counts == {"culture": 0, "resources": 2, "information": 2}  # 横浜市
    assert {b["categoryLabel"]["xml:lang"] for b in data["results"]["bindings"]} == {"en"}


def test_run_csv_tsv_xml(capsys):
    code, out, _ = run(capsys, "run", "cdo", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["gov"] for r in rows] == [GOV + "kanagawa"]
    code, out, _ = run(capsys, "run", "cdo", "--format", "tsv")
    assert code == 0 and out.split("\n")[0].startswith("?gov\t?govLabel")
    code, out, _ = run(capsys, "run", "cdo", "--format", "xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert code == 0
    assert [u.text for u in ET.fromstring(out).findall(".//r:binding[@name='gov']/r:uri", ns)] \
        == [GOV + "kanagawa"]


def test_run_no_inference(capsys):
    code, out, _ = run(capsys, "run", "classification-disagreements", "--no-inference",
                       "--format", "json")
    assert code == 0 and json.loads(out)["results"]["bindings"] == []
    code, out, _ = run(capsys, "run", "classification-disagreements", "--format", "json")
    assert code == 0 and len(json.loads(out)["results"]["bindings"]) == 2


@pytest.mark.parametrize("argv, fragments", [
    (["run", "category-matrix", "--param", "gov=osaka"],
     ["osaka", "kanagawa (140007, 神奈川県)", "minato (131032, 港区)"]),
    (["run", "government-profile"], ["'gov'", "tokushima (360007"]),
    (["run", "partners", "--param", "kind=school"], ["school", "company, university"]),
    (["run", "cdo", "--param", "gov=kanagawa"], ["takes no parameters"]),
    (["run", "cdo", "--param", "oops"], ["name=value"]),
    (["run", "cdo", "--lang", "de"], ["ja, en"]),
    (["run", "nope"], ["category-matrix"]),
])
def test_bad_input_exits_2_naming_valid_values(capsys, argv, fragments):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    for fragment in fragments:
        assert fragment in err


#: Libraries `cq run` does not need; importing any of them made the command start 3× slower.
HEAVY = ("rdflib", "werkzeug", "flask", "owlrl", "babel", "pyshacl", "jinja2", "granian")


def test_cq_run_starts_without_the_heavy_libraries(service_store):
    code = ("import contextlib, io, json, sys\n"
            "from jichitai_kg.cli import main\n"
            "out = io.StringIO()\n"
            "with contextlib.redirect_stdout(out):\n"
            f"    status = main(['--root', {str(ROOT)!r}, 'cq', 'run', 'cdo', '--format', 'json'])\n"
            f"print(json.dumps([status, len(json.loads(out.getvalue())['results']['bindings']), "
            f"sorted(m for m in {HEAVY!r} if m in sys.modules)]))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={k: v for k, v in os.environ.items()
                               if not k.startswith("JICHITAI_KG_")})
    status, rows, loaded = json.loads(proc.stdout.strip().splitlines()[-1])
    assert (status, loaded) == (0, []) and rows > 0, proc.stderr[-2000:]
