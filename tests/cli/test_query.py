"""``jichitai-kg query`` and ``--help`` of the serve/query commands."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from rdflib import Graph, Literal

from jichitai_kg.cli import main
from jichitai_kg.namespaces import GOV, INFERRED_GRAPH, JKG, RDFS

GOVERNMENTS = """PREFIX jkg: <https://w3id.org/jichitai-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?name ?code WHERE {
  ?g a jkg:CaseGovernment ; rdfs:label ?name ; jkg:dantaiCode ?code .
  FILTER(LANG(?name) = "ja")
} ORDER BY ?code"""


def test_table_output(cli):
    code, out, err = cli("query", GOVERNMENTS)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["name", "code"]
    assert set(lines[1]) <= {"-", " "}
    kanagawa = [line for line in lines if "神奈川県" in line]
    assert len(kanagawa) == 1 and kanagawa[0].split()[-1] == "140007"
    assert lines[-1] == "(8 rows)"
    # Columns line up although the names are full-width: every code ends at the same column.
    import unicodedata

    def width(s):
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)

    assert len({width(line) for line in lines[2:-1]}) == 1


def test_csv_and_json_output(cli, tmp_path):
    rq = tmp_path / "governments.rq"
    rq.write_text(GOVERNMENTS, encoding="utf-8")
    code, out, _ = cli("query", str(rq), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len(rows) == 8
    assert {"name": "神奈川県", "code": "140007"} in rows
    code, out, _ = cli("query", str(rq), "--format", "json")
    data = json.loads(out)
    assert data["head"]["vars"] == ["name", "code"]
    assert len(data["results"]["bindings"]) == 8


def test_construct_prints_turtle(cli):
    code, out, _ = cli("query", "PREFIX gov: <https://w3id.org/jichitai-kg/id/gov/> "
                                "CONSTRUCT { gov:kanagawa ?p ?o } WHERE { gov:kanagawa ?p ?o }")
    assert code == 0
    g = Graph().parse(data=out, format="turtle")
    assert (GOV.kanagawa, JKG.dantaiCode, Literal("140007")) in g
    assert (GOV.kanagawa, RDFS.label, Literal("神奈川県", lang="ja")) in g


def test_ask_prints_true(cli):
    code, out, _ = cli("query", 'ASK { ?g <https://w3id.org/jichitai-kg/ontology#dantaiCode> "140007" }')
    assert (code, out.strip()) == (0, "true")


def test_syntax_error_exits_2_with_parser_message(cli):
    code, out, err = cli("query", "SELECT * WHERE { ?s ?p }")
    assert code == 2 and out == ""
    assert "Syntax error at 1:25 (line 1, column 25)" in err


def test_syntax_error_is_the_endpoints_sentence(cli):
    """The command line says what the endpoint says: the unknown prefix, where, and the fix."""
    code, out, err = cli("query", "PREFIX x: <http://x/>\nSELECT * WHERE { ?s foo:bar ?o }")
    assert code == 2 and out == ""
    assert "Unknown prefix `foo:` at 2:21" in err and "add `PREFIX foo:" in err


def test_wrong_format_for_form_exits_2(cli):
    code, _, err = cli("query", "ASK {}", "--format", "turtle")
    assert code == 2 and "cannot be printed as turtle" in err


def test_no_inference_leaves_out_the_inferred_graph(cli):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
    code, out, _ = cli("query", query, "--format", "csv", "--no-inference")
    graphs = out.split()[1:]
    assert code == 0 and "https://w3id.org/jichitai-kg/graph/data" in graphs
    assert str(INFERRED_GRAPH) not in graphs


def test_service_refused_exits_3(cli):
    code, _, err = cli("query", "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    assert code == 3 and "SERVICE" in err


def test_timeout_exits_4_and_leaves_nothing_running(project_root, service_store):
    """The console script ends the abandoned evaluation with the process."""
    proc = subprocess.run([sys.executable, "-m", "jichitai_kg", "--root", str(project_root), "query",
                           "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
                           "--timeout", "1"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 4 and "stopped after 1 s" in proc.stderr


@pytest.mark.parametrize("command, words", [
    ("serve", ["--host", "--port", "--threads", "--processes", "--workers", "--graph"]),
    ("query", ["--format", "--no-inference", "--timeout", "table"]),
])
def test_help(command, words, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for word in words:
        assert word in out


def test_missing_query_file_exits_2(cli, tmp_path):
    code, _, err = cli("query", str(tmp_path / "nope.rq"))
    assert code == 2 and "cannot read" in err


def test_bad_graph_option_exits_2(cli):
    code, _, err = cli("query", "ASK {}", "--graph", "no-equals-sign")
    assert code == 2 and "IRI=FILE" in err
