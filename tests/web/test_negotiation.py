"""Content negotiation at /sparql over HTTP: Accept, format=, Vary, 406, per query form."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from rdflib import Graph, Literal

from jichitai_kg.namespaces import CATEGORY, RDFS

SELECT = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
          "SELECT ?label WHERE { <https://w3id.org/jichitai-kg/id/category/culture> rdfs:label ?label "
          "FILTER(LANG(?label) = 'ja') }")
ASK = "ASK { <https://w3id.org/jichitai-kg/id/category/culture> ?p ?o }"
CONSTRUCT = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
             "CONSTRUCT { ?c rdfs:label ?l } WHERE { VALUES ?c { <https://w3id.org/jichitai-kg/id/category/culture> } "
             "?c rdfs:label ?l }")
DESCRIBE = "DESCRIBE <https://w3id.org/jichitai-kg/id/category/culture>"


def get(client, query, accept=None, **params):
    headers = {"Accept": accept} if accept else {}
    return client.get("/sparql", query_string={"query": query, **params}, headers=headers)


@pytest.mark.parametrize("accept, media_type", [
    (None, "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/json", "application/sparql-results+json"),
    ("text/csv;q=0.4, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("text/*", "text/csv"),
])
def test_select_formats(client, accept, media_type):
    resp = get(client, SELECT, accept)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].split(";")[0] == media_type
    assert resp.headers["Vary"] == "Accept"
    body = resp.data.decode("utf-8")
    assert "組織文化" in body


def test_select_xml_body(client):
    resp = get(client, SELECT, "application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    literal = ET.fromstring(resp.data).find(".//r:binding[@name='label']/r:literal", ns)
    assert literal.text == "組織文化"
    assert literal.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"


def test_select_tsv_body(client):
    lines = get(client, SELECT, "text/tab-separated-values").data.decode().splitlines()
    assert lines == ["?label", '"組織文化"@ja']


@pytest.mark.parametrize("accept", ["text/turtle", "image/png", "application/ld+json"])
def test_select_not_acceptable(client, accept):
    resp = get(client, SELECT, accept)
    assert resp.status_code == 406
    assert "application/sparql-results+json" in resp.data.decode()


def test_ask_formats(client):
    assert json.loads(get(client, ASK).data) == {"head": {}, "boolean": True}
    xml = get(client, ASK, "application/sparql-results+xml")
    assert xml.headers["Content-Type"] == "application/sparql-results+xml"
    assert ET.fromstring(xml.data).find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"
    # CSV has no boolean form: prefer it and you get JSON; insist on it and you get 406.
    assert get(client, ASK, "text/csv, */*;q=0.1").headers["Content-Type"] == \
        "application/sparql-results+json"
    assert get(client, ASK, "text/csv").status_code == 406


@pytest.mark.parametrize("accept, media_type, rdflib_format", [
    (None, "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/rdf+xml;q=0.5, text/turtle;q=0.1", "application/rdf+xml", "xml"),
])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
def test_graph_formats(client, query, accept, media_type, rdflib_format):
    resp = get(client, query, accept)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].split(";")[0] == media_type
    g = Graph().parse(data=resp.data, format=rdflib_format)
    assert (CATEGORY.culture, RDFS.label, Literal("組織文化", lang="ja")) in g


def test_construct_not_acceptable(client):
    resp = get(client, CONSTRUCT, "application/sparql-results+json")
    assert resp.status_code == 406
    assert "text/turtle" in resp.data.decode()


@pytest.mark.parametrize("fmt, media_type", [
    ("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
    ("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
])
def test_format_parameter_for_select(client, fmt, media_type):
    # Browser links carry a browser's Accept; format= wins over it.
    resp = get(client, SELECT, "text/html,*/*;q=0.8", format=fmt)
    assert resp.headers["Content-Type"].split(";")[0] == media_type
    assert "組織文化" in resp.data.decode()


@pytest.mark.parametrize("fmt, media_type", [
    ("turtle", "text/turtle"), ("ntriples", "application/n-triples"),
    ("jsonld", "application/ld+json"), ("rdfxml", "application/rdf+xml"),
])
def test_format_parameter_for_construct(client, fmt, media_type):
    resp = get(client, CONSTRUCT, "text/html", format=fmt)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].split(";")[0] == media_type


def test_format_parameter_wrong_for_form_is_406_with_a_reason(client):
    resp = get(client, SELECT, format="turtle")
    assert resp.status_code == 406
    text = resp.data.decode()
    assert "format=turtle cannot represent the result of a SELECT query" in text
    assert "use CONSTRUCT or DESCRIBE for RDF" in text


@pytest.mark.parametrize("accept", ["text/n3", "text/rdf+n3", "application/turtle"])
def test_n3_names_get_turtle_for_graphs(client, accept):
    resp = get(client, CONSTRUCT, accept)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/turtle; charset=utf-8"
    g = Graph().parse(data=resp.data.decode(), format="n3")
    assert (None, RDFS.label, Literal("組織文化", lang="ja")) in g
