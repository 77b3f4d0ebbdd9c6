"""Domain and range of the standard vocabularies, checked against the graph.

The rules come from the standards' own ontologies, vendored in ``ontology/imports/`` (their ``rdfs:domain``
and ``rdfs:range`` axioms, with ``rdfs:subPropertyOf`` so a ``jkg:`` sub-property answers to its
standard super-property's rules). "Typed within" a class means an asserted ``rdf:type`` that is
the class, a subclass of it, or of a member of its ``owl:unionOf``: the domain or range axiom
itself is never used to type a resource, so the check finds exactly the uses an OWL reasoner
would silently re-type (a unit of ORG made a ``FormalOrganization``, a government body made a
``geo:SpatialThing``). Resources the graph does not describe (web pages, e-Stat codes) are not
judged as objects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD
from rdflib.term import Node

from ..namespaces import BASE

ANYTHING = {OWL.Thing, RDFS.Resource}


@dataclass(frozen=True)
class Violation:
    kind: str  # "domain" or "range"
    property: Node  # the standard property whose rule is broken
    used_as: Node  # the property in the triple (the same, or a sub-property)
    subject: Node
    value: Node  # the object (range) or the subject (domain)
    expected: Node  # the class (or datatype) the rule asks for

    def __str__(self) -> str:
        via = "" if self.used_as == self.property else f" (used as {self.used_as})"
        return (f"{self.kind} of {self.property}{via}: {self.subject} -> {self.value}, "
                f"expected {self.expected}")


def imports_dir(root: Path) -> Path:
    """Where a project keeps the standards' ontologies."""
    return Path(root) / "ontology" / "imports"


def load(files: Iterable[Path]) -> Graph:
    g = Graph()
    for f in files:
        g.parse(f, format="turtle")
    return g


def imports_graph(root: Path) -> Graph:
    return load(sorted(imports_dir(root).glob("*.ttl")))


def _closure(pairs) -> Callable[[object], set]:
    """Reflexive-transitive closure of a relation given as (child, parent) pairs."""
    up = defaultdict(set)
    for a, b in pairs:
        up[a].add(b)
    memo: dict = {}

    def supers(x):
        if x not in memo:
            memo[x] = {x}
            for y in list(up.get(x, ())):
                memo[x] |= supers(y)
        return memo[x]

    return supers


def _members(schema: Graph, cls) -> set:
    out = {cls}
    for lst in schema.objects(cls, OWL.unionOf):
        out |= set(Collection(schema, lst))
    return out


def _is_datatype(schema: Graph, cls) -> bool:
    return (cls == RDFS.Literal or str(cls).startswith(str(XSD)) or cls in (RDF.langString, RDF.PlainLiteral)
            or (cls, RDF.type, RDFS.Datatype) in schema)


def _literal_fits(lit: Literal, cls) -> bool:
    if cls == RDFS.Literal:
        return True
    dt = lit.datatype or (RDF.langString if lit.language else XSD.string)
    return dt == cls or (cls == RDF.PlainLiteral and dt in (XSD.string, RDF.langString))


def violations(schema: Graph, graph: Graph) -> list[Violation]:
    """Every use in ``graph`` of a property with a standard domain or range that breaks it.

    ``schema`` holds the imports (where the rules come from) and the project ontology (for the
    sub-property and subclass axioms that connect ``jkg:`` terms to them).
    """
    supers_p = _closure(schema.subject_objects(RDFS.subPropertyOf))
    supers_c = _closure(schema.subject_objects(RDFS.subClassOf))
    rules = defaultdict(list)
    for kind, axiom in (("domain", RDFS.domain), ("range", RDFS.range)):
        for prop, cls in schema.subject_objects(axiom):
            if cls not in ANYTHING and str(prop).startswith("http") and not str(prop).startswith(BASE):
                rules[prop].append((kind, cls))
    types: defaultdict[Node, set] = defaultdict(set)
    for s, t in graph.subject_objects(RDF.type):
        types[s] |= supers_c(t)
    described = set(graph.subjects())
    found = []
    for s, p, o in graph:
        for prop in supers_p(p):
            for kind, cls in rules.get(prop, ()):
                wanted = _members(schema, cls)
                if kind == "domain":
                    if not types[s] & wanted:
                        found.append(Violation(kind, prop, p, s, s, cls))
                elif _is_datatype(schema, cls):
                    if not isinstance(o, Literal) or not _literal_fits(o, cls):
                        found.append(Violation(kind, prop, p, s, o, cls))
                elif isinstance(o, Literal) or (o in described and not types[o] & wanted):
                    found.append(Violation(kind, prop, p, s, o, cls))
    return found
