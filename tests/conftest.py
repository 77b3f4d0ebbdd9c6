"""Shared fixtures: the project root and the asserted graph parsed with rdflib."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def asserted_graph() -> Graph:
    """Ontology plus all data files, as asserted (no inference)."""
    g = Graph()
    for f in sorted((ROOT / "ontology").glob("*.ttl")):
        g.parse(f, format="turtle")
    for f in sorted((ROOT / "data").rglob("*.ttl")):
        g.parse(f, format="turtle")
    return g
