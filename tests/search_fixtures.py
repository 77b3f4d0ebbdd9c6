"""Fixtures of the search and reconciliation tests: ``real_index``, the index of the project's
own store (the shipped register and the case data), built by ``store.prepare``."""

from __future__ import annotations

from pathlib import Path

import pytest

from jichitai_kg.search import SearchIndex
from jichitai_kg.store import Inputs, prepare
from jichitai_kg.store.text_index import ensure_index

ROOT = Path(__file__).resolve().parents[1]
GOV = "https://w3id.org/jichitai-kg/id/gov/"
WARD = "https://w3id.org/jichitai-kg/id/ward/"


@pytest.fixture(scope="session")
def real_index() -> SearchIndex:
    return SearchIndex(ensure_index(prepare(Inputs.from_root(ROOT), ROOT / ".cache")))
