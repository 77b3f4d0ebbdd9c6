"""Generated hostile requests across /sparql, /cq/*, /id/*, /download/*.

``JKG_FUZZ_COUNT`` requests (default 500; ``make soak`` sends 10,000 over HTTP) with a
fixed seed (``JKG_FUZZ_SEED``): no 5xx other than deliberate 503s, no worker death,
no connection to the loopback listener the SERVICE spellings aim at.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from fuzzcorpus import acceptable, canary, endpoint, generate, post_sparql  # noqa: F401 - fixtures
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
    deadline = time.monotonic() + 60  # a worker stopped at the time limit is replaced in the background
    while len(ex.worker_pids) != 3 and time.monotonic() < deadline:
        threading.Event().wait(0.1)
    assert len(ex.worker_pids) == 3  # two in the quick lane, one in the long lane
    resp = client.get("/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"}),
                      headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 200 and resp.get_json()["boolean"] is True


# --------------------------------------------------------------------------- forgery: SERVICE spellings that evade a lexer

FORGERY_COUNT = int(os.environ.get("JKG_FORGERY_COUNT", "300"))
FORGERY_SEED = int(os.environ.get("JKG_FORGERY_SEED", "26"))
#: A SERVICE call that once slipped past the tokenizer guard, verbatim but for the ports.
EXPLOIT = """PREFIX ex: <http://x/>
SELECT * WHERE {
 BIND("\\u0041" AS ?esc)
 OPTIONAL { SERVICE SILENT <ALLOWED> { ?a ?b ?c } }
 OPTIONAL { ?s ex:a\\#b ?o } SERVICE SILENT <http://127.0.0.1:CANARY/anything> { ?d ?e ?f }
}"""


@pytest.fixture(scope="module", params=["sandboxed", "allowlist"])
def forgery_server(request, service_store, endpoint, tmp_path_factory):  # noqa: F811 - fixtures from fuzzcorpus
    """A real ``jichitai-kg serve``: default settings, or with ``endpoint`` allowlisted."""
    from live_servers import stop
    from loopback import start_server

    settings = {"SERVICE_ALLOWLIST": endpoint.allowed} if request.param == "allowlist" else {}
    log = tmp_path_factory.mktemp(f"forgery-{request.param}") / "server.log"
    proc, base = start_server(ROOT, log, ["--workers", "2", "--threads", "8", "--timeout", "5"],
                              settings=settings)
    endpoint.requests.clear()
    try:
        yield request.param, base
    finally:
        stop(proc)


def post_query(base: str, query: str) -> tuple[int, bytes]:
    return post_sparql(base, urlencode({"query": query}).encode(), {
        "Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json, text/turtle;q=0.9"})


@pytest.mark.server
def test_issue_exploit_reaches_only_the_allowlisted_endpoint(forgery_server, canary, endpoint):  # noqa: F811 - fixtures from fuzzcorpus
    mode, base = forgery_server
    query = EXPLOIT.replace("ALLOWED", endpoint.allowed).replace("CANARY", str(canary.port))
    status, body = post_query(base, query)
    assert status == 403 and b"SERVICE is refused for <http://127.0.0.1:" in body
    # a plain allowlisted call works through the egress, and nothing else is called
    status, body = post_query(base, f"SELECT ?remote WHERE {{ SERVICE <{endpoint.allowed}> "
                                    "{ ?a ?b ?c } }")
    if mode == "allowlist":
        assert status == 200 and b'"value":"from /allowed"' in body, body
        assert [p for _, p, _ in endpoint.requests] == ["/allowed"]
        assert b"SELECT * WHERE { ?a ?b ?c }" in endpoint.requests[0][2].replace(b"+", b" ") \
            or b"SELECT+%2A+WHERE" in endpoint.requests[0][2]
    else:
        assert status == 403 and endpoint.requests == []
    assert canary.connections == 0 and endpoint.stray() == []


@pytest.mark.server
def test_generated_service_spellings_make_no_forged_request(forgery_server, canary, endpoint):  # noqa: F811 - fixtures from fuzzcorpus
    """FORGERY_COUNT generated queries per mode (``make soak``: 10,000): 0 connections to the
    canary, 0 requests to the allowlisted endpoint's port at any other URL, no 500."""
    from fuzzcorpus import canary_urls, forgery_queries

    mode, base = forgery_server
    statuses: dict[int, int] = {}
    unexpected = []
    urls = canary_urls(canary.port, endpoint.allowed)
    for query, targets in forgery_queries(FORGERY_SEED, FORGERY_COUNT, urls, endpoint.allowed):
        status, body = post_query(base, query)
        statuses[status] = statuses.get(status, 0) + 1
        if status >= 500 and not (status == 503 and (b"SERVICE <" in body or b"stopped" in body)):
            unexpected.append((status, targets, query, body[:200]))
    print(f"{mode}: {FORGERY_COUNT} queries, statuses {statuses}, canary connections "
          f"{canary.connections}, allowlisted calls {len(endpoint.requests)}")
    assert unexpected == []
    assert canary.connections == 0
    assert endpoint.stray() == []
    if mode == "sandboxed":
        assert endpoint.requests == []
    else:  # the allowlist works: the queries aimed only at it were answered through the egress
        assert len(endpoint.requests) > 0
