"""Fixtures of the search and reconciliation tests.

* ``real_index``: the index of the project's own store (built by ``store.prepare``).
* ``register_root``/``register_index``/``register_client``: the project's ontology and data plus
  ``fixtures/search/register-excerpt.ttl`` (28 bodies from the japancode register, among them
  the three 港区), built into a cache of their own, with an app serving it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jichitai_kg.search import SearchIndex
from jichitai_kg.store import Inputs, prepare
from jichitai_kg.store.text_index import ensure_index
from jichitai_kg.web import create_app
from jichitai_kg.web.state import get_dataset

ROOT = Path(__file__).resolve().parents[1]
EXCERPT = ROOT / "tests" / "fixtures" / "search" / "register-excerpt.ttl"
GOV = "https://w3id.org/jichitai-kg/id/gov/"


@pytest.fixture(scope="session")
def real_index() -> SearchIndex:
    return SearchIndex(ensure_index(prepare(Inputs.from_root(ROOT), ROOT / ".cache")))


@pytest.fixture(scope="session")
def register_root(tmp_path_factory) -> Path:
    """A project tree: our ontology and data (without a register, if one is present) plus the excerpt."""
    root = tmp_path_factory.mktemp("search-register")
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "data", root / "data", ignore=shutil.ignore_patterns("register"))
    shutil.copytree(ROOT / "queries", root / "queries")
    shutil.copy(EXCERPT, root / "data" / EXCERPT.name)
    return root


@pytest.fixture(scope="session")
def register_store(register_root) -> Path:
    return prepare(Inputs.from_root(register_root), register_root / ".cache")


@pytest.fixture(scope="session")
def register_index(register_store) -> SearchIndex:
    return SearchIndex(ensure_index(register_store))


@pytest.fixture(scope="session")
def register_app(register_root, register_store):
    app = create_app({"ROOT": str(register_root), "EXTRA_GRAPHS": [], "QUERY_WORKERS": 1,
                      "QUERY_TIMEOUT": 20, "TESTING": True})
    yield app
    get_dataset(app).close()


@pytest.fixture()
def register_client(register_app):
    return register_app.test_client()
