"""The embedded back end: the dataset in this process (built once, or reused from the cache).

Queries run on the same executor code as ``jichitai-kg query`` (:mod:`..query.execution.inline`: a
thread of this process, the same guard, time limit and result cap); questions, search and
reconciliation call the same feature modules as the web views.
"""

from __future__ import annotations

from typing import Any

from .. import cq
from ..config import load_settings
from ..dataset import Dataset
from ..errors import QueryFailed, QuerySyntaxError, Unavailable
from ..query.rules import syntax_errors


class Embedded:
    """Answers from a :class:`~jichitai_kg.dataset.Dataset` opened with ``inline=True``."""

    def __init__(self, settings: dict[str, Any], release: str | None = None):
        self.dataset = Dataset(settings, inline=True, release=release)
        self._catalog: cq.Catalog | None = None
        self._index: Any = None

    @classmethod
    def from_options(cls, root: str | None, cache_dir: str | None, timeout: float | None,
                     settings: dict[str, Any] | None, release: str | None = None) -> Embedded:
        overrides: dict[str, Any] = dict(settings or {})
        if root is not None:
            overrides["ROOT"] = str(root)
            overrides.setdefault("CACHE_DIR", None)
        if cache_dir is not None:
            overrides["CACHE_DIR"] = str(cache_dir)
        if timeout is not None:
            overrides["QUERY_TIMEOUT"] = timeout
        return cls(load_settings(overrides), release)

    @property
    def data_version(self) -> str | None:
        self.dataset.prepare()
        return self.dataset.version

    @property
    def release(self) -> str | None:
        release = self.dataset.release
        return release.version if release else None

    def run(self, query: str, media_type: str, *, infer: bool, substitutions: dict[str, str],
            timeout: float | None) -> tuple[bytes, str]:
        graphs: dict[str, Any] = self.dataset.protocol_dataset(infer)
        try:
            outcome = self.dataset.executor.run(query, result_format=media_type, substitutions=substitutions,
                                                timeout=timeout, **graphs)
        except QuerySyntaxError as exc:
            raise syntax_errors.rewrite(exc, query) from None
        return outcome.body, outcome.media_type

    def catalog(self) -> cq.Catalog:
        if self._catalog is None:
            self._catalog = cq.load_catalog(self.dataset.queries_dir, strict=False)
        return self._catalog

    def questions(self, lang: str) -> list[dict[str, Any]]:
        return [q.as_dict(lang) for q in self.catalog()]

    def run_question(self, qid: str, params: dict[str, str], *, lang: str, infer: bool,
                     media_type: str, timeout: float | None) -> tuple[bytes, str]:
        catalog = self.catalog()
        question = catalog.get(qid)
        binding = cq.bind(question, params, lang=cq.check_lang(lang), governments=lambda: (
            cq.governments_from_runner(self.dataset.runner(infer=infer), catalog)))
        try:
            outcome = cq.run(self.dataset.executor, question, binding, result_format=media_type,
                             dataset=self.dataset.protocol_dataset(infer), timeout=timeout)
        except QuerySyntaxError as exc:  # the file is ours, not the caller's
            raise QueryFailed(f"the query file {question.path} does not parse: {exc.message}") from None
        return outcome.body, outcome.media_type

    def _search_index(self) -> Any:
        from ..search import SearchIndex
        from ..store.text_index import ensure_index

        if self._index is None:
            store_path = self.dataset.prepare()
            if store_path is None:
                raise Unavailable("search needs the local store; STORE_QUERY_ENDPOINT names a remote "
                                  "SPARQL store, which has no search index", headers={})
            self._index = SearchIndex(ensure_index(store_path))
        return self._index

    def search(self, text: str, *, lang: str, limit: int, offset: int,
               filters: dict[str, str | None]) -> dict[str, Any]:
        from ..search.present import results_dict

        index = self._search_index()
        results = index.search(text, limit=limit, offset=offset, **filters)
        return results_dict(results, index, lang, lambda iri: iri, offset=offset, limit=limit,
                            filters={"type": filters["kind"], "government": filters["government"],
                                     "category": filters["category"]})

    def reconcile(self, queries: dict[str, dict[str, Any]]) -> dict[str, Any]:
        from ..search import reconcile

        return reconcile.reconcile_batch(queries, self._search_index())

    def close(self) -> None:
        self.dataset.close()
