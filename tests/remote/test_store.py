"""Serving from a remote SPARQL store: push, then the same answers as embedded.

A real store runs on loopback (the Oxigraph server by default; Virtuoso under
``make test-virtuoso``, see tests/remote_fixtures.py).  The embedded app (conftest's
``app``) is the reference: every competency question, with every government and both
languages, must give the same solutions through the remote store.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.request

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from jichitai_kg import cq
from jichitai_kg.namespaces import DATA_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH
from jichitai_kg.remote.executor import META_GRAPH, RemoteExecutor, VersionMismatch
from jichitai_kg.store import graph_triple_counts, open_read_only
from jichitai_kg.store.build import STORE_PREFIX
from live_servers import serve as _serve
from remote_differences import (
    CQ_KINDS,
    expected_cq_differences,
    row_difference_kinds,
)
from remote_fixtures import ROOT, free_port, push_args, start_oxigraph, stop

pytestmark = pytest.mark.server

SLUGS = ["kanagawa", "kamakura", "kyoto", "saitama", "tsukuba", "minato", "tokushima", "yokohama"]
#: A value for each parameter type the catalog uses (read from queries/*.rq headers).
SAMPLE = {"initiative": "kanagawa-cdo-appointment", "category": "culture", "partner-kind": "company",
          "text": "142042"}
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _rows(resp) -> tuple[list[str], list[tuple]]:
    """Columns and solutions (as a sorted list, blank node labels blanked out)."""
    assert resp.status_code == 200, resp.get_data(as_text=True)
    data = json.loads(resp.data)
    cols = data["head"]["vars"]
    rows = []
    for b in data["results"]["bindings"]:
        row = []
        for c in cols:
            v = b.get(c)
            if v is None:
                row.append(None)
            elif v["type"] == "bnode":
                row.append(("bnode",))
            else:
                row.append((v["type"], v["value"], v.get("datatype"), v.get("xml:lang")))
        rows.append(tuple(row))
    return cols, sorted(rows, key=repr)


def _cq_requests() -> list[str]:
    catalog = cq.load_catalog(ROOT / "queries")
    urls = []
    for q in catalog:
        variants: list[dict[str, str]] = [{}]
        for p in q.params:
            if p.type == "government":
                variants = [dict(v, **{p.name: slug}) for v in variants for slug in SLUGS]
            elif p.required or p.type in SAMPLE:
                variants = [dict(v, **{p.name: SAMPLE[p.type]}) for v in variants]
        for v in variants:
            for lang in ("ja", "en"):
                query = "&".join(f"{k}={val}" for k, val in sorted(dict(v, lang=lang).items()))
                urls.append(f"/cq/{q.id}?format=json&{query}")
    return urls


CQ_REQUESTS = _cq_requests()


def test_every_question_is_covered():
    ids = {u.split("?")[0].removeprefix("/cq/") for u in CQ_REQUESTS}
    assert ids == {p.stem for p in (ROOT / "queries").glob("*.rq")}


def test_every_cq_answers_as_embedded(client, remote_client):
    """Every request answers as embedded, except the questions the store is documented to get
    wrong (tests/remote_differences.py): those must differ in the documented way, and only them."""
    expected = expected_cq_differences()
    differing: dict[str, list[str]] = {}
    unexplained = []
    nonempty = 0
    for url in CQ_REQUESTS:
        qid = url.split("?")[0].removeprefix("/cq/")
        embedded = _rows(client.get(url))
        resp = remote_client.get(url)
        nonempty += bool(embedded[1])
        if resp.status_code != 200:
            text = f"{url}: {resp.status_code} {resp.get_data(as_text=True)[:300]}"
            differing.setdefault(qid, []).append(text)
            if qid != "category-explanation" or resp.status_code != 500 or "SQ156" not in text:
                unexplained.append(text)
        elif embedded != _rows(resp):
            remote = _rows(resp)
            only_local = [r for r in embedded[1] if r not in remote[1]]
            only_remote = [r for r in remote[1] if r not in embedded[1]]
            text = (f"{url}: columns {embedded[0]} / {remote[0]}; only embedded "
                    f"{only_local[:2]}; only remote {only_remote[:2]}")
            differing.setdefault(qid, []).append(text)
            kinds = row_difference_kinds(only_local, only_remote)
            if embedded[0] != remote[0] or not kinds <= CQ_KINDS.get(qid, frozenset()):
                unexplained.append(f"{sorted(kinds)} {text}")
    examples = "\n".join(texts[0] for texts in differing.values())
    assert set(differing) == expected, (
        f"questions that differ: {sorted(differing)}; documented as differing: {sorted(expected)} "
        "(JKG_REMOTE_KNOWN_DIFFERENCES, tests/remote_differences.py); e.g.\n" + examples)
    assert not unexplained, "differences not of the documented kind:\n" + "\n".join(unexplained[:5])
    assert nonempty > len(CQ_REQUESTS) // 2  # the comparison is about real answers


def test_push_counts_equal_the_build(remote_store, service_store):
    local = graph_triple_counts(open_read_only(service_store))
    rows = remote_store.select(
        "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX void: <http://rdfs.org/ns/void#> "
        f"SELECT ?v ?g ?n WHERE {{ GRAPH <{META_GRAPH}> {{ <{META_GRAPH}> dcterms:hasVersion ?v ; "
        "dcterms:hasPart ?g . ?g void:triples ?n } }")
    assert {r["g"]["value"]: int(r["n"]["value"]) for r in rows} == local
    assert {r["v"]["value"] for r in rows} == {service_store.name.removeprefix(STORE_PREFIX)}
    assert set(local) == {str(ONTOLOGY_GRAPH), str(DATA_GRAPH), str(INFERRED_GRAPH)}
    for graph, n in local.items():
        got = remote_store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        assert int(got[0]["n"]["value"]) == n


def test_push_is_idempotent_by_update_too(remote_store, service_store, capsys):
    from jichitai_kg.cli import main

    assert main(push_args(remote_store, gsp=False)) == 0
    out = capsys.readouterr().out
    assert "via update" in out and "remote counts match" in out
    local = graph_triple_counts(open_read_only(service_store))
    for graph, n in local.items():
        assert f"{graph}: {n} triples" in out
        got = remote_store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        assert int(got[0]["n"]["value"]) == n


def test_healthz_reports_the_pushed_version(remote_client, service_store):
    data = remote_client.get("/healthz").get_json()
    assert data["status"] == "ok"
    assert data["dataset_version"] == service_store.name.removeprefix(STORE_PREFIX)
    assert data["graphs"] == graph_triple_counts(open_read_only(service_store))


@pytest.mark.parametrize("infer", ["true", "false"])
def test_infer_false_counts_match(client, remote_client, service_store, infer):
    args = {"query": COUNT_ALL, "infer": infer}
    local = _rows(client.get("/sparql", query_string=args, headers={"Accept": "application/json"}))
    remote = _rows(remote_client.get("/sparql", query_string=args,
                                     headers={"Accept": "application/json"}))
    assert local == remote
    counts = graph_triple_counts(open_read_only(service_store))
    expected = sum(counts.values()) - (counts[str(INFERRED_GRAPH)] if infer == "false" else 0)
    assert int(local[1][0][0][1]) == expected


@pytest.mark.parametrize("accept", ["text/csv", "text/tab-separated-values",
                                    "application/sparql-results+xml",
                                    "application/sparql-results+json"])
def test_result_formats_are_byte_identical(client, remote_client, accept):
    query = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?g ?label WHERE { "
             "?g a <https://w3id.org/jichitai-kg/ontology#LocalGovernment> ; rdfs:label ?label } "
             "ORDER BY ?g ?label")
    local = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    remote = remote_client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert local.status_code == remote.status_code == 200
    assert local.headers["Content-Type"] == remote.headers["Content-Type"]
    assert local.data == remote.data
    assert "神奈川県".encode() in remote.data


def test_linked_data_page_renders(client, remote_client):
    html = remote_client.get("/id/gov/kanagawa.html")
    assert html.status_code == 200 and "神奈川県" in html.get_data(as_text=True)
    local = Graph().parse(data=client.get("/id/gov/kanagawa.ttl").data, format="turtle")
    remote = Graph().parse(data=remote_client.get("/id/gov/kanagawa.ttl").data, format="turtle")
    assert len(remote) > 20 and isomorphic(local, remote)


class _Spy:
    """Wraps the executor's HTTP client and records every request it sends."""

    def __init__(self, client):
        self.client, self.sent = client, []

    def request(self, method, url, **kwargs):
        self.sent.append((method, url, kwargs.get("body")))
        return self.client.request(method, url, **kwargs)


@pytest.fixture()
def spy(remote_app):
    from jichitai_kg.web.state import get_dataset

    executor = get_dataset(remote_app).executor
    original = executor._client
    executor._client = _Spy(original)
    yield executor._client
    executor._client = original


def test_service_and_update_are_refused_before_forwarding(remote_client, remote_store, spy):
    before = remote_store.select(COUNT_ALL)[0]["n"]["value"]
    service = remote_client.get("/sparql", query_string={
        "query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"})
    assert service.status_code == 403 and "SERVICE" in service.get_data(as_text=True)
    update = remote_client.post("/sparql", data="INSERT DATA { <urn:x> <urn:y> <urn:z> }",
                                content_type="application/sparql-update")
    assert update.status_code == 403
    smuggled = remote_client.get("/sparql", query_string={
        "query": "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <urn:x> <urn:y> <urn:z> }"})
    assert smuggled.status_code in (400, 403)
    bad = remote_client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert bad.status_code == 400 and "1:" in bad.get_data(as_text=True)  # position, as locally
    assert spy.sent == []  # nothing reached the store
    assert remote_store.select(COUNT_ALL)[0]["n"]["value"] == before
    ok = remote_client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"},
                           headers={"Accept": "application/sparql-results+json"})
    assert ok.get_json()["boolean"] is True and len(spy.sent) == 1


def test_two_replicas_answer_identically(remote_store, remote_client):
    from jichitai_kg.web import create_app

    other = create_app({"ROOT": str(ROOT), "EXTRA_GRAPHS": [], "QUERY_TIMEOUT": 20,
                        "STORE_QUERY_ENDPOINT": remote_store.query}).test_client()
    for url in ["/cq/government-profile?gov=kyoto&format=csv", "/cq/cdo?lang=en&format=tsv",
                "/id/gov/tsukuba.ttl", "/cq/governments?format=json"]:
        a, b = remote_client.get(url), other.get(url)
        assert a.status_code == b.status_code == 200, url
        assert a.data == b.data and len(a.data) > 100, url


def test_store_without_dataset_or_with_another_version_is_refused(tmp_path, remote_store):
    proc, base = start_oxigraph(None)
    try:
        with pytest.raises(VersionMismatch, match="run `jichitai-kg push` first"):
            RemoteExecutor(base + "/query")
    finally:
        stop(proc)
    with pytest.raises(VersionMismatch, match="holds dataset version .* but this checkout builds 0+"):
        RemoteExecutor(remote_store.query, expected_version="0" * 32)
    # Told to ignore the version, it serves.
    assert RemoteExecutor(remote_store.query).metadata.version


def test_timeout_and_unreachable_store_are_503(remote_app, remote_client):
    from jichitai_kg.web.state import get_dataset

    executor = get_dataset(remote_app).executor
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(4)  # accepts connections, never answers
    endpoint, limit = executor.query_endpoint, executor.timeout
    try:
        executor.query_endpoint = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        executor.timeout = 1.0
        resp = remote_client.get("/sparql", query_string={"query": "ASK {}"})
        assert resp.status_code == 503 and "1 s" in resp.get_data(as_text=True)
        silent.close()
        resp = remote_client.get("/sparql", query_string={"query": "ASK {}"})
        assert resp.status_code == 503 and "unavailable" in resp.get_data(as_text=True)
    finally:
        executor.query_endpoint, executor.timeout = endpoint, limit
        silent.close()
    assert remote_client.get("/healthz").status_code == 200


def test_serve_process_replica_answers_like_the_app(remote_store, remote_client, tmp_path):
    proc, server = _serve(ROOT, [], tmp_path / "serve.log", ["--query-endpoint", remote_store.query])
    try:
        with urllib.request.urlopen(server.url + "/healthz", timeout=10) as resp:
            health = json.loads(resp.read())
        assert health["dataset_version"] == remote_client.get("/healthz").get_json()["dataset_version"]
        for url in ["/cq/category-matrix?gov=saitama&format=csv", "/cq/telework?format=json",
                    "/id/gov/kanagawa.ttl"]:
            with urllib.request.urlopen(server.url + url, timeout=30) as resp:
                assert resp.read() == remote_client.get(url).data, url
    finally:
        stop(proc)


def test_serve_refuses_a_store_without_the_dataset(tmp_path):
    empty, base = start_oxigraph(None)
    try:
        cmd = [sys.executable, "-m", "jichitai_kg.cli", "--root", str(ROOT), "serve", "--port",
               str(free_port()), "--query-endpoint", base + "/query"]
        env = {k: v for k, v in os.environ.items() if not k.startswith("JICHITAI_KG_")}
        with open(tmp_path / "serve.log", "wb") as out:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        assert proc.wait(60) == 2
        assert "run `jichitai-kg push` first" in (tmp_path / "serve.log").read_text()
    finally:
        stop(empty)


def test_syntax_check_never_evaluates_an_ask(remote_client, spy):
    """The local parse must not run the query: an ASK over a huge VALUES product answers fast."""
    values = " ".join(str(i) for i in range(400))
    query = (f"ASK {{ VALUES ?a {{ {values} }} VALUES ?b {{ {values} }} VALUES ?c {{ {values} }} "
             "FILTER(?a < 0) } GROUP BY ?a")
    bad = remote_client.get("/sparql", query_string={"query": query.replace("GROUP BY ?a", "}")})
    assert bad.status_code == 400 and spy.sent == []
    # Well-formed: parsed locally without evaluation, then forwarded once (the store may take
    # its time; the service's own deadline bounds it).
    import jichitai_kg.remote.executor as rx
    from jichitai_kg.web.state import get_dataset

    get_dataset(remote_client.application).executor._parse_locally(query, None, None)  # returns at once
    assert spy.sent == []
    assert rx._ask_as_select(query).startswith("SELECT (1 AS ?jkg_parse_check) {")
    assert rx._ask_as_select("PREFIX ask: <urn:a#> SELECT * { ?s ask:p ?o }").startswith("PREFIX ask:")


def test_booleans_are_made_canonical():
    """Virtuoso answers xsd:boolean as "1"/"0"; the executor writes the canonical form."""
    from jichitai_kg.remote.executor import XSD_BOOLEAN, _canonical_booleans

    body = json.dumps({"head": {"vars": ["a", "b", "c"]}, "results": {"bindings": [
        {"a": {"type": "literal", "datatype": XSD_BOOLEAN, "value": "0"},
         "b": {"type": "literal", "datatype": XSD_BOOLEAN, "value": "1"},
         "c": {"type": "literal", "value": "0"}}]}}).encode()
    row = json.loads(_canonical_booleans(body))["results"]["bindings"][0]
    assert (row["a"]["value"], row["b"]["value"], row["c"]["value"]) == ("false", "true", "0")


def test_from_may_only_name_the_datasets_graphs(client, remote_client, service_store, spy):
    """The store may hold other data: a query's FROM cannot reach it (embedded mode has none)."""
    other = remote_client.get("/sparql", query_string={
        "query": "SELECT * FROM <urn:institute:private> WHERE { ?s ?p ?o }"})
    prefixed = remote_client.get("/sparql", query_string={
        "query": "PREFIX x: <urn:institute:> SELECT * FROM NAMED x:private { GRAPH ?g { ?s ?p ?o } }"})
    assert other.status_code == prefixed.status_code == 403
    assert "urn:institute:private" in other.get_data(as_text=True)
    assert spy.sent == []
    # FROM one of ours is honoured as SPARQL says: the default graph is that graph alone,
    # in both modes.
    query = f"SELECT (COUNT(*) AS ?n) FROM <{DATA_GRAPH}> WHERE {{ ?s ?p ?o }}"
    remote = _rows(remote_client.get("/sparql", query_string={"query": query}))
    counts = graph_triple_counts(open_read_only(service_store))
    assert int(remote[1][0][0][1]) == counts[str(DATA_GRAPH)]
    assert _rows(client.get("/sparql", query_string={"query": query})) == remote


def test_push_failures_are_one_clear_line(service_store, capsys):
    """Push errors go through the one error model: message on stderr, exit code by kind."""
    from jichitai_kg.cli import main

    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    args = ["--root", str(ROOT), "push", "--query-endpoint", closed + "/query",
            "--update-endpoint", closed + "/update"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.startswith("jichitai-kg push: failed, the store does not hold a complete dataset:")
    assert f"cannot reach the store at {closed}/update" in err  # the first request: drop metadata
    assert main(args + ["--chunk", "0"]) == 2
    assert "--chunk and --http-timeout must be positive" in capsys.readouterr().err


def test_search_and_reconcile_answer_in_remote_mode(remote_client, remote_store, monkeypatch, capsys, tmp_path):
    """The server builds its text index from its own content files (no local store, no 503);
    so does the CLI's search (STORE_QUERY_ENDPOINT or --query-endpoint)."""
    from jichitai_kg.cli import main

    resp = remote_client.get("/search", query_string={"q": "テレワーク", "format": "json", "type": "initiative"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert "https://w3id.org/jichitai-kg/id/initiative/kamakura-telework" in [h["iri"] for h in resp.get_json()["results"]]
    matched = remote_client.get("/reconcile", query_string={"query": "神奈川県 鎌倉市"}).get_json()["result"]
    assert matched[0]["id"] == "https://w3id.org/jichitai-kg/id/gov/kamakura" and matched[0]["match"]
    extended = remote_client.post("/reconcile", data={"extend": '{"ids": ["https://w3id.org/jichitai-kg/id/gov/kamakura"],'
                                                                ' "properties": [{"id": "dantaiCode"}]}'}).get_json()
    assert extended["rows"]["https://w3id.org/jichitai-kg/id/gov/kamakura"]["dantaiCode"] == [{"str": "142042"}]
    capsys.readouterr()
    for extra, env in (([], remote_store.query), (["--query-endpoint", remote_store.query], None)):
        if env:
            monkeypatch.setenv("JICHITAI_KG_STORE_QUERY_ENDPOINT", env)
        else:
            monkeypatch.delenv("JICHITAI_KG_STORE_QUERY_ENDPOINT", raising=False)
        code = main(["--root", str(ROOT), "search", "テレワーク", "--type", "initiative", "--format", "json",
                     "--cache-dir", str(tmp_path), *extra])
        out = capsys.readouterr().out
        assert code == 0, out
        assert "https://w3id.org/jichitai-kg/id/initiative/kamakura-telework" in [h["iri"] for h in json.loads(out)["results"]]
        assert list(tmp_path.glob("search-content-*/search-*.sqlite"))  # the content files' index, no local store
        assert not list(tmp_path.glob("store-*"))
