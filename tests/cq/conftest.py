"""The competency-question answer tests' harness: the served store, the catalog, and ``ask``."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from jichitai_kg import cq
from jichitai_kg.namespaces import DATA_GRAPH, ONTOLOGY_GRAPH
from jichitai_kg.store import Inputs, open_read_only, prepare

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def store() -> ox.Store:
    # The content-addressed cache the CLI and server use: built once, reused while inputs match.
    path = prepare(Inputs.from_root(ROOT), ROOT / ".cache")
    return open_read_only(path)


@pytest.fixture(scope="module")
def catalog() -> cq.Catalog:
    return cq.load_catalog(ROOT / "queries")


@pytest.fixture(scope="module")
def ask(store, catalog):
    """Run a question with parameters; rows of python values keyed by column."""
    governments_rows = _solutions(store, catalog.get("governments").text, {"lang": '"ja"'})
    governments = cq.Governments.from_rows(
        [{k: v.value for k, v in r.items() if v is not None} for r in governments_rows])

    def run(qid: str, lang: str = "ja", inference: bool = True, **params) -> list[dict]:
        q = catalog.get(qid)
        binding = cq.bind(q, params, lang=lang, governments=governments)
        return _solutions(store, q.text, binding.substitutions, inference=inference)

    return run


def _term(nt: str):
    if nt.startswith("<"):
        return ox.NamedNode(nt[1:-1])
    return ox.Literal(nt[1:-1])


def _solutions(store, text, substitutions, inference=True) -> list[dict]:
    kwargs = {"substitutions": {ox.Variable(k): _term(v) for k, v in substitutions.items()}}
    if inference:
        kwargs["use_default_graph_as_union"] = True
    else:
        graphs = [ox.NamedNode(str(ONTOLOGY_GRAPH)), ox.NamedNode(str(DATA_GRAPH))]
        kwargs["default_graph"] = graphs
        kwargs["named_graphs"] = graphs
    result = store.query(text, **kwargs)
    names = [v.value for v in result.variables]
    return [{n: s[n] for n in names} for s in result]
