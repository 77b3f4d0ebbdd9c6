"""Error answers: JSON problem details for JSON clients everywhere, plain text for others."""

from __future__ import annotations

import json
import urllib.error

import pytest
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from jichitai_kg.errors import JKGError, WorkerLost

JSON_ACCEPT = {"Accept": "application/json"}


def problem(resp) -> dict:
    assert resp.headers["Content-Type"] == "application/problem+json"
    data = json.loads(resp.data)
    assert data["status"] == resp.status_code
    return data


def test_syntax_error_json_carries_position(client):
    resp = client.post("/sparql", data={"query": "SELECT * WHERE {\n ?s foo:bar ?o }"},
                       headers={"Accept": "application/sparql-results+json"})
    assert resp.status_code == 400
    data = problem(resp)
    assert data["error"] == "QuerySyntaxError" and data["title"] == "Bad Request"
    assert (data["line"], data["column"], data["token"]) == (2, 5, "foo:")
    assert data["detail"] == ("Unknown prefix `foo:` at 2:5 (line 2, column 5) — add `PREFIX foo: <…>` "
                              "before the query.")


def test_syntax_error_plain_text_for_other_clients(client):
    resp = client.get("/sparql", query_string={"query": "SELECT * { ?s foo:bar ?o }", "format": "csv"})
    assert resp.status_code == 400
    assert resp.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert resp.data.decode().startswith("Unknown prefix `foo:` at 1:15")


@pytest.mark.parametrize("path, method, headers, status, error", [
    ("/no/such/page", "GET", JSON_ACCEPT, 404, "NotFound"),
    ("/no/such/page?format=json", "GET", {}, 404, "NotFound"),
    ("/search?q=&format=json", "GET", {}, 400, "BadRequest"),
    ("/search?q=", "GET", JSON_ACCEPT, 400, "BadRequest"),
    ("/sparql", "PUT", JSON_ACCEPT, 405, "MethodNotAllowed"),
    ("/id/gov/nowhere", "GET", {"Accept": "application/ld+json"}, 404, "NotFound"),
    ("/sparql?query=ASK{}&format=csv", "GET", JSON_ACCEPT, 406, "NotAcceptable"),
    ("/sparql?query=ASK{}", "GET", {"Accept": "application/ld+json"}, 406, "NotAcceptable"),
    ("/sparql?query=SELECT*{}&format=turtle", "GET", JSON_ACCEPT, 406, "NotAcceptable"),
    ("/sparql?query=INSERT+DATA{<a:b><a:c><a:d>}", "GET", JSON_ACCEPT, 403, "Forbidden"),
])
def test_json_clients_get_json_errors(client, path, method, headers, status, error):
    resp = client.open(path, method=method, headers=headers)
    assert resp.status_code == status
    data = problem(resp)
    assert data["error"] == error and data["detail"]
    assert "Accept" in resp.headers["Vary"]


def test_too_large_body_is_json_413(app, client):
    limit = app.config["MAX_REQUEST_BYTES"]
    body = client.post("/sparql", data={"query": "ASK{}" + " " * (limit + 10)}, headers=JSON_ACCEPT)
    assert body.status_code == 413
    assert problem(body)["detail"].startswith("The request body is larger than")


def test_browsers_keep_html_404(client):
    resp = client.get("/no/such/page", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert resp.status_code == 404
    assert resp.headers["Content-Type"].startswith("text/html")


@pytest.mark.server
def test_sparqlwrapper_turtle_for_select_gets_406_with_reason(live_server):
    sw = SPARQLWrapper(live_server.url + "/sparql")
    sw.setQuery("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")
    sw.setReturnFormat(TURTLE)
    with pytest.raises(urllib.error.HTTPError) as info:
        sw.query()
    assert info.value.code == 406
    text = info.value.read().decode()
    assert "cannot represent the result of a SELECT query" in text
    assert "use CONSTRUCT or DESCRIBE for RDF" in text


@pytest.mark.server
def test_sparqlwrapper_json_syntax_error_is_json(live_server):
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    sw = SPARQLWrapper(live_server.url + "/sparql")
    sw.setQuery("SELECT * WHERE { ?s rdfs:label ?o }")
    sw.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed) as info:
        sw.query()
    assert "Unknown prefix `rdfs:`" in str(info.value)
    assert "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>" in str(info.value)


def test_worker_lost_maps_to_503_plain_text(app):
    handler = app.error_handler_spec[None][None][JKGError]  # the app's one error handler

    with app.test_request_context("/sparql"):
        resp = app.make_response(handler(WorkerLost("The query stopped its worker")))
    assert resp.status_code == 503 and resp.mimetype == "text/plain"
    assert resp.headers["Retry-After"] == "5"
    assert resp.get_data(as_text=True).startswith("The query stopped its worker")
