"""Fixtures of the query-execution tests: a loopback listener that must receive no connection,
and one single-worker executor shared by a module's tests."""

from __future__ import annotations

import pytest

from jichitai_kg.query.execution.executor import QueryExecutor
from loopback import Listener


@pytest.fixture()
def listener():
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture(scope="module")
def one_worker_executor(service_store):
    with QueryExecutor(service_store, workers=1, timeout=20) as ex:
        yield ex
