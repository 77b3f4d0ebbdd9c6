"""Each SPARQL 1.1 Protocol rule through the Flask test client: status, headers and body."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

import pytest
from rdflib import Graph, Literal, URIRef

from hostile_queries import DEEP
from jichitai_kg.namespaces import CATEGORY, DATA_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, RDFS

PREFIXES = """PREFIX jkg: <https://w3id.org/jichitai-kg/ontology#>
PREFIX gov: <https://w3id.org/jichitai-kg/id/gov/>
PREFIX category: <https://w3id.org/jichitai-kg/id/category/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
CULTURE_LABELS = PREFIXES + "SELECT ?label WHERE { category:culture rdfs:label ?label } ORDER BY ?label"


def bindings(resp) -> list[dict[str, str]]:
    data = json.loads(resp.data)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def test_get_select_returns_json_results(client):
    resp = client.get("/sparql", query_string={"query": CULTURE_LABELS})
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/sparql-results+json"
    assert resp.headers["Vary"] == "Accept"
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert sorted(r["label"] for r in bindings(resp)) == ["Organizational culture", "組織文化"]


def test_post_form_select(client):
    resp = client.post("/sparql", data={"query": CULTURE_LABELS})
    assert resp.status_code == 200
    assert "組織文化" in [r["label"] for r in bindings(resp)]


def test_post_direct_select(client):
    resp = client.post("/sparql", data=CULTURE_LABELS.encode(),
                       headers={"Content-Type": "application/sparql-query"})
    assert resp.status_code == 200
    assert "組織文化" in [r["label"] for r in bindings(resp)]


def test_kanagawa_dantai_code(client):
    query = PREFIXES + "SELECT ?code WHERE { gov:kanagawa jkg:dantaiCode ?code }"
    resp = client.get("/sparql", query_string={"query": query})
    assert bindings(resp) == [{"code": "140007"}]


def test_eight_local_governments(client):
    query = PREFIXES + ("SELECT ?name WHERE { ?g a jkg:CaseGovernment ; rdfs:label ?name "
                        "FILTER(LANG(?name) = 'ja') }")
    resp = client.get("/sparql", query_string={"query": query})
    names = {r["name"] for r in bindings(resp)}
    assert len(names) == 8
    assert {"神奈川県", "鎌倉市", "京都府", "埼玉県", "つくば市", "徳島県", "横浜市"} <= names
    assert any(n.endswith("港区") for n in names)


def test_csv_body(client):
    resp = client.get("/sparql", query_string={"query": CULTURE_LABELS},
                      headers={"Accept": "text/csv"})
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8"))))
    assert rows[0] == ["label"]
    assert sorted(r[0] for r in rows[1:]) == ["Organizational culture", "組織文化"]


def test_ask_true_and_false(client):
    yes = client.get("/sparql", query_string={"query": PREFIXES + 'ASK { gov:kanagawa jkg:dantaiCode "140007" }'})
    no = client.get("/sparql", query_string={"query": PREFIXES + 'ASK { gov:kanagawa jkg:dantaiCode "999999" }'})
    assert json.loads(yes.data)["boolean"] is True
    assert json.loads(no.data)["boolean"] is False


def test_construct_defaults_to_turtle(client):
    query = PREFIXES + "CONSTRUCT { category:culture rdfs:label ?l } WHERE { category:culture rdfs:label ?l }"
    resp = client.get("/sparql", query_string={"query": query})
    assert resp.headers["Content-Type"] == "text/turtle; charset=utf-8"
    g = Graph().parse(data=resp.data.decode(), format="turtle")
    assert (CATEGORY.culture, RDFS.label, Literal("組織文化", lang="ja")) in g
    assert len(g) == 2


def test_relative_iris_resolve_against_the_request_url(client):
    resp = client.post("/sparql", data={"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"},
                       headers={"Accept": "application/n-triples"})
    assert resp.status_code == 200
    assert resp.data.decode().strip() == \
        '<http://localhost/s> <http://localhost/p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'


def test_protocol_dataset_overrides_from(client):
    # FROM names the data graph, but default-graph-uri (the ontology graph) wins.
    query = PREFIXES + "ASK FROM <%s> { gov:kanagawa jkg:dantaiCode ?c }" % DATA_GRAPH
    plain = client.get("/sparql", query_string={"query": query})
    overridden = client.get("/sparql", query_string={"query": query,
                                                     "default-graph-uri": str(ONTOLOGY_GRAPH)})
    assert json.loads(plain.data)["boolean"] is True
    assert json.loads(overridden.data)["boolean"] is False


def test_named_graph_uri_limits_graph_clause(client):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    resp = client.get("/sparql", query_string={"query": query, "named-graph-uri": str(DATA_GRAPH)})
    assert bindings(resp) == [{"g": str(DATA_GRAPH)}]


def test_infer_false_drops_the_inferred_graph(client):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    with_inf = {r["g"] for r in bindings(client.get("/sparql", query_string={"query": query}))}
    without = {r["g"] for r in bindings(client.get("/sparql", query_string={"query": query,
                                                                              "infer": "false"}))}
    assert {str(DATA_GRAPH), str(ONTOLOGY_GRAPH)} <= without
    assert str(INFERRED_GRAPH) not in without
    assert str(INFERRED_GRAPH) in with_inf
    assert without == with_inf - {str(INFERRED_GRAPH)}


def test_syntax_error_is_400_with_position(client):
    resp = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert resp.status_code == 400
    assert resp.headers["Content-Type"] == "text/plain; charset=utf-8"
    body = resp.data.decode()
    # the parser's position as a sentence (query/rules/syntax_errors.py), no grammar dump
    assert body.startswith("Syntax error at 1:25 (line 1, column 25): found the end of the query")
    assert "\\u" not in body and len(body) < 200


def test_garbage_is_a_syntax_error_whatever_the_accept(client):
    resp = client.get("/sparql", query_string={"query": "SELEKT * {}"},
                      headers={"Accept": "text/turtle"})
    assert resp.status_code == 400
    assert resp.data.decode() == ("Syntax error at 1:1 (line 1, column 1): found `SELEKT`; a query begins "
                                  "with SELECT, CONSTRUCT, ASK or DESCRIBE (after its PREFIX and BASE lines).\n")


@pytest.mark.parametrize("path", ["/sparql", "/sparql/"])
def test_two_query_parameters_is_400(client, path):
    resp = client.get(f"{path}?query=ASK%7B%7D&query=ASK%7B%7D")
    assert resp.status_code == 400
    assert "More than one 'query'" in resp.data.decode()


def test_update_via_get_is_400(client):
    resp = client.get("/sparql?update=CLEAR%20ALL")
    assert resp.status_code == 400


@pytest.mark.parametrize("kwargs", [
    {"data": {"update": "INSERT DATA { <http://a> <http://b> <http://c> }"}},
    {"data": b"DROP ALL", "headers": {"Content-Type": "application/sparql-update"}},
    {"data": {"query": "INSERT DATA { <http://a> <http://b> <http://c> }"}},
])
def test_updates_are_403_and_change_nothing(client, kwargs):
    resp = client.post("/sparql", **kwargs)
    assert resp.status_code == 403
    assert "read-only" in resp.data.decode()
    still = client.get("/sparql", query_string={"query": "ASK { <http://a> <http://b> <http://c> }"})
    assert json.loads(still.data)["boolean"] is False
    assert json.loads(client.get("/sparql", query_string={
        "query": PREFIXES + "ASK { gov:kanagawa ?p ?o }"}).data)["boolean"] is True


def test_query_and_update_together_is_400(client):
    resp = client.post("/sparql", data={"query": "ASK {}", "update": "CLEAR ALL"})
    assert resp.status_code == 400


@pytest.mark.parametrize("ctype, status", [(None, 400), ("text/plain", 415)])
def test_post_content_types(client, ctype, status):
    headers = {"Content-Type": ctype} if ctype else {}
    resp = client.post("/sparql", data=b"ASK {}", headers=headers)
    assert resp.status_code == status


def test_non_utf8_body_is_400(client):
    resp = client.post("/sparql", data="ASK {}".encode("utf-16"),
                       headers={"Content-Type": "application/sparql-query; charset=UTF-16"})
    assert resp.status_code == 400
    assert "UTF-8" in resp.data.decode()


def test_body_over_limit_is_413(app, client):
    limit = app.config["MAX_REQUEST_BYTES"]
    big = "ASK {} #" + "x" * (limit + 10)
    resp = client.post("/sparql", data=big.encode(), headers={"Content-Type": "application/sparql-query"})
    assert resp.status_code == 413


def test_url_over_limit_is_414(app, client):
    limit = app.config["MAX_URL_BYTES"]
    resp = client.get("/sparql?query=" + quote("ASK {} #" + "x" * (limit + 10)))
    assert resp.status_code == 414
    assert f"longer than {limit} bytes (MAX_URL_BYTES); send long queries with POST" in resp.get_data(as_text=True)


def test_put_is_405_with_allow(client):
    resp = client.put("/sparql", data=b"ASK {}", headers={"Content-Type": "application/sparql-query"})
    assert resp.status_code == 405
    assert "POST" in resp.headers["Allow"]


def test_cors_preflight(client):
    resp = client.options("/sparql", headers={"Origin": "https://yasgui.example",
                                              "Access-Control-Request-Method": "POST",
                                              "Access-Control-Request-Headers": "content-type"})
    assert resp.status_code == 204
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in resp.headers["Access-Control-Allow-Methods"]
    assert resp.headers["Access-Control-Allow-Headers"] == "content-type"


def test_service_is_refused_with_403(client):
    resp = client.get("/sparql", query_string={
        "query": "SELECT * { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }"})
    assert resp.status_code == 403
    assert "SERVICE" in resp.data.decode() and "http://127.0.0.1:1/sparql" in resp.data.decode()


def test_result_over_cap_is_422_not_truncated(project_root, service_store):
    from jichitai_kg.web import create_app
    from jichitai_kg.web.state import get_dataset

    small = create_app({"ROOT": str(project_root), "MAX_RESULT_BYTES": 2000, "QUERY_WORKERS": 1,
                        "EXTRA_GRAPHS": [], "EAGER_START": False})
    try:
        resp = small.test_client().get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }"})
        assert resp.status_code == 422
        assert "2000 bytes" in resp.data.decode()
    finally:
        get_dataset(small).close()


# --------------------------------------------------------------------------- service description

SD = "http://www.w3.org/ns/sparql-service-description#"


def _sd(client, **kw) -> Graph:
    resp = client.get("/sparql", **kw)
    assert resp.status_code == 200
    fmt = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
           "application/rdf+xml": "xml"}[resp.headers["Content-Type"].split(";")[0]]
    return Graph().parse(data=resp.data, format=fmt)


def test_service_description_turtle_by_default(client):
    resp = client.get("/sparql")
    assert resp.headers["Content-Type"] == "text/turtle; charset=utf-8"
    g = Graph().parse(data=resp.data.decode(), format="turtle")
    service = URIRef("http://localhost/sparql")
    assert (service, URIRef(SD + "endpoint"), service) in g
    assert (service, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in g
    formats = set(g.objects(service, URIRef(SD + "resultFormat")))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats
    assert URIRef("http://www.w3.org/ns/formats/Turtle") in formats
    dataset = g.value(service, URIRef(SD + "defaultDataset"))
    assert g.value(dataset, URIRef(SD + "entailmentRegime")) == \
        URIRef("http://www.w3.org/ns/entailment/OWL-RDF-Based")
    assert g.value(dataset, URIRef(SD + "supportedEntailmentProfile")) == \
        URIRef("http://www.w3.org/ns/owl-profile/RL")
    names = {g.value(ng, URIRef(SD + "name")) for ng in g.objects(dataset, URIRef(SD + "namedGraph"))}
    assert {DATA_GRAPH, ONTOLOGY_GRAPH} <= names


def test_service_description_counts_match_the_store(client):
    g = _sd(client, headers={"Accept": "application/n-triples"})
    void_triples = URIRef("http://rdfs.org/ns/void#triples")
    for ng in g.subjects(URIRef(SD + "name"), DATA_GRAPH):
        count = int(g.value(g.value(ng, URIRef(SD + "graph")), void_triples))
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <%s> { ?s ?p ?o } }" % DATA_GRAPH
    n = int(bindings(client.get("/sparql", query_string={"query": query}))[0]["n"])
    assert count == n > 1000


@pytest.mark.parametrize("accept", ["application/ld+json", "application/rdf+xml"])
def test_service_description_other_rdf(client, accept):
    g = _sd(client, headers={"Accept": accept})
    assert (None, URIRef(SD + "endpoint"), URIRef("http://localhost/sparql")) in g


def test_service_description_html_for_browsers(client):
    resp = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert resp.headers["Content-Type"] == "text/html; charset=utf-8"
    html = resp.data.decode()
    assert str(DATA_GRAPH) in html and "void:triples" in html


def test_service_description_not_acceptable(client):
    resp = client.get("/sparql", headers={"Accept": "image/png"})
    assert resp.status_code == 406


def test_head_has_headers_but_no_body(client):
    resp = client.head("/sparql", query_string={"query": "ASK {}"})
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/sparql-results+json"
    assert resp.data == b""


def test_http_deep_query_is_400_plain_text(client):
    resp = client.post("/sparql", data={"query": DEEP["1,000 FILTER EXISTS"]})
    assert resp.status_code == 400
    assert resp.mimetype == "text/plain"
    assert "accepts at most 128" in resp.get_data(as_text=True)


@pytest.mark.parametrize("param", ["default-graph-uri", "named-graph-uri"])
def test_http_bad_graph_iri_is_400(client, param):
    resp = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }", param: "not an iri"})
    assert resp.status_code == 400
    assert f"{param}='not an iri' is not an absolute IRI" in resp.get_data(as_text=True)
