"""One way to turn a ``.rq`` query into Python values, for every part of the code.

The home page, the competency questions, linked-data pages, VoID, graph counts,
validation and benchmarks all call :meth:`Runner.select`, :meth:`Runner.construct` or
:meth:`Runner.ask` with the query text and its parameters as RDF terms (never spliced
into the text).  Two back ends answer the same calls: the service's
:class:`~.executor.QueryExecutor` (worker processes, hard time limit: the web views and
the CLI) and a pyoxigraph ``Store`` in this process (validation, dumps, the store build).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from ..rules.media import JSON_RESULTS, NTRIPLES
from .contract import RunsQueries

Term = ox.NamedNode | ox.Literal | ox.BlankNode
Row = dict[str, Any]


def term(value: Term | str) -> Term:
    """Plain strings are bound as literals; IRIs must be passed as ``NamedNode``."""
    return ox.Literal(value) if isinstance(value, str) else value


def to_python(t: Any) -> Any:
    """A readable Python value for templates: IRIs and literals as str, integers as int."""
    if t is None:
        return None
    if isinstance(t, ox.Literal) and t.datatype.value.endswith(
            ("#integer", "#int", "#long", "#nonNegativeInteger", "#positiveInteger")):
        try:
            return int(t.value)
        except ValueError:
            return t.value
    return t.value


def plain(rows: list[Row]) -> list[dict[str, Any]]:
    """Rows with Python values (:func:`to_python`) instead of RDF terms; unbound columns left out."""
    return [{k: to_python(v) for k, v in r.items() if v is not None} for r in rows]


class Runner:
    """Base: subclasses say how a query is evaluated."""

    def select(self, query: str, **params: Term | str) -> list[Row]:
        raise NotImplementedError

    def construct(self, query: str, **params: Term | str) -> list[ox.Triple]:
        raise NotImplementedError

    def ask(self, query: str, **params: Term | str) -> bool:
        raise NotImplementedError


class StoreRunner(Runner):
    """Queries a pyoxigraph store in this process; the default graph is the union of named graphs."""

    def __init__(self, store: ox.Store):
        self.store = store

    def _query(self, query: str, params: Mapping[str, Term | str]):
        subs: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(k): term(v) for k, v in params.items()}
        return self.store.query(query, substitutions=subs, use_default_graph_as_union=True)

    def select(self, query: str, **params: Term | str) -> list[Row]:
        res = self._query(query, params)
        names = [v.value for v in res.variables]
        return [{n: sol[n] for n in names} for sol in res]

    def construct(self, query: str, **params: Term | str) -> list[ox.Triple]:
        return list(self._query(query, params))

    def ask(self, query: str, **params: Term | str) -> bool:
        return bool(self._query(query, params))


class ExecutorRunner(Runner):
    """Queries through the service's executor (time limit, worker processes, dataset options).

    The executor takes substitutions as N-Triples strings and returns serialized bytes,
    which are parsed back here with pyoxigraph.
    """

    def __init__(self, executor: RunsQueries, *, timeout: float | None = None, **dataset: Any):
        self.executor = executor
        self.timeout = timeout
        self.dataset = dataset  # default_graph / named_graphs, for infer=false

    def _run(self, query: str, params: Mapping[str, Term | str], result_format: str) -> bytes:
        subs = {k: str(term(v)) for k, v in params.items()}
        outcome = self.executor.run(query, result_format=result_format, substitutions=subs,
                                    timeout=self.timeout, **self.dataset)
        return outcome.body

    def select(self, query: str, **params: Term | str) -> list[Row]:
        res = ox.parse_query_results(self._run(query, params, JSON_RESULTS), ox.QueryResultsFormat.JSON)
        assert isinstance(res, ox.QuerySolutions), "a SELECT query was expected"
        names = [v.value for v in res.variables]
        return [{n: sol[n] for n in names} for sol in res]

    def construct(self, query: str, **params: Term | str) -> list[ox.Triple]:
        body = self._run(query, params, NTRIPLES)
        return [q.triple for q in ox.parse(body, ox.RdfFormat.N_TRIPLES)]

    def ask(self, query: str, **params: Term | str) -> bool:
        return bool(json.loads(self._run(query, params, JSON_RESULTS))["boolean"])
