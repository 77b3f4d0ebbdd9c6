"""Issue #12: network sandbox, depth limits, memory cap per worker, byte-bounded memo."""

from __future__ import annotations

import json
import os
import socket
import threading

import pytest

from jichitai_kg.errors import Forbidden as ForbiddenOperation
from jichitai_kg.errors import QueryTooComplex, WorkerLost
from jichitai_kg.query import engine_guard, nesting, sandbox
from jichitai_kg.query.executor import QueryExecutor
from jichitai_kg.query.memo import TextMemo
from jichitai_kg.query.worker_setup import WorkerLimits
from loopback import Listener

JSON = "application/sparql-results+json"
ESCAPED_SERVICE = ("PREFIX ex: <http://x/> SELECT * WHERE {{ BIND(ex:a\\#b AS ?z) "
                   "SERVICE <http://127.0.0.1:{port}/ssrf> {{ ?s ?p ?o }} }}")
NEEDS_SANDBOX = pytest.mark.skipif(not sandbox.sandbox_available(),
                                   reason="no seccomp filter on this platform")


@pytest.fixture()
def listener():
    lst = Listener()
    yield lst
    lst.close()


@pytest.fixture(scope="module")
def executor(service_store):
    with QueryExecutor(service_store, workers=1, timeout=20) as ex:
        yield ex


def rows(outcome):
    return json.loads(outcome.body)["results"]["bindings"]


# --------------------------------------------------------------------------- item 1: sandbox


def _connect_in_sandboxed_child(port: int) -> int:
    """Fork, sandbox the child, let it connect to ``port``; the child's exit code says what happened."""
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            sandbox.deny_network()
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
            code = 0
        except PermissionError:
            code = 1
        except BaseException:
            code = 2
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


@NEEDS_SANDBOX
def test_sandboxed_process_cannot_connect_to_loopback(listener):
    assert _connect_in_sandboxed_child(listener.port) == 1
    assert listener.connections == 0
    # the same connection from an unsandboxed process does arrive (the listener works)
    socket.create_connection(("127.0.0.1", listener.port), timeout=2).close()
    threading.Event().wait(0.5)
    assert listener.connections == 1


@NEEDS_SANDBOX
def test_filter_program_is_whole_instructions():
    for arch in sandbox.ARCHES:
        prog = sandbox.filter_program(arch)
        assert len(prog) % 8 == 0 and len(prog) // 8 < 32


@NEEDS_SANDBOX
def test_workers_report_the_sandbox(executor):
    assert executor.sandboxed is True


@NEEDS_SANDBOX
def test_escaped_prefixed_name_service_sends_no_request(executor, listener):
    query = ESCAPED_SERVICE.format(port=listener.port)
    with pytest.raises(ForbiddenOperation, match="SERVICE is refused"):
        executor.run(query, result_format=JSON)
    threading.Event().wait(0.5)
    assert listener.connections == 0
    # the worker is still serving
    out = executor.run("SELECT (1 AS ?one) WHERE {}", result_format=JSON)
    assert rows(out)[0]["one"]["value"] == "1"


def test_unsandboxed_guard_uses_the_engine_parse(service_store, listener):
    """Without the sandbox the lexer-evading spelling is still refused, and the word
    'service' elsewhere in a query does not stop it."""
    with QueryExecutor(service_store, workers=1, timeout=20,
                       limits=WorkerLimits(sandbox=False)) as ex:
        assert ex.sandboxed is False
        with pytest.raises(ForbiddenOperation, match="SERVICE is refused"):
            ex.run(ESCAPED_SERVICE.format(port=listener.port), result_format=JSON)
        out = ex.run('SELECT ?service WHERE { BIND("SERVICE" AS ?service) } # service',
                     result_format=JSON)
        assert rows(out)[0]["service"]["value"] == "SERVICE"
    assert listener.connections == 0


def test_engine_guard_tells_keywords_from_words():
    assert not engine_guard.service_free(ESCAPED_SERVICE.format(port=9))
    assert not engine_guard.service_free("SELECT * WHERE { sErViCe <http://a/> { ?s ?p ?o } }")
    assert engine_guard.service_free(
        'PREFIX service: <http://s/> SELECT ?service WHERE { ?service service:p "service" } '
        "# SERVICE <http://a/> {}")


# --------------------------------------------------------------------------- item 2: nesting

DEEP = {
    "5,000 parentheses": "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    "5,000 groups": "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
    "1,000 FILTER EXISTS": ("SELECT * WHERE { ?s ?p ?o " + "FILTER EXISTS { " * 1000 + "}" * 1000
                            + " }"),
    "30,000 objects": "SELECT * WHERE { ?s ?p " + ",".join(["1"] * 30000) + " }",
    "brackets behind an escaped #": ("PREFIX ex: <http://x/> SELECT * WHERE { BIND(ex:a\\#b AS ?z) "
                                     + "FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }"),
}


@pytest.mark.parametrize("name", list(DEEP))
def test_deep_queries_are_refused_without_killing_a_worker(executor, name):
    pids = executor.worker_pids
    with pytest.raises(QueryTooComplex) as info:
        executor.run(DEEP[name], result_format=JSON)
    assert "accepts at most" in str(info.value)
    assert executor.worker_pids == pids
    out = executor.run("SELECT (1 AS ?one) WHERE {}", result_format=JSON)
    assert rows(out)[0]["one"]["value"] == "1"


def test_nesting_counts_what_the_engine_sees():
    assert nesting.measure("SELECT * WHERE { ?s ?p '((((' }")[0] == 1
    # a comment's closing brackets do not cancel real opening ones
    deep, _ = nesting.measure("SELECT * WHERE { FILTER(" + "(" * 10 + "#" + ")" * 10 + "\n1" +
                              ")" * 11 + "}")
    assert deep >= 12
    assert nesting.measure("ASK { FILTER EXISTS { FILTER NOT EXISTS { } } }")[0] == 5


def test_project_queries_are_within_the_limits(project_root):
    for path in sorted((project_root / "queries").rglob("*.rq")):
        nesting.check_query_shape(path.read_text(encoding="utf-8"))


def test_worker_survives_depth_just_under_the_limit(executor):
    """Depth at the limit reaches the parser and is answered (the 64 MiB stack has room)."""
    n = nesting.MAX_NESTING - 2
    out = executor.run("SELECT (" + "(" * n + "1" + ")" * n + " AS ?x) WHERE {}",
                       result_format=JSON)
    assert rows(out)[0]["x"]["value"] == "1"


# --------------------------------------------------------------------------- item 4: memory cap

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


# --------------------------------------------------------------------------- item 9: memo


def test_memo_is_bounded_by_bytes():
    calls = []
    memo = TextMemo(lambda t: calls.append(t) or len(t), max_bytes=10_000, max_entry_bytes=4_000)
    for i in range(50):
        assert memo(f"{i:04d}" + "x" * 996) == 1000
    assert memo.size_bytes <= 10_000 and len(memo) == 10
    memo("0049" + "x" * 996)  # most recent: a hit
    assert len(calls) == 50
    memo("y" * 5000)  # over the per-entry cap: computed, never kept
    assert len(memo) == 10 and memo.size_bytes <= 10_000


def test_sniffer_memo_stays_small_under_large_distinct_queries():
    from jichitai_kg.query import guard

    for i in range(40):
        guard.sniff(f"SELECT * WHERE {{ ?s ?p {i} }} #" + "x" * (1024 * 1024))
    assert guard._sniff_cached.size_bytes <= 8 * 1024 * 1024


# --------------------------------------------------------------------------- HTTP answers


def test_http_deep_query_is_400_plain_text(client):
    resp = client.post("/sparql", data={"query": DEEP["1,000 FILTER EXISTS"]})
    assert resp.status_code == 400
    assert resp.mimetype == "text/plain"
    assert "accepts at most 128" in resp.get_data(as_text=True)


@pytest.mark.parametrize("param", ["default-graph-uri", "named-graph-uri"])
def test_http_bad_graph_iri_is_400(client, param):
    resp = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }", param: "not an iri"})
    assert resp.status_code == 400
    assert f"{param}='not an iri' is not an absolute IRI" in resp.get_data(as_text=True)


def test_worker_lost_maps_to_503_plain_text(app):
    from jichitai_kg.errors import JKGError

    handler = app.error_handler_spec[None][None][JKGError]  # the app's one error handler

    with app.test_request_context("/sparql"):
        resp = app.make_response(handler(WorkerLost("The query stopped its worker")))
    assert resp.status_code == 503 and resp.mimetype == "text/plain"
    assert resp.headers["Retry-After"] == "5"
    assert resp.get_data(as_text=True).startswith("The query stopped its worker")


# --------------------------------------------------------------------------- one-shot CLI path


def test_inline_executor_applies_the_depth_check_and_the_engine_guard(service_store, listener):
    """The CLI answers in process, without a sandbox: depth check and engine-parse guard apply."""
    from jichitai_kg.query.inline import InlineExecutor

    ex = InlineExecutor(service_store, timeout=20)
    with pytest.raises(QueryTooComplex, match="accepts at most"):
        ex.run(DEEP["1,000 FILTER EXISTS"], result_format=JSON)
    with pytest.raises(ForbiddenOperation, match="SERVICE is refused"):
        ex.run(ESCAPED_SERVICE.format(port=listener.port), result_format=JSON)
    n = nesting.MAX_NESTING - 2
    out = ex.run("SELECT (" + "(" * n + "1" + ")" * n + " AS ?x) WHERE {}", result_format=JSON)
    assert rows(out)[0]["x"]["value"] == "1"
    threading.Event().wait(0.5)
    assert listener.connections == 0


def test_sandbox_is_on_in_every_mode():
    from jichitai_kg.config import load_settings

    assert load_settings({})["QUERY_SANDBOX"] is True
    assert load_settings({"SERVICE_ALLOWLIST": ["http://a/"]})["QUERY_SANDBOX"] is True
    assert load_settings({"QUERY_SANDBOX": "false"})["QUERY_SANDBOX"] is False
    limits = WorkerLimits.from_settings(load_settings({"QUERY_MEMORY_LIMIT": 0}))
    assert limits.memory_limit is None and limits.sandbox is True


def test_a_crashed_worker_is_named_a_crash_not_the_memory_cap(service_store):
    """A worker killed by a signal other than the allocator's abort is reported as a crash."""
    import signal
    import time

    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    with QueryExecutor(service_store, workers=1, long_workers=0, timeout=60) as ex:
        (pid,) = ex.worker_pids
        threading.Timer(1.0, os.kill, (pid, signal.SIGSEGV)).start()
        started = time.monotonic()
        with pytest.raises(WorkerLost, match=r"crashed \(exit code -11\)"):
            ex.run(slow, result_format=JSON)
        assert time.monotonic() - started < 30
        out = ex.run("SELECT (1 AS ?one) WHERE {}", result_format=JSON, timeout=120)
        assert rows(out)[0]["one"]["value"] == "1"
