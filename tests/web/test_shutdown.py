"""SIGTERM stops accepting, lets a running query finish, leaves no process."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from loopback import alive, descendants, start_server, wait_until

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = "<https://w3id.org/jichitai-kg/graph/ontology>"
# ontology triples × all triples: seconds, not minutes (the register made "all × typed" minutes)
SLOW = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ONTOLOGY} {{ ?a ?b ?c }} ?d ?e ?f }}"
ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c }"
IN_ONTOLOGY = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ONTOLOGY} {{ ?a ?b ?c }} }}"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def count(base: str, query: str, timeout: float = 120) -> int:
    url = base + "/sparql?" + urllib.parse.urlencode({"query": query})
    req = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        data = json.load(resp)
    return int(data["results"]["bindings"][0]["n"]["value"])


@pytest.fixture()
def server(service_store, tmp_path):
    """Start a fresh ``jichitai-kg serve`` with a 60 s query limit and a given grace period."""
    started = []

    def start(grace: float, processes: int = 1):
        # One lane: the slow query must not be moved to the long lane half-way (lanes are
        # tested in test_executor.py); this test is about the stop.
        proc, base = start_server(ROOT, tmp_path / "serve.log", [
            "--workers", "2", "--timeout", "60", "--grace", str(grace), "--quiet",
            "--processes", str(processes)], wait=180,
            settings={"LONG_QUERY_WORKERS": "0"})
        started.append(proc)
        return proc, base

    yield start
    for proc in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _background(base: str, query: str, out: dict) -> threading.Thread:
    def go():
        try:
            out["n"] = count(base, query)
        except Exception as exc:  # recorded, asserted on below
            out["error"] = exc
    t = threading.Thread(target=go, daemon=True)
    t.start()
    return t


@pytest.mark.parametrize("processes", [1, 2])
def test_sigterm_finishes_the_running_query_then_leaves_no_process(server, processes):
    proc, base = server(grace=60, processes=processes)
    expected = count(base, IN_ONTOLOGY) * count(base, ALL)
    helpers = descendants(proc.pid)
    assert len(helpers) >= 3  # forkserver, resource tracker, two workers
    out: dict = {}
    t = _background(base, SLOW, out)
    time.sleep(1.0)
    proc.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    with pytest.raises(urllib.error.URLError) as refused:  # no longer accepting
        count(base, ALL, timeout=3)
    assert isinstance(refused.value.reason, ConnectionRefusedError)  # and not left waiting
    t.join(90)
    assert out.get("n") == expected, out
    assert proc.wait(30) == 0
    time.sleep(0.5)
    assert [p for p in helpers if alive(p)] == []


def test_sigterm_with_a_runaway_kills_it_after_the_grace_period(server):
    proc, base = server(grace=1)
    helpers = descendants(proc.pid)
    out: dict = {}
    _background(base, RUNAWAY, out)
    time.sleep(1.0)
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 0
    assert time.monotonic() - started < 20
    time.sleep(0.5)
    assert [p for p in helpers if alive(p)] == []


def _cpu_seconds(pids) -> float:
    """User and system CPU time of these processes (those still there), from /proc."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _refused(base: str) -> bool:
    try:
        urllib.request.urlopen(base + "/healthz", timeout=2).close()
    except urllib.error.URLError as exc:
        return isinstance(exc.reason, ConnectionRefusedError)
    except ConnectionResetError:  # queued as the listener closed (docs/deployment.md): ask again
        return False
    return False


def test_a_second_stop_signal_ends_the_grace_period_at_once(server):
    """SIGTERM with a runaway in flight starts a 60 s grace period; a second signal (here
    SIGINT, as a second Ctrl-C) kills the serving process and its workers at once."""
    proc, base = server(grace=60)
    helpers = descendants(proc.pid)
    cpu = _cpu_seconds(helpers)
    out: dict = {}
    client = _background(base, RUNAWAY, out)
    assert wait_until(lambda: _cpu_seconds(helpers) > cpu + 0.5, 30)  # the runaway is running
    proc.send_signal(signal.SIGTERM)
    assert wait_until(lambda: _refused(base), 10)  # no longer accepting…
    assert proc.poll() is None  # …but waiting for the request in flight
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    assert proc.wait(30) == 0
    assert time.monotonic() - started < 10  # not the 60 s of the grace period
    client.join(10)
    assert "n" not in out and isinstance(out.get("error"), OSError), out  # cut, not answered
    assert wait_until(lambda: not [p for p in helpers if alive(p)], 10), \
        [p for p in helpers if alive(p)]
