"""Against a real ``jichitai-kg serve`` process: standard clients, SERVICE refusal, time limit."""

from __future__ import annotations

import json
import select
import socket
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from rdflib import Graph, Literal
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, GET, JSON, JSONLD, N3, POST, RDF, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from jichitai_kg.namespaces import CATEGORY, GOV, JKG, RDFS
from jichitai_kg.web import front

pytestmark = pytest.mark.server

PREFIXES = """PREFIX jkg: <https://w3id.org/jichitai-kg/ontology#>
PREFIX gov: <https://w3id.org/jichitai-kg/id/gov/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def http(url, data=None, headers=None, method=None):
    """(status, headers, body) without raising on 4xx/5xx."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def wrapper(live_server) -> SPARQLWrapper:
    return SPARQLWrapper(live_server.url + "/sparql")


def test_healthz(live_server):
    status, headers, body = http(live_server.url + "/healthz")
    data = json.loads(body)
    assert status == 200 and data["status"] == "ok"
    assert data["triples"] > 1000
    assert data["triples"] == sum(data["graphs"].values())


def test_sparqlwrapper_select_kanagawa_code(live_server):
    sw = wrapper(live_server)
    sw.setQuery(PREFIXES + "SELECT ?code WHERE { gov:kanagawa jkg:dantaiCode ?code }")
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]
    assert [r["code"]["value"] for r in rows] == ["140007"]


def test_sparqlwrapper_select_by_post_counts_governments(live_server):
    sw = wrapper(live_server)
    sw.setMethod(POST)
    sw.setQuery(PREFIXES + "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { ?g a jkg:CaseGovernment }")
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]
    assert rows[0]["n"]["value"] == "8"


def test_sparqlwrapper_ask(live_server):
    sw = wrapper(live_server)
    sw.setQuery(PREFIXES + 'ASK { gov:kanagawa rdfs:label "神奈川県"@ja }')
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True
    sw.setQuery(PREFIXES + 'ASK { gov:kanagawa rdfs:label "大阪府"@ja }')
    sw.setReturnFormat(XML)
    doc = sw.query().convert()  # an xml.dom document
    assert doc.getElementsByTagName("boolean")[0].firstChild.data == "false"


@pytest.mark.parametrize("method", [GET, POST])
@pytest.mark.parametrize("fmt", [XML, TURTLE, N3, RDF, RDFXML, JSONLD, JSON])
def test_sparqlwrapper_construct_in_every_format(live_server, fmt, method):
    """What SPARQLWrapper sends for each return format (repeated format=, comma lists) works."""
    sw = wrapper(live_server)
    sw.setMethod(method)
    sw.setQuery(PREFIXES + "CONSTRUCT { gov:kanagawa jkg:dantaiCode ?c ; rdfs:label ?l } "
                           "WHERE { gov:kanagawa jkg:dantaiCode ?c ; rdfs:label ?l }")
    sw.setReturnFormat(fmt)
    response = sw.query()
    result = response.convert()
    if isinstance(result, Graph):
        g = result
    else:
        body = result if isinstance(result, (str, bytes)) else json.dumps(result)
        ctype = response.info()["content-type"].split(";")[0]
        g = Graph().parse(data=body, format={"application/ld+json": "json-ld",
                                             "application/rdf+xml": "xml"}.get(ctype, "turtle"))
    assert (GOV.kanagawa, JKG.dantaiCode, Literal("140007")) in g
    assert (GOV.kanagawa, RDFS.label, Literal("神奈川県", lang="ja")) in g


@pytest.mark.parametrize("fmt, column", [(JSON, None), (XML, None), (CSV, "code"), (TSV, "?code")])
def test_sparqlwrapper_select_in_every_results_format(live_server, fmt, column):
    sw = wrapper(live_server)
    sw.setQuery(PREFIXES + "SELECT ?code WHERE { gov:kanagawa jkg:dantaiCode ?code }")
    sw.setReturnFormat(fmt)
    result = sw.query().convert()
    if fmt == JSON:
        assert result["results"]["bindings"][0]["code"]["value"] == "140007"
    elif fmt == XML:
        assert result.getElementsByTagName("literal")[0].firstChild.data == "140007"
    else:
        text = result.decode() if isinstance(result, bytes) else result
        lines = text.splitlines()
        assert lines[0] == column and lines[1].strip('"') == "140007"


def test_bad_graph_iri_is_400(live_server):
    status, _, body = http(live_server.url + "/sparql?" + urlencode(
        {"query": "ASK {}", "default-graph-uri": "not an iri"}))
    assert status == 400 and b"default-graph-uri" in body and b"not an absolute IRI" in body


def test_rdflib_sparqlstore(live_server):
    g = Graph(SPARQLStore(live_server.url + "/sparql", returnFormat="json"))
    rows = list(g.query("SELECT ?l WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?l "
                        "FILTER(?c = <https://w3id.org/jichitai-kg/id/category/culture>) }"))
    assert Literal("組織文化", lang="ja") in {r[0] for r in rows}
    assert (CATEGORY.culture, RDFS.label, Literal("Organizational culture", lang="en")) in g


def test_cors_and_access_log(live_server):
    status, headers, _ = http(live_server.url + "/sparql?" + urlencode({"query": "ASK {}"}),
                              headers={"Origin": "https://example.org"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = http(live_server.url + "/sparql", method="OPTIONS",
                              headers={"Origin": "https://example.org",
                                       "Access-Control-Request-Method": "POST"})
    assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]
    for _ in range(50):  # the access log is written by a background thread
        log = live_server.log.read_text()
        if '"OPTIONS /sparql"' in log:
            break
        time.sleep(0.1)
    assert "jichitai_kg.access" in log and '"GET /sparql?query=ASK' in log and "ms" in log
    assert '"OPTIONS /sparql" 204' in log


def _listener():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    return sock


def _connection_arrived(sock, wait: float) -> bool:
    ready, _, _ = select.select([sock], [], [], wait)
    return bool(ready)


def test_service_refused_and_no_connection_made(live_server):
    listener = _listener()
    port = listener.getsockname()[1]
    try:
        for query in (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
                      f"PREFIX x: <http://127.0.0.1:{port}/>\n"
                      f"SELECT * WHERE {{ SERVICE SILENT x:sparql {{ ?s ?p ?o }} }}"):
            status, _, body = http(live_server.url + "/sparql",
                                   data=urlencode({"query": query}).encode(),
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
            assert status == 403
            assert f"127.0.0.1:{port}" in body.decode() and "SERVICE_ALLOWLIST" in body.decode()
        assert not _connection_arrived(listener, 1.0)
    finally:
        listener.close()


def test_allowlisted_service_does_connect(service_store):
    """The counterpart: the listener check above would notice a connection."""
    from jichitai_kg.errors import QueryFailed, QueryTimeout
    from jichitai_kg.query.execution.executor import QueryExecutor

    listener = _listener()
    port = listener.getsockname()[1]
    endpoint = f"http://127.0.0.1:{port}/"
    try:
        with QueryExecutor(service_store, workers=1, service_allowlist=[endpoint]) as ex:
            outcome = []

            def run():
                try:
                    ex.run(f"SELECT * WHERE {{ SERVICE <{endpoint}> {{ ?s ?p ?o }} }}",
                           result_format="application/sparql-results+json", timeout=20)
                except (QueryFailed, QueryTimeout) as exc:
                    outcome.append(exc)

            t = threading.Thread(target=run)
            t.start()
            assert _connection_arrived(listener, 20)
            conn, _ = listener.accept()
            conn.close()
            t.join(30)
            assert outcome  # the empty reply is an evaluation error, reported as such
    finally:
        listener.close()


def test_runaway_query_is_stopped_while_others_answer(live_server):
    results = {}

    def runaway():
        results["runaway"] = http(live_server.url + "/sparql",
                                  data=RUNAWAY.encode(),
                                  headers={"Content-Type": "application/sparql-query"})

    t = threading.Thread(target=runaway)
    t.start()
    status, _, body = http(live_server.url + "/sparql?" + urlencode(
        {"query": PREFIXES + "SELECT ?code WHERE { gov:kanagawa jkg:dantaiCode ?code }"}))
    t.join(120)
    assert status == 200
    assert json.loads(body)["results"]["bindings"][0]["code"]["value"] == "140007"
    status, headers, body = results["runaway"]
    assert status == 503
    assert "stopped" in body.decode()
    # The server keeps serving after killing the worker.
    status, _, body = http(live_server.url + "/healthz")
    assert status == 200 and json.loads(body)["status"] == "ok"


def test_drip_fed_connections_do_not_lock_others_out(live_server):
    """300 connections each sending one header byte every second (closed by the front after
    its header deadline, and opened again) for 10 s: a normal client keeps getting its answer
    quickly.  The full run (2,100 connections, 30 s) is in ``make soak``."""
    from benchmarks import slow_clients

    result = slow_clients.run(live_server.url, connections=300, interval=1.0, seconds=10.0,
                              warmup=1.0)
    normal, drip = result["normal"], result["drip"]
    assert normal["failures"] == 0, normal
    assert normal["requests"] >= 10 and normal["max_s"] < 2.0, normal
    assert drip["most_open"] == 300
    assert drip["closed_by_server"] >= 300, drip  # every one of them hit the header deadline


def _raw(live_server, request: bytes) -> tuple[list[bytes], bytes]:
    """Send ``request`` as is; the answer's head lines (lower case) and body."""
    host, port = live_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        try:
            s.sendall(request)
        except OSError:  # the front answered and closed before the header was all sent
            pass
        answer = b""
        try:
            while chunk := s.recv(65536):
                answer += chunk
        except ConnectionResetError:
            pass
    head, _, body = answer.partition(b"\r\n\r\n")
    return head.lower().split(b"\r\n"), body


def test_the_fronts_own_errors_have_no_body_to_protect(live_server):
    """Beyond the app's limits and its own, granian answers itself, without the app's security
    headers (it has no hook for them): a head over its read buffer (431), more than 100 header
    fields (431), a URL of 65,535 bytes or more (414), a request it cannot parse (400).  Each
    has an empty body and no Content-Type, so nothing a browser could render, frame or sniff."""
    big = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (2 * 1024 * 1024) + b"\r\n\r\n"
    many = (b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
            + b"".join(b"X-H%d: a\r\n" % i for i in range(100)) + b"\r\n")
    long_url = b"GET /healthz?" + b"a" * (front.FRONT_URL_LIMIT - 9) + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    for request, status in [(big, b"431"), (many, b"431"), (long_url, b"414"), (b"GARBAGE\r\n\r\n", b"400")]:
        lines, body = _raw(live_server, request)
        assert lines[0].startswith(b"http/1.1 " + status), lines
        assert body == b"" and b"content-length: 0" in lines, lines
        assert not [h for h in lines if h.startswith(b"content-type")], lines


def _assert_security_headers(headers) -> None:
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_the_apps_413_carries_the_security_headers(live_server):
    status, headers, body = http(live_server.url + "/sparql", data=b"a" * (1024 * 1024 + 1),
                                 headers={"Content-Type": "application/sparql-query"})
    assert status == 413 and b"larger than" in body
    _assert_security_headers(headers)


def test_a_long_url_gets_the_apps_414_up_to_the_fronts_limit(live_server):
    """Over MAX_URL_BYTES (32 KiB) and up to the longest URL the front accepts, the app itself
    answers 414 with its message, as problem details to a JSON client, and its security headers."""
    for length in (40 * 1024, front.FRONT_URL_LIMIT - 1):
        path = "/sparql?" + urlencode({"query": "ASK {} #" + "x" * length})[:length - len("/sparql?")]
        assert len(path) == length
        status, headers, body = http(live_server.url + path,
                                     headers={"Accept": "application/sparql-results+json"})
        assert status == 414 and headers["Content-Type"] == "application/problem+json"
        problem = json.loads(body)
        assert problem["status"] == 414 and problem["error"] == "RequestTooLarge"
        assert "32768 bytes" in problem["detail"] and "POST" in problem["detail"]
        _assert_security_headers(headers)
    status, headers, body = http(live_server.url + "/sparql?" + urlencode({"query": "ASK {} #" + "x" * 30_000}),
                                 headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and json.loads(body)["boolean"] is True


def test_a_large_header_gets_the_apps_431_up_to_the_fronts_buffer(live_server):
    """Header fields over MAX_HEADER_BYTES (32 KiB) and within the front's read buffer get the
    app's own 431: a message and the security headers."""
    buffer = front.read_buffer_bytes(32 * 1024)
    for size in (40 * 1024, buffer - 1024):
        cookies = {f"X-Cookie-{i}": "c" * 8000 for i in range(size // 8000)}
        status, headers, body = http(live_server.url + "/healthz", headers=cookies)
        assert status == 431 and headers["Content-Type"] == "text/plain; charset=utf-8"
        assert b"header fields are larger than 32768 bytes (MAX_HEADER_BYTES)" in body
        _assert_security_headers(headers)
    status, _, body = http(live_server.url + "/healthz", headers={"X-Cookie": "c" * 30_000})
    assert status == 200 and json.loads(body)["status"] == "ok"


def test_port_in_use_is_one_line_and_exit_1(project_root, service_store):
    import subprocess
    import sys

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "jichitai_kg", "--root", str(project_root),
                               "serve", "--port", str(port), "--workers", "1"],
                              capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        f"jichitai-kg serve: cannot listen on 127.0.0.1:{port}: Address already in use"]


def test_the_cache_is_warmed_with_the_questions_and_shared(live_server, service_store):
    """Once every serving process is ready, serve asks the competency questions that need no
    parameter; their answers land in the file all serving processes share."""
    from jichitai_kg.cq.catalog import load_catalog
    from jichitai_kg.query.caching.cache import request_key
    from jichitai_kg.query.caching.shared_answers import SharedAnswers

    shared = SharedAnswers(service_store, 1 << 30)
    questions = [q for q in load_catalog(service_store.parents[1] / "queries")
                 if not any(p.required for p in q.params)]
    keys = {q.id: request_key(q.text, result_format="application/sparql-results+json",
                              base_iri=live_server.url + "/sparql") for q in questions}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(shared.get(k) is None for k in keys.values()):
        time.sleep(0.2)
    assert len(keys) == 19
    assert [qid for qid, k in keys.items() if shared.get(k) is None] == []
    cdo = json.loads(shared.get(keys["cdo"]).body)
    assert cdo["head"]["vars"][:2] == ["gov", "govLabel"] and cdo["results"]["bindings"]
