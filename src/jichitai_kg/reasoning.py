"""OWL 2 RL materialization behind one function, :func:`materialize`.

Why a separate module: the store build, the validator and the tests all need
the same closure *and the same noise filter*; keeping both here makes the
reasoner swappable (``engine="owlrl"`` is the reference, ``engine="fast"``
runs the instance-level rules as SPARQL UPDATEs in an in-memory pyoxigraph
store, ``engine="native"`` runs the same rules semi-naively in Python, see
``rl_native.py``) and lets the cache key include the engines' own source.

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

ENGINES = ("owlrl", "fast", "native")
#: "auto" = fast, falling back to owlrl when the data uses something the fast rules do not cover.
ENGINE_CHOICES = ENGINES + ("auto",)

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


@dataclass
class Materialization:
    """What the reasoner produced, and how much of it was kept.

    The native engine hands over its kept triples as N-Triples strings
    (``inferred_nt``), which the store loads directly; the rdflib graph
    ``inferred`` is then built only if someone asks for it.
    """

    _inferred: Graph | None
    asserted: int
    kept: int
    dropped: int
    inconsistencies: list[str] = field(default_factory=list)
    seconds: float = 0.0
    engine: str = "owlrl"
    #: Why each dropped triple was dropped (reason -> count), for the build report and tests.
    dropped_by_reason: dict[str, int] = field(default_factory=dict)
    inferred_nt: list[tuple[str, str, str]] | None = None

    @property
    def inferred(self) -> Graph:
        if self._inferred is None:
            self._inferred = Graph()
            if self.inferred_nt:  # through pyoxigraph, which keeps blank-node labels
                for q in ox.parse(self.nt_document().encode(), format=ox.RdfFormat.N_TRIPLES):
                    self._inferred.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        return self._inferred

    def nt_document(self) -> str:
        return "".join(f"{s} {p} {o} .\n" for s, p, o in self.inferred_nt)

    def load_into(self, store: ox.Store, graph_name: ox.NamedNode) -> None:
        """Add the kept entailments to ``store`` in ``graph_name`` (blank-node labels kept)."""
        if self.inferred_nt is not None:
            g = str(graph_name)
            doc = "".join(f"{s} {p} {o} {g} .\n" for s, p, o in self.inferred_nt).encode("utf-8")
            store.bulk_extend(ox.parse(doc, format=ox.RdfFormat.N_QUADS))
        else:
            store.bulk_extend(triples_to_ox(self.inferred, graph_name))


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


def drop_reason(triple, schema_bnodes: frozenset) -> str | None:
    """Why an entailed (not asserted) triple is not worth keeping, or None to keep it."""
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
    return None


def filter_entailments(entailed: Iterable, ontology: Graph):
    """Split entailed, not asserted, triples into kept ones and counts of dropped ones per reason."""
    bnodes = schema_blank_nodes(ontology)
    kept = Graph()
    reasons: dict[str, int] = {}
    for t in entailed:
        why = drop_reason(t, bnodes)
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


def materialize(ontology: Graph, data, *, engine: str = "owlrl") -> Materialization:
    """Compute the filtered OWL 2 RL closure of ontology + data.

    ``data`` is an rdflib Graph or an iterable of pyoxigraph quads/triples (the
    store passes its parsed quads so the fast engine never builds an rdflib
    graph of the whole data).  Returns the kept entailments (for the inferred
    named graph) with counts; inconsistencies are returned, not raised, so the
    build can still report them and ``validate`` can name the resources involved.
    """
    if engine not in ENGINE_CHOICES:
        raise ValueError(f"unknown reasoning engine {engine!r}; choose one of {', '.join(ENGINE_CHOICES)}")
    if engine == "auto":
        try:
            return materialize(ontology, data, engine="native")
        except NotImplementedError:
            return materialize(ontology, data, engine="owlrl")
    started = time.perf_counter()
    if engine == "native":
        quads = _graph_to_ox(data) if isinstance(data, Graph) else data
        return _native_materialization(ontology, quads, started)
    if engine == "owlrl":
        data_graph = data if isinstance(data, Graph) else quads_to_graph(data)
        asserted = Graph()
        for g in (ontology, data_graph):
            for t in g:
                asserted.add(t)
        closure = _owlrl_closure(asserted)
        errors = _inconsistencies(closure)
        # restating an asserted triple is not an entailment: neither kept nor counted as dropped
        new = (t for t in closure if t not in asserted)
        n_asserted = len(asserted)
    else:
        quads = _graph_to_ox(data) if isinstance(data, Graph) else list(data)
        new, errors, n_asserted = _fast_closure(ontology, quads)
    kept, reasons = filter_entailments(new, ontology)
    return Materialization(
        _inferred=kept,
        asserted=n_asserted,
        kept=len(kept),
        dropped=sum(reasons.values()),
        inconsistencies=errors,
        seconds=time.perf_counter() - started,
        engine=engine,
        dropped_by_reason=reasons,
    )


def _native_materialization(ontology: Graph, data_quads, started: float) -> Materialization:
    """The native engine: same checks and filter as the SPARQL engine, on N-Triples strings.

    The data crosses from pyoxigraph to Python once, as one N-Quads document
    (serialized in Rust), instead of as millions of term objects.
    """
    from . import rl_native

    _check_supported(ontology)
    _check_chains(ontology)
    document = ox.serialize(data_quads, format=ox.RdfFormat.N_QUADS).decode("utf-8")
    schema_closure = _schema_closure(frozenset(ontology))
    errors = _inconsistencies(schema_closure)
    found = rl_native.entailments(schema_closure, ontology, rl_native.split_lines(document),
                                  refuse=_NativeRefusals())
    del document
    errors.extend(rl_native.disjointness_violations(schema_closure, found.types))
    errors.extend(_ill_typed_literal_strings(found.typed_literals))
    noise = rl_native.NoiseFilter(frozenset(rl_native.nt(b) for b in schema_blank_nodes(ontology)))
    kept, reasons = [], {}
    for triple in found.new:
        why = noise.reason(triple)
        if why is None:
            kept.append(triple)
        else:
            reasons[why] = reasons.get(why, 0) + 1
    # owlrl's literal-subject noise on the schema cannot live in an RDF store; count it as dropped
    lit = sum(1 for s, _, _ in schema_closure if isinstance(s, Literal))
    if lit:
        reasons["literal-subject"] = reasons.get("literal-subject", 0) + lit
    return Materialization(
        _inferred=None,
        inferred_nt=kept,
        asserted=found.asserted,
        kept=len(kept),
        dropped=sum(reasons.values()),
        inconsistencies=sorted(set(errors)),
        seconds=time.perf_counter() - started,
        engine="native",
        dropped_by_reason=reasons,
    )


class _NativeRefusals:
    """``_check_supported`` then ``_check_no_schema_in_data``, one data triple of strings at a time.

    An unsupported construct anywhere is reported before a schema statement, as the
    SPARQL engine's two passes do; ``finish`` raises the first schema statement seen.
    """

    def __init__(self):
        self.unsupported_p = {f"<{p}>" for p in _UNSUPPORTED_PREDICATES}
        self.unsupported_t = {f"<{c}>" for c in _UNSUPPORTED_TYPES}
        self.schema_p = {f"<{p}>" for p in _SCHEMA_PREDICATES}
        self.schema_t = {f"<{c}>" for c in _SCHEMA_TYPES}
        self.rdf_type = f"<{RDF.type}>"
        self.schema_statement: tuple[str, str, str] | None = None

    def __call__(self, s: str, p: str, o: str) -> None:
        if p in self.unsupported_p or (p == self.rdf_type and o in self.unsupported_t):
            what = p if p in self.unsupported_p else o
            raise NotImplementedError(f"the fast engine does not implement {what[1:-1]}; use engine='owlrl'")
        if self.schema_statement is None and (p in self.schema_p or (p == self.rdf_type and o in self.schema_t)):
            self.schema_statement = (s, p, o)

    def finish(self) -> None:
        if self.schema_statement is not None:
            s, p, o = self.schema_statement
            raise NotImplementedError(
                f"schema statement in the data ({s.strip('<>')} {p[1:-1]} {o.strip('<>')}): the fast "
                "engine reasons over the schema in ontology/ only; move it there or use engine='owlrl'")


def _ill_typed_literal_strings(literals) -> list[str]:
    """``_ill_typed_literals`` for distinct literals in N-Triples form (parsed in one document)."""
    if not literals:
        return []
    doc = "".join(f"<urn:x:s> <urn:x:p> {lit} .\n" for lit in literals).encode("utf-8")
    return _ill_typed_literals(ox.parse(doc, format=ox.RdfFormat.N_TRIPLES))


def code_fingerprint() -> bytes:
    """Bytes that change whenever the reasoner's behaviour may change (for the cache key)."""
    parts = [f"owlrl={owlrl.__version__};pyoxigraph={ox.__version__}".encode()]
    parts.append(Path(__file__).read_bytes())
    parts.append((Path(__file__).parent / "rl_native.py").read_bytes())
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
#: Schema statements: the fast engine closes the schema of ontology/ only, so these
#: must not appear in data/ (the project keeps TBox and ABox apart anyway).
_SCHEMA_PREDICATES = (
    RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.equivalentClass,
    OWL.equivalentProperty, OWL.inverseOf, OWL.propertyChainAxiom, OWL.hasValue, OWL.onProperty,
    OWL.disjointWith, OWL.members,
)
_SCHEMA_TYPES = (
    OWL.Class, RDFS.Class, OWL.Restriction, OWL.ObjectProperty, OWL.DatatypeProperty,
    OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.AllDisjointClasses,
)


def _check_supported(triples) -> None:
    """Refuse rather than silently diverge from owlrl (works on rdflib or pyoxigraph terms)."""
    unsupported_p = {str(p) for p in _UNSUPPORTED_PREDICATES}
    unsupported_t = {str(c) for c in _UNSUPPORTED_TYPES}
    rdf_type = str(RDF.type)
    for s, p, o in triples:
        p, o = getattr(p, "value", str(p)), getattr(o, "value", str(o))
        if p in unsupported_p:
            raise NotImplementedError(f"the fast engine does not implement {p}; use engine='owlrl'")
        if p == rdf_type and o in unsupported_t:
            raise NotImplementedError(f"the fast engine does not implement {o}; use engine='owlrl'")


def _check_no_schema_in_data(triples) -> None:
    schema_p = {str(p) for p in _SCHEMA_PREDICATES}
    schema_t = {str(c) for c in _SCHEMA_TYPES}
    rdf_type = str(RDF.type)
    for s, p, o in triples:
        p, o = getattr(p, "value", str(p)), getattr(o, "value", str(o))
        if p in schema_p or (p == rdf_type and o in schema_t):
            raise NotImplementedError(
                f"schema statement in the data ({getattr(s, 'value', s)} {p} {o}): the fast engine "
                "reasons over the schema in ontology/ only; move it there or use engine='owlrl'")


def _check_chains(graph: Graph) -> None:
    for chain in graph.objects(None, OWL.propertyChainAxiom):
        if len(list(graph.items(chain))) not in (2, 3):
            raise NotImplementedError("the fast engine handles property chains of length 2 or 3 only")


#: Order of the rules within a round: property rules feed domain/range and class
#: rules, which feed hasValue; this order reaches the fixpoint in fewer rounds.
#: (Any order gives the same closure; rules not listed run last.)
RULE_ORDER = ("prp-spo1", "prp-eqp", "prp-inv", "prp-symp", "prp-trp", "prp-spo2-2", "prp-spo2-3",
              "prp-dom", "prp-rng", "cax-sco", "cax-eqc", "cls-hv2", "cls-hv1")


def _rules() -> list[tuple[str, str]]:
    files = list(RULES_DIR.glob("reasoning-rule-*.rq"))
    if not files:
        raise FileNotFoundError(f"no reasoning-rule-*.rq in {RULES_DIR}")

    def rank(f: Path):
        name = f.stem.removeprefix("reasoning-rule-")
        return (RULE_ORDER.index(name) if name in RULE_ORDER else len(RULE_ORDER), name)

    return [(f.stem, f.read_text(encoding="utf-8")) for f in sorted(files, key=rank)]


_PLAIN = {_XSD_STRING, str(RDF.langString)}


def _ill_typed_literals(quads) -> list[str]:
    """owlrl reports a literal whose lexical form does not fit its datatype; so does the fast engine."""
    out = []
    for q in quads:
        o = q.object
        if isinstance(o, ox.Literal) and o.datatype.value not in _PLAIN:
            lit = to_rdflib(o)
            if lit.ill_typed:
                out.append(f"Lexical value of the literal '{lit}' does not match its datatype ({lit.datatype})")
    return out


def quads_to_graph(quads) -> Graph:
    """pyoxigraph quads/triples → rdflib Graph (for owlrl and pyshacl), keeping blank-node identity."""
    g = Graph()
    for q in quads:
        g.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
    return g


def _graph_to_ox(graph: Graph) -> list:
    return list(triples_to_ox(graph))


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


#: Named graph of the scratch store that holds a copy of the asserted triples, so that
#: "what is new" is one query; rules only ever read and write the default graph.
_ASSERTED = ox.NamedNode("urn:jichitai-kg:reasoning:asserted")


def _fast_closure(ontology: Graph, data_quads: list):
    """Closure equal to owlrl's after filtering, much faster on large data.

    The schema is small, so owlrl closes the ontology alone (that gives every
    schema-level entailment: subclass/subproperty closure, domains, ...);
    instance-level rules then run as SPARQL UPDATEs to a fixpoint.  Returns the
    entailed triples that are not asserted (rdflib terms), the inconsistencies
    and the number of distinct asserted triples.
    """
    _check_supported(ontology)
    _check_chains(ontology)
    _check_supported((q.subject, q.predicate, q.object) for q in data_quads)
    _check_no_schema_in_data((q.subject, q.predicate, q.object) for q in data_quads)
    schema_closure = _schema_closure(frozenset(ontology))
    errors = _inconsistencies(schema_closure)

    store = ox.Store()
    default = ox.DefaultGraph()
    store.extend(triples_to_ox(t for t in schema_closure if not str(t[1]).startswith(ERRNS)
                               and not str(t[2]).startswith(ERRNS)))
    store.extend(ox.Quad(q.subject, q.predicate, q.object, default) for q in data_quads)
    store.extend(triples_to_ox(ontology, _ASSERTED))
    store.extend(ox.Quad(q.subject, q.predicate, q.object, _ASSERTED) for q in data_quads)
    asserted = next(iter(store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%s> { ?s ?p ?o } }" % _ASSERTED.value)))["n"]

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
    errors.extend(_ill_typed_literals(data_quads))
    new = store.query(
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o MINUS { GRAPH <%s> { ?s ?p ?o } } }" % _ASSERTED.value)
    entailed = [(to_rdflib(r["s"]), to_rdflib(r["p"]), to_rdflib(r["o"])) for r in new]
    # owlrl's literal-subject noise on the schema cannot live in an RDF store; count it as dropped
    entailed.extend(t for t in schema_closure if isinstance(t[0], Literal))
    return entailed, sorted(set(errors)), int(asserted.value)
