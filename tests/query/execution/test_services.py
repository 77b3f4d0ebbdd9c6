"""SERVICE decided in the worker on the engine's parse, called only through
the egress, in both modes; the worker-side defence tested alone (the serving process's
tokenizer guard switched off), against a canary listener and a recording endpoint."""

from __future__ import annotations

import json
import os

import pytest

from fuzzcorpus import canary, canary_urls, endpoint, forgery_queries  # noqa: F401 - fixtures
from jichitai_kg.errors import Forbidden, QuerySyntaxError, Unavailable
from jichitai_kg.query.execution import egress, services
from jichitai_kg.query.execution.executor import QueryExecutor
from jichitai_kg.query.execution.services import ServicePolicy, find_clauses, prepare
from jichitai_kg.query.rules import guard

JSON = "application/sparql-results+json"
ALLOWED = "http://a.example/sparql"
ANSWER = json.dumps({"head": {"vars": ["x", "y"]}, "results": {"bindings": [
    {"x": {"type": "literal", "value": 'say "hi"\n', "xml:lang": "en"}},
    {"x": {"type": "uri", "value": "http://e/1"}, "y": {"type": "bnode", "value": "b0"}}]}}).encode()
WORKER_FUZZ_COUNT = int(os.environ.get("JKG_FORGERY_COUNT", "200"))


class FakePolicy(ServicePolicy):
    """A policy whose calls are recorded and answered from ``ANSWER`` (no network)."""

    def call(self, url: str, query: str) -> bytes:
        object.__getattribute__(self, "seen").append((url, query))
        if url != ALLOWED:
            raise egress.EgressRefused("down")
        return ANSWER


def fake(sandboxed: bool = False) -> FakePolicy:
    policy = FakePolicy(allowlist=(ALLOWED,), sandboxed=sandboxed)
    object.__setattr__(policy, "seen", [])
    return policy


def test_allowlisted_clause_becomes_the_remote_answer_as_values():
    policy = fake()
    query = (f"PREFIX e: <http://e/> SELECT * WHERE {{ ?s e:p 'service' . SERVICE <{ALLOWED}> "
             "{ ?x e:q ?y FILTER(?x != '}') } }")
    text = prepare(query, None, policy)
    assert "SERVICE <" not in text and "VALUES (?x ?y)" in text
    assert '("say \\"hi\\"\\n"@en UNDEF)' in text and "(<http://e/1> UNDEF)" in text  # bnode: unbound
    [(url, sent)] = policy.seen
    assert url == ALLOWED
    assert sent == "PREFIX e: <http://e/>\nSELECT * WHERE { ?x e:q ?y FILTER(?x != '}') }"


def test_silent_failure_is_one_empty_solution_and_a_loud_one_is_503():
    down = ALLOWED + "x"  # allowlisted, and FakePolicy fails every endpoint but ALLOWED
    failing = FakePolicy(allowlist=(down,))
    object.__setattr__(failing, "seen", [])
    silent = prepare(f"SELECT * WHERE {{ SERVICE SILENT <{down}> {{ ?s ?p ?o }} }}", None, failing)
    assert silent == "SELECT * WHERE { {} }"
    with pytest.raises(Unavailable, match="SERVICE <http://a.example/sparqlx> failed: down"):
        prepare(f"SELECT * WHERE {{ SERVICE <{down}> {{ ?s ?p ?o }} }}", None, failing)
    assert [e for e, _ in failing.seen] == [down, down]


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://b.example/> { ?s ?p ?o } }",
    "SELECT * WHERE { BIND(<http://a.example/sparql> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    "PREFIX e: <http://a.example/> SELECT * WHERE { SERVICE e:sparql\\/x { ?s ?p ?o } }",
    f"SELECT * WHERE {{ SERVICE <{ALLOWED}> }}",
])
def test_targets_off_the_list_variables_and_broken_clauses_are_refused(query):
    policy = fake()
    with pytest.raises(Forbidden, match="SERVICE is refused for"):
        prepare(query, None, policy)
    assert policy.seen == []


def test_a_clause_hidden_from_the_tokenizer_is_found_by_the_engine(monkeypatch):
    """Whatever the tokenizer misses, the engine's parse of the emptied text catches."""
    monkeypatch.setattr(services, "find_clauses", lambda query: [])
    policy = fake()
    query = f"SELECT * WHERE {{ SERVICE SILENT <{ALLOWED}> {{ ?s ?p ?o }} }}"
    with pytest.raises(Forbidden, match="could not|cannot read"):
        prepare(query, None, policy)
    with pytest.raises(Forbidden, match="cannot read"):
        prepare(query, None, fake(sandboxed=True))
    assert policy.seen == []


def test_the_word_service_elsewhere_is_no_clause_and_syntax_errors_stay_400():
    policy = fake(sandboxed=True)
    query = ('PREFIX service: <http://s/> SELECT ?service WHERE { ?service service:p "SERVICE" } '
             "# SERVICE <http://b/> {}")
    assert find_clauses(query) == [] and prepare(query, None, policy) == query
    with pytest.raises(QuerySyntaxError, match="Query syntax error"):
        prepare('SELECT ?service WHERE { ?service ?p "x" ', None, policy)
    plain = "SELECT * WHERE { ?s ?p ?o }"
    assert prepare(plain, None, policy) is plain


def test_escaped_and_prefixed_targets_resolve_like_the_prologue_says():
    query = ("BASE <http://a.example/> PREFIX p: <http://a.example/> SELECT * WHERE { "
             "SERVICE <sparql> { ?a ?b ?c } OPTIONAL { SERVICE SILENT p:sparql { ?d ?e ?f } } }")
    clauses = find_clauses(query)
    assert [(c.target, c.silent, c.pattern) for c in clauses] == [
        (ALLOWED, False, "{ ?a ?b ?c }"), (ALLOWED, True, "{ ?d ?e ?f }")]


# ------------------------------------------------------------------ the worker alone, real processes

@pytest.mark.parametrize("mode", ["sandboxed", "allowlist"])
def test_workers_alone_make_no_forged_request(service_store, canary, endpoint, mode, monkeypatch):  # noqa: F811 - fixtures from fuzzcorpus
    """The generated spellings sent straight to the workers, past the serving process's
    guard: the engine parse, the sandbox and the egress hold by themselves."""
    allow = [endpoint.allowed] if mode == "allowlist" else []
    endpoint.requests.clear()
    with QueryExecutor(service_store, workers=1, long_workers=0, timeout=5,
                       service_allowlist=allow) as ex:
        assert ex.sandboxed is True  # in both modes
        monkeypatch.setattr(ex, "check", lambda query: None)
        answered = 0
        urls = canary_urls(canary.port, endpoint.allowed)
        for query, _ in forgery_queries(7, WORKER_FUZZ_COUNT, urls, endpoint.allowed):
            graph = guard.sniff(query).form in ("CONSTRUCT", "DESCRIBE")
            try:
                ex.run(query, result_format="text/turtle" if graph else JSON)
                answered += 1
            except (Forbidden, QuerySyntaxError, Unavailable):
                pass
            except Exception as exc:  # any other failure is named in the assertion
                pytest.fail(f"{type(exc).__name__}: {exc}\n{query}")
    print(f"workers alone, {mode}: {WORKER_FUZZ_COUNT} queries, {answered} answered, canary "
          f"connections {canary.connections}, allowlisted calls {len(endpoint.requests)}, "
          f"other requests to the endpoint {len(endpoint.stray())}")
    assert canary.connections == 0
    assert endpoint.stray() == []
    if mode == "sandboxed":
        assert endpoint.requests == [] and answered < WORKER_FUZZ_COUNT
    else:
        assert answered > 0 and len(endpoint.requests) > 0
