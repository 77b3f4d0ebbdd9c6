"""A one-query executor for the command line: no worker process, the same limits.

``jichitai-kg query`` and ``cq run`` answer one query and exit.  Starting a worker
process (and copying the store into it) costs more than most questions, so the query runs
in this process, in a thread, on the read-only on-disk store.  The time limit stays hard:
when it passes, :class:`~jichitai_kg.errors.QueryTimeout` is raised and the caller exits,
taking the abandoned evaluation with it (``cli`` does this with ``os._exit``).  The guard,
the result cap and the error types are the worker's own (:func:`.worker.execute`).  This
process has no network sandbox; as in the workers, the engine gets no SERVICE keyword
(``services.prepare`` decides on the engine's parse and calls allowlisted endpoints itself,
with the same exact-match check), and the query runs on the workers' large stack after the
same depth check.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...errors import JKGError, QueryFailed, QueryTimeout
from ..rules import guard
from .services import ServicePolicy
from .worker import QueryOutcome, execute, make_request
from .worker_setup import QUERY_STACK_BYTES, start_with_stack

#: The CLI's console script looks for this thread at exit (``cli.run``).
THREAD_NAME = "jichitai-kg-inline-query"


class InlineExecutor:
    """Same ``run`` as :class:`.executor.QueryExecutor`, evaluated in a thread of this process."""

    def __init__(self, store_path: Path | str, *, timeout: float = 10.0,
                 max_result_bytes: int = 20 * 1024 * 1024,
                 service_allowlist: list[str] | tuple[str, ...] = ()):
        from ...store import open_read_only

        self.store = open_read_only(Path(store_path))
        self.timeout = float(timeout)
        self.max_result_bytes = int(max_result_bytes)
        self.service_allowlist = list(service_allowlist)

    def run(self, query: str, *, result_format: str, substitutions: dict[str, str] | None = None,
            default_graph: list[str] | None = None, named_graphs: list[str] | None = None,
            base_iri: str | None = None, timeout: float | None = None) -> QueryOutcome:
        guard.check(query, self.service_allowlist, sandboxed=False)
        request = make_request(query, result_format, substitutions, default_graph, named_graphs,
                               base_iri)
        limit = self.timeout if timeout is None else float(timeout)
        policy = ServicePolicy(allowlist=tuple(self.service_allowlist), timeout=limit,
                               max_bytes=self.max_result_bytes)
        box: dict[str, Any] = {}

        def evaluate() -> None:
            try:
                box["reply"] = execute(self.store, request, self.max_result_bytes, policy)
            except BaseException as exc:  # handed to the caller's thread
                box["error"] = exc

        thread = start_with_stack(evaluate, QUERY_STACK_BYTES, name=THREAD_NAME, daemon=True)
        thread.join(limit)
        if thread.is_alive():
            raise QueryTimeout(f"The query was stopped after {limit:g} s (QUERY_TIMEOUT).")
        if "error" in box:
            error = box["error"]
            if not isinstance(error, JKGError):
                raise QueryFailed(f"{type(error).__name__}: {error}") from None
            raise error
        kind, body, media_type = box["reply"]
        return QueryOutcome(kind=kind, body=body, media_type=media_type)

    def close(self) -> None:
        self.store = None  # type: ignore[assignment]
