"""The SPARQL 1.1 Service Description of the endpoint, built as RDF triples (not as text)."""

from __future__ import annotations

import pyoxigraph as ox

from ..namespaces import DATA_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, SD, VOID
from ..query.rules import media

FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMAT_IRIS = {
    media.JSON_RESULTS: FORMATS + "SPARQL_Results_JSON",
    media.XML_RESULTS: FORMATS + "SPARQL_Results_XML",
    media.CSV: FORMATS + "SPARQL_Results_CSV",
    media.TSV: FORMATS + "SPARQL_Results_TSV",
    media.TURTLE: FORMATS + "Turtle",
    media.NTRIPLES: FORMATS + "N-Triples",
    media.JSONLD: FORMATS + "JSON-LD",
    media.RDFXML: FORMATS + "RDF_XML",
}
OWL_RDF_BASED = ox.NamedNode("http://www.w3.org/ns/entailment/OWL-RDF-Based")
OWL_RL = ox.NamedNode("http://www.w3.org/ns/owl-profile/RL")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
GRAPH_ROLES = {str(ONTOLOGY_GRAPH): "ontology", str(DATA_GRAPH): "data",
               str(INFERRED_GRAPH): "inferred"}


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(str(SD[name]))


def _count(n: int) -> ox.Literal:
    return ox.Literal(str(int(n)), datatype=XSD_INTEGER)


def describe_service(endpoint: str, counts: dict[str, int], *, federated: bool = False) -> list[ox.Triple]:
    """The ``sd:Service`` triples; ``federated``: SERVICE works for allowlisted endpoints."""
    triples: list[ox.Triple] = []

    def add(s, p, o) -> None:
        triples.append(ox.Triple(s, p, o))

    void_triples = ox.NamedNode(str(VOID.triples))
    service = ox.NamedNode(endpoint)
    add(service, RDF_TYPE, _sd("Service"))
    add(service, _sd("endpoint"), service)
    add(service, _sd("supportedLanguage"), _sd("SPARQL11Query"))
    for iri in RESULT_FORMAT_IRIS.values():
        add(service, _sd("resultFormat"), ox.NamedNode(iri))
    add(service, _sd("feature"), _sd("UnionDefaultGraph"))
    if federated:
        add(service, _sd("feature"), _sd("BasicFederatedQuery"))
    add(service, _sd("defaultEntailmentRegime"), OWL_RDF_BASED)
    add(service, _sd("defaultSupportedEntailmentProfile"), OWL_RL)
    dataset = ox.BlankNode("defaultDataset")
    add(service, _sd("defaultDataset"), dataset)
    add(dataset, RDF_TYPE, _sd("Dataset"))
    # The default graph is the union of the named graphs, OWL 2 RL entailments included.
    default_graph = ox.BlankNode("defaultGraph")
    add(dataset, _sd("defaultGraph"), default_graph)
    for node in (dataset, default_graph):
        add(node, _sd("entailmentRegime"), OWL_RDF_BASED)
        add(node, _sd("supportedEntailmentProfile"), OWL_RL)
    add(default_graph, RDF_TYPE, _sd("Graph"))
    add(default_graph, void_triples, _count(sum(counts.values())))
    for index, (name, n) in enumerate(sorted(counts.items())):
        named, graph = ox.BlankNode(f"namedGraph{index}"), ox.BlankNode(f"graph{index}")
        add(dataset, _sd("namedGraph"), named)
        add(named, RDF_TYPE, _sd("NamedGraph"))
        add(named, _sd("name"), ox.NamedNode(name))
        add(named, _sd("graph"), graph)
        add(graph, RDF_TYPE, _sd("Graph"))
        add(graph, void_triples, _count(n))
        if name == str(INFERRED_GRAPH):
            add(named, _sd("entailmentRegime"), OWL_RDF_BASED)
    return triples
