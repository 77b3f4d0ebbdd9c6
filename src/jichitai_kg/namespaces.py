"""The one place where the project's IRIs and prefixes are defined.

Every module (build, app, tests, benchmarks) takes its namespaces from here so
that an IRI base change is a one-line edit.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, TIME, VANN, VOID, XSD

BASE = "https://w3id.org/jichitai-kg/"

JKG = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
GOV = Namespace(BASE + "id/gov/")
UNIT = Namespace(BASE + "id/unit/")
POST = Namespace(BASE + "id/post/")
PLAN = Namespace(BASE + "id/plan/")
INITIATIVE = Namespace(BASE + "id/initiative/")
FIGURE = Namespace(BASE + "id/figure/")
EVENT = Namespace(BASE + "id/event/")
AGENT = Namespace(BASE + "id/agent/")
PARTNER = Namespace(BASE + "id/partner/")
CATEGORY = Namespace(BASE + "id/category/")
KIND = Namespace(BASE + "id/kind/")
ROLE = Namespace(BASE + "id/role/")
PHASE = Namespace(BASE + "id/phase/")
GOVTYPE = Namespace(BASE + "id/gov-type/")
PARTNERKIND = Namespace(BASE + "id/partner-kind/")
MEASURE = Namespace(BASE + "id/unit-of-measure/")
GLOSSARY = Namespace(BASE + "id/glossary/")
TIMEREF = Namespace(BASE + "id/time/")
SOURCE = Namespace(BASE + "id/source/")
LAW = Namespace(BASE + "id/law/")
PART = Namespace(BASE + "id/report-part/")
ROW = Namespace(BASE + "id/table-row/")
APPROX = Namespace(BASE + "id/approximation/")
FIGTYPE = Namespace(BASE + "id/figure-type/")
STATUS = Namespace(BASE + "id/adoption-status/")
PLANTYPE = Namespace(BASE + "id/plan-type/")
BACKGROUND = Namespace(BASE + "id/background/")
DATASET = URIRef(BASE + "dataset")
GRAPH = Namespace(BASE + "graph/")

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("http://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
CV = Namespace("http://data.europa.eu/m8g/")
SAC = Namespace("http://data.e-stat.go.jp/lod/sac/")
WD = Namespace("http://www.wikidata.org/entity/")

#: Named graphs of the served dataset.
ONTOLOGY_GRAPH = GRAPH.ontology
DATA_GRAPH = GRAPH.data
INFERRED_GRAPH = GRAPH.inferred

PREFIXES: dict[str, str] = {
    "jkg": str(JKG),
    "gov": str(GOV),
    "unit": str(UNIT),
    "post": str(POST),
    "plan": str(PLAN),
    "initiative": str(INITIATIVE),
    "figure": str(FIGURE),
    "event": str(EVENT),
    "agent": str(AGENT),
    "partner": str(PARTNER),
    "category": str(CATEGORY),
    "kind": str(KIND),
    "role": str(ROLE),
    "phase": str(PHASE),
    "govtype": str(GOVTYPE),
    "partnerkind": str(PARTNERKIND),
    "measure": str(MEASURE),
    "glossary": str(GLOSSARY),
    "part": str(PART),
    "row": str(ROW),
    "approx": str(APPROX),
    "figtype": str(FIGTYPE),
    "status": str(STATUS),
    "plantype": str(PLANTYPE),
    "background": str(BACKGROUND),
    "time": str(TIME),
    "t": str(TIMEREF),
    "src": str(SOURCE),
    "law": str(LAW),
    "org": str(ORG),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "vann": str(VANN),
    "void": str(VOID),
    "sh": str(SH),
    "sd": str(SD),
    "dcat": str(DCAT),
    "cv": str(CV),
    "sac": str(SAC),
    "wd": str(WD),
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project prefixes on an rdflib graph (for readable serializations)."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph


def used_prefixes(triples) -> dict[str, str]:
    """The project prefixes that the IRIs (and datatypes) of pyoxigraph triples use.

    Serializations declare only these, so a small answer or page stays readable.
    """
    iris = set()
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    return {p: ns for p, ns in PREFIXES.items() if any(i.startswith(ns) for i in iris)}


def compact(iri: str) -> str | None:
    """``prefix:local`` for an IRI in a project namespace (the longest namespace wins), else None."""
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return None


_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
