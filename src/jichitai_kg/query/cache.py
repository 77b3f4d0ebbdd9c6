"""Answers kept in memory: the served dataset changes only when the store is rebuilt.

:class:`CachingExecutor` wraps an executor with the same ``run`` and keeps successful
answers in a least-recently-used table bounded by bytes (``RESULT_CACHE_BYTES``; 0 turns
it off).  :func:`request_key` names one answer: the web tier uses it, with the dataset
version, as the ``ETag``, so a client that asks again gets ``304 Not Modified``.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any

from .worker import QueryOutcome

#: Answers larger than this share of the cache are not kept (one would evict everything).
LARGEST_SHARE = 0.25


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


class BytesLRU:
    """A thread-safe least-recently-used mapping whose values are bounded by total size."""

    def __init__(self, max_bytes: int):
        self.max_bytes = int(max_bytes)
        self._items: OrderedDict[str, tuple[int, Any]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        return self._size

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: str) -> Any | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[1]

    def put(self, key: str, value: Any, size: int) -> None:
        if size > self.max_bytes * LARGEST_SHARE:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= old[0]
            self._items[key] = (size, value)
            self._size += size
            while self._size > self.max_bytes:
                _, (evicted, _) = self._items.popitem(last=False)
                self._size -= evicted


class CachingExecutor:
    """``run`` answered from memory when the same question was answered before."""

    def __init__(self, executor: Any, max_bytes: int):
        self.executor = executor
        self.answers = BytesLRU(max_bytes)
        self.hits = 0

    def run(self, query: str, *, result_format: str, substitutions: dict[str, str] | None = None,
            default_graph: list[str] | None = None, named_graphs: list[str] | None = None,
            base_iri: str | None = None, timeout: float | None = None) -> QueryOutcome:
        key = request_key(query, result_format=result_format, substitutions=substitutions,
                          default_graph=default_graph, named_graphs=named_graphs, base_iri=base_iri)
        cached = self.answers.get(key)
        if cached is not None:
            self.hits += 1
            return cached
        outcome = self.executor.run(query, result_format=result_format, substitutions=substitutions,
                                    default_graph=default_graph, named_graphs=named_graphs,
                                    base_iri=base_iri, timeout=timeout)
        self.answers.put(key, outcome, len(outcome.body) + len(query))
        return outcome
