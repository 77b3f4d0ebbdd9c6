"""The query executor: worker processes, hard time limit, result cap, refusals, datasets."""

from __future__ import annotations

import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from hostile_queries import DEEP, ESCAPED_SERVICE, NEEDS_SANDBOX, rows
from jichitai_kg.errors import (
    BadRequest,
    Forbidden,
    NotAcceptable,
    QuerySyntaxError,
    QueryTimeout,
    QueryTooComplex,
    ResultTooLarge,
    WorkerLost,
)
from jichitai_kg.namespaces import DATA_GRAPH, ONTOLOGY_GRAPH
from jichitai_kg.query.execution.admission import Admission, key64
from jichitai_kg.query.execution.executor import LONG_NICE, QueryExecutor
from jichitai_kg.query.execution.worker_setup import WorkerLimits
from jichitai_kg.query.rules import nesting
from loopback import wait_until

JSON = "application/sparql-results+json"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LABEL = ("SELECT ?c ?label WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#label> ?label "
         "FILTER(LANG(?label) = 'ja') }")


@pytest.fixture(scope="module")
def executor(service_store):
    with QueryExecutor(service_store, workers=2, timeout=20) as ex:
        yield ex


def values(outcome, var):
    data = json.loads(outcome.body)
    return [b[var]["value"] for b in data["results"]["bindings"] if var in b]


def test_select_with_substitution(executor):
    out = executor.run(LABEL, result_format=JSON,
                       substitutions={"c": "<https://w3id.org/jichitai-kg/id/category/culture>"})
    assert out.kind == "solutions" and out.media_type == JSON
    assert values(out, "label") == ["組織文化"]


def test_literal_substitution(executor):
    query = ("SELECT ?gov ?code WHERE { ?gov <https://w3id.org/jichitai-kg/ontology#dantaiCode> ?code }")
    out = executor.run(query, result_format=JSON, substitutions={"code": '"140007"'})
    assert values(out, "gov") == ["https://w3id.org/jichitai-kg/id/gov/kanagawa"]


def test_bad_substitution_is_an_error(executor):
    with pytest.raises(BadRequest, match="not an RDF term"):
        executor.run(LABEL, result_format=JSON, substitutions={"c": "not a term"})


def test_boolean_and_graph_kinds(executor):
    assert executor.run("ASK {}", result_format=JSON).kind == "boolean"
    out = executor.run("CONSTRUCT { <http://a> <http://b> 1 } WHERE {}", result_format="text/turtle")
    assert out.kind == "graph" and b"<http://a>" in out.body


def test_syntax_error_has_position(executor):
    with pytest.raises(QuerySyntaxError, match=r"1:\d+"):
        executor.run("SELECT * WHERE { ?s ", result_format=JSON)


def test_unsupported_format(executor):
    with pytest.raises(NotAcceptable):
        executor.run("ASK {}", result_format="text/csv")
    with pytest.raises(NotAcceptable):
        executor.run("CONSTRUCT WHERE { ?s ?p ?o }", result_format=JSON)


def test_dataset_arguments(executor):
    query = "SELECT (COUNT(*) AS ?n) WHERE { <https://w3id.org/jichitai-kg/id/gov/kanagawa> ?p ?o }"
    in_data = int(values(executor.run(query, result_format=JSON, default_graph=[str(DATA_GRAPH)]), "n")[0])
    in_ontology = int(values(executor.run(query, result_format=JSON,
                                          default_graph=[str(ONTOLOGY_GRAPH)]), "n")[0])
    assert in_data > 5 and in_ontology == 0


def test_service_and_updates_refused_before_running(executor):
    with pytest.raises(Forbidden, match="SERVICE"):
        executor.run("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", result_format=JSON)
    with pytest.raises(Forbidden, match="read-only"):
        executor.run("INSERT DATA { <http://a> <http://b> <http://c> }", result_format=JSON)


def test_result_cap_raises(service_store):
    with QueryExecutor(service_store, workers=1, max_result_bytes=1000) as ex:
        with pytest.raises(ResultTooLarge, match="1000 bytes"):
            ex.run("SELECT * { ?s ?p ?o }", result_format=JSON)
        # The worker survives the refusal and answers the next query.
        assert json.loads(ex.run("ASK {}", result_format=JSON).body)["boolean"] is True


def test_timeout_kills_the_worker_and_others_keep_serving(service_store):
    with QueryExecutor(service_store, workers=2, timeout=30) as ex:
        before = set(ex.worker_pids)
        errors, answers = [], []

        def runaway():
            try:
                ex.run(RUNAWAY, result_format=JSON, timeout=1)
            except QueryTimeout as exc:
                errors.append(exc)

        t = threading.Thread(target=runaway)
        t.start()
        # Served by the other worker while the runaway one is busy.
        answers.append(values(ex.run(LABEL, result_format=JSON, substitutions={
            "c": "<https://w3id.org/jichitai-kg/id/category/culture>"}), "label"))
        t.join(60)
        assert len(errors) == 1 and "stopped" in str(errors[0])
        assert answers == [["組織文化"]]
        killed = before - set(ex.worker_pids)
        assert len(killed) == 1  # the runaway worker process is gone
        # A replacement is started; the pool keeps answering.
        assert json.loads(ex.run("ASK {}", result_format=JSON, timeout=60).body)["boolean"] is True


def test_worker_killed_while_idle_is_replaced(service_store):
    import os
    import signal

    with QueryExecutor(service_store, workers=1, long_workers=0, timeout=60) as ex:
        (pid,) = ex.worker_pids
        os.kill(pid, signal.SIGKILL)
        for _ in range(500):  # until it is gone: it died "some time ago", not mid-request
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.01)
        out = ex.run("ASK {}", result_format=JSON)
        assert json.loads(out.body)["boolean"] is True
        assert pid not in ex.worker_pids


@pytest.mark.parametrize("media_type", ["text/turtle", "application/n-triples", "application/ld+json"])
def test_graph_result_cap(service_store, media_type):
    with QueryExecutor(service_store, workers=1, max_result_bytes=5000) as ex:
        with pytest.raises(ResultTooLarge, match="5000 bytes"):
            ex.run("CONSTRUCT WHERE { ?s ?p ?o }", result_format=media_type)
        small = ex.run("CONSTRUCT { <http://a> <http://b> 1 } WHERE {}", result_format=media_type)
        assert b"http://a" in small.body


def test_replacement_is_retried_until_a_worker_starts(service_store, monkeypatch):
    """Two failed starts (the store briefly unreadable) do not leave the pool empty for good."""
    import jichitai_kg.query.execution.executor as executor_module

    with QueryExecutor(service_store, workers=1, long_workers=0, timeout=60) as ex:
        real_add = ex._add_worker
        failures = []

        def flaky_add(lane):
            if len(failures) < 2:
                failures.append(1)
                raise executor_module.QueryFailed("query worker could not open the store")
            real_add(lane)

        monkeypatch.setattr(ex, "_add_worker", flaky_add)
        monkeypatch.setattr(executor_module, "MAX_RESTART_DELAY", 0.1)
        with pytest.raises(QueryTimeout):
            ex.run("SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
                   result_format=JSON, timeout=1)
        out = ex.run("ASK {}", result_format=JSON, timeout=30)
        assert json.loads(out.body)["boolean"] is True and len(failures) == 2


def test_a_query_past_the_quick_budget_moves_to_the_long_lane(service_store):
    with QueryExecutor(service_store, workers=1, long_workers=1, quick_budget=0.001,
                       timeout=30) as ex:
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        assert not ex.is_known_long(query)
        pids = set(ex.worker_pids)
        first = ex.run(query, result_format=JSON)
        assert int(json.loads(first.body)["results"]["bindings"][0]["n"]["value"]) > 10000
        assert ex.is_known_long(query)  # remembered: it goes to the long lane directly now
        # The long lane's worker was idle: the busy one traded places with it, none was stopped
        assert set(ex.worker_pids) == pids
        quick_pids = set(ex.worker_pids)
        second = ex.run(query, result_format=JSON)
        assert second.body == first.body
        assert set(ex.worker_pids) == quick_pids  # no quick worker stopped the second time


def test_copies_waiting_in_the_quick_lane_follow_the_first_to_the_long_lane(service_store):
    """Several copies of a new long query arrive at once: once the first is known as long, the
    others leave the quick lane's queue for the long lane's instead of running there and
    being stopped, which would leave the quick lane waiting for replacements."""
    with QueryExecutor(service_store, workers=1, long_workers=1, quick_budget=0.001,
                       timeout=60, admission=Admission(1, per_client=4)) as ex:
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        pids = set(ex.worker_pids)
        with ThreadPoolExecutor(4) as pool:
            bodies = set(pool.map(lambda _: ex.run(query, result_format=JSON).body, range(4)))
        assert len(bodies) == 1 and ex.is_known_long(query)
        assert set(ex.worker_pids) == pids  # no worker was stopped for going over budget


def test_runaways_in_the_long_lane_leave_the_quick_lane_free(service_store):
    with QueryExecutor(service_store, workers=1, long_workers=1, quick_budget=0.2,
                       timeout=10) as ex:
        done = []

        def runaway():
            try:
                ex.run(RUNAWAY, result_format=JSON)
            except QueryTimeout:
                done.append("runaway")

        threads = [threading.Thread(target=runaway) for _ in range(2)]
        for t in threads:
            t.start()
        time.sleep(0.5)  # both are past the budget: one runs in the long lane, one waits for it
        for _ in range(10):
            out = ex.run("ASK { ?s ?p ?o }", result_format=JSON)
            assert json.loads(out.body)["boolean"] is True
        answered_while_runaways_ran = not done
        for t in threads:
            t.join()
        assert answered_while_runaways_ran and done == ["runaway", "runaway"]


def test_from_clause_names_the_default_graph(executor):
    """FROM <g> makes g the default graph; without it the default graph is the union."""
    def count(query):
        return int(values(executor.run(query, result_format=JSON), "n")[0])

    data = str(DATA_GRAPH)
    with_from = count(f"SELECT (COUNT(*) AS ?n) FROM <{data}> WHERE {{ ?s ?p ?o }}")
    in_graph = count(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{data}> {{ ?s ?p ?o }} }}")
    union = count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert with_from == in_graph < union
    assert count(f"SELECT (COUNT(*) AS ?n) FROM <{data}> FROM <{ONTOLOGY_GRAPH}> "
                 "WHERE { ?s ?p ?o }") > with_from


def test_cancel_by_query_id_frees_the_worker_at_once(service_store, tmp_path, monkeypatch):
    """A query named by the client (query.cancel.CURRENT_QUERY_ID) is stopped by cancel(id):
    QueryCancelled for its caller, and the next query does not wait for a new process."""
    import contextvars

    from jichitai_kg.query.execution import cancel

    monkeypatch.setattr(cancel.tempfile, "gettempdir", lambda: str(tmp_path))
    with QueryExecutor(service_store, workers=1, long_workers=1, timeout=30) as ex:
        outcome: list = []

        def runaway():
            cancel.CURRENT_QUERY_ID.set("c" * 32)
            try:
                ex.run(RUNAWAY, result_format=JSON)
            except Exception as exc:  # the test looks at which
                outcome.append(exc)

        t = threading.Thread(target=contextvars.copy_context().run, args=(runaway,))
        t.start()
        deadline = time.monotonic() + 20
        while not ex.cancel("c" * 32):  # until the query has reached its worker
            assert time.monotonic() < deadline and t.is_alive()
            time.sleep(0.05)
        t.join(10)
        assert [type(e).__name__ for e in outcome] == ["QueryCancelled"]
        assert outcome[0].status == 499
        started = time.monotonic()
        assert json.loads(ex.run("ASK {}", result_format=JSON, timeout=10).body)["boolean"] is True
        assert time.monotonic() - started < 1.0
        assert ex.cancel("c" * 32) is False
        assert list(cancel.registry_dir(str(service_store)).iterdir()) == []


def test_long_lane_workers_run_at_a_lower_cpu_priority(service_store):
    with QueryExecutor(service_store, workers=1, long_workers=1, timeout=10) as ex:
        nice = {ex._all[w].name: os.getpriority(os.PRIO_PROCESS, w.process.pid) for w in ex._all}
    assert nice == {"quick": os.getpriority(os.PRIO_PROCESS, 0), "long": LONG_NICE}


def test_one_long_lane_for_two_executors_sharing_an_admission(service_store):
    """Two executors (as two serving processes) with one long-lane ticket between them: a
    runaway in one holds it, so a runaway in the other waits and is answered 503 at its
    limit, while quick questions in both go on.  a's limit (8 s) is well past b's (3 s), so the
    ticket is still held when b's limit comes, however late b starts on a busy machine."""
    shared = Admission(1, per_client=4)
    with QueryExecutor(service_store, workers=1, long_workers=1, quick_budget=0.2, timeout=8,
                       admission=shared) as a, \
         QueryExecutor(service_store, workers=1, long_workers=1, quick_budget=0.2, timeout=3,
                       admission=shared) as b:
        a.admission.remember_long(key64(RUNAWAY))  # known long: straight to the long lane
        assert b.is_known_long(RUNAWAY)
        outcome: dict = {}

        def runaway(ex, name):
            started = time.monotonic()
            try:
                ex.run(RUNAWAY, result_format=JSON)
            except QueryTimeout as exc:
                outcome[name] = (time.monotonic() - started, exc.message)
        ta = threading.Thread(target=runaway, args=(a, "a"))
        ta.start()
        assert wait_until(lambda: shared.running() == 1, 5)
        tb = threading.Thread(target=runaway, args=(b, "b"))
        tb.start()
        for ex in (a, b):
            out = ex.run("ASK { ?s ?p ?o }", result_format=JSON)
            assert json.loads(out.body)["boolean"] is True
        assert shared.running() == 1  # b's runaway waits for the ticket
        ta.join(30)
        tb.join(30)
    assert "stayed busy" in outcome["b"][1] and outcome["b"][0] < 6
    assert "stopped after" in outcome["a"][1]


@NEEDS_SANDBOX
def test_workers_report_the_sandbox(one_worker_executor):
    assert one_worker_executor.sandboxed is True


@NEEDS_SANDBOX
def test_escaped_prefixed_name_service_sends_no_request(one_worker_executor, listener):
    query = ESCAPED_SERVICE.format(port=listener.port)
    with pytest.raises(Forbidden, match="SERVICE is refused"):
        one_worker_executor.run(query, result_format=JSON)
    threading.Event().wait(0.5)
    assert listener.connections == 0
    # the worker is still serving
    out = one_worker_executor.run("SELECT (1 AS ?one) WHERE {}", result_format=JSON)
    assert rows(out)[0]["one"]["value"] == "1"


def test_unsandboxed_guard_uses_the_engine_parse(service_store, listener):
    """Without the sandbox the lexer-evading spelling is still refused, and the word
    'service' elsewhere in a query does not stop it."""
    with QueryExecutor(service_store, workers=1, timeout=20,
                       limits=WorkerLimits(sandbox=False)) as ex:
        assert ex.sandboxed is False
        with pytest.raises(Forbidden, match="SERVICE is refused"):
            ex.run(ESCAPED_SERVICE.format(port=listener.port), result_format=JSON)
        out = ex.run('SELECT ?service WHERE { BIND("SERVICE" AS ?service) } # service',
                     result_format=JSON)
        assert rows(out)[0]["service"]["value"] == "SERVICE"
    assert listener.connections == 0


@pytest.mark.parametrize("name", list(DEEP))
def test_deep_queries_are_refused_without_killing_a_worker(one_worker_executor, name):
    pids = one_worker_executor.worker_pids
    with pytest.raises(QueryTooComplex) as info:
        one_worker_executor.run(DEEP[name], result_format=JSON)
    assert "accepts at most" in str(info.value)
    assert one_worker_executor.worker_pids == pids
    out = one_worker_executor.run("SELECT (1 AS ?one) WHERE {}", result_format=JSON)
    assert rows(out)[0]["one"]["value"] == "1"


def test_worker_survives_depth_just_under_the_limit(one_worker_executor):
    """Depth at the limit reaches the parser and is answered (the 64 MiB stack has room)."""
    n = nesting.MAX_NESTING - 2
    out = one_worker_executor.run("SELECT (" + "(" * n + "1" + ")" * n + " AS ?x) WHERE {}",
                       result_format=JSON)
    assert rows(out)[0]["x"]["value"] == "1"


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
