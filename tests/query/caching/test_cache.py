"""Answers are kept in memory and named by ETags: 304 for a client that has them."""

from __future__ import annotations

import uuid

from jichitai_kg.query.caching.cache import request_key
from jichitai_kg.query.memo import BytesLRU
from jichitai_kg.web.state import get_dataset

ASK = "ASK { ?s ?p ?o }  # asked by this module only"
GOVS = ("SELECT ?g WHERE { ?g a <https://w3id.org/jichitai-kg/ontology#LocalGovernment> } "
        "ORDER BY ?g")


def test_lru_is_bounded_by_bytes_and_evicts_the_least_recent():
    lru = BytesLRU(100)
    lru.put("a", "A", 20)
    lru.put("b", "B", 20)
    lru.put("c", "C", 20)
    assert lru.get("a") == "A"  # a is now the most recent
    lru.put("d", "D", 20)
    lru.put("e", "E", 25)
    assert lru.size == 85 and len(lru) == 4
    assert lru.get("b") is None and lru.get("a") == "A"
    lru.put("huge", "H", 30)  # over a quarter of the cache: not kept
    assert lru.get("huge") is None
    lru.put("a", "A2", 5)  # replacing counts the new size only
    assert lru.get("a") == "A2" and lru.size == 70


def test_key_names_every_input_of_an_answer():
    base = request_key(GOVS, result_format="text/csv")
    assert base == request_key(GOVS, result_format="text/csv")
    assert base != request_key(GOVS, result_format="application/sparql-results+json")
    assert base != request_key(GOVS, result_format="text/csv", default_graph=["http://g"])
    assert base != request_key(GOVS, result_format="text/csv", substitutions={"g": "<http://x>"})


def test_get_answers_with_etag_and_304(client):
    first = client.get("/sparql", query_string={"query": GOVS}, headers={"Accept": "text/csv"})
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    assert "max-age=" in first.headers["Cache-Control"]
    assert first.data.decode().splitlines()[0] == "g"
    again = client.get("/sparql", query_string={"query": GOVS}, headers={"Accept": "text/csv",
                                                                         "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    other = client.get("/sparql", query_string={"query": GOVS},
                       headers={"Accept": "application/sparql-results+json", "If-None-Match": etag})
    assert other.status_code == 200 and other.headers["ETag"] != etag
    asserted = client.get("/sparql", query_string={"query": GOVS, "infer": "false"},
                          headers={"Accept": "text/csv"})
    assert asserted.headers["ETag"] != etag


def test_repeated_question_is_answered_from_memory(app, client):
    answers = get_dataset(app).answers
    before = answers.hits
    query = f"{ASK} {uuid.uuid4()}"  # never asked before: not in the file a previous run shared
    one = client.post("/sparql", data=query, headers={"Content-Type": "application/sparql-query"})
    two = client.post("/sparql", data=query, headers={"Content-Type": "application/sparql-query"})
    assert one.data == two.data and b'"boolean":true' in one.data.replace(b" ", b"")
    assert answers.hits == before + 1


def test_cq_answers_have_etags(client):
    resp = client.get("/cq/governments?format=csv")
    assert resp.status_code == 200 and resp.headers["ETag"]
    assert client.get("/cq/governments?format=csv",
                      headers={"If-None-Match": resp.headers["ETag"]}).status_code == 304
