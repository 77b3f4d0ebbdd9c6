"""query/rules/syntax_check.py: the engine's parser, without running the query."""

from __future__ import annotations

import re

import pytest

from jichitai_kg.errors import Forbidden, QuerySyntaxError
from jichitai_kg.query.rules.syntax_check import check_syntax


@pytest.mark.parametrize("query, form", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("ASK { ?s ?p ?o }", "ASK"),
    ("PREFIX ex: <http://example.org/>\nCONSTRUCT { ?s ex:p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
])
def test_valid_queries_parse(query, form):
    assert check_syntax(query).form == form


def position(exc: QuerySyntaxError) -> tuple[int, int]:
    line, column = re.search(r"at (\d+):(\d+)", exc.message).groups()
    return int(line), int(column)


def test_errors_carry_the_parsers_position():
    with pytest.raises(QuerySyntaxError) as err:
        check_syntax("SELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER(\n}")
    assert position(err.value)[0] >= 3


def test_ask_positions_are_those_of_the_text_as_written():
    """ASK is parsed as SELECT* (evaluated lazily); a column after it moves back."""
    with pytest.raises(QuerySyntaxError) as select_err:
        check_syntax("SELECT* { ?s ?p ?o . FILTER( }")
    with pytest.raises(QuerySyntaxError) as ask_err:
        check_syntax("ASK { ?s ?p ?o . FILTER( }")
    assert position(ask_err.value)[1] == position(select_err.value)[1] - 4
    with pytest.raises(QuerySyntaxError) as later:
        check_syntax("ASK {\n ?s ?p ?o . FILTER( }")
    with pytest.raises(QuerySyntaxError) as later_select:
        check_syntax("SELECT* {\n ?s ?p ?o . FILTER( }")
    assert position(later.value) == position(later_select.value)  # other lines keep their columns


def test_the_guard_refuses_first():
    with pytest.raises(Forbidden):
        check_syntax("INSERT DATA { <a:b> <a:c> <a:d> }")
