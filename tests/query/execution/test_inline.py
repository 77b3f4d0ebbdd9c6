"""The in-process executor of the one-shot CLI (query/execution/inline.py)."""

from __future__ import annotations

import threading

import pytest

from hostile_queries import DEEP, ESCAPED_SERVICE, JSON, rows
from jichitai_kg.errors import Forbidden as ForbiddenOperation
from jichitai_kg.errors import QueryTooComplex
from jichitai_kg.query.rules import nesting


def test_inline_executor_applies_the_depth_check_and_the_engine_guard(service_store, listener):
    """The CLI answers in process, without a sandbox: depth check and engine-parse guard apply."""
    from jichitai_kg.query.execution.inline import InlineExecutor

    ex = InlineExecutor(service_store, timeout=20)
    with pytest.raises(QueryTooComplex, match="accepts at most"):
        ex.run(DEEP["1,000 FILTER EXISTS"], result_format=JSON)
    with pytest.raises(ForbiddenOperation, match="SERVICE is refused"):
        ex.run(ESCAPED_SERVICE.format(port=listener.port), result_format=JSON)
    n = nesting.MAX_NESTING - 2
    out = ex.run("SELECT (" + "(" * n + "1" + ")" * n + " AS ?x) WHERE {}", result_format=JSON)
    assert rows(out)[0]["x"]["value"] == "1"
    threading.Event().wait(0.5)
    assert listener.connections == 0
