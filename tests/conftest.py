"""Shared fixtures: the project root and the asserted graph parsed with rdflib."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Graph

from live_servers import serve as _serve
from live_servers import stop as _stop

ROOT = Path(__file__).resolve().parents[1]

#: Fixture modules shared by several test folders (the search register, the remote store); a test
#: names their fixtures as parameters, with nothing to import.
pytest_plugins = ["search_fixtures", "remote_fixtures"]


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


# --------------------------------------------------------------------------- SPARQL service fixtures
# The project's store is built once (the default cache, shared with `make serve`), with one
# Flask app and one real server process per session.  The W3C protocol tests get their own
# tiny dataset (an empty project plus the three fixture graphs), so they cost no extra build
# of the real data.  The server process itself: live_servers.py.


#: The W3C protocol tests' fixtures: graph Dn holds the single triple <Dn> a foaf:Document.
W3C_DATA = "http://kasei.us/2009/09/sparql/data/"
W3C_GRAPHS = tuple(f"{W3C_DATA}data{n}.rdf" for n in (1, 2, 3))


@pytest.fixture(scope="session")
def service_store() -> Path:
    """The served project dataset, built once (or reused from the cache)."""
    from jichitai_kg.store import Inputs, prepare

    return prepare(Inputs.from_root(ROOT), ROOT / ".cache")


@pytest.fixture(scope="session")
def app(service_store):
    from jichitai_kg.web import create_app
    from jichitai_kg.web.state import get_dataset

    application = create_app({"ROOT": str(ROOT), "EXTRA_GRAPHS": [], "QUERY_WORKERS": 2,
                              "QUERY_TIMEOUT": 20})
    yield application
    get_dataset(application).close()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def cli(project_root, service_store, monkeypatch, capsys):
    """Run the CLI in-process on the session's store; returns (exit code, stdout, stderr)."""
    from jichitai_kg.cli import main

    for key in list(os.environ):
        if key.startswith("JICHITAI_KG_"):
            monkeypatch.delenv(key)

    def run(*args):
        code = main(["--root", str(project_root), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture(scope="session")
def w3c_root(tmp_path_factory) -> tuple[Path, list[tuple[str, str]]]:
    """An empty project (no ontology or data) plus the W3C fixture graph files."""
    root = tmp_path_factory.mktemp("w3c-root")
    (root / "ontology").mkdir()
    (root / "data").mkdir()
    files = []
    for n, iri in enumerate(W3C_GRAPHS, start=1):
        path = root / f"data{n}.nt"
        path.write_text(f"<{iri}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                        "<http://xmlns.com/foaf/0.1/Document> .\n", encoding="utf-8")
        files.append((iri, str(path)))
    return root, files


@pytest.fixture(scope="session")
def w3c_app(w3c_root):
    from jichitai_kg.web import create_app
    from jichitai_kg.web.state import get_dataset

    root, files = w3c_root
    application = create_app({"ROOT": str(root), "EXTRA_GRAPHS": files, "QUERY_WORKERS": 2,
                              "QUERY_TIMEOUT": 20})
    yield application
    get_dataset(application).close()


@pytest.fixture(scope="session")
def live_server(service_store, tmp_path_factory):
    """The project dataset served by a real ``jichitai-kg serve`` process."""
    proc, server = _serve(ROOT, [], tmp_path_factory.mktemp("server") / "server.log")
    try:
        yield server
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def w3c_live_server(w3c_root, tmp_path_factory):
    """The W3C fixture dataset served by a real ``jichitai-kg serve`` process."""
    root, files = w3c_root
    proc, server = _serve(root, files, tmp_path_factory.mktemp("w3c-server") / "server.log")
    try:
        yield server
    finally:
        _stop(proc)
