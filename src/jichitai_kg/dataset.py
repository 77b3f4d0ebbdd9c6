"""The served dataset: the prepared store, its query executor, and what is read from it once.

It plays the part flaskr's ``db.py`` plays, without Flask: the web app keeps one
:class:`Dataset` in ``app.extensions`` (see ``web/state.py``), the CLI makes one per command.
With ``STORE_QUERY_ENDPOINT`` set there is no local store: the executor forwards queries to
that remote store (:mod:`.remote.executor`), which ``jichitai-kg push`` filled, and the
version is the one push recorded there.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .content import app_query
from .errors import BadRequest
from .namespaces import TERMS
from .query.caching.cache import CachingExecutor
from .query.caching.shared_answers import SharedAnswers
from .query.execution.contract import Executor
from .query.execution.inline import InlineExecutor
from .query.execution.runner import ExecutorRunner, plain
from .store import Inputs, hold, open_read_only, prepare

if TYPE_CHECKING:  # imported where used: a one-shot command needs neither (it starts faster)
    from . import releases
    from .remote.executor import RemoteExecutor


class Dataset:
    """Built lazily, at most once; thread-safe."""

    def __init__(self, settings: dict[str, Any], *, workers: int | None = None,
                 inline: bool = False, release: str | None = None):
        """``inline``: answer in this process (:mod:`.query.execution.inline`), for one-shot commands;
        ``release``: serve that release (``1.2.0``, ``latest``) instead of the working data."""
        self.settings = settings
        self.pinned = release
        self._release: releases.Release | None = None
        self._release_known = False
        self.root = Path(settings["ROOT"])
        self.cache_dir = Path(settings["CACHE_DIR"])
        self.inputs = Inputs.from_root(self.root, extra_graphs=settings["EXTRA_GRAPHS"])
        self.workers = workers or settings["QUERY_WORKERS"]
        self.inline = inline
        self.store_path: Path | None = None
        self._executor: Executor | None = None
        self._answers: CachingExecutor | None = None
        self._graph_counts: dict[str, int] | None = None
        self._lock = threading.Lock()
        self._hold: Any = None

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def remote(self) -> bool:
        """Whether the answers come from a remote SPARQL store (``STORE_QUERY_ENDPOINT``)."""
        return bool(self.settings.get("STORE_QUERY_ENDPOINT"))

    @property
    def version(self) -> str | None:
        """The store's content hash (its directory name after ``store-``), once prepared; in
        remote mode the version ``push`` recorded in the remote store."""
        if self.remote and self._executor is not None:
            return self._remote_executor().metadata.version
        if self.pinned and self._release is not None:
            return self._release.content_hash[:32]
        return self.store_path.name.removeprefix("store-") if self.store_path else None

    @property
    def release(self) -> releases.Release | None:
        """The release answering: the pinned one, or for the working data the release with the
        same content (None while the working data is unreleased, and in remote mode)."""
        self.prepare()
        if not self._release_known:
            from . import releases

            known = releases.load(self.root)
            if known and self.store_path is not None:
                digest = releases.store_content_hash(self.store_path, self.cache_dir)
                self._release = next((r for r in reversed(known) if r.content_hash == digest), None)
            self._release_known = True
        return self._release

    def prepare(self) -> Path | None:
        """The on-disk store for the settings, built if needed (TurtleSyntaxError: nothing built).

        In remote mode: None, after connecting to the remote store and checking its version
        against this checkout's (VersionMismatch when it holds another, unless
        STORE_VERSION_CHECK is false).
        """
        with self._lock:
            if self.remote:
                if self.pinned:
                    raise BadRequest("Releases are served from the local store; with "
                                     "STORE_QUERY_ENDPOINT set there is none.")
                if self._executor is None:
                    from .remote.executor import from_config

                    self._executor = from_config(self.settings, self.inputs.digest())
                return None
            if self.store_path is None and self.pinned:
                from . import releases

                self._release = releases.find(self.root, self.pinned)
                self._release_known = True
                self.store_path = releases.ensure_store(self.root, self._release, self.cache_dir)
            if self.store_path is None:
                self.store_path = prepare(self.inputs, self.cache_dir,
                                          engine=self.settings.get("REASONING_ENGINE") or "auto")
                self._hold = hold(self.store_path)  # a later build must not prune it
            return self.store_path

    def open_store(self) -> Any:
        """A pyoxigraph store with every graph: the local one opened read-only, or in remote
        mode an in-memory snapshot of the remote graphs (for dumps and exports)."""
        store_path = self.prepare()
        if store_path is None:
            self.executor  # noqa: B018 - connects to the remote store
            return self._remote_executor().snapshot()
        return open_read_only(store_path)

    @property
    def executor(self) -> Executor:
        store_path = self.prepare()
        with self._lock:
            if self._executor is None:
                assert store_path is not None  # prepare() made the remote executor otherwise
                s = self.settings
                common = {"timeout": s["QUERY_TIMEOUT"], "max_result_bytes": s["MAX_RESULT_BYTES"],
                          "service_allowlist": s["SERVICE_ALLOWLIST"]}
                if self.inline:
                    self._executor = InlineExecutor(store_path, **common)
                    return self._executor
                from .query.execution import admission
                from .query.execution.executor import QueryExecutor
                from .query.execution.worker_setup import WorkerLimits

                self._executor = QueryExecutor(
                    store_path, workers=self.workers, long_workers=s["LONG_QUERY_WORKERS"],
                    quick_budget=s["QUICK_BUDGET"], limits=WorkerLimits.from_settings(s),
                    admission=admission.current(s["LONG_QUERIES"], s["LONG_QUERIES_PER_CLIENT"]),
                    **common)
            return self._executor

    def _remote_executor(self) -> RemoteExecutor:
        from .remote.executor import RemoteExecutor

        assert isinstance(self._executor, RemoteExecutor)
        return self._executor

    @property
    def answers(self) -> CachingExecutor:
        """The executor behind a cache of answers (RESULT_CACHE_BYTES), for the web tier."""
        executor = self.executor
        with self._lock:
            if self._answers is None:
                size = self.settings["RESULT_CACHE_BYTES"]
                # beside the store, so named by the data version: shared by the serving processes
                shared = SharedAnswers(self.store_path, size) if self.store_path and size else None
                self._answers = CachingExecutor(executor, size, shared)
            return self._answers

    def runner(self, *, infer: bool = True, timeout: float | None = None) -> ExecutorRunner:
        """A runner on the executor; ``infer=False`` leaves the inferred graph out."""
        return ExecutorRunner(self.executor, timeout=timeout, **self.protocol_dataset(infer))

    def graph_counts(self) -> dict[str, int]:
        """Triples per named graph; the store never changes while served, so computed once."""
        if self._graph_counts is None:
            rows = plain(ExecutorRunner(self.executor).select(app_query("sparql-graph-counts")))
            self._graph_counts = {r["graph"]: int(r["triples"]) for r in rows}
        return self._graph_counts

    def health(self) -> dict[str, str]:
        """What /healthz adds in remote mode: the store asked live and the version it holds."""
        self.executor  # noqa: B018 - connects to the remote store
        return self._remote_executor().health() if self.remote else {}

    def asserted_graphs(self) -> list[str]:
        """Every graph except the inferred one: the dataset for ``infer=false``/``--no-inference``."""
        return sorted(g for g in self.graph_counts() if g != TERMS["INFERRED_GRAPH"])

    def protocol_dataset(self, infer: bool) -> dict[str, list[str]]:
        """Executor keywords: empty (the union of all graphs) or the asserted graphs only."""
        if infer:
            return {}
        graphs = self.asserted_graphs()
        return {"default_graph": graphs, "named_graphs": graphs}

    def close(self) -> None:
        with self._lock:
            if self._executor is not None:
                self._executor.close()
                self._executor = None
                self._answers = None
            if self._hold is not None:
                self._hold.close()
                self._hold = None

    def __enter__(self) -> Dataset:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
