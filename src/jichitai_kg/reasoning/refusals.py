"""What the native engine does not implement: it refuses rather than diverge from owlrl."""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import OWL, RDF, RDFS

from .terms import nt

#: Constructs the native engine's rules do not cover.
UNSUPPORTED_PREDICATES = (
    OWL.intersectionOf, OWL.unionOf, OWL.someValuesFrom, OWL.allValuesFrom, OWL.maxCardinality,
    OWL.maxQualifiedCardinality, OWL.cardinality, OWL.hasKey, OWL.sameAs, OWL.differentFrom,
    OWL.complementOf, OWL.oneOf, OWL.propertyDisjointWith, OWL.sourceIndividual,
)
UNSUPPORTED_TYPES = (
    OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.IrreflexiveProperty,
    OWL.AsymmetricProperty, OWL.AllDifferent, OWL.AllDisjointProperties,
)
#: Schema statements: the engine closes the schema of ontology/ only, so these must not
#: appear in data/ (the project keeps TBox and ABox apart anyway).
SCHEMA_PREDICATES = (
    RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.equivalentClass,
    OWL.equivalentProperty, OWL.inverseOf, OWL.propertyChainAxiom, OWL.hasValue, OWL.onProperty,
    OWL.disjointWith, OWL.members,
)
SCHEMA_TYPES = (
    OWL.Class, RDFS.Class, OWL.Restriction, OWL.ObjectProperty, OWL.DatatypeProperty,
    OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.AllDisjointClasses,
)


class Refusals:
    """Checks triples of N-Triples strings; raises ``NotImplementedError`` naming the construct.

    An unsupported construct anywhere is reported before a schema statement in the data;
    :meth:`finish` raises the first schema statement seen.
    """

    def __init__(self):
        self.unsupported_p = {nt(p) for p in UNSUPPORTED_PREDICATES}
        self.unsupported_t = {nt(c) for c in UNSUPPORTED_TYPES}
        self.schema_p = {nt(p) for p in SCHEMA_PREDICATES}
        self.schema_t = {nt(c) for c in SCHEMA_TYPES}
        self.rdf_type = nt(RDF.type)
        self.schema_statement: tuple[str, str, str] | None = None
        #: a triple with any other predicate passes unchecked
        self.predicates = self.unsupported_p | self.schema_p | {self.rdf_type}

    def check_supported(self, s: str, p: str, o: str) -> None:
        if p in self.unsupported_p or (p == self.rdf_type and o in self.unsupported_t):
            what = p if p in self.unsupported_p else o
            raise NotImplementedError(f"the native engine does not implement {what[1:-1]}; "
                                      "use engine='owlrl'")

    def __call__(self, s: str, p: str, o: str) -> None:
        """One data triple."""
        self.check_supported(s, p, o)
        if self.schema_statement is None and (p in self.schema_p or (p == self.rdf_type and o in self.schema_t)):
            self.schema_statement = (s, p, o)

    def finish(self) -> None:
        if self.schema_statement is not None:
            s, p, o = self.schema_statement
            raise NotImplementedError(
                f"schema statement in the data ({s.strip('<>')} {p[1:-1]} {o.strip('<>')}): the native "
                "engine reasons over the schema in ontology/ only; move it there or use engine='owlrl'")


def check_ontology(ontology: Graph) -> None:
    """Refuse an ontology with unsupported constructs or property chains longer than 3."""
    refusals = Refusals()
    for s, p, o in ontology:
        refusals.check_supported(nt(s), nt(p), nt(o))
    for chain in ontology.objects(None, OWL.propertyChainAxiom):
        if len(list(ontology.items(chain))) not in (2, 3):
            raise NotImplementedError("the native engine handles property chains of length 2 or 3 only")
