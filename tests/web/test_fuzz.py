"""Issue #12: generated hostile requests across /sparql, /cq/*, /id/*, /download/*.

``JKG_FUZZ_COUNT`` requests (default 500; ``make soak`` sends 10,000 over HTTP) with a
fixed seed (``JKG_FUZZ_SEED``): no 5xx other than deliberate 503s, no worker death,
no connection to the loopback listener the SERVICE spellings aim at.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlencode

import pytest

from fuzzcorpus import acceptable, generate
from loopback import Listener

ROOT = Path(__file__).resolve().parents[2]
COUNT = int(os.environ.get("JKG_FUZZ_COUNT", "500"))
SEED = int(os.environ.get("JKG_FUZZ_SEED", "12"))


@pytest.fixture(scope="module")
def fuzz_app(service_store):
    from jichitai_kg.web import create_app
    from jichitai_kg.web.state import get_dataset

    application = create_app({"ROOT": str(ROOT), "EXTRA_GRAPHS": [], "QUERY_WORKERS": 2,
                              "LONG_QUERY_WORKERS": 1, "QUERY_TIMEOUT": 2})
    yield application
    get_dataset(application).close()


def send(client, req):
    query = urlencode(req.params, errors="surrogatepass")  # lone surrogates: invalid UTF-8
    path = req.path + ("?" + query if query and (req.method == "GET" or req.body is not None) else "")
    if req.method == "GET":
        return client.get(path, headers=req.headers)
    if req.body is not None:
        return client.post(path, data=req.body, headers=req.headers)
    return client.post(path, data=query, headers={
        **req.headers, "Content-Type": "application/x-www-form-urlencoded"})


def test_fuzz_requests_get_no_unexpected_5xx(fuzz_app):
    from jichitai_kg.web.state import get_dataset

    listener = Listener()
    client = fuzz_app.test_client()
    failures = []
    try:
        for req in generate(SEED, COUNT, ROOT / "queries", listener.port):
            resp = send(client, req)
            if not acceptable(resp.status_code, resp.data):
                failures.append((resp.status_code, req.method, req.path, req.params[:2],
                                 resp.data[:200]))
    finally:
        listener.close()
    assert failures == []
    assert listener.connections == 0
    # the pool is intact and answers
    ex = get_dataset(fuzz_app).executor
    assert len(ex.worker_pids) == 3  # two in the quick lane, one in the long lane
    resp = client.get("/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"}),
                      headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 200 and resp.get_json()["boolean"] is True
