"""RDF terms across the two libraries: rdflib (owlrl, pyshacl) and pyoxigraph (the store),
and the N-Triples strings the native engine and the noise filter work on."""

from __future__ import annotations

import sys
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

_XSD_STRING = str(XSD.string)
_OX_TERMS = (ox.NamedNode, ox.BlankNode, ox.Literal)


def to_ox(term):
    """Convert an rdflib term to pyoxigraph, keeping blank-node identity."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is None:
        return ox.Literal(str(term))
    return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))


def to_rdflib(term):
    """Convert a pyoxigraph term to rdflib (plain xsd:string literals stay plain, as Turtle parses them)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == _XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def nt(term) -> str:
    """Canonical N-Triples form of an rdflib or pyoxigraph term (interned: terms repeat a lot)."""
    if type(term) not in _OX_TERMS:
        term = to_ox(term)
    return sys.intern(str(term))


def triples_to_ox(graph: Iterable, graph_name=None):
    """Quads for ``Store.extend``; triples with a literal subject (not RDF 1.1) are skipped."""
    g = graph_name if graph_name is not None else ox.DefaultGraph()
    for s, p, o in graph:
        if isinstance(s, Literal):
            continue
        yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), g)


def quads_to_graph(quads) -> Graph:
    """pyoxigraph quads/triples → rdflib Graph (for owlrl and pyshacl), keeping blank-node identity."""
    g = Graph()
    for q in quads:
        g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return g

