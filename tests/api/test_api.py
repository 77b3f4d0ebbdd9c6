"""The Python API (jichitai_kg.api): one interface, the same errors, embedded and over HTTP."""

from __future__ import annotations

import sys

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

import jichitai_kg
from jichitai_kg.errors import BadRequest, Forbidden, NotFound, ParameterError, QuerySyntaxError, Unavailable

KAMAKURA = "https://w3id.org/jichitai-kg/id/gov/kamakura"
CODE = ("PREFIX jkg: <https://w3id.org/jichitai-kg/ontology#> "
        "SELECT ?gov ?code WHERE { ?gov jkg:dantaiCode ?code } ORDER BY ?code")


@pytest.fixture(scope="module")
def kg(service_store):
    with jichitai_kg.open() as graph:
        yield graph


@pytest.fixture(scope="module")
def remote(live_server):
    with jichitai_kg.connect(live_server.url) as graph:
        yield graph


def test_lazy_front_door():
    assert set(jichitai_kg.API) <= set(dir(jichitai_kg))
    assert jichitai_kg.open is jichitai_kg.api.open
    with pytest.raises(AttributeError):
        jichitai_kg.nothing  # noqa: B018


def test_bound_parameter_and_both_row_shapes(kg):
    result = kg.query(CODE, gov=URIRef(KAMAKURA))
    assert result.vars == ["gov", "code"]
    assert list(result) == [{"gov": KAMAKURA, "code": "142042"}]
    assert result.terms() == [{"gov": URIRef(KAMAKURA), "code": Literal("142042")}]
    assert len(result) == 1 and result.data_version == kg.data_version and len(kg.data_version) == 32


def test_python_values_of_typed_literals(kg):
    row = next(iter(kg.query("SELECT ?n ?d ?b ?s WHERE { BIND(3 AS ?n) BIND(\"2021-04-01\"^^<http://www.w3.org/2001/XMLSchema#date> AS ?d) "
                             "BIND(true AS ?b) BIND(\"x\"@ja AS ?s) }")))
    from datetime import date
    assert row == {"n": 3, "d": date(2021, 4, 1), "b": True, "s": "x"}
    assert kg.query("SELECT ?n WHERE {}", n=7).terms() == [{"n": Literal("7", datatype=XSD.integer)}]


def test_forms_and_inference_switch(kg):
    assert kg.ask("ASK { ?s ?p ?o }") is True
    with pytest.raises(TypeError, match="ASK query, not of a SELECT"):
        kg.query("ASK {}").values()
    graph = kg.graph(f"CONSTRUCT {{ <{KAMAKURA}> ?p ?o }} WHERE {{ <{KAMAKURA}> ?p ?o }}")
    assert (URIRef(KAMAKURA), None, Literal("鎌倉市", lang="ja")) in graph
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    asserted = kg.query(count, infer=False).column("n")[0]
    assert kg.query(count).column("n")[0] > asserted
    with jichitai_kg.open(inference=False) as plain:
        assert plain.query(count).column("n")[0] == asserted


def test_to_pandas_needs_the_extra(kg, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'jichitai-kg\[pandas\]'"):
        kg.query(CODE).to_pandas()


def test_questions_listed_with_parameters(kg):
    questions = {q["id"]: q for q in kg.questions("en")}
    assert "telework" in questions
    assert questions["government-profile"]["params"][0]["name"] == "gov"
    assert questions["government-profile"]["params"][0]["required"] is True


def check_errors(graph) -> None:
    with pytest.raises(QuerySyntaxError) as syntax:
        graph.query("SELECT * WHERE {\n ?s foo:bar ?o }")
    assert (syntax.value.line, syntax.value.column, syntax.value.token) == (2, 5, "foo:")
    assert syntax.value.status == 400
    with pytest.raises(ParameterError) as param:
        graph.question("telework", gov="atlantis")
    assert param.value.param == "gov" and "kamakura (142042, 鎌倉市)" in param.value.valid
    with pytest.raises(NotFound):
        graph.question("no-such-question")
    with pytest.raises(Forbidden):
        graph.query("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(BadRequest):
        graph.search("")


def test_errors_embedded(kg):
    check_errors(kg)


@pytest.mark.server
def test_errors_remote_are_the_same_classes(remote):
    check_errors(remote)


@pytest.mark.server
def test_remote_answers_as_embedded(kg, remote):
    for sparql in (CODE, "ASK { ?s ?p ?o }"):
        assert remote.query(sparql).body == kg.query(sparql).body
    assert remote.query(CODE, gov=URIRef(KAMAKURA)).values() == [{"gov": KAMAKURA, "code": "142042"}]
    describe = f"DESCRIBE <{KAMAKURA}>"
    assert remote.graph(describe).isomorphic(kg.graph(describe))
    assert remote.question("government-profile", gov="kamakura").values() == \
        kg.question("government-profile", gov="kamakura").values()
    assert remote.data_version == kg.data_version
    assert remote.reconcile("鎌倉市", limit=3) == kg.reconcile("鎌倉市", limit=3)


def test_unreachable_server_is_unavailable():
    with pytest.raises(Unavailable, match="cannot reach the jichitai-kg server at http://127.0.0.1:9"):
        jichitai_kg.connect("http://127.0.0.1:9", timeout=2).query("ASK {}")
