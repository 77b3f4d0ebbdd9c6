"""The VoID/DCAT description: its counts equal what the store holds.

The VoID numbers come from ``src/jichitai_kg/sparql/ld-void-*.rq``; here they are counted again by
walking the store's quads in Python (and once with a trivial SPARQL probe), so a wrong
query or a miscount in either place shows up as a mismatch.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, VOID

from jichitai_kg.namespaces import ID

DATASET = rdflib.URIRef("https://w3id.org/jichitai-kg/dataset")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
SCHEMA_SAMEAS = "http://schema.org/sameAs"


@pytest.fixture(scope="module")
def void(client) -> rdflib.Graph:
    resp = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert resp.status_code == 200
    assert resp.mimetype == "text/turtle"
    return rdflib.Graph().parse(data=resp.data, format="turtle")


@pytest.fixture(scope="module")
def union(kg) -> set[ox.Triple]:
    return {q.triple for q in kg if isinstance(q.graph_name, ox.NamedNode)}


def number(g: rdflib.Graph, s, p) -> int:
    value = g.value(s, p)
    assert value is not None, f"no {p} on {s}"
    return int(value)


def test_dataset_counts_equal_the_store(void, union, kg):
    assert number(void, DATASET, VOID.triples) == len(union)
    probe = kg.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")
    assert number(void, DATASET, VOID.triples) == int(next(iter(probe))["n"].value)
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    entities = {t.subject.value for t in union
                if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(str(ID))}
    classes = {t.object for t in union if t.predicate.value == rdf_type}
    assert number(void, DATASET, VOID.entities) == len(entities)
    assert number(void, DATASET, VOID.classes) == len(classes)
    assert number(void, DATASET, VOID.properties) == len({t.predicate for t in union})
    assert number(void, DATASET, VOID.distinctSubjects) == len({t.subject for t in union})
    assert number(void, DATASET, VOID.distinctObjects) == len({t.object for t in union})


def test_one_subset_per_named_graph(void, kg):
    per_graph = defaultdict(int)
    for q in kg:
        if isinstance(q.graph_name, ox.NamedNode):
            per_graph[q.graph_name.value] += 1
    subsets = {str(s): number(void, s, VOID.triples) for s in void.objects(DATASET, VOID.subset)
               if (s, RDF.type, VOID.Linkset) not in void}
    assert subsets == dict(per_graph)
    assert set(subsets) == {"https://w3id.org/jichitai-kg/graph/ontology",
                            "https://w3id.org/jichitai-kg/graph/data",
                            "https://w3id.org/jichitai-kg/graph/inferred"}


def test_class_partitions(void, union):
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    want = defaultdict(set)
    for t in union:
        if t.predicate.value == rdf_type:
            want[t.object.value].add(t.subject)
    got = {}
    for part in void.objects(DATASET, VOID.classPartition):
        got[str(void.value(part, VOID["class"]))] = number(void, part, VOID.entities)
    assert got == {c: len(s) for c, s in want.items()}
    # The report profiles eight local governments, among the register's 1,788 (47 + 1,741).
    assert got["https://w3id.org/jichitai-kg/ontology#CaseGovernment"] == 8
    assert got["https://w3id.org/jichitai-kg/ontology#LocalGovernment"] == 1788


def test_property_partitions(void, union):
    want = defaultdict(int)
    for t in union:
        want[t.predicate.value] += 1
    got = {str(void.value(part, VOID.property)): number(void, part, VOID.triples)
           for part in void.objects(DATASET, VOID.propertyPartition)}
    assert got == dict(want)


def test_vocabularies_used(void):
    vocabs = {str(v) for v in void.objects(DATASET, VOID.vocabulary)}
    for ns in ("https://w3id.org/jichitai-kg/ontology#", "http://www.w3.org/ns/org#",
               "http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/ns/prov#",
               "http://purl.org/dc/terms/", "http://schema.org/"):
        assert ns in vocabs


def test_linksets_to_wikidata_and_estat(void, union):
    linksets = {}
    for ls in void.subjects(RDF.type, VOID.Linkset):
        target = str(void.value(ls, VOID.objectsTarget))
        pred = str(void.value(ls, VOID.linkPredicate))
        linksets[(target, pred)] = number(void, ls, VOID.triples)
        assert void.value(ls, VOID.subjectsTarget) == DATASET
    estat = {k: v for k, v in linksets.items() if k[0] == "http://data.e-stat.go.jp/lod/sac/"}
    wikidata = {k: v for k, v in linksets.items() if k[0] == "https://www.wikidata.org/"}
    assert estat and wikidata
    for (target, pred), n in linksets.items():
        ns = "http://www.wikidata.org/entity/" if "wikidata" in target else "http://data.e-stat.go.jp/lod/sac/"
        want = sum(1 for t in union if t.predicate.value == pred and isinstance(t.object, ox.NamedNode)
                   and t.object.value.startswith(ns))
        assert n == want
    # Each of the 1,788 local governments and the 175 administrative wards has its e-Stat
    # standard area code (dcterms:spatial).
    assert estat[("http://data.e-stat.go.jp/lod/sac/", str(DCTERMS.spatial))] == 1788 + 175


def test_license_publisher_source_endpoint(void):
    assert void.value(DATASET, DCTERMS.license) == rdflib.URIRef("https://creativecommons.org/licenses/by/4.0/")
    publisher = void.value(DATASET, DCTERMS.publisher)
    assert void.value(publisher, FOAF.name) == rdflib.Literal("jichitai-kg contributors")
    assert void.value(DATASET, DCTERMS.source) == rdflib.URIRef("https://w3id.org/jichitai-kg/id/source/report")
    assert str(void.value(DATASET, VOID.sparqlEndpoint)) == "http://localhost/sparql"
    assert str(void.value(DATASET, VOID.uriSpace)) == str(ID)
    assert (DATASET, RDF.type, DCAT.Dataset) in void


def test_dumps_and_dcat_distributions_resolve_with_their_checksums(void, client):
    dumps = {str(d) for d in void.objects(DATASET, VOID.dataDump)}
    assert "http://localhost/download/jichitai-kg.ttl" in dumps
    assert "http://localhost/download/jichitai-kg-asserted.nq" in dumps
    dists = list(void.objects(DATASET, DCAT.distribution))
    assert len(dists) == 24
    for dist in dists:
        url = str(void.value(dist, DCAT.downloadURL))
        body = client.get(url.removeprefix("http://localhost")).data
        checksum = void.value(dist, SPDX.checksum)
        assert str(void.value(checksum, SPDX.checksumValue)) == hashlib.sha256(body).hexdigest()
        assert int(void.value(dist, DCAT.byteSize)) == len(body)


def test_void_in_other_formats_and_406(client, void):
    nt = client.get("/.well-known/void", headers={"Accept": "application/n-triples"})
    assert nt.mimetype == "application/n-triples"
    g = rdflib.Graph().parse(data=nt.data, format="nt")
    assert len(g) == len(void)
    assert client.get("/.well-known/void", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/.well-known/void.jsonld").mimetype == "application/ld+json"
