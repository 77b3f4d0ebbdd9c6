"""The reference engine: owlrl's OWL 2 RL closure (slow, complete, the yardstick)."""

from __future__ import annotations

import owlrl
from rdflib import Graph, URIRef

from .noise import ERRNS


def closure(asserted: Graph) -> Graph:
    """owlrl's closure of a copy of ``asserted``."""
    result = Graph()
    for t in asserted:
        result.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(result)
    return result


def inconsistencies(closed: Graph) -> list[str]:
    """The inconsistency messages owlrl wrote into a closure."""
    return sorted(str(m) for m in closed.objects(None, URIRef(ERRNS + "error")))


_SCHEMA_CACHE: dict[frozenset, Graph] = {}


def schema_closure(ontology: Graph) -> Graph:
    """owlrl over the ontology alone, memoized: validation and tests reason over the same schema often."""
    key = frozenset(ontology)
    if key not in _SCHEMA_CACHE:
        _SCHEMA_CACHE.clear()  # keep one: a process works with one ontology at a time
        _SCHEMA_CACHE[key] = closure(ontology)
    return _SCHEMA_CACHE[key]
