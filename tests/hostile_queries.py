"""Hostile queries shared by the query-execution and HTTP tests: a SERVICE call spelled to slip
past a lexer, queries nested past the parser's limit, and the sandbox mark."""

from __future__ import annotations

import json

import pytest

from jichitai_kg.query.execution import sandbox

JSON = "application/sparql-results+json"
ESCAPED_SERVICE = ("PREFIX ex: <http://x/> SELECT * WHERE {{ BIND(ex:a\\#b AS ?z) "
                   "SERVICE <http://127.0.0.1:{port}/ssrf> {{ ?s ?p ?o }} }}")
NEEDS_SANDBOX = pytest.mark.skipif(not sandbox.sandbox_available(),
                                   reason="no seccomp filter on this platform")

DEEP = {
    "5,000 parentheses": "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    "5,000 groups": "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
    "1,000 FILTER EXISTS": ("SELECT * WHERE { ?s ?p ?o " + "FILTER EXISTS { " * 1000 + "}" * 1000
                            + " }"),
    "30,000 objects": "SELECT * WHERE { ?s ?p " + ",".join(["1"] * 30000) + " }",
    "brackets behind an escaped #": ("PREFIX ex: <http://x/> SELECT * WHERE { BIND(ex:a\\#b AS ?z) "
                                     + "FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }"),
}


def rows(outcome):
    """The bindings of a JSON SELECT answer."""
    return json.loads(outcome.body)["results"]["bindings"]
