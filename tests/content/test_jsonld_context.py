"""The JSON-LD context's short keys for reused vocabularies match the properties the data uses."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from jichitai_kg.jsonld import LANGUAGE_MAPPED, REUSED_TERMS, build_context
from jichitai_kg.namespaces import JKG

ROOT = Path(__file__).resolve().parents[2]
STRUCTURAL = (str(RDF), str(RDFS), str(OWL))  # typing and axioms are not given short keys


def _load(files) -> Graph:
    g = Graph()
    for f in files:
        g.parse(f, format="turtle")
    return g


ONTOLOGY = _load(sorted((ROOT / "ontology").glob("*.ttl")))
DATA = _load(sorted((ROOT / "data").rglob("*.ttl")))
REUSED = {iri for iri, _ in REUSED_TERMS.values()} | set(LANGUAGE_MAPPED.values())


def test_every_reused_property_of_the_data_has_a_short_key() -> None:
    used = {str(p) for p in DATA.predicates() if not str(p).startswith(str(JKG))}
    missing = {p for p in used if not p.startswith(STRUCTURAL)} - REUSED
    assert missing == set()
    # provenance is schema:subjectOf (prov:wasDerivedFrom would need prov:Entity subjects)
    assert REUSED_TERMS["subjectOf"] == ("http://schema.org/subjectOf", True)
    assert "http://www.w3.org/ns/prov#wasDerivedFrom" not in REUSED


def test_every_short_key_names_a_property_the_graph_uses() -> None:
    used = {str(p) for g in (ONTOLOGY, DATA) for p in g.predicates()}
    assert REUSED - used == set()


def test_no_reused_key_is_shadowed_by_an_ontology_property() -> None:
    props = [(str(p), (p, RDF.type, OWL.ObjectProperty) in ONTOLOGY)
             for p in set(ONTOLOGY.subjects(RDF.type, None))
             if isinstance(p, URIRef) and str(p).startswith(str(JKG))]
    ctx = build_context(props)
    for key, (iri, is_object) in REUSED_TERMS.items():
        assert ctx[key] == ({"@id": iri, "@type": "@id"} if is_object else {"@id": iri}), key
    for key, iri in LANGUAGE_MAPPED.items():
        assert ctx[key] == {"@id": iri, "@container": "@language"}, key
