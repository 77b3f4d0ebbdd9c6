"""The W3C SPARQL 1.1 Protocol test suite (w3c/rdf-tests sparql/sparql11/protocol/manifest.ttl).

Each case is the manifest's request (method, path under /sparql/, Content-Type,
body) and its expectation.  Fixtures D1-D3 are loaded as extra named graphs by
the session fixture.  Every case runs through the Flask test client and against
the real ``jichitai-kg serve`` process.  The endpoint is read-only, so the update tests expect 403
instead of success, and the negative update tests any 4xx.
"""

from __future__ import annotations

import http.client
import json
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from rdflib import Graph

D = "http://kasei.us/2009/09/sparql/data/"
D0, D1, D2, D3 = (f"{D}data{n}.rdf" for n in range(4))
FORM = "application/x-www-form-urlencoded"
SQ = "application/sparql-query"
SU = "application/sparql-update"


def q(value: str) -> str:
    return quote(value, safe="")


BOOLEAN_TYPES = {"application/sparql-results+xml", "application/sparql-results+json"}
TABULAR_TYPES = BOOLEAN_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {"application/rdf+xml", "text/turtle", "application/n-triples"}

# (id, method, path, content type, body, expectation)
QUERY_TESTS = [
    ("query_get", "GET", f"/sparql/?query={q('ASK {}')}&default-graph-uri={q(D0)}", None, None,
     "true"),
    ("query_post_form", "POST", f"/sparql/?default-graph-uri={q(D0)}", FORM, "query=ASK%20%7B%7D",
     "true"),
    ("query_post_direct", "POST", "/sparql/", SQ, "ASK {}", "true"),
    ("query_dataset_default_graphs_get", "GET",
     f"/sparql/?query={q(f'ASK {{ <{D1}> a ?type . <{D2}> a ?type . }}')}"
     f"&default-graph-uri={q(D1)}&default-graph-uri={q(D2)}", None, None, "true"),
    ("query_dataset_default_graphs_post", "POST",
     f"/sparql/?default-graph-uri={q(D1)}&default-graph-uri={q(D2)}", SQ,
     f"ASK {{ <{D1}> a ?type . <{D2}> a ?type . }}", "true"),
    ("query_dataset_named_graphs_post", "POST",
     f"/sparql/?named-graph-uri={q(D1)}&named-graph-uri={q(D2)}", SQ,
     f"ASK {{ GRAPH ?g1 {{ <{D1}> a ?type }} GRAPH ?g2 {{ <{D2}> a ?type }} }}", "true"),
    ("query_dataset_named_graphs_get", "GET",
     f"/sparql/?query={q(f'ASK {{ GRAPH ?g1 {{ <{D1}> a ?type }} GRAPH ?g2 {{ <{D2}> a ?type }} }}')}"
     f"&named-graph-uri={q(D1)}&named-graph-uri={q(D2)}", None, None, "true"),
    ("query_dataset_full", "POST",
     f"/sparql/?default-graph-uri={q(D3)}&named-graph-uri={q(D1)}&named-graph-uri={q(D2)}", SQ,
     f"ASK {{\n  <{D3}> a ?type\n  GRAPH ?g1 {{ <{D1}> a ?type }}\n  GRAPH ?g2 {{ <{D2}> a ?type }}\n}}",
     "true"),
    ("query_multiple_dataset", "POST",
     f"/sparql/?named-graph-uri={q(D1)}&named-graph-uri={q(D2)}", SQ,
     f"ASK\nFROM <{D3}>\n{{\n  GRAPH ?g1 {{ <{D1}> a ?type }}\n  GRAPH ?g2 {{ <{D2}> a ?type }}\n}}",
     "true"),
    ("query_content_type_select", "POST", "/sparql/", SQ, "SELECT (1 AS ?value) {}", "tabular"),
    ("query_content_type_ask", "POST", "/sparql/", SQ, "ASK {}", "true"),
    ("query_content_type_describe", "POST", "/sparql/", SQ, "DESCRIBE <http://example.org/>", "rdf"),
    ("query_content_type_construct", "POST", "/sparql/", SQ, "CONSTRUCT { <s> <p> 1 } WHERE {}",
     "rdf"),
]

UPDATE_TESTS = [
    ("update_post_form", FORM, "update=CLEAR%20ALL", ""),
    ("update_post_direct", SU, "CLEAR ALL", ""),
    ("update_base_uri", SU,
     "INSERT DATA { GRAPH <http://example.org/protocol-base-test/> "
     "{ <http://example.org/s> <http://example.org/p> <test> } }", ""),
    ("update_dataset_default_graph", SU,
     "PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
     "CLEAR ALL ;\nINSERT DATA { GRAPH <" + D1 + "> { <" + D1 + "> a foaf:Document } } ;\n"
     "INSERT { GRAPH <http://example.org/protocol-update-dataset-test/> { ?s a dc:BibliographicResource } }\n"
     "WHERE { ?s a foaf:Document }", f"?using-graph-uri={q(D1)}"),
    ("update_dataset_default_graphs", SU,
     "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nDROP ALL ;\n"
     "INSERT DATA { GRAPH <" + D1 + "> { <" + D1 + "> a foaf:Document } }",
     f"?using-graph-uri={q(D1)}&using-graph-uri={q(D2)}"),
    ("update_dataset_named_graphs", SU,
     "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nDROP ALL ;\n"
     "INSERT DATA { GRAPH <" + D1 + "> { <" + D1 + "> a foaf:Document } }",
     f"?using-named-graph-uri={q(D1)}&using-named-graph-uri={q(D2)}"),
    ("update_dataset_full", SU,
     "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nDROP ALL ;\n"
     "INSERT DATA { GRAPH <" + D1 + "> { <" + D1 + "> a foaf:Document } }",
     f"?using-graph-uri={q(D1)}&using-named-graph-uri={q(D2)}"),
]

# (id, method, path, content type, body); every one expects a 4xx status.
NEGATIVE_TESTS = [
    ("bad_query_method", "PUT", f"/sparql/?query={q('ASK {}')}", None, None),
    ("bad_multiple_queries", "GET", f"/sparql/?query={q('ASK {}')}&query={q('SELECT * {}')}", None, None),
    ("bad_query_wrong_media_type", "POST", "/sparql/", "text/plain", "ASK {}"),
    ("bad_query_missing_form_type", "POST", "/sparql/", None, "query=ASK%20%7B%7D"),
    ("bad_query_missing_direct_type", "POST", "/sparql/", None, "ASK {}"),
    ("bad_query_non_utf8", "POST", "/sparql/", "application/sparql-query; charset=UTF-16",
     "ASK {}".encode("utf-16")),
    ("bad_query_syntax", "GET", f"/sparql/?query={q('ASK {')}", None, None),
    ("bad_update_get", "GET", f"/sparql/?update={q('CLEAR ALL')}", None, None),
    ("bad_multiple_updates", "POST", "/sparql/", FORM, "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT"),
    ("bad_update_wrong_media_type", "POST", "/sparql/", "text/plain", "CLEAR NAMED"),
    ("bad_update_missing_form_type", "POST", "/sparql/", None, "update=CLEAR%20NAMED"),
    ("bad_update_non_utf8", "POST", "/sparql/", "application/sparql-update; charset=UTF-16",
     "CLEAR NAMED".encode("utf-16")),
    ("bad_update_syntax", "POST", "/sparql/", SU, "CLEAR XYZ"),
    ("bad_update_dataset_conflict", "POST", f"/sparql/?using-named-graph-uri={q(D1)}", SU,
     "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nWITH <" + D1 + ">\n"
     "DELETE { ?s a foaf:Document } WHERE { ?s a foaf:Document }"),
]


class Response:
    def __init__(self, status_code, headers, data):
        self.status_code, self.headers, self.data = status_code, headers, data


@pytest.fixture(params=["test-client", pytest.param("server", marks=pytest.mark.server)])
def client(request):
    """Each case runs twice: through Flask's test client and against the real server process.

    The real server is reached with http.client, which sends exactly the headers given
    (urllib would add a form Content-Type to every POST, hiding the missing-type cases).
    """
    if request.param == "test-client":
        flask_client = request.getfixturevalue("w3c_app").test_client()

        def send(method, path, ctype=None, body=None):
            headers = {"Content-Type": ctype} if ctype else {}
            data = body.encode() if isinstance(body, str) else body
            resp = flask_client.open(path, method=method, data=data, headers=headers)
            return Response(resp.status_code, resp.headers, resp.data)
        return send

    server = request.getfixturevalue("w3c_live_server")
    host, port = server.url.removeprefix("http://").split(":")

    def send(method, path, ctype=None, body=None):
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        data = body.encode() if isinstance(body, str) else body
        conn.putrequest(method, path, skip_accept_encoding=True)
        if ctype:
            conn.putheader("Content-Type", ctype)
        conn.putheader("Content-Length", str(len(data or b"")))
        conn.endheaders(data)
        resp = conn.getresponse()
        out = Response(resp.status, resp.headers, resp.read())
        conn.close()
        return out
    return send


def _request(client, method, path, ctype, body):
    return client(method, path, ctype, body)


def _boolean(resp) -> bool:
    ctype = resp.headers["Content-Type"].split(";")[0]
    assert ctype in BOOLEAN_TYPES
    if ctype == "application/sparql-results+json":
        return json.loads(resp.data)["boolean"]
    root = ET.fromstring(resp.data)
    return root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"


@pytest.mark.parametrize("name, method, path, ctype, body, expect", QUERY_TESTS,
                         ids=[t[0] for t in QUERY_TESTS])
def test_w3c_query(client, name, method, path, ctype, body, expect):
    resp = _request(client, method, path, ctype, body)
    assert 200 <= resp.status_code < 400, resp.data
    ctype_out = resp.headers["Content-Type"].split(";")[0]
    if expect == "true":
        assert _boolean(resp) is True
    elif expect == "tabular":
        assert ctype_out in TABULAR_TYPES
        assert json.loads(resp.data)["results"]["bindings"][0]["value"]["value"] == "1"
    else:
        assert ctype_out in RDF_TYPES
        Graph().parse(data=resp.data.decode(), format="turtle")  # well-formed


@pytest.mark.parametrize("name, ctype, body, params", UPDATE_TESTS, ids=[t[0] for t in UPDATE_TESTS])
def test_w3c_update_is_refused(client, name, ctype, body, params):
    resp = _request(client, "POST", "/sparql/" + params, ctype, body)
    assert resp.status_code == 403
    assert "read-only" in resp.data.decode()
    # Nothing changed: the fixture graph D1 still holds its one triple.
    check = client("POST", "/sparql/", SQ, f"ASK {{ GRAPH <{D1}> {{ <{D1}> a ?t }} }}")
    assert _boolean(check) is True


@pytest.mark.parametrize("name, method, path, ctype, body", NEGATIVE_TESTS,
                         ids=[t[0] for t in NEGATIVE_TESTS])
def test_w3c_negative(client, name, method, path, ctype, body):
    resp = _request(client, method, path, ctype, body)
    assert 400 <= resp.status_code < 500, (resp.status_code, resp.data)
    assert resp.data.strip(), "a 4xx answer explains itself"
