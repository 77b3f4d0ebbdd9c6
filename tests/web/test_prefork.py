"""``serve --processes N``: several serving processes share one port (web/prefork.py)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from loopback import alive, descendants, free_port, start_server

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[2]
GOVERNMENTS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { ?g a <https://w3id.org/jichitai-kg/ontology#CaseGovernment> }"


def children(pid: int) -> set[int]:
    """Live direct children of ``pid``."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit() and entry != str(pid):
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid and alive(int(entry)):
                found.add(int(entry))
    return found


def answer(base: str) -> int:
    url = base + "/sparql?" + urllib.parse.urlencode({"query": GOVERNMENTS})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return int(json.load(resp)["results"]["bindings"][0]["n"]["value"])


def health(base: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=30) as resp:
            return resp.status, json.load(resp)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:  # a connection queued at a process that was killed is reset (see
            pass         # docs/deployment.md, tcp_migrate_req)
        time.sleep(0.1)
    return False


def test_two_processes_serve_one_port_replace_a_dead_one_and_stop_cleanly(service_store, tmp_path):
    proc, base = start_server(ROOT, tmp_path / "serve.log", ["--processes", "2", "--workers", "2",
                                                             "--quiet"])
    log = tmp_path / "serve.log"
    try:
        # /healthz is 200 only once both serve; the parent announces it too
        assert wait_for(lambda: "from 2 processes" in log.read_text(), 60)
        servers = children(proc.pid)
        assert len(servers) == 2
        for pid in servers:  # each has its own query workers (one quick, one long) via a forkserver
            assert len(descendants(pid)) >= 3
        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(lambda _: answer(base), range(40))) == {8}  # the report's eight

        victim = min(servers)
        os.kill(victim, signal.SIGKILL)
        # until its replacement is ready, the server says it is not (the other one answers)
        assert wait_for(lambda: health(base) == (503, {
            "status": "starting", "error": "1 of 2 serving processes are ready",
            "ready_processes": 1, "processes": 2}), 10)
        assert wait_for(lambda: len(children(proc.pid) - {victim}) == 2, 20), children(proc.pid)
        assert victim not in children(proc.pid)
        assert wait_for(lambda: answer(base) == 8, 20)
        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(lambda _: answer(base), range(40))) == {8}
        assert "exited with code -9; starting another" in log.read_text()
        assert wait_for(lambda: health(base)[1]["status"] == "ok", 30)  # the replacement is ready
    finally:
        everything = {proc.pid, *descendants(proc.pid)}
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(60)
    assert code == 0
    # the serving processes' query workers, forkservers and trackers are killed with them
    assert wait_for(lambda: not [p for p in everything if alive(p)], 5), \
        [p for p in everything if alive(p)]


def test_a_process_that_cannot_start_stops_the_server_with_its_message(service_store, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("JICHITAI_KG_")}
    env["JICHITAI_KG_QUERY_MEMORY_LIMIT"] = str(1024 * 1024)  # no worker can even load the engine
    done = subprocess.run([sys.executable, "-m", "jichitai_kg", "--root", str(ROOT), "serve",
                           "--port", str(free_port()), "--processes", "2"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 1
    assert "jichitai-kg serve: query worker could not open the store" in done.stderr
    assert "no serving process could start" in done.stderr
    assert "Serving on" not in done.stdout


def test_a_negative_process_count_is_refused_in_one_line():
    done = subprocess.run([sys.executable, "-m", "jichitai_kg", "--root", str(ROOT), "serve",
                           "--port", str(free_port()), "--processes", "-1"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == "jichitai-kg serve: --processes must be 0 (one per core) or more, got -1"


def test_the_readiness_board_counts_live_ready_processes_only():
    from jichitai_kg.web.prefork import ReadinessBoard

    board = ReadinessBoard(2)
    assert (board.ready(), board.all_ready(), board.ever_ready) == (0, False, False)
    board.mark_ready()
    assert (board.ready(), board.all_ready(), board.ever_ready) == (1, False, True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    board.mark_ready(dead.pid)  # ready once, then gone without saying so: not counted
    assert board.ready() == 1
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        board.mark_ready(child.pid)
        assert board.all_ready()
        board.mark_gone(child.pid)
        assert (board.ready(), board.all_ready()) == (1, False)
    finally:
        child.kill()
        child.wait()
