"""SERVICE found by the engine's own parse (query/rules/engine_guard.py)."""

from __future__ import annotations

from hostile_queries import ESCAPED_SERVICE
from jichitai_kg.query.rules import engine_guard


def test_engine_guard_tells_keywords_from_words():
    assert not engine_guard.service_free(ESCAPED_SERVICE.format(port=9))
    assert not engine_guard.service_free("SELECT * WHERE { sErViCe <http://a/> { ?s ?p ?o } }")
    assert engine_guard.service_free(
        'PREFIX service: <http://s/> SELECT ?service WHERE { ?service service:p "service" } '
        "# SERVICE <http://a/> {}")
