"""The Python API: the knowledge graph in a notebook, embedded or over HTTP, one interface.

    import jichitai_kg
    kg = jichitai_kg.open()                              # this checkout or the installed wheel
    kg = jichitai_kg.connect("http://localhost:5000")    # a running server: the same calls

    kg.query("SELECT ...").to_pandas()
    kg.question("initiatives-by-government", government="kamakura", lang="en")
    kg.search("テレワーク"); kg.reconcile("鎌倉市")

See docs/python-api.md.  Errors are the one error model's (:mod:`jichitai_kg.errors`):
``QuerySyntaxError`` (with ``line``, ``column``, ``token``), ``ParameterError``,
``NotFound``, ``QueryTimeout``…, whichever back end answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib.term import Identifier

from ..errors import BadRequest
from ..query.rules import guard
from ..query.rules.media import JSON_RESULTS, NTRIPLES
from .results import Result, python_value, term_from_json

__all__ = ["KnowledgeGraph", "Result", "connect", "open", "python_value", "term_from_json"]

Value = Identifier | ox.NamedNode | ox.Literal | str | int | float | bool


class Backend(Protocol):
    @property
    def data_version(self) -> str | None: ...
    @property
    def release(self) -> str | None: ...
    def run(self, query: str, media_type: str, *, infer: bool, substitutions: dict[str, str],
            timeout: float | None) -> tuple[bytes, str]: ...
    def questions(self, lang: str) -> list[dict[str, Any]]: ...
    def run_question(self, qid: str, params: dict[str, str], *, lang: str, infer: bool,
                     media_type: str, timeout: float | None) -> tuple[bytes, str]: ...
    def search(self, text: str, *, lang: str, limit: int, offset: int,
               filters: dict[str, str | None]) -> dict[str, Any]: ...
    def reconcile(self, queries: dict[str, dict[str, Any]]) -> dict[str, Any]: ...
    def close(self) -> None: ...


def open(root: str | Path | None = None, *, release: str | None = None, inference: bool = True,
         cache_dir: str | Path | None = None, timeout: float | None = None,
         settings: Mapping[str, Any] | None = None) -> KnowledgeGraph:
    """The embedded dataset: the store of ``root`` (default: this checkout, or the wheel's
    content), built on first use or reused from the cache (``CACHE_DIR``); with ``release``
    (``1.2.0``, ``latest``) that release's content instead (docs/releases.md).

    ``inference`` is the default of every call's ``infer=`` (False: asserted triples only);
    ``timeout`` the time limit per query in seconds (default QUERY_TIMEOUT); ``settings``
    any other setting of ``config.DEFAULTS``.
    """
    from .embedded import Embedded

    backend = Embedded.from_options(None if root is None else str(root),
                                    None if cache_dir is None else str(cache_dir), timeout,
                                    dict(settings or {}), release)
    return KnowledgeGraph(backend, inference=inference)


def connect(url: str, *, release: str | None = None, inference: bool = True,
            timeout: float = 60.0) -> KnowledgeGraph:
    """A running jichitai-kg server (``url`` is its root, e.g. ``http://localhost:5000``);
    with ``release``, its ``/v/<release>/`` endpoints."""
    from .remote import Remote

    return KnowledgeGraph(Remote(url, timeout=timeout, release=release), inference=inference)


class KnowledgeGraph:
    """One interface over both back ends; use it as a context manager or call :meth:`close`."""

    def __init__(self, backend: Backend, *, inference: bool = True):
        self.backend = backend
        self.inference = inference

    @property
    def data_version(self) -> str | None:
        """What answers: the content hash, for citations."""
        return self.backend.data_version

    @property
    def release(self) -> str | None:
        """The release answering (``1.2.0``), or None while the working data is unreleased."""
        return self.backend.release

    def _infer(self, infer: bool | None) -> bool:
        return self.inference if infer is None else bool(infer)

    def query(self, sparql: str, *, infer: bool | None = None, timeout: float | None = None,
              **params: Value) -> Result:
        """Run a SPARQL query; ``params`` bind variables to RDF terms (never spliced as text):
        a ``str`` is a plain literal, use ``rdflib.URIRef`` or ``pyoxigraph.NamedNode`` for IRIs."""
        form = guard.sniff(sparql).form
        media_type = NTRIPLES if form in ("CONSTRUCT", "DESCRIBE") else JSON_RESULTS
        body, served = self.backend.run(sparql, media_type, infer=self._infer(infer),
                                        substitutions=substitutions(params), timeout=timeout)
        return Result.from_bytes(body, served or media_type, data_version=self.data_version,
                                 release=self.release)

    def graph(self, sparql: str, **kwargs: Any) -> Any:
        """A CONSTRUCT or DESCRIBE query's graph (an rdflib ``Graph``)."""
        return self.query(sparql, **kwargs).graph

    def ask(self, sparql: str, **kwargs: Any) -> bool:
        result = self.query(sparql, **kwargs)
        return bool(result._require("boolean", result.boolean))

    def questions(self, lang: str = "ja") -> list[dict[str, Any]]:
        """The competency questions: id, title, question, params (name, type, required…), query."""
        return self.backend.questions(lang)

    def question(self, qid: str, *, lang: str = "ja", infer: bool | None = None,
                 timeout: float | None = None, **params: str) -> Result:
        """Answer competency question ``qid`` with its parameters (``government="kamakura"``)."""
        body, served = self.backend.run_question(qid, {k: str(v) for k, v in params.items()}, lang=lang,
                                                 infer=self._infer(infer), media_type=JSON_RESULTS,
                                                 timeout=timeout)
        return Result.from_bytes(body, served or JSON_RESULTS, data_version=self.data_version,
                                 release=self.release)

    def search(self, text: str, *, type: str | None = None, government: str | None = None,
               category: str | None = None, limit: int = 20, offset: int = 0, lang: str = "ja") -> dict[str, Any]:
        """The same search as ``/search`` (``total``, ``results``, ``facets``)."""
        from ..search import MAX_QUERY_CHARS

        text = text.strip()
        if not text or len(text) > MAX_QUERY_CHARS:
            raise BadRequest(f"give 1 to {MAX_QUERY_CHARS} characters to search for")
        return self.backend.search(text, lang=lang, limit=max(1, limit), offset=max(0, offset),
                                   filters={"kind": type, "government": government, "category": category})

    def reconcile(self, name: str, *, type: str | None = None, limit: int | None = None,
                  properties: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
        """Candidates for one name (W3C Reconciliation API: id, name, score, match, type)."""
        query: dict[str, Any] = {"query": name}
        if type:
            query["type"] = type
        if limit:
            query["limit"] = limit
        if properties:
            query["properties"] = [{"pid": k, "v": v} for k, v in properties.items()]
        return self.reconcile_batch({"q0": query})["q0"]["result"]

    def reconcile_batch(self, queries: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
        """A batch as OpenRefine sends it: ``{"q0": {"query": …}, …}`` → ``{"q0": {"result": […]}, …}``."""
        return self.backend.reconcile({k: dict(v) for k, v in queries.items()})

    def close(self) -> None:
        self.backend.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def substitutions(params: Mapping[str, Value]) -> dict[str, str]:
    """Parameters as the N-Triples terms the executors take."""
    out = {}
    for name, value in params.items():
        out[name] = _ntriples(value)
    return out


def _ntriples(value: Value) -> str:
    if isinstance(value, (ox.NamedNode, ox.Literal)):
        return str(value)
    if isinstance(value, Identifier):
        return value.n3()
    if isinstance(value, bool):
        return str(ox.Literal(str(value).lower(), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")))
    if isinstance(value, (int, float)):
        return str(ox.Literal(value))
    return str(ox.Literal(str(value)))
