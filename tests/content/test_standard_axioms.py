"""The graph against the official ontologies of the standards it uses (ontology/imports/).

(a) The OWL 2 RL closure (owlrl, the reference engine) of the ontology, the imports and the
    data has no inconsistency: no disjointness clash (prov:Activity/prov:Entity, org:Organization/
    org:ChangeEvent, foaf:Person/foaf:Organization, gsp:Feature/gsp:Geometry, skos:Concept/
    skos:ConceptScheme …), nothing typed owl:Nothing, no other error owlrl writes.  The data is
    the ontology and the report chapters' data with the register bodies they link to (the eight,
    and other governments named as partners) and those bodies' areas; the other register bodies
    are left out (they come from one template, which the linked ones exercise), which keeps
    owlrl under a minute.  Their domain and range use is checked over the whole register in (b).
(b) Every use of a property with a standard rdfs:domain or rdfs:range (directly or through a
    jkg: sub-property) respects it, over the whole graph (jichitai_kg.reasoning.standard_terms,
    the check `jichitai-kg validate` runs).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, Namespace

from jichitai_kg.reasoning import reference
from jichitai_kg.reasoning import standard_terms as sa

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = sorted((ROOT / "ontology").glob("*.ttl"))
DATA = sorted((ROOT / "data").rglob("*.ttl"))
REGISTER = ROOT / "data" / "register"
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
IMPORTS = sa.imports_dir(ROOT)


@pytest.fixture(scope="module")
def schema() -> Graph:
    return sa.load(ONTOLOGY + sorted(IMPORTS.glob("*.ttl")))


@pytest.fixture(scope="module")
def graph() -> Graph:
    return sa.load(ONTOLOGY + DATA)


def linked_data() -> Graph:
    """The ontology and the chapters' data, with the register bodies the chapters link to
    (and their areas and points); without the other register bodies."""
    out = sa.load(ONTOLOGY + [f for f in DATA if REGISTER not in f.parents])
    linked = {o for o in out.objects() if isinstance(o, URIRef)} | set(out.subjects())
    register = sa.load(sorted(REGISTER.glob("*.ttl")))
    todo = [b for b in set(register.subjects(RDF.type, None)) if b in linked]
    todo.append(URIRef("https://w3id.org/jichitai-kg/id/source/register-japancode"))
    seen = set()
    while todo:  # the body, its area, the area's point
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for t in register.triples((node, None, None)):
            out.add(t)
            if t[1] in (DCTERMS.spatial, GSP.hasGeometry):
                todo.append(t[2])
    return out


def test_imports_are_the_standards_own_files() -> None:
    names = {f.name for f in IMPORTS.glob("*.ttl")}
    assert {"prov-o.ttl", "org.ttl", "time.ttl", "dcat.ttl", "skos.ttl", "foaf.ttl", "dcterms.ttl",
            "geosparql.ttl", "wgs84_pos.ttl", "schema.ttl"} <= names
    assert (IMPORTS / "LICENSES.md").is_file()
    # one axiom of each standard, as its own published file states it (not a restatement)
    for name, s, p, o in [
        ("prov-o.ttl", "http://www.w3.org/ns/prov#Activity", OWL.disjointWith, "http://www.w3.org/ns/prov#Entity"),
        ("skos.ttl", "http://www.w3.org/2004/02/skos/core#ConceptScheme", OWL.disjointWith,
         "http://www.w3.org/2004/02/skos/core#Concept"),
        ("foaf.ttl", "http://xmlns.com/foaf/0.1/Person", OWL.disjointWith, "http://xmlns.com/foaf/0.1/Organization"),
        ("dcterms.ttl", "http://purl.org/dc/terms/spatial", RDFS.range, "http://purl.org/dc/terms/Location"),
        ("geosparql.ttl", "http://www.opengis.net/ont/geosparql#Feature", OWL.disjointWith,
         "http://www.opengis.net/ont/geosparql#Geometry"),
        ("wgs84_pos.ttl", "http://www.w3.org/2003/01/geo/wgs84_pos#lat", RDFS.domain,
         "http://www.w3.org/2003/01/geo/wgs84_pos#SpatialThing"),
        ("schema.ttl", "http://schema.org/Report", RDFS.subClassOf, "http://schema.org/Article"),
    ]:
        assert (URIRef(s), p, URIRef(o)) in sa.load([IMPORTS / name]), name
    # the whole published documents, not extracts (schema.org: every triple of the used terms)
    sizes = {name: len(sa.load([IMPORTS / name])) for name in
             ("skos.ttl", "foaf.ttl", "dcterms.ttl", "geosparql.ttl", "wgs84_pos.ttl")}
    assert sizes == {"skos.ttl": 252, "foaf.ttl": 620, "dcterms.ttl": 866, "geosparql.ttl": 518,
                     "wgs84_pos.ttl": 33}


def test_imports_are_not_served() -> None:
    from jichitai_kg.store import Inputs
    served = Inputs.from_root(ROOT).ontology_files
    assert served and not any(IMPORTS in f.parents for f in served)


def test_owl_rl_closure_with_the_imports_is_consistent(schema: Graph) -> None:
    # Triples with a literal object (labels, comments, numbers, dates) take no part in class
    # membership, disjointness or owl:Nothing; leaving them out makes owlrl several times faster.
    # (Literals that do not fit their datatype are reported by every store build.)
    asserted = Graph()
    for g in (schema, linked_data()):
        for t in g:
            if not isinstance(t[2], Literal):
                asserted.add(t)
    closed = reference.closure(asserted)
    assert reference.inconsistencies(closed) == []
    assert list(closed.subjects(RDF.type, OWL.Nothing)) == []


def test_every_standard_property_respects_its_domain_and_range(schema: Graph, graph: Graph) -> None:
    found = sa.violations(schema, graph)
    shown = "\n".join(str(v) for v in found[:20])
    assert found == [], f"{len(found)} violation(s):\n{shown}"


@pytest.mark.parametrize("planted, expected", [
    # a division inside a department: org:unitOf's range is org:FormalOrganization
    ("""unit:a a org:OrganizationalUnit . unit:b a org:OrganizationalUnit ; org:unitOf unit:a .""",
     ("range", "http://www.w3.org/ns/org#unitOf")),
    # a report location cited from an initiative: prov:wasDerivedFrom's domain is prov:Entity
    ("""initiative:x a jkg:Initiative ; prov:wasDerivedFrom src:y . src:y a jkg:ReportLocation .""",
     ("domain", "http://www.w3.org/ns/prov#wasDerivedFrom")),
    # coordinates on the body instead of its area: geo:lat's domain is geo:SpatialThing
    ("""gov:x a jkg:LocalGovernment ; geo:lat 35.0 .""",
     ("domain", "http://www.w3.org/2003/01/geo/wgs84_pos#lat")),
    # a report location as the unit an activity is associated with (sub-property use)
    ("""src:y a jkg:ReportLocation ; ex:responsible unit:a . unit:a a org:OrganizationalUnit .
        ex:responsible rdfs:subPropertyOf prov:wasAssociatedWith .""",
     ("domain", "http://www.w3.org/ns/prov#wasAssociatedWith")),
])
def test_the_check_catches_a_planted_misuse(schema: Graph, planted: str, expected: tuple) -> None:
    prefixes = """@prefix jkg: <https://w3id.org/jichitai-kg/ontology#> . @prefix org: <http://www.w3.org/ns/org#> .
        @prefix prov: <http://www.w3.org/ns/prov#> . @prefix geo: <http://www.w3.org/2003/01/geo/wgs84_pos#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix ex: <urn:example:> .
        @prefix unit: <urn:unit:> . @prefix src: <urn:src:> . @prefix gov: <urn:gov:> . @prefix initiative: <urn:i:> .
    """
    data = Graph().parse(data=prefixes + planted, format="turtle")
    local_schema = Graph()
    for g in (schema, data):
        for t in g:
            local_schema.add(t)
    found = {(v.kind, str(v.property)) for v in sa.violations(local_schema, data)}
    assert expected in found
