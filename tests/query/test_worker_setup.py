"""Worker limits read from the settings (query/worker_setup.py)."""

from __future__ import annotations

from jichitai_kg.config import load_settings
from jichitai_kg.query.worker_setup import WorkerLimits


def test_sandbox_is_on_in_every_mode():

    assert load_settings({})["QUERY_SANDBOX"] is True
    assert load_settings({"SERVICE_ALLOWLIST": ["http://a/"]})["QUERY_SANDBOX"] is True
    assert load_settings({"QUERY_SANDBOX": "false"})["QUERY_SANDBOX"] is False
    limits = WorkerLimits.from_settings(load_settings({"QUERY_MEMORY_LIMIT": 0}))
    assert limits.memory_limit is None and limits.sandbox is True
