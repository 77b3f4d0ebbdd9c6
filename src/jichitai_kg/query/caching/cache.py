"""Answers kept in memory: the served dataset changes only when the store is rebuilt.

:class:`CachingExecutor` wraps an executor with the same ``run`` and keeps successful
answers in a least-recently-used table bounded by bytes (``RESULT_CACHE_BYTES``; 0 turns
it off), in front of the file all serving processes share (:mod:`.shared_answers`) when
there is one.  :func:`request_key` names one answer: the web tier uses it, with the dataset
version, as the ``ETag``, so a client that asks again gets ``304 Not Modified``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..execution.contract import RunsQueries
from ..execution.worker import QueryOutcome
from ..memo import BytesLRU
from .shared_answers import SharedAnswers


def request_key(query: str, *, result_format: str, substitutions: dict[str, str] | None = None,
                default_graph: list[str] | None = None, named_graphs: list[str] | None = None,
                base_iri: str | None = None) -> str:
    """A digest of everything that decides an answer, besides the dataset itself."""
    parts = [query, result_format, sorted((substitutions or {}).items()), default_graph,
             named_graphs, base_iri]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


def result_digest(results: Any) -> str:
    """SHA-256 of a SPARQL JSON result in canonical form (sorted keys, no spaces, UTF-8):
    the workbench computes the same digest in the browser for its "cite this result" box."""
    text = json.dumps(results, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CachingExecutor:
    """``run`` answered from memory when the same question was answered before."""

    def __init__(self, executor: RunsQueries, max_bytes: int, shared: SharedAnswers | None = None):
        self.executor = executor
        self.answers = BytesLRU(max_bytes)
        self.shared = shared if max_bytes else None
        self.hits = 0

    def run(self, query: str, *, result_format: str, substitutions: dict[str, str] | None = None,
            default_graph: list[str] | None = None, named_graphs: list[str] | None = None,
            base_iri: str | None = None, timeout: float | None = None) -> QueryOutcome:
        question: dict[str, Any] = {"result_format": result_format, "substitutions": substitutions,
                                    "default_graph": default_graph, "named_graphs": named_graphs,
                                    "base_iri": base_iri}
        if not self.answers.max_bytes:  # the cache is off: no key to compute
            return self.executor.run(query, timeout=timeout, **question)
        key = request_key(query, **question)
        cached = self.answers.get(key)
        if cached is None and self.shared is not None:
            cached = self.shared.get(key)  # answered by another serving process
            if cached is not None:
                self.answers.put(key, cached, len(cached.body) + len(query))
        if cached is not None:
            self.hits += 1
            return cached
        outcome = self.executor.run(query, timeout=timeout, **question)
        self.answers.put(key, outcome, len(outcome.body) + len(query))
        if self.shared is not None:
            self.shared.put(key, outcome)
        return outcome
