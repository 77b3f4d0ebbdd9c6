"""queries/checks/*-violation.rq: none returns a row on the real data, and each one
does return a row for the curator mistake it is written to catch."""

from __future__ import annotations

from pathlib import Path

import pytest

from jichitai_kg import reasoning
from jichitai_kg.store import Inputs, parse_file
from jichitai_kg.validation import dataset_store, load_checks, run_check

ROOT = Path(__file__).resolve().parents[2]
CHECKS = load_checks(ROOT / "queries" / "checks")


def _dataset(ontology, data_files, extra_ttl: str | None = None, tmp_path: Path | None = None):
    data = [q for f in data_files for q in parse_file(f)]
    if extra_ttl is not None:
        f = tmp_path / "planted.ttl"
        f.write_text(PREFIXES + extra_ttl, encoding="utf-8")
        data += parse_file(f)
    result = reasoning.materialize(reasoning.quads_to_graph(ontology), data, engine="native")
    return dataset_store(ontology, data, result.inferred)


@pytest.fixture(scope="module")
def real_store():
    inputs = Inputs.from_root(ROOT)
    return _dataset([q for f in inputs.ontology_files for q in parse_file(f)], inputs.data_files)


@pytest.fixture(scope="module")
def ontology():
    """Parsed once, so the native engine's memoized schema closure is reused across cases."""
    return [q for f in ("jichitai.ttl", "category-axioms.ttl") for q in parse_file(ROOT / "ontology" / f)]


def test_there_are_checks():
    assert len(CHECKS) >= 5


@pytest.mark.parametrize("check", CHECKS, ids=lambda p: p.name)
def test_check_passes_on_real_data(real_store, check):
    result = run_check(real_store, check)
    table = "\n".join(" | ".join(r) for r in [result.columns] + result.rows)
    assert result.rows == [], f"{check.name} returned {len(result.rows)} row(s):\n{table}"


PREFIXES = """\
@prefix jkg: <https://w3id.org/jichitai-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <http://schema.org/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix gov: <https://w3id.org/jichitai-kg/id/gov/> .
@prefix unit: <https://w3id.org/jichitai-kg/id/unit/> .
@prefix src: <https://w3id.org/jichitai-kg/id/source/> .
@prefix row: <https://w3id.org/jichitai-kg/id/table-row/> .
@prefix partner: <https://w3id.org/jichitai-kg/id/partner/> .
@prefix initiative: <https://w3id.org/jichitai-kg/id/initiative/> .
@prefix kind: <https://w3id.org/jichitai-kg/id/kind/> .
@prefix category: <https://w3id.org/jichitai-kg/id/category/> .
"""

GOOD = """
gov:testgov a jkg:LocalGovernment ; rdfs:label "試験県"@ja , "Test prefecture"@en .
gov:othergov a jkg:LocalGovernment ; rdfs:label "他県"@ja , "Other prefecture"@en .
src:testgov-table-culture-1 a jkg:ReportLocation ; jkg:government gov:testgov ;
    jkg:tableRow row:culture ; jkg:bulletNumber 1 ;
    rdfs:label "試験県 一覧表 組織文化 1"@ja , "Test prefecture overview table, culture, bullet 1"@en .
src:othergov-table-culture-1 a jkg:ReportLocation ; jkg:government gov:othergov ;
    jkg:tableRow row:culture ; jkg:bulletNumber 1 ;
    rdfs:label "他県 一覧表 組織文化 1"@ja , "Other prefecture overview table, culture, bullet 1"@en .
"""

#: check name -> (planted Turtle, a value that must appear in the offending rows)
PLANTED = {
    "undescribed-iri": (
        GOOD + "gov:testgov jkg:worksWith partner:nobody-knows .",
        "https://w3id.org/jichitai-kg/id/partner/nobody-knows"),
    "undeclared-term": (
        GOOD + "src:testgov-table-culture-1 jkg:goverment gov:testgov .",
        "https://w3id.org/jichitai-kg/ontology#goverment"),
    "missing-label": (
        GOOD + 'unit:testgov-division a org:OrganizationalUnit ; org:unitOf gov:testgov ; rdfs:label "情報課"@ja .',
        "https://w3id.org/jichitai-kg/id/unit/testgov-division"),
    "stated-category": (
        GOOD + """initiative:testgov-x a jkg:OverviewTableEntry ; jkg:government gov:testgov ;
            jkg:statedCategory category:culture , category:information ;
            schema:subjectOf src:testgov-table-culture-1 ; rdfs:label "X"@ja , "X"@en .""",
        "not exactly one stated category"),
    "stated-category-row": (
        GOOD + """initiative:testgov-x a jkg:OverviewTableEntry ; jkg:government gov:testgov ;
            jkg:statedCategory category:information ;
            schema:subjectOf src:testgov-table-culture-1 ; rdfs:label "X"@ja , "X"@en .""",
        "https://w3id.org/jichitai-kg/id/initiative/testgov-x"),
    "government-mismatch": (
        GOOD + """initiative:testgov-x a jkg:OverviewTableEntry ; jkg:government gov:testgov ;
            jkg:statedCategory category:culture ;
            schema:subjectOf src:othergov-table-culture-1 ; rdfs:label "X"@ja , "X"@en .""",
        "https://w3id.org/jichitai-kg/id/source/othergov-table-culture-1"),
    "unit-parent": (
        GOOD + 'unit:testgov-orphan a org:OrganizationalUnit ; rdfs:label "孤立課"@ja , "Orphan division"@en .',
        "https://w3id.org/jichitai-kg/id/unit/testgov-orphan"),
}


def test_every_check_has_a_planted_mistake():
    assert {c.name.removesuffix("-violation.rq") for c in CHECKS} == set(PLANTED)


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_check_catches_its_mistake(name, ontology, tmp_path):
    planted, expected = PLANTED[name]
    vocab = [ROOT / "data" / "categories.ttl", ROOT / "data" / "kinds.ttl", *sorted((ROOT / "data" / "vocab").glob("*.ttl"))]
    check = ROOT / "queries" / "checks" / f"{name}-violation.rq"
    # the same background without the mistake: the rows it adds are the planted ones
    clean = {tuple(r) for r in run_check(_dataset(ontology, vocab, GOOD, tmp_path), check).rows}
    rows = [r for r in run_check(_dataset(ontology, vocab, planted, tmp_path), check).rows
            if tuple(r) not in clean]
    assert any(expected in cell for row in rows for cell in row), rows
