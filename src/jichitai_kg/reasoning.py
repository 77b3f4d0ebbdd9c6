"""OWL 2 RL materialization behind one function, :func:`materialize`.

Why a separate module: the store build, the validator and the tests all need
the same closure *and the same noise filter*; keeping both here makes the
reasoner swappable (``engine="owlrl"`` is the reference, ``engine="fast"``
runs the instance-level rules as SPARQL UPDATEs in an in-memory pyoxigraph
store) and lets the cache key include this file's own source.

The filter (documented in docs/reasoning.md) keeps only entailments a
researcher would want to query; everything else owlrl derives is counted as
"dropped" so the build can report it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import owlrl
import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

ENGINES = ("owlrl", "fast")

#: The SPARQL rules of the fast engine live with the application's other queries.
RULES_DIR = Path(__file__).resolve().parents[2] / "queries" / "app"

#: owlrl writes inconsistencies into the graph with this (odd, but fixed) vocabulary.
ERRNS = "http://www.daml.org/2002/03/agents/agent-ont#"

#: Subjects in these namespaces are the built-in vocabularies; facts about them are axiomatic.
BUILTIN_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))

#: Classes every resource belongs to; typing with them says nothing.
TOP_CLASSES = frozenset({OWL.Thing, RDFS.Resource, OWL.Nothing})

#: Predicates whose reflexive use (x p x) is always entailed and therefore noise.
REFLEXIVE_NOISE = frozenset(
    {OWL.sameAs, RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty}
)


class InconsistencyError(Exception):
    """The ontology plus data is inconsistent (e.g. a disjointness is violated)."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


@dataclass
class Materialization:
    """What the reasoner produced, and how much of it was kept."""

    inferred: Graph
    asserted: int
    kept: int
    dropped: int
    inconsistencies: list[str] = field(default_factory=list)
    seconds: float = 0.0
    engine: str = "owlrl"
    #: Why each dropped triple was dropped (reason -> count), for the build report and tests.
    dropped_by_reason: dict[str, int] = field(default_factory=dict)


def _is_builtin(term) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(BUILTIN_NAMESPACES)


def schema_blank_nodes(ontology: Graph) -> frozenset:
    """Blank nodes of the ontology (restrictions, lists, axioms).

    Entailments about anonymous class expressions cannot be addressed from
    outside the ontology file, so they are noise to a researcher.
    """
    nodes = set()
    for s, _, o in ontology:
        if isinstance(s, BNode):
            nodes.add(s)
        if isinstance(o, BNode):
            nodes.add(o)
    return frozenset(nodes)


def drop_reason(triple, asserted: Graph, schema_bnodes: frozenset) -> str | None:
    """Why an entailed triple is not worth keeping, or None to keep it."""
    s, p, o = triple
    if str(p).startswith(ERRNS) or str(o).startswith(ERRNS):
        return "inconsistency-report"
    if isinstance(s, Literal):
        return "literal-subject"
    if _is_builtin(s):
        return "builtin-subject"
    if s == o and p in REFLEXIVE_NOISE:
        return "reflexive"
    if o in TOP_CLASSES:
        return "top-class"
    if p == RDF.type and _is_builtin(o):
        return "builtin-type"
    if s in schema_bnodes or o in schema_bnodes:
        return "schema-blank-node"
    if triple in asserted:
        return "asserted"
    return None


def filter_entailments(closure: Iterable, asserted: Graph, ontology: Graph):
    """Split a closure into kept triples and counts of dropped ones per reason."""
    bnodes = schema_blank_nodes(ontology)
    kept = Graph()
    reasons: dict[str, int] = {}
    for t in closure:
        why = drop_reason(t, asserted, bnodes)
        if why is None:
            kept.add(t)
        else:
            reasons[why] = reasons.get(why, 0) + 1
    return kept, reasons


def _inconsistencies(closure: Graph) -> list[str]:
    return sorted(str(m) for m in closure.objects(None, URIRef(ERRNS + "error")))


def _owlrl_closure(asserted: Graph) -> Graph:
    closure = Graph()
    for t in asserted:
        closure.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    return closure


def materialize(ontology: Graph, data: Graph, *, engine: str = "owlrl") -> Materialization:
    """Compute the filtered OWL 2 RL closure of ontology + data.

    Returns the kept entailments (to go into the inferred named graph) with
    counts; inconsistencies are returned, not raised, so the build can still
    report them and ``validate`` can name the resources involved.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown reasoning engine {engine!r}; choose one of {', '.join(ENGINES)}")
    started = time.perf_counter()
    asserted = Graph()
    for g in (ontology, data):
        for t in g:
            asserted.add(t)
    if engine == "owlrl":
        closure = _owlrl_closure(asserted)
        errors = _inconsistencies(closure)
    else:
        closure, errors = _fast_closure(ontology, data)
    # restating an asserted triple is not an entailment: neither kept nor counted as dropped
    new = (t for t in closure if t not in asserted)
    kept, reasons = filter_entailments(new, asserted, ontology)
    dropped = sum(reasons.values())
    return Materialization(
        inferred=kept,
        asserted=len(asserted),
        kept=len(kept),
        dropped=dropped,
        inconsistencies=errors,
        seconds=time.perf_counter() - started,
        engine=engine,
        dropped_by_reason=reasons,
    )


def code_fingerprint() -> bytes:
    """Bytes that change whenever the reasoner's behaviour may change (for the cache key)."""
    parts = [f"owlrl={owlrl.__version__};pyoxigraph={ox.__version__}".encode()]
    parts.append(Path(__file__).read_bytes())
    for f in sorted(RULES_DIR.glob("reasoning-rule-*.rq")):
        parts.append(f.name.encode() + b"\0" + f.read_bytes())
    return b"\0".join(parts)


# --- rdflib <-> pyoxigraph terms ---------------------------------------------

_XSD_STRING = str(XSD.string)


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


def triples_to_ox(graph: Iterable, graph_name=None):
    """Quads for ``Store.extend``; triples with a literal subject (not RDF 1.1) are skipped."""
    g = graph_name if graph_name is not None else ox.DefaultGraph()
    for s, p, o in graph:
        if isinstance(s, Literal):
            continue
        yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), g)


# --- fast engine: instance rules as SPARQL UPDATE over pyoxigraph -------------

#: Constructs the fast engine's rules do not cover; their presence makes it refuse
#: rather than silently diverge from owlrl.
_UNSUPPORTED_PREDICATES = (
    OWL.intersectionOf, OWL.unionOf, OWL.someValuesFrom, OWL.allValuesFrom, OWL.maxCardinality,
    OWL.maxQualifiedCardinality, OWL.cardinality, OWL.hasKey, OWL.sameAs, OWL.differentFrom,
    OWL.complementOf, OWL.oneOf, OWL.propertyDisjointWith, OWL.sourceIndividual,
)
_UNSUPPORTED_TYPES = (
    OWL.FunctionalProperty, OWL.InverseFunctionalProperty, OWL.IrreflexiveProperty,
    OWL.AsymmetricProperty, OWL.AllDifferent, OWL.AllDisjointProperties,
)


def _check_supported(graph: Graph) -> None:
    for p in _UNSUPPORTED_PREDICATES:
        if (None, p, None) in graph:
            raise NotImplementedError(f"the fast engine does not implement {p}; use engine='owlrl'")
    for c in _UNSUPPORTED_TYPES:
        if (None, RDF.type, c) in graph:
            raise NotImplementedError(f"the fast engine does not implement {c}; use engine='owlrl'")
    for chain in graph.objects(None, OWL.propertyChainAxiom):
        if len(list(graph.items(chain))) not in (2, 3):
            raise NotImplementedError("the fast engine handles property chains of length 2 or 3 only")


def _rules() -> list[tuple[str, str]]:
    files = sorted(RULES_DIR.glob("reasoning-rule-*.rq"))
    if not files:
        raise FileNotFoundError(f"no reasoning-rule-*.rq in {RULES_DIR}")
    return [(f.stem, f.read_text(encoding="utf-8")) for f in files]


def _ill_typed_literals(graph: Graph) -> list[str]:
    """owlrl reports a literal whose lexical form does not fit its datatype; so does the fast engine."""
    out = []
    for _, _, o in graph:
        if isinstance(o, Literal) and o.ill_typed:
            out.append(f"Lexical value of the literal '{o}' does not match its datatype ({o.datatype})")
    return out


_SCHEMA_CACHE: dict[frozenset, Graph] = {}


def _schema_closure(triples: frozenset) -> Graph:
    """owlrl over the ontology alone, memoized: validation and tests reason over the same schema often."""
    if triples not in _SCHEMA_CACHE:
        schema = Graph()
        for t in triples:
            schema.add(t)
        _SCHEMA_CACHE.clear()  # keep one: a process works with one ontology at a time
        _SCHEMA_CACHE[triples] = _owlrl_closure(schema)
    return _SCHEMA_CACHE[triples]


def _fast_closure(ontology: Graph, data: Graph):
    """Closure equal to owlrl's after filtering, much faster on large data.

    The schema is small, so owlrl closes the ontology alone (that gives every
    schema-level entailment: subclass/subproperty closure, domains, ...);
    instance-level rules then run as SPARQL UPDATEs to a fixpoint.
    """
    _check_supported(ontology)
    _check_supported(data)
    schema_closure = _schema_closure(frozenset(ontology))
    errors = _inconsistencies(schema_closure)

    store = ox.Store()
    store.extend(triples_to_ox(t for t in schema_closure if not str(t[1]).startswith(ERRNS)
                               and not str(t[2]).startswith(ERRNS)))
    store.extend(triples_to_ox(data))
    rules = _rules()
    size = -1
    while size != len(store):
        size = len(store)
        for _name, update in rules:
            store.update(update)

    query = (RULES_DIR / "reasoning-disjointness-violations.rq").read_text(encoding="utf-8")
    for row in store.query(query):
        errors.append(
            f"Disjoint classes {row['c1'].value} and {row['c2'].value} have a common individual "
            f"{row['x'].value}"
        )
    errors.extend(_ill_typed_literals(data))
    closure = (
        (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
        for q in store.quads_for_pattern(None, None, None, None)
    )
    literal_subject_noise = (t for t in schema_closure if isinstance(t[0], Literal))
    from itertools import chain

    return chain(closure, literal_subject_noise), sorted(set(errors))
