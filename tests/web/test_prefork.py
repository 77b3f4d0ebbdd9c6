"""``serve --processes N``: several serving processes share one port (web/prefork.py)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
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


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_two_processes_serve_one_port_replace_a_dead_one_and_stop_cleanly(service_store, tmp_path):
    proc, base = start_server(ROOT, tmp_path / "serve.log", ["--processes", "2", "--workers", "2",
                                                             "--quiet"])
    log = tmp_path / "serve.log"
    try:
        # /healthz answers once one process serves; the parent announces when both do
        assert wait_for(lambda: "from 2 processes" in log.read_text(), 60)
        servers = children(proc.pid)
        assert len(servers) == 2
        for pid in servers:  # each has its own query workers (one quick, one long) via a forkserver
            assert len(descendants(pid)) >= 3
        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(lambda _: answer(base), range(40))) == {8}  # the report's eight

        victim = min(servers)
        os.kill(victim, signal.SIGKILL)
        assert wait_for(lambda: len(children(proc.pid) - {victim}) == 2, 20), children(proc.pid)
        assert victim not in children(proc.pid)
        assert wait_for(lambda: answer(base) == 8, 20)
        with ThreadPoolExecutor(8) as pool:
            assert set(pool.map(lambda _: answer(base), range(40))) == {8}
        assert "exited with code -9; starting another" in log.read_text()
    finally:
        everything = {proc.pid, *descendants(proc.pid)}
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(60)
    assert code == 0
    time.sleep(0.5)
    assert [p for p in everything if alive(p)] == []


def test_a_process_that_cannot_start_stops_the_server_with_its_message(service_store, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("JICHITAI_KG_")}
    env["JICHITAI_KG_QUERY_MEMORY_LIMIT"] = str(1024 * 1024)  # no worker can even load the engine
    done = subprocess.run([sys.executable, "-m", "jichitai_kg", "--root", str(ROOT), "serve",
                           "--port", str(free_port()), "--processes", "2"],
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 1
    assert "jichitai-kg serve: query worker could not open the store" in done.stderr
    assert "a serving process exited while starting" in done.stderr
    assert "Serving on" not in done.stdout


def test_a_negative_process_count_is_refused_in_one_line():
    done = subprocess.run([sys.executable, "-m", "jichitai_kg", "--root", str(ROOT), "serve",
                           "--port", str(free_port()), "--processes", "-1"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == "jichitai-kg serve: --processes must be 0 (one per core) or more, got -1"
