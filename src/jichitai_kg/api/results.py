"""A query's answer for Python: rows as rdflib terms or Python values, a graph, a boolean.

Both back ends (the embedded dataset and a remote endpoint) hand over the same bytes —
SPARQL JSON results for SELECT and ASK, N-Triples for CONSTRUCT and DESCRIBE — so the
same question gives the same rows whichever answered it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Identifier

from ..errors import JKGError

if TYPE_CHECKING:  # pragma: no cover - pandas is an optional extra
    import pandas

Term = URIRef | Literal | BNode


def term_from_json(binding: dict[str, Any]) -> Term:
    """One value of SPARQL 1.1 JSON results as an rdflib term."""
    kind = binding["type"]
    if kind == "uri":
        return URIRef(binding["value"])
    if kind == "bnode":
        return BNode(binding["value"])
    if kind in ("literal", "typed-literal"):
        return Literal(binding["value"], lang=binding.get("xml:lang"),
                       datatype=URIRef(binding["datatype"]) if "datatype" in binding else None)
    raise JKGError(f"A result value of type {kind!r} has no rdflib term (RDF-star triples are not supported).")


def python_value(term: Identifier | None) -> Any:
    """A term as a Python value: IRIs as ``str``, literals as ``int``/``Decimal``/``date``/``str``…
    (rdflib's ``toPython``; a datatype it does not map stays the lexical form)."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)


@dataclass
class Result:
    """The answer to one query.

    * SELECT: ``vars``; iterate for rows of Python values (``dict`` per row), ``terms()`` for
      rows of rdflib terms, ``to_pandas()`` for a DataFrame (the ``pandas`` extra);
    * ASK: ``boolean`` (and ``bool(result)``);
    * CONSTRUCT, DESCRIBE: ``graph``, an rdflib ``Graph``.

    ``body`` and ``media_type`` are the bytes as served; ``data_version`` (the content
    hash) and ``release`` (``1.2.0``, None while unreleased) name the data that answered.
    """

    kind: str  # "solutions" | "boolean" | "graph"
    body: bytes
    media_type: str
    data_version: str | None = None
    release: str | None = None
    vars: list[str] = field(default_factory=list)
    boolean: bool | None = None
    _terms: list[dict[str, Term | None]] | None = None
    _graph: Graph | None = None

    @classmethod
    def from_bytes(cls, body: bytes, media_type: str, *, data_version: str | None = None,
                   release: str | None = None) -> Result:
        if media_type.startswith("application/sparql-results+json"):
            data = json.loads(body)
            if "boolean" in data:
                return cls("boolean", body, media_type, data_version, release, boolean=bool(data["boolean"]))
            names = list(data["head"].get("vars", []))
            rows = [{n: term_from_json(b[n]) if n in b else None for n in names}
                    for b in data["results"]["bindings"]]
            return cls("solutions", body, media_type, data_version, release, vars=names, _terms=rows)
        graph = Graph()
        graph.parse(data=body.decode("utf-8"), format="nt")
        return cls("graph", body, media_type, data_version, release, _graph=graph)

    # ---------------------------------------------------------------- SELECT
    def terms(self) -> list[dict[str, Term | None]]:
        """Rows of rdflib terms (``None`` for an unbound variable)."""
        return list(self._require("solutions", self._terms))

    def values(self) -> list[dict[str, Any]]:
        """Rows of Python values (see :func:`python_value`)."""
        return [{k: python_value(v) for k, v in row.items()} for row in self.terms()]

    def column(self, name: str) -> list[Any]:
        """One column's Python values."""
        if name not in self.vars:
            raise KeyError(f"No column {name!r}; the columns are {', '.join(self.vars)}")
        return [row[name] for row in self.values()]

    def to_pandas(self, *, terms: bool = False) -> pandas.DataFrame:
        """A DataFrame, one column per variable (Python values, or rdflib terms)."""
        try:
            import pandas
        except ImportError:
            raise ImportError("to_pandas() needs pandas: pip install 'jichitai-kg[pandas]'") from None
        rows = self.terms() if terms else self.values()
        return pandas.DataFrame.from_records(rows, columns=self.vars)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.values())

    def __len__(self) -> int:
        if self.kind == "graph":
            return len(self.graph)
        return len(self._terms or [])

    # ---------------------------------------------------------------- ASK, CONSTRUCT
    @property
    def graph(self) -> Graph:
        """The graph a CONSTRUCT or DESCRIBE query built."""
        return self._require("graph", self._graph)

    def __bool__(self) -> bool:
        if self.kind == "boolean":
            return bool(self.boolean)
        return len(self) > 0

    def _require(self, kind: str, value: Any) -> Any:
        if self.kind != kind:
            raise TypeError(f"This is the answer of a {_FORMS[self.kind]} query, not of a {_FORMS[kind]} query.")
        return value


_FORMS = {"solutions": "SELECT", "boolean": "ASK", "graph": "CONSTRUCT or DESCRIBE"}
