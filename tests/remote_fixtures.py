"""Fixtures for the remote-store tests: a real SPARQL store on loopback, pushed once.

By default the tests start the Oxigraph server from the ``oxigraph`` PyPI package on
a free loopback port with a throw-away directory.  ``make test-virtuoso`` runs the same
tests against a Virtuoso it started, by setting:

* ``JKG_REMOTE_QUERY``  — the store's query endpoint,
* ``JKG_REMOTE_UPDATE`` — its update endpoint,
* ``JKG_REMOTE_GSP``    — its Graph Store Protocol endpoint (optional: Update is used without).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from ci import missing
from live_servers import free_port, stop

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class RemoteStore:
    name: str
    query: str
    update: str
    gsp: str | None

    def select(self, text: str) -> list[dict]:
        """Ask the store directly (not through the service)."""
        body = urllib.parse.urlencode({"query": text}).encode()
        req = urllib.request.Request(self.query, data=body, headers={
            "Accept": "application/sparql-results+json",
            "Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.loads(resp.read())["results"]["bindings"]


def oxigraph_binary() -> str:
    found = Path(sys.executable).with_name("oxigraph")
    if found.exists():
        return str(found)
    path = shutil.which("oxigraph")
    if not path:
        missing("the oxigraph server binary is not installed (pip install oxigraph)")
    return path


def start_oxigraph(location: Path | None):
    """An Oxigraph server on a free loopback port; returns (process, base URL)."""
    port = free_port()
    cmd = [oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}"]
    if location is not None:
        cmd += ["--location", str(location)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"oxigraph server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=2):
                return proc, base
        except OSError:
            time.sleep(0.1)
    stop(proc)
    pytest.fail("oxigraph server did not start within 30 s")


def push_args(store: RemoteStore, *, gsp: bool = True) -> list[str]:
    args = ["--root", str(ROOT), "push", "--query-endpoint", store.query,
            "--update-endpoint", store.update]
    if gsp and store.gsp:
        args += ["--gsp-endpoint", store.gsp]
    return args


@pytest.fixture(scope="session")
def remote_store(tmp_path_factory, service_store) -> RemoteStore:
    """The store under test, holding the pushed project dataset."""
    from jichitai_kg.cli import main

    if os.environ.get("JKG_REMOTE_QUERY"):
        store = RemoteStore("external", os.environ["JKG_REMOTE_QUERY"],
                            os.environ["JKG_REMOTE_UPDATE"], os.environ.get("JKG_REMOTE_GSP"))
        proc = None
    else:
        proc, base = start_oxigraph(tmp_path_factory.mktemp("oxigraph") / "db")
        store = RemoteStore("oxigraph", base + "/query", base + "/update", base + "/store")
    try:
        assert main(push_args(store)) == 0
        yield store
    finally:
        if proc is not None:
            stop(proc)


@pytest.fixture(scope="session")
def remote_app(remote_store, tmp_path_factory):
    """The service in remote mode, with a cache of its own (as a stateless replica has)."""
    from jichitai_kg.web import create_app
    from jichitai_kg.web.state import get_dataset

    application = create_app({"ROOT": str(ROOT), "EXTRA_GRAPHS": [], "QUERY_TIMEOUT": 20,
                              "CACHE_DIR": str(tmp_path_factory.mktemp("replica-cache")),
                              "STORE_QUERY_ENDPOINT": remote_store.query})
    yield application
    get_dataset(application).close()


@pytest.fixture()
def remote_client(remote_app):
    return remote_app.test_client()
