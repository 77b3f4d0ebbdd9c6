"""The W3C SPARQL 1.1 Protocol cases (tests/web/test_protocol_w3c.py) through the service in
remote mode: the fixture graphs D1-D3 are pushed into an Oxigraph server of their own, and
both the Flask app and a real ``serve --query-endpoint`` process answer from it.
"""

from __future__ import annotations

import pytest

from live_servers import serve as _serve
from remote_fixtures import start_oxigraph, stop
from w3c_protocol_cases import client, test_w3c_negative, test_w3c_query, test_w3c_update_is_refused  # noqa: F401

pytestmark = pytest.mark.server


@pytest.fixture(scope="module")
def w3c_remote(w3c_root, tmp_path_factory):
    """An Oxigraph server holding the pushed W3C fixture dataset; yields its query endpoint."""
    from jichitai_kg.cli import main

    root, files = w3c_root
    proc, base = start_oxigraph(tmp_path_factory.mktemp("w3c-oxigraph") / "db")
    try:
        args = ["--root", str(root), "push", "--query-endpoint", base + "/query",
                "--update-endpoint", base + "/update", "--gsp-endpoint", base + "/store"]
        for iri, path in files:
            args += ["--graph", f"{iri}={path}"]
        assert main(args) == 0
        yield base + "/query"
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def w3c_app(w3c_root, w3c_remote, tmp_path_factory):
    from jichitai_kg.web import create_app
    from jichitai_kg.web.state import get_dataset

    root, files = w3c_root
    application = create_app({"ROOT": str(root), "EXTRA_GRAPHS": files, "QUERY_TIMEOUT": 20,
                              "CACHE_DIR": str(tmp_path_factory.mktemp("w3c-replica")),
                              "STORE_QUERY_ENDPOINT": w3c_remote})
    yield application
    get_dataset(application).close()


@pytest.fixture(scope="module")
def w3c_live_server(w3c_root, w3c_remote, tmp_path_factory):
    root, files = w3c_root
    log = tmp_path_factory.mktemp("w3c-remote-server") / "server.log"
    proc, server = _serve(root, files, log, ["--query-endpoint", w3c_remote])
    try:
        yield server
    finally:
        stop(proc)
