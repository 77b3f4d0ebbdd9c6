"""Semi-naive OWL 2 RL instance reasoning in plain Python, for large graphs.

Why: owlrl (the reference) re-applies every rule to the whole graph on every
round until nothing changes.  Here the schema is compiled once into lookup tables
(super-properties, inverses, domains, ranges, super-classes, hasValue
restrictions, property chains) and each *new* triple is joined only with the
indexed triples it can combine with, so the work grows with the number of
entailments rather than rounds × graph size.

Scope is exactly the instance rules prp-spo1, prp-eqp, prp-inv, prp-symp,
prp-trp, prp-spo2, prp-dom, prp-rng, cax-sco, cax-eqc, cls-hv1 and cls-hv2; the
caller refuses inputs outside that scope (``refusals.py``), and a test compares
the result with owlrl's filtered closure.

Terms are kept as their N-Triples strings (``<iri>``, ``_:b``, ``"v"@ja``):
Python caches string hashes, so set and dict look-ups stay cheap.
"""

from __future__ import annotations

import sys
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS

from .terms import nt

TYPE = nt(RDF.type)


@dataclass
class Schema:
    """The schema compiled into the tables the rules look up."""

    super_properties: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    inverses: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    symmetric: set[str] = field(default_factory=set)
    transitive: set[str] = field(default_factory=set)
    domains: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    ranges: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    super_classes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: restriction -> (property, value)
    has_value: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: (property, value) -> restrictions
    has_value_by_pv: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    #: property -> [(position, chain, super-property)]
    chains_by_property: dict[str, list[tuple[int, tuple[str, ...], str]]] = field(
        default_factory=lambda: defaultdict(list))


def compile_schema(closed: Graph) -> Schema:
    """Read the lookup tables from the owlrl closure of the ontology alone."""
    s = Schema()
    def pairs(table, predicate, *, both_ways=False, irreflexive=True):
        for a, b in closed.subject_objects(predicate):
            if a == b and irreflexive:
                continue
            table[nt(a)].add(nt(b))
            if both_ways:
                table[nt(b)].add(nt(a))

    pairs(s.super_properties, RDFS.subPropertyOf)
    pairs(s.super_properties, OWL.equivalentProperty, both_ways=True)
    pairs(s.inverses, OWL.inverseOf, both_ways=True, irreflexive=False)
    s.symmetric = {nt(p) for p in closed.subjects(RDF.type, OWL.SymmetricProperty)}
    s.transitive = {nt(p) for p in closed.subjects(RDF.type, OWL.TransitiveProperty)}
    pairs(s.domains, RDFS.domain, irreflexive=False)
    pairs(s.ranges, RDFS.range, irreflexive=False)
    pairs(s.super_classes, RDFS.subClassOf)
    pairs(s.super_classes, OWL.equivalentClass, both_ways=True)
    for r, v in closed.subject_objects(OWL.hasValue):
        for p in closed.objects(r, OWL.onProperty):
            s.has_value[nt(r)] = (nt(p), nt(v))
            s.has_value_by_pv[(nt(p), nt(v))].add(nt(r))
    for q, head in closed.subject_objects(OWL.propertyChainAxiom):
        chain = tuple(nt(link) for link in closed.items(head))
        for i, link_nt in enumerate(chain):
            s.chains_by_property[link_nt].append((i, chain, nt(q)))
    return s


class _Closure:
    """Semi-naive closure state.

    Only predicates that take part in a join (transitive ones, chain members)
    are indexed; ``rdf:type`` triples are closed inline over the precomputed
    super-classes, so they never go through the agenda.
    """

    def __init__(self, schema: Schema):
        sc = self.schema = schema
        self.triples: set[tuple[str, str, str]] = set()
        self.types: set[tuple[str, str]] = set()
        self.by_sp: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.by_po: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.agenda: deque = deque()
        self.indexed = set(sc.transitive) | set(sc.chains_by_property)
        #: class -> every class an instance of it belongs to (itself included)
        self.all_types: dict[str, tuple[str, ...]] = {}
        #: class -> (property, value) pairs its instances get (cls-hv2)
        self.values: dict[str, tuple[tuple[str, str], ...]] = {}
        #: predicates whose triples fire a rule
        self.active = (set(sc.super_properties) | set(sc.inverses) | sc.symmetric | sc.transitive
                       | set(sc.domains) | set(sc.ranges) | set(sc.chains_by_property)
                       | {p for p, _ in sc.has_value_by_pv})

    def _closure_of(self, c: str) -> tuple[str, ...]:
        got = self.all_types.get(c)
        if got is None:
            got = self.all_types[c] = (c, *sorted(self.schema.super_classes.get(c, ())))
            self.values[c] = tuple(self.schema.has_value[d] for d in got if d in self.schema.has_value)
        return got

    def add_type(self, s: str, c: str) -> None:
        types = self.types
        if (s, c) in types:
            return
        for d in self._closure_of(c):
            if (s, d) not in types:
                types.add((s, d))
        for q, v in self.values[c]:  # cls-hv2
            self.add(s, q, v)

    def add(self, s: str, p: str, o: str) -> None:
        if p == TYPE:
            self.add_type(s, o)
            return
        t = (s, p, o)
        if t not in self.triples:
            self.triples.add(t)
            if p in self.indexed:
                self.by_sp[(s, p)].add(o)
                self.by_po[(p, o)].add(s)
            if p in self.active:
                self.agenda.append(t)

    def _chain_paths(self, chain, i, s, o):
        """Ends (start, end) of full chain paths through the edge s -p_i-> o."""
        starts = [s]
        for p in reversed(chain[:i]):
            starts = [w for x in starts for w in self.by_po.get((p, x), ())]
        ends = [o]
        for p in chain[i + 1:]:
            ends = [z for x in ends for z in self.by_sp.get((x, p), ())]
        return starts, ends

    def run(self) -> None:
        sc = self.schema
        add, add_type = self.add, self.add_type
        super_properties, inverses, domains, ranges = sc.super_properties, sc.inverses, sc.domains, sc.ranges
        chains, hv_by_pv = sc.chains_by_property, sc.has_value_by_pv
        while self.agenda:
            s, p, o = self.agenda.popleft()
            for q in super_properties.get(p, ()):  # prp-spo1, prp-eqp
                add(s, q, o)
            for c in domains.get(p, ()):  # prp-dom
                add_type(s, c)
            for r in hv_by_pv.get((p, o), ()):  # cls-hv1
                add_type(s, r)
            if o[0] == '"':  # literal object: the other rules would give a literal subject (noise)
                continue
            for q in inverses.get(p, ()):  # prp-inv
                add(o, q, s)
            if p in sc.symmetric:  # prp-symp
                add(o, p, s)
            if p in sc.transitive:  # prp-trp
                for z in list(self.by_sp.get((o, p), ())):
                    add(s, p, z)
                for w in list(self.by_po.get((p, s), ())):
                    add(w, p, o)
            for c in ranges.get(p, ()):  # prp-rng
                add_type(o, c)
            for i, chain, q in chains.get(p, ()):  # prp-spo2
                starts, ends = self._chain_paths(chain, i, s, o)
                for a in starts:
                    for z in ends:
                        add(a, q, z)

    def all_triples(self):
        yield from self.triples
        for s, c in self.types:
            yield (s, TYPE, c)


def derivable_predicates(schema: Schema) -> set[str]:
    """Predicates a rule can conclude; asserted triples with any other predicate never matter."""
    out = {TYPE} | schema.symmetric | schema.transitive
    for qs in schema.super_properties.values():
        out |= qs
    for qs in schema.inverses.values():
        out |= qs
    out |= {q for entries in schema.chains_by_property.values() for _, _, q in entries}
    out |= {p for p, _ in schema.has_value.values()}
    return out


@dataclass
class Entailments:
    """What one run of the engine found."""

    new: list[tuple[str, str, str]]  # entailed and not asserted
    asserted: int  # data triples read (duplicates included) plus distinct ontology triples
    types: set[tuple[str, str]]  # every (individual, class), for the disjointness check
    typed_literals: set[str]  # distinct non-string typed literals of the data, to check lexically


def entailments(schema_closure: Graph, ontology: Graph, document: Iterable[str], *, refuse=None) -> Entailments:
    """Run the engine over the ontology and the data, N-Triples text as pyoxigraph writes it
    (given in pieces of whole lines).

    ``schema_closure`` is owlrl's closure of the ontology alone: it supplies
    the schema-level entailments and the tables.  ``refuse`` (optional, see
    ``refusals.Refusals``) is called on every data triple whose predicate is in
    its ``predicates`` and may raise; its ``finish()`` runs after the last one.
    """
    schema = compile_schema(schema_closure)
    c = _Closure(schema)
    relevant = c.active | derivable_predicates(schema)
    # the ontology is small: keep all of it; of the data, only triples a rule can use or conclude
    asserted = {(nt(s), nt(p), nt(o)) for s, p, o in ontology}
    n_asserted = len(asserted)
    for t in asserted:
        c.add(*t)
    looked_at = relevant | (refuse.predicates if refuse is not None else set())
    typed: set[str] = set()
    intern = sys.intern
    # one line per triple, "s p o .": subjects and predicates hold no space, and a raw
    # line break occurs only at the end of a line (N-Triples escapes it in literals)
    for text in document:
        for line in text.split(" .\n"):
            if not line:
                continue
            n_asserted += 1
            s, p, o = line.split(" ", 2)
            if o[0] == '"' and o[-1] == ">":
                typed.add(o)
            if p in looked_at:
                t = (intern(s), intern(p), intern(o))
                if refuse is not None:
                    refuse(*t)
                if p in relevant and t not in asserted:
                    asserted.add(t)
                    c.add(*t)
    if refuse is not None:
        refuse.finish()
    for ss, sp, so in schema_closure:
        if not isinstance(ss, Literal):
            c.add(nt(ss), nt(sp), nt(so))
    c.run()
    new = [t for t in c.all_triples() if t not in asserted]
    return Entailments(new, n_asserted, c.types, typed)


def disjointness_violations(schema_closure: Graph, types: set[tuple[str, str]]) -> list[str]:
    """cax-dw / cax-adc: an individual typed with two disjoint classes (owlrl's wording)."""
    pairs: set[tuple[str, str]] = set()
    for c1, c2 in schema_closure.subject_objects(OWL.disjointWith):
        pairs.add((nt(c1), nt(c2)))
    for group in schema_closure.subjects(RDF.type, OWL.AllDisjointClasses):
        for head in schema_closure.objects(group, OWL.members):
            members = [nt(c) for c in schema_closure.items(head)]
            pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1:])
    watched = {c for pair in pairs for c in pair}
    by_individual: dict[str, set[str]] = defaultdict(set)
    for s, c in [t for t in types if t[1] in watched]:
        by_individual[s].add(c)
    out = []
    for x, classes in by_individual.items():
        for a, b in pairs:
            if a in classes and b in classes:
                out.append(f"Disjoint classes {a[1:-1]} and {b[1:-1]} have a common individual {x.strip('<>')}")
    return out
