"""OWL 2 RL materialization behind one function, :func:`materialize`.

Two engines give the same filtered closure (tests/reasoning/test_reasoning.py checks it):
``owlrl`` is the reference; ``native`` (:mod:`.native`) compiles the schema into lookup
tables and runs the instance rules semi-naively, many times faster on large data.
``auto`` (the default) is native, falling back to owlrl when the inputs use something
native refuses (:mod:`.refusals`).  The noise filter (:mod:`.noise`, documented in
docs/reasoning.md) keeps only entailments a researcher would want to query; everything
else is counted as "dropped" so the build can report it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import cast

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import RDF

from ..config import ENGINE_CHOICES, ENGINES
from . import native, reference
from .noise import ERRNS, NoiseFilter
from .refusals import Refusals, check_ontology
from .terms import nt, quads_to_graph, to_rdflib, triples_to_ox

__all__ = ["ENGINES", "ENGINE_CHOICES", "ERRNS", "Materialization", "materialize",
           "quads_to_graph", "triples_to_ox"]


@dataclass
class Materialization:
    """What the reasoner produced, and how much of it was kept.

    The kept triples are N-Triples strings (``inferred_nt``), which the store loads
    directly; the rdflib graph ``inferred`` is built only if someone asks for it.
    """

    inferred_nt: list[tuple[str, str, str]]
    asserted: int
    kept: int
    dropped: int
    inconsistencies: list[str] = field(default_factory=list)
    seconds: float = 0.0
    engine: str = "owlrl"
    #: Why each dropped triple was dropped (reason -> count), for the build report and tests.
    dropped_by_reason: dict[str, int] = field(default_factory=dict)
    _inferred: Graph | None = None

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

    def nquads(self, graph_name: ox.NamedNode) -> bytes:
        """The kept entailments as one N-Quads document in ``graph_name`` (blank-node labels kept),
        for the store's bulk loader."""
        g = str(graph_name)
        return "".join(f"{s} {p} {o} {g} .\n" for s, p, o in self.inferred_nt).encode("utf-8")

    def load_into(self, store: ox.Store, graph_name: ox.NamedNode) -> None:
        """Add the kept entailments to ``store`` in ``graph_name`` (blank-node labels kept)."""
        store.bulk_load(self.nquads(graph_name), format=ox.RdfFormat.N_QUADS)


def materialize(ontology: Graph, data, *, engine: str = "owlrl") -> Materialization:
    """Compute the filtered OWL 2 RL closure of ontology + data.

    ``data`` is an rdflib Graph, an iterable of pyoxigraph quads/triples, or the bytes of an
    N-Triples document as pyoxigraph writes it (one triple a line, blank-node labels kept;
    what the store build passes, so that no term crosses into Python one by one).  Returns the
    kept entailments (for the inferred named graph) with counts; inconsistencies are
    returned, not raised, so the build can still report them and ``validate`` can name
    the resources involved.
    """
    if engine not in ENGINE_CHOICES:
        raise ValueError(f"unknown reasoning engine {engine!r}; choose one of {', '.join(ENGINE_CHOICES)}")
    if engine == "auto":
        try:
            return materialize(ontology, data, engine="native")
        except NotImplementedError:
            return materialize(ontology, data, engine="owlrl")
    started = time.perf_counter()
    noise = NoiseFilter(ontology)
    if engine == "native":
        new, errors, n_asserted = _native_entailments(ontology, _ntriples_text(data))
        kept, reasons = noise.split(new)
    else:
        if isinstance(data, bytes):
            data = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
        data_graph = data if isinstance(data, Graph) else quads_to_graph(data)
        asserted = Graph()
        for g in (ontology, data_graph):
            for t in g:
                asserted.add(t)
        closed = reference.closure(asserted)
        errors = reference.inconsistencies(closed)
        # restating an asserted triple is not an entailment: neither kept nor counted as dropped
        kept, reasons = noise.split((nt(s), nt(p), nt(o)) for s, p, o in closed if (s, p, o) not in asserted)
        n_asserted = len(asserted)
    return Materialization(
        inferred_nt=kept,
        asserted=n_asserted,
        kept=len(kept),
        dropped=sum(reasons.values()),
        inconsistencies=sorted(set(errors)),
        seconds=time.perf_counter() - started,
        engine=engine,
        dropped_by_reason=reasons,
    )


#: bytes of N-Triples decoded at a time (the whole text as one str would cost several times its size)
TEXT_CHUNK = 1 << 23


def _ntriples_text(data):
    """The data as N-Triples text in pieces of whole lines: crossing from pyoxigraph to Python once,
    serialized in Rust, decoded a chunk at a time."""
    if not isinstance(data, bytes):
        quads = triples_to_ox(data) if isinstance(data, Graph) else data
        data = cast(bytes, ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    start = 0
    while start < len(data):
        end = data.find(b"\n", start + TEXT_CHUNK - 1) + 1 or len(data)
        yield data[start:end].decode("utf-8")
        start = end


def _native_entailments(ontology: Graph, document):
    """The native engine's entailed triples (not yet filtered), inconsistencies, asserted count."""
    check_ontology(ontology)
    schema_closure = reference.schema_closure(ontology)
    errors = reference.inconsistencies(schema_closure)
    found = native.entailments(schema_closure, ontology, document, refuse=Refusals())
    errors.extend(native.disjointness_violations(schema_closure, found.types))
    errors.extend(_ill_typed_literals(found.typed_literals))
    # owlrl's literal-subject noise on the schema: the filter counts it as dropped
    new = found.new + [(nt(s), nt(p), nt(o)) for s, p, o in schema_closure if isinstance(s, Literal)]
    return new, errors, found.asserted


def _ill_typed_literals(literals) -> list[str]:
    """owlrl reports a literal whose lexical form does not fit its datatype; so does native."""
    if not literals:
        return []
    doc = "".join(f"<urn:x:s> <urn:x:p> {lit} .\n" for lit in literals).encode("utf-8")
    out = []
    for q in ox.parse(doc, format=ox.RdfFormat.N_TRIPLES):
        lit = to_rdflib(q.object)
        if lit.datatype is not None and lit.datatype != RDF.langString and lit.ill_typed:
            out.append(f"Lexical value of the literal '{lit}' does not match its datatype ({lit.datatype})")
    return out
