"""SHACL shapes: each good fixture conforms, each bad one fails on its own shape,
and the real data passes every shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from jichitai_kg.namespaces import SCHEMA
from jichitai_kg.validation import run_shacl

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "shapes"

#: fixture stem -> (shape that must fire on the bad file, path it reports, words in the message)
CASES = {
    "label": ("jkgsh:LabelShape", "rdfs:label", "English"),
    "initiative": ("jkgsh:InitiativeShape", "jkg:government", "government"),
    "overview-table-entry": ("jkgsh:OverviewTableEntryShape", "jkg:statedCategory", "exactly one"),
    "category": ("jkgsh:CategoryShape", "jkg:statedCategory", "outside the three"),
    "date": ("jkgsh:DateShape", "dcterms:date", "not an xsd:date"),
    "number": ("jkgsh:NumberShape", "schema:value", "not a string"),
    "described-iri": ("jkgsh:DescribedIRIShape", "rdfs:label", "never described"),
}

#: the focus node each bad fixture is about
FOCUS = {
    "label": "plan:testgov-ict-plan",
    "initiative": "initiative:testgov-rpa",
    "overview-table-entry": "initiative:testgov-newsletter",
    "category": "initiative:testgov-budget",
    "date": "initiative:testgov-newsletter",
    "number": "figure:testgov-issues",
    "described-iri": "partner:test-corp",
}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    g = Graph()
    g.parse(ROOT / "ontology" / "shapes" / "shapes.ttl", format="turtle")
    g.bind("jkgsh", "https://w3id.org/jichitai-kg/shapes#")
    return g


@pytest.fixture(scope="module")
def background() -> Graph:
    """What fixtures lean on: the ontology (subclass targets) and the category and kind schemes."""
    g = Graph()
    for f in ("ontology/jichitai.ttl", "data/categories.ttl", "data/kinds.ttl"):
        g.parse(ROOT / f, format="turtle")
    # the schemes cite report locations described in data/gov/*.ttl, which fixtures do not load
    g.remove((None, SCHEMA.subjectOf, None))
    return g


def _with(background: Graph, fixture: Path) -> Graph:
    g = Graph()
    for t in background:
        g.add(t)
    g.parse(fixture, format="turtle")
    return g


def test_every_shape_has_good_and_bad_fixtures(shapes):
    stems = {p.name.rsplit("-", 1)[0] for p in FIXTURES.glob("*.ttl")}
    assert stems == set(CASES)
    declared = {str(s).rsplit("#", 1)[-1] for s in shapes.subjects(
        predicate=None, object=None) if str(s).startswith("https://w3id.org/jichitai-kg/shapes#")}
    assert {c[0].split(":")[1] for c in CASES.values()} == declared


@pytest.mark.parametrize("stem", sorted(CASES))
def test_good_fixture_conforms(stem, shapes, background):
    violations = run_shacl(_with(background, FIXTURES / f"{stem}-good.ttl"), shapes)
    assert violations == [], "\n".join(map(str, violations))


@pytest.mark.parametrize("stem", sorted(CASES))
def test_bad_fixture_fails_on_its_shape(stem, shapes, background):
    shape, path, words = CASES[stem]
    violations = run_shacl(_with(background, FIXTURES / f"{stem}-bad.ttl"), shapes)
    mine = [v for v in violations if v.shape == shape]
    assert mine, f"{shape} did not fire; got:\n" + "\n".join(map(str, violations))
    assert any(v.focus == FOCUS[stem] and path in (v.path or "").split(" | ") and words in v.message
               for v in mine), \
        "\n".join(map(str, mine))


def test_real_data_passes_all_shapes(shapes, asserted_graph):
    data = Graph()
    for t in asserted_graph:
        data.add(t)
    violations = run_shacl(data, shapes)
    assert violations == [], "\n".join(map(str, violations[:50]))
