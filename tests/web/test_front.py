"""The HTTP front's supervision (web/front.py): back-off for a serving process that failed,
the end of the server when none ever started.  The front serving real requests is tested in
test_prefork.py, test_shutdown.py and test_server.py."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from granian.server.mp import MPServer

from jichitai_kg.web import front
from jichitai_kg.web.prefork import ReadinessBoard


@pytest.fixture()
def server(monkeypatch):
    respawned: list[list[int]] = []
    monkeypatch.setattr(MPServer, "_respawn_workers",
                        lambda self, workers, *a, **k: respawned.append(list(workers)))
    monkeypatch.setattr(front, "_kill_group", lambda pgid: None)
    board = ReadinessBoard(2)
    srv = front.create("127.0.0.1", 1, processes=2, threads=2, grace=1, max_header_bytes=1024,
                       board=board)
    srv.wrks = [SimpleNamespace(birth=time.monotonic(), inner=SimpleNamespace(pid=None, exitcode=1))
                for _ in range(2)]
    return srv, board, respawned


def test_settings_reach_granian():
    srv = front.create("127.0.0.1", 1, processes=3, threads=5, grace=10, max_header_bytes=1000,
                       board=ReadinessBoard(3))
    assert (srv.workers, srv.blocking_threads, srv.backpressure) == (3, 5, front.CONNECTIONS_PER_PROCESS)
    assert srv.http1_settings.header_read_timeout == 5000
    assert srv.http1_settings.max_buffer_size == 64 * 1024 + 4 * 1000
    assert srv.workers_kill_timeout == 15  # the grace period and the kill margin


def test_no_process_ever_ready_ends_the_server(server):
    srv, board, respawned = server
    srv._respawn_workers([0], None, None)  # the first failure: tried again
    assert respawned == [[0]]
    with pytest.raises(front.NeverStarted):
        srv._respawn_workers([1], None, None)  # every process failed, none ever ready


def test_a_process_failing_while_others_serve_is_replaced_with_back_off(server, monkeypatch):
    srv, board, respawned = server
    board.mark_ready()
    waited: list[float] = []
    clock = [0.0]
    monkeypatch.setattr(front.time, "sleep", lambda s: (waited.append(s), clock.__setitem__(0, clock[0] + s)))
    monkeypatch.setattr(front.time, "monotonic", lambda: clock[0])
    for _ in range(3):
        srv._respawn_workers([1], None, None)
    assert respawned == [[1], [1], [1]]  # never given up on, never the whole server stopped
    assert round(sum(waited)) == 1 + 2 + 4  # doubling back-off
    assert srv.respawned_wrks == {}  # granian's own crash-loop stop is not armed


def test_a_stop_signal_cuts_the_back_off_short(server):
    srv, board, respawned = server
    board.mark_ready()
    srv.interrupt_signal = True
    srv._respawn_workers([1], None, None)
    assert respawned == []
