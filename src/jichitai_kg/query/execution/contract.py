"""The executor contract, stated once: what the web tier, the runner and the answer cache rely on.

Three classes fulfil it: :class:`~.executor.QueryExecutor` (worker processes with a hard time
limit), :class:`~.inline.InlineExecutor` (in this process, for one-shot commands) and
``remote.executor.RemoteExecutor`` (a remote SPARQL store).  ``caching.cache.CachingExecutor``
wraps any of them and answers queries the same way.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from .worker import QueryOutcome


@runtime_checkable
class RunsQueries(Protocol):
    """Answers one query: its serialized result, or a ``JKGError`` saying why not."""

    def run(self, query: str, *, result_format: str, substitutions: dict[str, str] | None = None,
            default_graph: list[str] | None = None, named_graphs: list[str] | None = None,
            base_iri: str | None = None, timeout: float | None = None) -> QueryOutcome: ...


@runtime_checkable
class Executor(RunsQueries, Protocol):
    """An executor the dataset owns: answers queries and releases its workers or store on close."""

    def close(self) -> None: ...
