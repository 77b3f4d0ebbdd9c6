"""Against a real ``jichitai-kg serve`` process: standard clients, SERVICE refusal, time limit."""

from __future__ import annotations

import json
import select
import socket
import threading
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest
from rdflib import Graph, Literal
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, POST, TURTLE, XML, SPARQLWrapper

from jichitai_kg.namespaces import CATEGORY, GOV, JKG, RDFS

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


@pytest.mark.parametrize("fmt", [XML, TURTLE])
def test_sparqlwrapper_construct(live_server, fmt):
    sw = wrapper(live_server)
    sw.setQuery(PREFIXES + "CONSTRUCT { gov:kanagawa jkg:dantaiCode ?c ; rdfs:label ?l } "
                           "WHERE { gov:kanagawa jkg:dantaiCode ?c ; rdfs:label ?l }")
    sw.setReturnFormat(fmt)
    result = sw.query().convert()
    g = result if isinstance(result, Graph) else Graph().parse(data=result, format="turtle")
    assert (GOV.kanagawa, JKG.dantaiCode, Literal("140007")) in g
    assert (GOV.kanagawa, RDFS.label, Literal("神奈川県", lang="ja")) in g


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
    log = live_server.log.read_text()
    assert "jichitai_kg.access" in log and '"GET /sparql?query=ASK' in log and "ms" in log


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
    from jichitai_kg.executor import QueryExecutor, QueryFailed, QueryTimeout

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
