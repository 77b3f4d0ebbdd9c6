"""The executor contract (query/execution/contract.py): every executor and the answer cache keep it."""

from __future__ import annotations

import inspect

from jichitai_kg.query.caching.cache import CachingExecutor
from jichitai_kg.query.execution.contract import Executor, RunsQueries
from jichitai_kg.query.execution.executor import QueryExecutor
from jichitai_kg.query.execution.inline import InlineExecutor
from jichitai_kg.remote.executor import RemoteExecutor

EXECUTORS = (QueryExecutor, InlineExecutor, RemoteExecutor)


def test_every_executor_keeps_the_contract_with_the_same_run_signature():
    expected = inspect.signature(RunsQueries.run)
    for cls in EXECUTORS:
        assert issubclass(cls, Executor), cls.__name__
        assert inspect.signature(cls.run) == expected, cls.__name__
    assert issubclass(CachingExecutor, RunsQueries) and not issubclass(CachingExecutor, Executor)
    assert inspect.signature(CachingExecutor.run) == expected
