"""Pure protocol functions: Accept parsing, negotiation, query sniffing, request rules."""

from __future__ import annotations

import pytest

from jichitai_kg.errors import JKGError
from jichitai_kg.query.rules import guard
from jichitai_kg.query.rules import media as p
from jichitai_kg.query.rules.guard import sniff
from jichitai_kg.query.rules.media import negotiate
from jichitai_kg.query.rules.protocol import parse_request

# --------------------------------------------------------------------------- negotiation

RESULTS = p.SOLUTION_TYPES
GRAPHS = p.GRAPH_TYPES


@pytest.mark.parametrize("accept, offered, expected", [
    (None, RESULTS, p.JSON_RESULTS),
    ("", GRAPHS, p.TURTLE),
    ("*/*", GRAPHS, p.TURTLE),
    ("text/csv", RESULTS, p.CSV),
    ("text/csv;q=0.5, application/sparql-results+xml", RESULTS, p.XML_RESULTS),
    # Oxigraph's own case: q=0 excludes JSON, */* at 1 beats csv at 0.5, XML is next in order.
    ("*/*;q=1, application/sparql-results+json;q=0, text/csv;q=0.5", RESULTS, p.XML_RESULTS),
    # The most specific range decides: text/turtle;q=0 removes Turtle although */* allows it.
    ("text/turtle;q=0, */*;q=0.1", GRAPHS, p.NTRIPLES),
    ("text/*", RESULTS, p.CSV),
    ("text/*;q=0.2, application/ld+json;q=0.9", GRAPHS, p.JSONLD),
    ("application/rdf+xml, text/turtle;q=0.8", GRAPHS, p.RDFXML),
    ("TEXT/CSV", RESULTS, p.CSV),
    ("text/tab-separated-values; charset=utf-8", RESULTS, p.TSV),
    ("image/png", RESULTS, None),
    ("text/turtle", RESULTS, None),
    ("application/sparql-results+json;q=0", (p.JSON_RESULTS,), None),
    # A charset we cannot produce does not match.
    ("text/csv;charset=utf-16", RESULTS, None),
    # Browser default: HTML first, */* lower; for results that means our default (JSON).
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", RESULTS, p.JSON_RESULTS),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", p.DESCRIPTION_TYPES, p.HTML),
    ("garbage, text/csv", RESULTS, p.CSV),
    ("text/csv;q=abc, text/tab-separated-values;q=0.1", RESULTS, p.TSV),
])
def test_negotiate(accept, offered, expected):
    assert negotiate(accept, offered) == expected


def test_negotiate_aliases_map_to_canonical_types():
    # SPARQLWrapper's JSON Accept header, and clients that just say application/json.
    assert negotiate("application/json", RESULTS, p.results_aliases()) == p.JSON_RESULTS
    assert negotiate("application/xml", RESULTS, p.results_aliases()) == p.XML_RESULTS
    assert negotiate("application/xml", GRAPHS, p.graph_aliases()) == p.RDFXML
    assert negotiate("text/plain", GRAPHS, p.graph_aliases()) == p.NTRIPLES
    assert negotiate("application/json", GRAPHS, p.graph_aliases()) == p.JSONLD


@pytest.mark.parametrize("form, fmt, expected", [
    ("SELECT", "csv", p.CSV),
    ("SELECT", "tsv", p.TSV),
    ("ASK", "xml", p.XML_RESULTS),
    ("CONSTRUCT", "jsonld", p.JSONLD),
    ("DESCRIBE", "ntriples", p.NTRIPLES),
    ("CONSTRUCT", "rdfxml", p.RDFXML),
])
def test_format_parameter_overrides_accept(form, fmt, expected):
    assert p.negotiate_result("image/png", form, fmt) == expected


@pytest.mark.parametrize("form, fmt, expected", [
    # SPARQLWrapper sends its return format as format=; for graphs xml/json mean RDF/XML, JSON-LD.
    ("CONSTRUCT", "xml", p.RDFXML),
    ("CONSTRUCT", "json", p.JSONLD),
    ("DESCRIBE", "n3", p.TURTLE),
    ("SELECT", "text/tab-separated-values", p.TSV),
    ("CONSTRUCT", "application/rdf+xml", p.RDFXML),
])
def test_format_parameter_client_spellings(form, fmt, expected):
    assert p.negotiate_result(None, form, fmt) == expected


@pytest.mark.parametrize("form, fmt, status", [("ASK", "csv", 406), ("SELECT", "turtle", 406),
                                               ("CONSTRUCT", "csv", 406), ("SELECT", "pdf", 400)])
def test_format_parameter_unsuitable_is_406_unknown_is_400(form, fmt, status):
    with pytest.raises(JKGError) as err:
        p.negotiate_result(None, form, fmt)
    assert err.value.status == status
    assert fmt in err.value.message


def test_ask_as_csv_is_not_acceptable():
    with pytest.raises(JKGError) as err:
        p.negotiate_result("text/csv", "ASK", None)
    assert err.value.status == 406
    assert "application/sparql-results+json" in err.value.message


# --------------------------------------------------------------------------- sniffing


@pytest.mark.parametrize("query, form", [
    ("SELECT * {}", "SELECT"),
    ("select * {}", "SELECT"),
    ("ASK {}", "ASK"),
    ("CONSTRUCT {<s> <p> 1} WHERE {}", "CONSTRUCT"),
    ("DESCRIBE <http://example.org/>", "DESCRIBE"),
    ("# CONSTRUCT in a comment\nPREFIX ex: <http://ex/#ASK>\nBASE <http://b/>\n"
     "PREFIX : <http://x/>\nSELECT ?x {}", "SELECT"),
    ("PREFIX ex:<http://ex/>ASK{}", "ASK"),
    ("PREFIX select: <http://ex/>\nDESCRIBE select:x", "DESCRIBE"),
])
def test_sniff_finds_the_query_form(query, form):
    info = sniff(query)
    assert info.form == form
    assert not info.update


@pytest.mark.parametrize("query", [
    "INSERT DATA { <a> <b> <c> }",
    "PREFIX ex: <http://ex/> DELETE WHERE { ?s ?p ?o }",
    "CLEAR ALL",
    "LOAD <http://example.org/data.ttl>",
    "WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_sniff_recognises_updates(query):
    info = sniff(query)
    assert info.update
    assert info.form is None


@pytest.mark.parametrize("query, targets", [
    ("SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", ["http://127.0.0.1:9/sparql"]),
    ("SELECT * { service silent <http://a/> { ?s ?p ?o } }", ["http://a/"]),
    ("PREFIX wd: <https://query.wikidata.org/> SELECT * { SERVICE wd:sparql { ?s ?p ?o } }",
     ["https://query.wikidata.org/sparql"]),
    ("BASE <http://host/> SELECT * { SERVICE <sparql> { ?s ?p ?o } }", ["http://host/sparql"]),
    ("SELECT * { SERVICE ?endpoint { ?s ?p ?o } }", [None]),
    ("SELECT * { ?s ?p ?o }SERVICE<http://x/>{}", ["http://x/"]),
    # A codepoint escape spelling SERVICE is found after unescaping.
    ("SELECT * { \\u0053ERVICE <http://e/> { ?s ?p ?o } }", ["http://e/"]),
])
def test_sniff_finds_service_targets(query, targets):
    assert sniff(query).service_iris == targets


@pytest.mark.parametrize("query", [
    "SELECT ?service { ?service a <http://x/Service> }",
    'SELECT * { ?s ?p "SERVICE <http://x/>" }',
    "SELECT * { ?s ?p '''multi\nSERVICE <http://x/> line''' }",
    "# SERVICE <http://x/> in a comment\nSELECT * {}",
    "PREFIX service: <http://ex/> SELECT * { service:a ?p ?o }",
    "SELECT * { <http://example.org/SERVICE> ?p ?o }",
])
def test_sniff_ignores_service_outside_keywords(query):
    assert sniff(query).service_iris == []


def test_forbidden_services_uses_the_allowlist():
    info = sniff("SELECT * { SERVICE <http://ok/> {} SERVICE <http://bad/> {} SERVICE ?v {} }")
    assert guard.forbidden_services(info, ["http://ok/"]) == ["http://bad/", "?"]
    assert guard.forbidden_services(info, []) == ["http://ok/", "http://bad/", "?"]


# --------------------------------------------------------------------------- request rules


def _err(*args) -> JKGError:
    with pytest.raises(JKGError) as err:
        parse_request(*args)
    return err.value


def test_get_query_with_dataset():
    req = parse_request("GET", [("query", "ASK {}"), ("default-graph-uri", "http://a"),
                                ("named-graph-uri", "http://b"), ("named-graph-uri", "http://c")],
                        None, b"")
    assert req.query == "ASK {}"
    assert req.default_graphs == ["http://a"]
    assert req.named_graphs == ["http://b", "http://c"]


def test_get_without_query_asks_for_the_description():
    assert parse_request("GET", [], None, b"").query is None


def test_get_update_is_400():
    err = _err("GET", [("update", "CLEAR ALL")], None, b"")
    assert err.status == 400 and "GET" in err.message


def test_two_queries_is_400():
    err = _err("GET", [("query", "ASK {}"), ("query", "ASK {}")], None, b"")
    assert err.status == 400 and "More than one 'query'" in err.message


def test_post_form_merges_url_dataset():
    req = parse_request("POST", [("default-graph-uri", "http://g")],
                        "application/x-www-form-urlencoded", b"query=ASK%20%7B%7D&infer=false")
    assert req.query == "ASK {}"
    assert req.default_graphs == ["http://g"]
    assert req.infer is False


def test_post_form_query_and_update_is_400():
    err = _err("POST", [], "application/x-www-form-urlencoded", b"query=ASK+%7B%7D&update=CLEAR+ALL")
    assert err.status == 400 and "not both" in err.message


def test_post_form_update_is_403():
    err = _err("POST", [], "application/x-www-form-urlencoded", b"update=CLEAR+ALL")
    assert err.status == 403 and "read-only" in err.message


def test_post_form_two_updates_is_400():
    err = _err("POST", [], "application/x-www-form-urlencoded", b"update=CLEAR+ALL&update=CLEAR+ALL")
    assert err.status == 400


def test_post_direct_query():
    req = parse_request("POST", [("named-graph-uri", "http://n")],
                        "application/sparql-query; charset=UTF-8", "ASK { ?s ?p \"日本\" }".encode())
    assert req.query == 'ASK { ?s ?p "日本" }'
    assert req.named_graphs == ["http://n"]


def test_post_direct_with_query_in_url_is_400():
    err = _err("POST", [("query", "ASK {}")], "application/sparql-query", b"ASK {}")
    assert err.status == 400


def test_post_direct_update_is_403():
    err = _err("POST", [], "application/sparql-update", b"CLEAR ALL")
    assert err.status == 403


@pytest.mark.parametrize("ctype, status", [
    (None, 400), ("", 400), ("text/plain", 415), ("application/json", 415),
])
def test_post_content_type_rules(ctype, status):
    err = _err("POST", [], ctype, b"ASK {}")
    assert err.status == status
    assert "Content-Type" in err.message


@pytest.mark.parametrize("ctype, body", [
    ("application/sparql-query; charset=UTF-16", "ASK {}".encode("utf-16")),
    ("application/sparql-query", b"ASK { ?s ?p \"\xff\xfe\" }"),
    ("application/x-www-form-urlencoded", b"query=ASK%20%7B%22%FF%22%7D"),
])
def test_non_utf8_is_400(ctype, body):
    err = _err("POST", [], ctype, body)
    assert err.status == 400 and "UTF-8" in err.message


def test_other_methods_are_405():
    err = _err("PUT", [], "application/sparql-query", b"ASK {}")
    assert err.status == 405 and "GET, HEAD, POST" in err.headers["Allow"]


def test_bad_infer_value_is_400():
    err = _err("GET", [("query", "ASK {}"), ("infer", "maybe")], None, b"")
    assert err.status == 400 and "infer" in err.message


def test_wildcards_do_not_match_through_aliases():
    # text/xml is an alias of SPARQL XML, but text/* means "any text type we produce": CSV.
    assert negotiate("text/*", RESULTS, p.results_aliases()) == p.CSV
