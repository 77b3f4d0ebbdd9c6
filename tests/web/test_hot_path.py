"""The plain SPARQL GET answered without Flask's per-request machinery (web/hot_path.py) gives
the answer the Flask view gives, header for header, and keeps its plans bounded."""

from __future__ import annotations

import json
import sys
from io import BytesIO
from urllib.parse import quote

import pytest

from jichitai_kg.web import delivery, hot_path

#: A valid X-Query-Id makes a request go through Flask (it must be registered for cancelling)
#: and changes nothing else about the answer: the same request with and without it compares
#: the two paths.
THROUGH_FLASK = {"X-Query-Id": "abcdefghijklmnop-0123"}
SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT "

CASES = [
    ("/sparql?query=" + quote("ASK {}"), {"Accept": "application/sparql-results+json"}),
    ("/sparql?query=" + quote(SELECT + "3"), {"Accept": "text/csv"}),
    ("/sparql?query=" + quote(SELECT + "40"), {"Accept": "application/json", "Accept-Encoding": "gzip"}),
    ("/sparql?query=" + quote(SELECT + "3") + "&infer=false", {}),
    ("/sparql?query=" + quote("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3"), {"Accept": "text/turtle"}),
    ("/sparql/?query=" + quote("ASK {}") + "&format=xml", {}),
    ("/sparql?query=" + quote("SELEC * WHERE {}"), {"Accept": "application/json"}),
    ("/sparql?query=" + quote("ASK {}"), {"Accept": "text/csv"}),
    ("/sparql?query=" + quote("INSERT DATA { <urn:a> <urn:b> <urn:c> }"), {}),
    ("/sparql?query=" + quote("SELECT * WHERE { ?s ?p ?o } LIMIT 1") + "&query=x", {}),
]


def _headers(resp) -> list[tuple[str, str]]:
    return sorted((k, v) for k, v in resp.headers.items() if k != "Date")


@pytest.mark.parametrize(("url", "headers"), CASES)
def test_same_answer_as_the_flask_view(client, url, headers):
    hot = client.get(url, headers=headers)
    flask = client.get(url, headers={**headers, **THROUGH_FLASK})
    assert (hot.status_code, _headers(hot), hot.data) == (flask.status_code, _headers(flask), flask.data)
    assert hot.headers["Content-Security-Policy"] == delivery.CONTENT_SECURITY_POLICY
    assert hot.headers["X-Content-Type-Options"] == "nosniff"


def test_errors_are_the_views_problem_details(client):
    resp = client.get("/sparql?query=" + quote("SELECT * WHERE { ?s ?p }"),
                      headers={"Accept": "application/json"})
    assert resp.status_code == 400
    problem = json.loads(resp.data)
    assert "line 1" in problem["detail"] and resp.headers["Content-Type"] == "application/problem+json"


def test_a_plan_is_made_once_per_distinct_request(app, client):
    path = app.extensions[hot_path.EXTENSION]
    text = "SELECT (42 AS ?answer) WHERE {} # a text no other test sends"
    before = len(path.plans)
    for _ in range(3):
        resp = client.get("/sparql?query=" + quote(text), headers={"Accept": "text/csv"})
        assert resp.data.decode().split() == ["answer", "42"]
    assert len(path.plans) == before + 1
    client.get("/sparql?query=" + quote(text), headers={"Accept": "text/tab-separated-values"})
    assert len(path.plans) == before + 2


def test_plans_are_bounded_by_bytes(app, client):
    path = app.extensions[hot_path.EXTENSION]
    before = len(path.plans)
    long_text = "ASK {} #" + "x" * (hot_path.PLAN_ENTRY_BYTES // 2)
    resp = client.get("/sparql?query=" + quote(long_text), headers={"Accept": "application/json"})
    assert json.loads(resp.data)["boolean"] is True
    assert len(path.plans) == before  # too long to keep: planned again next time
    assert path.plans.max_bytes == hot_path.PLAN_BYTES


def _wsgi_get(app, path: str, query: str) -> tuple[list[tuple[str, str]], object]:
    seen: list = []
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
               "wsgi.url_scheme": "http", "HTTP_HOST": "127.0.0.1", "REMOTE_ADDR": "127.0.0.1",
               "wsgi.input": BytesIO(b""), "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
               "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False}
    body = app.wsgi_app(environ, lambda status, headers, exc_info=None: seen.extend(headers))
    return seen, body


def test_bodies_in_memory_reach_the_front_whole(app):
    headers, body = _wsgi_get(app, "/sparql", "query=" + quote("ASK {}"))
    assert body == [b'{"head":{},"boolean":true}']
    headers, body = _wsgi_get(app, "/healthz", "")  # through Flask: joined by whole_bodies
    assert isinstance(body, list) and len(body) == 1
    assert dict(headers)["Content-Length"] == str(len(body[0]))


def test_the_request_limits_hold_on_the_hot_path(app, client):
    """A plain GET over MAX_URL_BYTES or MAX_HEADER_BYTES is refused as Flask refuses it."""
    long_url = "/sparql?query=" + quote("ASK {} #" + "x" * app.config["MAX_URL_BYTES"])
    resp = client.get(long_url, headers={"Accept": "application/json"})
    assert resp.status_code == 414 and "MAX_URL_BYTES" in json.loads(resp.data)["detail"]
    assert resp.headers["Content-Security-Policy"] == delivery.CONTENT_SECURITY_POLICY
    resp = client.get("/sparql?query=" + quote("ASK {}"),
                      headers={"Accept": "application/json", "X-Big": "y" * app.config["MAX_HEADER_BYTES"]})
    assert resp.status_code == 431 and "MAX_HEADER_BYTES" in json.loads(resp.data)["detail"]
