"""The linked-data tests' app, client and read-only store (the map, linked-data and VoID pages).

Both modules compare what the server says with the store it serves, so they use one
app (module-scoped, so each test module gets a fresh executor) on the session's store in the
default cache: no second build, and the dumps written once (by whichever test or server asks
first) are read by every later one.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from jichitai_kg.store import open_read_only
from jichitai_kg.web import create_app
from jichitai_kg.web.state import get_dataset


@pytest.fixture(scope="module")
def app(service_store):
    app = create_app({"ROOT": str(service_store.parents[1]), "CACHE_DIR": str(service_store.parent),
                      "QUERY_WORKERS": 2, "TESTING": True})
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
