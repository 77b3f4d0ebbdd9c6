"""The app's dataset (flaskr's ``get_db``): one :class:`~jichitai_kg.dataset.Dataset` per app,
plus one per release asked for under ``/v/<release>/`` (docs/releases.md)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from flask import Flask, current_app, g, has_request_context

from ..dataset import Dataset
from ..linked_data.dumps import jsonld_context as _context_from

EXTENSION = "jichitai_kg"
#: Release datasets kept open at once (each has its own query worker); the least recently
#: used is closed when another is asked for.
OPEN_RELEASES = 2
_release_lock = threading.Lock()


def init_app(app: Flask) -> Dataset:
    dataset = Dataset(app.config)
    app.extensions[EXTENSION] = dataset
    app.extensions[f"{EXTENSION}.releases"] = OrderedDict()
    app.url_value_preprocessor(_pop_release)
    return dataset


def _pop_release(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Views mounted under ``/v/<release>/`` see no ``release`` argument: :func:`get_dataset` does."""
    if values and "release" in values:
        g.jkg_release = values.pop("release")


def requested_release() -> str | None:
    """The release named in this request's path (``/v/<release>/…``), if any."""
    return g.get("jkg_release") if has_request_context() else None


def get_dataset(app: Flask | None = None) -> Dataset:
    app = app or current_app
    release = requested_release()
    if release is None:
        return app.extensions[EXTENSION]
    return release_dataset(app, release)


def release_dataset(app: Flask, release: str) -> Dataset:
    """The dataset of one release, opened on first use (NotFound for an unknown release)."""
    from ..releases import find

    name = find(app.config["ROOT"], release).version  # NotFound before anything is started
    opened: OrderedDict[str, Dataset] = app.extensions[f"{EXTENSION}.releases"]
    with _release_lock:
        if name in opened:
            opened.move_to_end(name)
            return opened[name]
        settings = {**app.config, "LONG_QUERY_WORKERS": 0}
        dataset = Dataset(settings, workers=1, release=name)
        opened[name] = dataset
        while len(opened) > OPEN_RELEASES:
            _, old = opened.popitem(last=False)
            old.close()
        return dataset


def close_releases(app: Flask) -> None:
    for dataset in app.extensions.get(f"{EXTENSION}.releases", {}).values():
        dataset.close()


def app_cache(name: str) -> dict[str, Any]:
    """A per-app (and per-release) dictionary for values computed once from the dataset."""
    release = requested_release()
    key = f"{EXTENSION}.{name}" + (f"@{release}" if release else "")
    return current_app.extensions.setdefault(key, {})


def jsonld_context() -> dict:
    """The JSON-LD context of the served ontology, computed once per app."""
    cache = app_cache("jsonld")
    if "context" not in cache:
        cache["context"] = _context_from(get_dataset().runner())
    return cache["context"]
