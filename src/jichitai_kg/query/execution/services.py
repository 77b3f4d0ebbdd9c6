"""SERVICE, decided in the query worker on the engine's own parse, called through the egress.

pyoxigraph has no hook for SERVICE and its HTTP client cannot be pointed at a proxy, so the
engine is never allowed to make a SERVICE call itself.  Before a query runs,
:func:`prepare` (in the worker, under its time limit):

1. finds the outermost ``SERVICE [SILENT] target { … }`` clauses with the tokenizer of
   ``guard.py`` and refuses (403) any whose target is a variable, unresolvable, or not on
   ``SERVICE_ALLOWLIST`` (in the default mode the list is empty: every SERVICE is refused);
2. replaces each clause by ``{}`` and asks the engine whether the text left has any SERVICE
   keyword (:func:`.engine_guard.service_free`: pyoxigraph's parser, not a lexer).  If it
   has, a spelling hid a clause from the tokenizer, and the query is refused;
3. sends each clause's pattern (``sparql/service-call.rq`` and the pattern) with the query's prologue,
   through the egress (``egress.py``), which calls the endpoint only if it is on the
   allowlist, and puts the answer in the clause's place as ``{ VALUES (…) { … } }``.

This is what oxigraph itself does for SERVICE (the pattern is evaluated remotely without
the outer bindings, then joined), so answers are the same; ``SILENT`` turns a failed call
into one empty solution, as the standard says.  Blank nodes in a remote answer cannot be
written in ``VALUES`` and become unbound.

The rewritten text, never the client's, is what the engine evaluates, so the engine sees
no SERVICE keyword at all; and the worker runs under the network sandbox, so a mistake
here would fail on ``EPERM`` rather than reach the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...content import app_query, rq_header
from ...errors import Forbidden, QuerySyntaxError, Unavailable
from ..rules import engine_guard, guard
from . import egress

HIDDEN_SERVICE = ("SERVICE is refused: the query uses SERVICE in a form this server's "
                  "check cannot read (the engine found a SERVICE keyword the check did not). "
                  "Only plain SERVICE <endpoint> { … } to endpoints on SERVICE_ALLOWLIST "
                  "is accepted.")
_SERVICE_WORD = re.compile("service", re.IGNORECASE)


@dataclass(frozen=True)
class ServicePolicy:
    """Where SERVICE may go: the allowlist, and the egress socket that calls it.

    ``egress_path`` None: call :func:`.egress.fetch` in this process (one-shot CLI commands).
    ``sandboxed``: this process cannot open network sockets, so a query may be parsed for
    its syntax error even when it holds a SERVICE keyword.
    """

    allowlist: tuple[str, ...] = ()
    sandboxed: bool = False
    egress_path: str | None = None
    timeout: float = 10.0
    max_bytes: int = egress.DEFAULT_MAX_BYTES

    def call(self, endpoint: str, query: str) -> bytes:
        if endpoint not in {a.strip() for a in self.allowlist}:
            raise egress.EgressRefused(f"<{endpoint}> is not on SERVICE_ALLOWLIST")
        if self.egress_path is None:
            return egress.fetch(endpoint, query, timeout=self.timeout, max_bytes=self.max_bytes)
        return egress.call(self.egress_path, endpoint, query, timeout=self.timeout)


@dataclass(frozen=True)
class ServiceClause:
    """One outermost SERVICE clause: its place in the text and what it asks for."""

    start: int  # offset of the SERVICE keyword
    end: int  # offset just past the closing brace (or of the last token read)
    silent: bool
    target: str | None  # the endpoint IRI; None: a variable or unresolvable
    pattern: str | None  # the group graph pattern, braces included; None: not found


def find_clauses(query: str) -> list[ServiceClause]:
    """The outermost SERVICE clauses of ``query`` as the tokenizer reads them."""
    info = guard.sniff(query)
    tokens = list(guard.scan(query))
    clauses, i = [], 0
    while i < len(tokens):
        kind, text, start, _ = tokens[i]
        if not (kind == "name" and text.upper() == "SERVICE"):
            i += 1
            continue
        k = i + 1
        silent = k < len(tokens) and tokens[k][0] == "name" and tokens[k][1].upper() == "SILENT"
        k += silent
        target = (guard.iri_of_token(guard.Token(tokens[k][0], tokens[k][1]), info)
                  if k < len(tokens) else None)
        k += 1
        if k >= len(tokens) or tokens[k][1] != "{":
            clauses.append(ServiceClause(start, tokens[min(k, len(tokens) - 1)][3], silent,
                                         target, None))
            i = k
            continue
        depth, j = 0, k
        while j < len(tokens):
            depth += {"{": 1, "}": -1}.get(tokens[j][1], 0) if tokens[j][0] == "other" else 0
            if depth == 0:
                break
            j += 1
        if j == len(tokens):
            clauses.append(ServiceClause(start, tokens[-1][3], silent, target, None))
            break
        clauses.append(ServiceClause(start, tokens[j][3], silent, target,
                                     query[tokens[k][2]:tokens[j][3]]))
        i = j + 1
    return clauses


def _refusal(clause: ServiceClause, allowlist: tuple[str, ...]) -> str | None:
    if clause.target is None:
        return "a variable or unresolvable endpoint"
    if clause.target not in {a.strip() for a in allowlist}:
        return f"<{clause.target}>"
    if clause.pattern is None:
        return f"<{clause.target}> (no {{ … }} pattern found after it)"
    return None


def _splice(query: str, clauses: list[ServiceClause], replacements: list[str]) -> str:
    out, at = [], 0
    for clause, text in zip(clauses, replacements, strict=True):
        out += [query[at:clause.start], text]
        at = clause.end
    out.append(query[at:])
    return "".join(out)


def remote_query(query: str, pattern: str, base_iri: str | None) -> str:
    """What is sent to the endpoint: the query's prologue, ``sparql/service-call.rq``, the pattern."""
    info = guard.sniff(query)
    base = info.base or base_iri
    prologue = ([f"BASE <{base}>"] if base else []) + [f"PREFIX {p}: <{iri}>"
                                                        for p, iri in info.prefixes.items()]
    return "\n".join([*prologue, f"{rq_header(app_query('service-call'))[1].strip()} {pattern}"])


def values_block(results_json: bytes) -> str:
    """A remote answer as ``{ VALUES (?a ?b) { (…) … } }`` (terms written by pyoxigraph)."""
    import pyoxigraph as ox

    try:
        solutions = ox.parse_query_results(results_json, ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        raise egress.EgressRefused(f"the endpoint's answer is not SPARQL JSON results: {exc}") from None
    if not isinstance(solutions, ox.QuerySolutions):
        raise egress.EgressRefused("the endpoint answered a boolean, not solutions")
    variables = list(solutions.variables)
    rows = []
    for solution in solutions:
        cells = [solution[v] for v in variables]
        rows.append("(" + " ".join("UNDEF" if c is None or isinstance(c, ox.BlankNode) else str(c)
                                   for c in cells) + ")")
    return "{ VALUES (" + " ".join(str(v) for v in variables) + ") {\n" + "\n".join(rows) + "\n} }"


def prepare(query: str, base_iri: str | None, policy: ServicePolicy) -> str:
    """The text the engine may evaluate: no SERVICE keyword left (see the module docstring)."""
    if not _SERVICE_WORD.search(query):
        return query  # the engine cannot see a keyword that is not in the text (no \\u in keywords)
    clauses = find_clauses(query)
    refused = [r for r in (_refusal(c, policy.allowlist) for c in clauses) if r]
    if refused:
        raise Forbidden("SERVICE is refused for " + ", ".join(refused) + ": federated queries "
                        "would make this server send requests elsewhere. Only endpoints on "
                        "SERVICE_ALLOWLIST may be called.")
    emptied = _splice(query, clauses, ["{}"] * len(clauses))
    if not engine_guard.service_free(emptied, base_iri):
        error = engine_guard.syntax_error(emptied, base_iri) if policy.sandboxed else None
        if error:
            raise QuerySyntaxError(f"Query syntax error: {error}")
        raise Forbidden(HIDDEN_SERVICE if policy.sandboxed else
                        HIDDEN_SERVICE + " (Or the query has a syntax error.)")
    blocks = []
    for clause in clauses:
        assert clause.target is not None and clause.pattern is not None
        try:
            blocks.append(values_block(policy.call(
                clause.target, remote_query(query, clause.pattern, base_iri))))
        except egress.EgressRefused as exc:
            if not clause.silent:
                raise Unavailable(f"SERVICE <{clause.target}> failed: {exc}") from None
            blocks.append("{}")
    return _splice(query, clauses, blocks)
