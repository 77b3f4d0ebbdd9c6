"""Worker limits read from the settings, and the memory cap a worker sets itself (query/execution/worker_setup.py)."""

from __future__ import annotations

import pytest

from hostile_queries import JSON, rows
from jichitai_kg.config import load_settings
from jichitai_kg.errors import WorkerLost
from jichitai_kg.query.execution.executor import QueryExecutor
from jichitai_kg.query.execution.worker_setup import WorkerLimits


def test_sandbox_is_on_in_every_mode():
    assert load_settings({})["QUERY_SANDBOX"] is True
    assert load_settings({"SERVICE_ALLOWLIST": ["http://a/"]})["QUERY_SANDBOX"] is True
    assert load_settings({"QUERY_SANDBOX": "false"})["QUERY_SANDBOX"] is False
    limits = WorkerLimits.from_settings(load_settings({"QUERY_MEMORY_LIMIT": 0}))
    assert limits.memory_limit is None and limits.sandbox is True


HUNGRY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"


def test_query_over_the_memory_cap_is_503_and_the_worker_replaced(service_store):
    with QueryExecutor(service_store, workers=1, timeout=60,
                       limits=WorkerLimits(memory_limit=1024 ** 3)) as ex:
        before = ex.worker_pids
        with pytest.raises(WorkerLost, match="QUERY_MEMORY_LIMIT"):
            ex.run(HUNGRY, result_format=JSON)
        out = ex.run("SELECT (1 AS ?one) WHERE {}", result_format=JSON, timeout=120)
        assert rows(out)[0]["one"]["value"] == "1"
        assert ex.worker_pids and ex.worker_pids != before
