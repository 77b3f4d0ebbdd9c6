"""The linked-data tests' app, client and read-only store (the map, linked-data and VoID pages).

Both modules compare what the server says with the store it serves, so they use one
app built on one cache (module-scoped, so each test module gets a fresh executor).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from jichitai_kg.store import open_read_only
from jichitai_kg.web import create_app
from jichitai_kg.web.state import get_dataset


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    cache = tmp_path_factory.getbasetemp() / "ld-cache"
    app = create_app({"CACHE_DIR": str(cache), "QUERY_WORKERS": 2, "TESTING": True})
    yield app
    get_dataset(app).close()


@pytest.fixture(scope="module")
def client(app):
    # No cookie jar: a ?lang=en request sets the sticky language cookie, which would leak
    # into the module's later tests.
    return app.test_client(use_cookies=False)


@pytest.fixture(scope="module")
def kg(app) -> ox.Store:
    return open_read_only(get_dataset(app).store_path)
