"""Nesting depth measured as the engine sees it, and the limits (query/rules/nesting.py)."""

from __future__ import annotations

from jichitai_kg.query.rules import nesting


def test_nesting_counts_what_the_engine_sees():
    assert nesting.measure("SELECT * WHERE { ?s ?p '((((' }")[0] == 1
    # a comment's closing brackets do not cancel real opening ones
    deep, _ = nesting.measure("SELECT * WHERE { FILTER(" + "(" * 10 + "#" + ")" * 10 + "\n1" +
                              ")" * 11 + "}")
    assert deep >= 12
    assert nesting.measure("ASK { FILTER EXISTS { FILTER NOT EXISTS { } } }")[0] == 5


def test_project_queries_are_within_the_limits(project_root):
    for path in sorted((project_root / "queries").rglob("*.rq")):
        nesting.check_query_shape(path.read_text(encoding="utf-8"))
