"""Which entailments are worth keeping (docs/reasoning.md): one filter for both engines.

It works on N-Triples strings; owlrl's rdflib triples are converted with :func:`terms.nt`.
"""

from __future__ import annotations

from rdflib import BNode, Graph
from rdflib.namespace import OWL, RDF, RDFS, XSD

from .terms import nt

#: owlrl writes inconsistencies into the graph with this (odd, but fixed) vocabulary.
ERRNS = "http://www.daml.org/2002/03/agents/agent-ont#"
#: Subjects in these namespaces are the built-in vocabularies; facts about them are axiomatic.
BUILTIN_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))
#: Classes every resource belongs to; typing with them says nothing.
TOP_CLASSES = (OWL.Thing, RDFS.Resource, OWL.Nothing)
#: Predicates whose reflexive use (x p x) is always entailed and therefore noise.
REFLEXIVE_NOISE = (OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass,
                   OWL.equivalentProperty)
TYPE = nt(RDF.type)


def schema_blank_nodes(ontology: Graph) -> frozenset[str]:
    """Blank nodes of the ontology (restrictions, lists, axioms), as N-Triples strings.

    Entailments about anonymous class expressions cannot be addressed from
    outside the ontology file, so they are noise to a researcher.
    """
    return frozenset(nt(t) for triple in ontology for t in (triple[0], triple[2])
                     if isinstance(t, BNode))


class NoiseFilter:
    """Why an entailed (not asserted) triple is not worth keeping, or None to keep it."""

    def __init__(self, ontology: Graph):
        self.errns = "<" + ERRNS
        self.builtin = tuple("<" + ns for ns in BUILTIN_NAMESPACES)
        self.reflexive = frozenset(nt(x) for x in REFLEXIVE_NOISE)
        self.top = frozenset(nt(x) for x in TOP_CLASSES)
        self.bnodes = schema_blank_nodes(ontology)

    def reason(self, triple: tuple[str, str, str]) -> str | None:
        s, p, o = triple
        if p.startswith(self.errns) or o.startswith(self.errns):
            return "inconsistency-report"
        if s[0] == '"':
            return "literal-subject"
        if s.startswith(self.builtin):
            return "builtin-subject"
        if s == o and p in self.reflexive:
            return "reflexive"
        if o in self.top:
            return "top-class"
        if p == TYPE and o.startswith(self.builtin):
            return "builtin-type"
        if s in self.bnodes or o in self.bnodes:
            return "schema-blank-node"
        return None

    def split(self, entailed) -> tuple[list[tuple[str, str, str]], dict[str, int]]:
        """Kept triples, and the count of dropped ones per reason."""
        kept: list[tuple[str, str, str]] = []
        reasons: dict[str, int] = {}
        for triple in entailed:
            why = self.reason(triple)
            if why is None:
                kept.append(triple)
            else:
                reasons[why] = reasons.get(why, 0) + 1
        return kept, reasons
