"""`jichitai-kg validate` and `jichitai-kg build` on a small project and on the real data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from jichitai_kg.cli import main
from jichitai_kg.validation import validate

ROOT = Path(__file__).resolve().parents[1]

GOV = """\
@prefix jkg: <https://w3id.org/jichitai-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <http://schema.org/> .
@prefix gov: <https://w3id.org/jichitai-kg/id/gov/> .
@prefix src: <https://w3id.org/jichitai-kg/id/source/> .
@prefix row: <https://w3id.org/jichitai-kg/id/table-row/> .
@prefix figure: <https://w3id.org/jichitai-kg/id/figure/> .
@prefix initiative: <https://w3id.org/jichitai-kg/id/initiative/> .
@prefix kind: <https://w3id.org/jichitai-kg/id/kind/> .
@prefix category: <https://w3id.org/jichitai-kg/id/category/> .

gov:testgov a jkg:LocalGovernment ; rdfs:label "試験県"@ja , "Test prefecture"@en .
src:testgov-table-culture-1 a jkg:ReportLocation ; jkg:government gov:testgov ;
    jkg:tableRow row:culture ; jkg:bulletNumber 1 ;
    rdfs:label "試験県 一覧表 組織文化 1"@ja , "Test prefecture overview table, culture, bullet 1"@en .
initiative:testgov-newsletter a jkg:OverviewTableEntry ;
    jkg:government gov:testgov ; jkg:kind kind:newsletter ; jkg:statedCategory category:culture ;
    schema:subjectOf src:testgov-table-culture-1 ;
    rdfs:label "庁内報"@ja , "Internal newsletter"@en .
"""


@pytest.fixture
def root(tmp_path) -> Path:
    """The real ontology, shapes, checks and vocabularies with one tiny government."""
    r = tmp_path / "project"
    (r / "ontology").mkdir(parents=True)
    (r / "data" / "gov").mkdir(parents=True)
    shutil.copytree(ROOT / "queries" / "checks", r / "queries" / "checks")
    for name in ("jichitai.ttl", "category-axioms.ttl"):
        shutil.copy(ROOT / "ontology" / name, r / "ontology" / name)
    shutil.copytree(ROOT / "ontology" / "shapes", r / "ontology" / "shapes")
    for name in ("categories.ttl", "kinds.ttl", "source.ttl"):
        shutil.copy(ROOT / "data" / name, r / "data" / name)
    shutil.copytree(ROOT / "data" / "vocab", r / "data" / "vocab")
    (r / "data" / "gov" / "stubs.ttl").write_text(_stubs(r), encoding="utf-8")
    (r / "data" / "gov" / "testgov.ttl").write_text(GOV, encoding="utf-8")
    return r


def _stubs(r: Path) -> str:
    """Labels for the governments and report locations the copied files cite but describe elsewhere."""
    g = Graph()
    for f in list((r / "ontology").glob("*.ttl")) + list((r / "data").rglob("*.ttl")):
        if f.name != "shapes.ttl":
            g.parse(f, format="turtle")
    cited = {o for o in g.objects() if isinstance(o, URIRef)
             and str(o).startswith("https://w3id.org/jichitai-kg/id/") and (o, None, None) not in g}
    return "".join(f'<{o}> <http://www.w3.org/2000/01/rdf-schema#label> "stub"@ja , "stub"@en .\n'
                   for o in sorted(cited))


def _write(root: Path, text: str) -> Path:
    f = root / "data" / "gov" / "testgov.ttl"
    f.write_text(text, encoding="utf-8")
    return f


def test_clean_project_validates(root, capsys):
    report = validate(root, engine="native")
    assert report.ok, report
    assert main(["--root", str(root), "validate", "--engine", "native"]) == 0
    assert capsys.readouterr().out.startswith("OK:")


def test_syntax_error_names_file_and_line(root, capsys):
    lines = GOV.splitlines()
    lines.insert(15, 'gov:testgov rdfs:comment "no closing quote .')  # becomes line 16
    f = _write(root, "\n".join(lines) + "\n")
    report = validate(root, engine="native")
    assert [(e.path, e.line) for e in report.syntax_errors] == [(f, 16)]
    assert main(["--root", str(root), "validate"]) == 1
    out = capsys.readouterr()
    assert f"SYNTAX {f}:16:" in out.out
    assert "1 syntax error(s)" in out.err


def test_shacl_violation_in_plain_words(root, capsys):
    _write(root, GOV + """
figure:testgov-issues a jkg:Figure ; jkg:figureOf initiative:testgov-newsletter ;
    schema:value "4" ; rdfs:label "年4回"@ja .
""")
    report = validate(root, engine="native")
    found = {(v.focus, v.path) for v in report.shacl}
    assert ("figure:testgov-issues", "schema:value") in found  # number stored as a string
    assert ("figure:testgov-issues", "rdfs:label") in found  # no English label
    assert main(["--root", str(root), "validate", "--engine", "native"]) == 1
    out = capsys.readouterr().out
    assert "SHACL figure:testgov-issues schema:value: figure value must be an xsd:integer or xsd:decimal" in out


@pytest.mark.parametrize("engine", ["owlrl", "native"])
def test_inconsistency_fails_naming_the_resource(root, capsys, engine):
    _write(root, GOV.replace("a jkg:OverviewTableEntry ;", "a jkg:OverviewTableEntry , jkg:FlagshipCase ;"))
    report = validate(root, engine=engine)
    assert len(report.inconsistencies) == 1
    assert "https://w3id.org/jichitai-kg/id/initiative/testgov-newsletter" in report.inconsistencies[0]
    assert main(["--root", str(root), "validate", "--engine", engine]) == 1
    out = capsys.readouterr().out
    assert "INCONSISTENT Disjoint classes" in out and "testgov-newsletter" in out


def test_violation_check_rows_are_printed(root, capsys):
    # a misspelt property: passes SHACL, caught by undeclared-term-violation.rq
    _write(root, GOV + "\ngov:testgov jkg:goverment gov:testgov .\n")
    report = validate(root, engine="native")
    failing = {c.name: c.rows for c in report.checks if not c.passed}
    assert set(failing) == {"undeclared-term"}
    assert failing["undeclared-term"] == [["https://w3id.org/jichitai-kg/ontology#goverment",
                                           "https://w3id.org/jichitai-kg/id/gov/testgov"]]
    assert main(["--root", str(root), "validate", "--engine", "native"]) == 1
    out = capsys.readouterr().out
    assert "CHECK undeclared-term: 1 row(s)" in out
    assert "https://w3id.org/jichitai-kg/ontology#goverment | https://w3id.org/jichitai-kg/id/gov/testgov" in out


def test_misused_standard_term_is_named_with_the_rule_it_breaks(root, capsys):
    shutil.copytree(ROOT / "ontology" / "imports", root / "ontology" / "imports")
    report = validate(root, engine="native")
    assert report.ok and report.standard_imports >= 10
    # coordinates on the body, not on a place: geo:lat's domain is geo:SpatialThing (Basic Geo)
    _write(root, GOV + "\ngov:testgov <http://www.w3.org/2003/01/geo/wgs84_pos#lat> 35.0 .\n")
    report = validate(root, engine="native")
    assert [(v.kind, str(v.property), str(v.subject), str(v.expected)) for v in report.standard_terms] == [
        ("domain", "http://www.w3.org/2003/01/geo/wgs84_pos#lat", "https://w3id.org/jichitai-kg/id/gov/testgov",
         "http://www.w3.org/2003/01/geo/wgs84_pos#SpatialThing")]
    assert main(["--root", str(root), "validate", "--engine", "native"]) == 1
    out = capsys.readouterr()
    assert ("STANDARD domain of http://www.w3.org/2003/01/geo/wgs84_pos#lat: "
            "https://w3id.org/jichitai-kg/id/gov/testgov -> https://w3id.org/jichitai-kg/id/gov/testgov, "
            "expected http://www.w3.org/2003/01/geo/wgs84_pos#SpatialThing") in out.out
    assert "1 misused standard term(s)" in out.err


def test_build_prints_counts_and_timings(root, tmp_path, capsys):
    cache = tmp_path / "cache"
    assert main(["--root", str(root), "build", "--engine", "native", "--cache-dir", str(cache)]) == 0
    out = capsys.readouterr().out
    assert "triples: asserted" in out and "inferred kept" in out and "inferred dropped" in out
    assert "timings (native): parse" in out and "reason" in out and "load" in out
    assert "reused" not in out
    assert main(["--root", str(root), "build", "--cache-dir", str(cache)]) == 0
    assert "(reused: inputs unchanged)" in capsys.readouterr().out


def test_build_syntax_error_exits_non_zero(root, tmp_path, capsys):
    f = _write(root, GOV + '\ngov:testgov rdfs:comment "open\n')
    cache = tmp_path / "cache"
    assert main(["--root", str(root), "build", "--engine", "native", "--cache-dir", str(cache)]) == 1
    err = capsys.readouterr().err
    assert f"{f}:" in err and "previous store kept" in err


def test_real_data_validates():
    report = validate(ROOT, engine="native")
    from jichitai_kg.validation import format_report

    assert report.ok, format_report(report)
    assert report.standard_imports >= 10  # the domain/range of standard terms was checked
