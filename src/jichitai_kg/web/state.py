"""The app's dataset (flaskr's ``get_db``): one :class:`~jichitai_kg.dataset.Dataset` per app."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

from ..dataset import Dataset
from ..linked_data.dumps import jsonld_context as _context_from

EXTENSION = "jichitai_kg"


def init_app(app: Flask) -> Dataset:
    dataset = Dataset(app.config)
    app.extensions[EXTENSION] = dataset
    return dataset


def get_dataset(app: Flask | None = None) -> Dataset:
    return (app or current_app).extensions[EXTENSION]


def app_cache(name: str) -> dict[str, Any]:
    """A per-app dictionary for values computed once from the dataset (catalog, context…)."""
    return current_app.extensions.setdefault(f"{EXTENSION}.{name}", {})


def jsonld_context() -> dict:
    """The JSON-LD context of the served ontology, computed once per app."""
    cache = app_cache("jsonld")
    if "context" not in cache:
        cache["context"] = _context_from(get_dataset().runner())
    return cache["context"]
