"""The one place where the project's IRIs and prefixes are defined.

Every module (build, app, tests, benchmarks) takes its namespaces from here so
that an IRI base change is a one-line edit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rdflib import Graph

BASE = "https://w3id.org/jichitai-kg/"

#: The project's own namespaces: the rdflib ``Namespace`` of each is this module's attribute
#: of the same name (``JKG``, ``GOV``…), made on first use (see :func:`__getattr__`), so
#: that what needs only the IRIs as text (``cq run``, the query path) never loads rdflib.
OWN: dict[str, str] = {
    "JKG": BASE + "ontology#",
    "ID": BASE + "id/",
    "GOV": BASE + "id/gov/",
    "UNIT": BASE + "id/unit/",
    "POST": BASE + "id/post/",
    "PLAN": BASE + "id/plan/",
    "INITIATIVE": BASE + "id/initiative/",
    "FIGURE": BASE + "id/figure/",
    "EVENT": BASE + "id/event/",
    "AGENT": BASE + "id/agent/",
    "PARTNER": BASE + "id/partner/",
    "CATEGORY": BASE + "id/category/",
    "KIND": BASE + "id/kind/",
    "ROLE": BASE + "id/role/",
    "PHASE": BASE + "id/phase/",
    "GOVTYPE": BASE + "id/gov-type/",
    "PARTNERKIND": BASE + "id/partner-kind/",
    "MEASURE": BASE + "id/unit-of-measure/",
    "GLOSSARY": BASE + "id/glossary/",
    "TIMEREF": BASE + "id/time/",
    "SOURCE": BASE + "id/source/",
    "LAW": BASE + "id/law/",
    "PART": BASE + "id/report-part/",
    "ROW": BASE + "id/table-row/",
    "APPROX": BASE + "id/approximation/",
    "FIGTYPE": BASE + "id/figure-type/",
    "STATUS": BASE + "id/adoption-status/",
    "PLANTYPE": BASE + "id/plan-type/",
    "BACKGROUND": BASE + "id/background/",
    "GRAPH": BASE + "graph/",
    "ORG": "http://www.w3.org/ns/org#",
    "SCHEMA": "http://schema.org/",
    "SH": "http://www.w3.org/ns/shacl#",
    "SD": "http://www.w3.org/ns/sparql-service-description#",
    "DCAT": "http://www.w3.org/ns/dcat#",
    "CV": "http://data.europa.eu/m8g/",
    "SAC": "http://data.e-stat.go.jp/lod/sac/",
    "WD": "http://www.wikidata.org/entity/",
}
#: Vocabularies rdflib defines (``rdflib.namespace.RDFS``…): the same attributes, from rdflib.
WELL_KNOWN: dict[str, str] = {
    "TIME": "http://www.w3.org/2006/time#",
    "SKOS": "http://www.w3.org/2004/02/skos/core#",
    "PROV": "http://www.w3.org/ns/prov#",
    "DCTERMS": "http://purl.org/dc/terms/",
    "FOAF": "http://xmlns.com/foaf/0.1/",
    "OWL": "http://www.w3.org/2002/07/owl#",
    "RDF": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "RDFS": "http://www.w3.org/2000/01/rdf-schema#",
    "XSD": "http://www.w3.org/2001/XMLSchema#",
    "VANN": "http://purl.org/vocab/vann/",
    "VOID": "http://rdfs.org/ns/void#",
}
#: Single IRIs (rdflib ``URIRef`` attributes, made on first use) and the text of each.
TERMS: dict[str, str] = {
    "DATASET": BASE + "dataset",
    #: Named graphs of the served dataset.
    "ONTOLOGY_GRAPH": BASE + "graph/ontology",
    "DATA_GRAPH": BASE + "graph/data",
    "INFERRED_GRAPH": BASE + "graph/inferred",
}


def __getattr__(name: str) -> Any:
    """``JKG``, ``RDFS``, ``DATA_GRAPH``…: rdflib objects, imported and made on first use."""
    if name in OWN or name in TERMS:
        from rdflib import Namespace, URIRef

        value: Any = Namespace(OWN[name]) if name in OWN else URIRef(TERMS[name])
    elif name in WELL_KNOWN:
        from rdflib import namespace

        value = getattr(namespace, name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


_PREFIX_OF = {
    "jkg": "JKG", "gov": "GOV", "unit": "UNIT", "post": "POST", "plan": "PLAN",
    "initiative": "INITIATIVE", "figure": "FIGURE", "event": "EVENT", "agent": "AGENT",
    "partner": "PARTNER", "category": "CATEGORY", "kind": "KIND", "role": "ROLE", "phase": "PHASE",
    "govtype": "GOVTYPE", "partnerkind": "PARTNERKIND", "measure": "MEASURE",
    "glossary": "GLOSSARY", "part": "PART", "row": "ROW", "approx": "APPROX", "figtype": "FIGTYPE",
    "status": "STATUS", "plantype": "PLANTYPE", "background": "BACKGROUND", "time": "TIME",
    "t": "TIMEREF", "src": "SOURCE", "law": "LAW", "org": "ORG", "skos": "SKOS", "prov": "PROV",
    "dcterms": "DCTERMS", "schema": "SCHEMA", "foaf": "FOAF", "owl": "OWL", "rdf": "RDF",
    "rdfs": "RDFS", "xsd": "XSD", "vann": "VANN", "void": "VOID", "sh": "SH", "sd": "SD",
    "dcat": "DCAT", "cv": "CV", "sac": "SAC", "wd": "WD",
}
PREFIXES: dict[str, str] = {prefix: {**OWN, **WELL_KNOWN}[name] for prefix, name in _PREFIX_OF.items()}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project prefixes on an rdflib graph (for readable serializations)."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph


def used_prefixes(triples) -> dict[str, str]:
    """The project prefixes that the IRIs (and datatypes) of pyoxigraph triples use.

    Serializations declare only these, so a small answer or page stays readable.
    """
    import pyoxigraph as ox

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
