"""Long-query admission shared by the serving processes: tickets, per-client limits, order
(query/execution/admission.py)."""

from __future__ import annotations

import os
import threading
import time

import pytest

from jichitai_kg.errors import QueryTimeout, Unavailable
from jichitai_kg.query.execution.admission import Admission
from loopback import wait_until


def test_a_client_over_its_long_query_limit_is_refused_at_once():
    shared = Admission(1, per_client=1)
    with shared.long_work(deadline=time.monotonic() + 5, limit=5, who="10.0.0.1"):
        started = time.monotonic()
        with pytest.raises(Unavailable, match="LONG_QUERIES_PER_CLIENT"):
            with shared.long_work(deadline=time.monotonic() + 5, limit=5, who="10.0.0.1"):
                pass
        assert time.monotonic() - started < 0.5
        with pytest.raises(QueryTimeout, match="stayed busy for 0.2 s"):  # another client waits
            with shared.long_work(deadline=time.monotonic() + 0.2, limit=0.2, who="10.0.0.2"):
                pass
    with shared.long_work(deadline=time.monotonic() + 1, limit=1, who="10.0.0.2"):
        assert shared.running() == 1


def test_a_ticket_held_by_a_dead_process_is_free_again():
    shared = Admission(1, per_client=1)
    pid = os.fork()
    if pid == 0:  # a serving process that takes the ticket and dies with it
        shared.try_ticket("10.0.0.1")
        os._exit(0)
    os.waitpid(pid, 0)
    assert shared.running() == 0
    assert shared.try_ticket("10.0.0.1") is not None


def test_a_slow_query_gets_the_ticket_before_a_known_runaway():
    shared = Admission(1, per_client=4)
    order: list[str] = []

    def wait(name: str, known_long: bool):
        with shared.long_work(deadline=time.monotonic() + 10, limit=10, who=name,
                              known_long=known_long):
            order.append(name)
            time.sleep(0.1)
    ticket = shared.try_ticket("holder")
    runaway = threading.Thread(target=wait, args=("runaway", True))
    runaway.start()
    time.sleep(0.2)  # the runaway waits first
    slow = threading.Thread(target=wait, args=("slow", False))
    slow.start()
    assert wait_until(lambda: shared._fresh_waiting(), 5)
    shared.release(ticket)
    runaway.join(10)
    slow.join(10)
    assert order == ["slow", "runaway"]
