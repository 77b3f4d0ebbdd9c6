"""Run the linked-data layer's ``queries/app/ld-*.rq`` files and hand back plain Python values.

Two back ends answer the same calls: the service's ``QueryExecutor`` (worker processes
with a hard time limit, used by the web views) and a pyoxigraph ``Store`` opened in this
process (used by the CLI export and by tests that need no server).  Both go through the
.rq files with parameters bound as RDF terms, never spliced into the query text.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

QUERY_PREFIX = "ld-"


class QueryFailed(RuntimeError):
    """A linked-data query did not complete (timeout, error); the view answers 503/500."""


@functools.lru_cache(maxsize=64)
def _read(path: str, mtime: float) -> str:
    return Path(path).read_text(encoding="utf-8")


def query_text(root: Path | str, name: str) -> str:
    """The text of ``queries/app/ld-<name>.rq`` (re-read when the file changes)."""
    path = Path(root) / "queries" / "app" / f"{QUERY_PREFIX}{name}.rq"
    if not path.is_file():
        raise FileNotFoundError(f"linked-data query not found: {path}")
    return _read(str(path), path.stat().st_mtime)


def term(value: ox.NamedNode | ox.Literal | ox.BlankNode | str) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """Plain strings are bound as literals; IRIs must be passed as ``NamedNode``."""
    if isinstance(value, str):
        return ox.Literal(value)
    return value


def to_python(t: Any) -> Any:
    """A readable Python value for templates: IRIs and literals as str, numbers as numbers."""
    if t is None:
        return None
    if isinstance(t, ox.Literal):
        dt = t.datatype.value
        if dt.endswith(("#integer", "#int", "#long", "#nonNegativeInteger", "#positiveInteger")):
            try:
                return int(t.value)
            except ValueError:
                return t.value
        return t.value
    return t.value


class Runner(Protocol):
    def select(self, name: str, **params) -> list[dict[str, Any]]: ...

    def construct(self, name: str, **params) -> list[ox.Triple]: ...

    def ask(self, name: str, **params) -> bool: ...


@dataclass
class StoreRunner:
    """Queries a pyoxigraph store in-process; the default graph is the union of named graphs."""

    store: ox.Store
    root: Path

    def _query(self, name: str, params: dict):
        subs = {ox.Variable(k): term(v) for k, v in params.items()}
        return self.store.query(query_text(self.root, name), substitutions=subs,
                                use_default_graph_as_union=True)

    def select(self, name: str, **params) -> list[dict[str, Any]]:
        res = self._query(name, params)
        names = [v.value for v in res.variables]
        return [{n: sol[n] for n in names} for sol in res]

    def construct(self, name: str, **params) -> list[ox.Triple]:
        return list(self._query(name, params))

    def ask(self, name: str, **params) -> bool:
        return bool(self._query(name, params))


@dataclass
class ExecutorRunner:
    """Queries through the service's executor (time limit, worker processes).

    The executor takes substitutions as N-Triples term strings and returns serialized
    bytes, so results are parsed back here with pyoxigraph.
    """

    executor: Any
    root: Path
    timeout: float | None = None

    def _run(self, name: str, params: dict, result_format: str):
        subs = {k: str(term(v)) for k, v in params.items()}
        kwargs = {"result_format": result_format, "substitutions": subs}
        if self.timeout is not None:
            kwargs["timeout"] = self.timeout
        try:
            outcome = self.executor.run(query_text(self.root, name), **kwargs)
        except Exception as exc:  # timeouts, worker failures: keep the query's name in the message
            raise QueryFailed(f"{name}: {type(exc).__name__}: {exc}") from exc
        body = outcome.body
        return body.encode("utf-8") if isinstance(body, str) else body

    def select(self, name: str, **params) -> list[dict[str, Any]]:
        body = self._run(name, params, "application/sparql-results+json")
        res = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
        names = [v.value for v in res.variables]
        return [{n: sol[n] for n in names} for sol in res]

    def construct(self, name: str, **params) -> list[ox.Triple]:
        body = self._run(name, params, "application/n-triples")
        return [q.triple for q in ox.parse(body, ox.RdfFormat.N_TRIPLES)]

    def ask(self, name: str, **params) -> bool:
        body = self._run(name, params, "application/sparql-results+json")
        return bool(json.loads(body)["boolean"])
