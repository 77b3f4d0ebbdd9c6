"""The parser's messages as sentences with line, column and token (query/rules/syntax_errors.py)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from jichitai_kg.errors import QuerySyntaxError
from jichitai_kg.query.rules.syntax_errors import explain, rewrite


def parser_message(query: str) -> str:
    with pytest.raises(SyntaxError) as info:
        ox.Store().query(query)
    return f"Query syntax error: {info.value}"


def test_unknown_prefix_names_the_prefix_and_the_fix():
    query = "SELECT * WHERE {\n  ?s foo:bar ?o }"
    problem = explain(query, parser_message(query))
    assert problem is not None
    assert (problem.line, problem.column, problem.token) == (2, 6, "foo:")
    assert problem.sentence == ("Unknown prefix `foo:` at 2:6 (line 2, column 6) — add "
                                "`PREFIX foo: <…>` before the query.")
    assert len(problem.sentence) < 120  # not the parser's 600 characters of Unicode ranges


def test_known_project_prefix_is_spelled_out():
    query = "SELECT ?l WHERE { ?s rdfs:label ?l }"
    problem = explain(query, parser_message(query))
    assert problem is not None
    assert "`PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>`" in problem.sentence


def test_unknown_query_form_is_named():
    query = "PREFIX a: <http://a/>\nSELEC * WHERE { ?s ?p ?o }"
    problem = explain(query, parser_message(query))
    assert problem is not None
    assert problem.sentence == ("Syntax error at 2:1 (line 2, column 1): found `SELEC`; a query begins with "
                                "SELECT, CONSTRUCT, ASK or DESCRIBE (after its PREFIX and BASE lines).")


def test_unexpected_token_lists_readable_alternatives():
    query = "SELECT ?x WHERE { ?x ?p ?o } ORDER ?x"
    problem = explain(query, parser_message(query))
    assert problem is not None
    assert problem.sentence == "Syntax error at 1:38 (line 1, column 38): found the end of the query; expected BY."


def test_end_of_query_and_no_character_classes():
    query = "SELECT * WHERE { ?s ?p ?o "
    problem = explain(query, parser_message(query))
    assert problem is not None
    assert problem.sentence.startswith("Syntax error at 1:27 (line 1, column 27): found the end of the query; "
                                       "expected one of ")
    assert "`}`" in problem.sentence and "['" not in problem.sentence and "\\u" not in problem.sentence


def test_invalid_iri_shows_the_iri():
    query = "SELECT ?x WHERE { ?s <http://a b> ?o }"
    problem = explain(query, parser_message(query))
    assert problem is not None
    assert problem.token == "<http://a b>" and problem.column == 22
    assert problem.sentence == "Invalid IRI `<http://a b>` at 1:22 (line 1, column 22): an IRI has no spaces."


def test_rewrite_keeps_messages_without_position():
    error = QuerySyntaxError("Query syntax error: something else")
    assert rewrite(error, "SELECT") is error
    query = "SELECT * { ?s x:y ?o }"
    better = rewrite(QuerySyntaxError(parser_message(query)), query)
    assert (better.line, better.column, better.token) == (1, 15, "x:")
    assert better.status == 400 and better.message.startswith("Unknown prefix `x:`")
