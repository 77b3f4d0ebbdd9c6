"""Decide whether a query calls SERVICE from the engine's own parse, not from a lexer.

Used where the query workers cannot be sandboxed (see :mod:`.sandbox`).  pyoxigraph
exposes no parse tree, but its parser is the authority on what is a keyword, so
we ask it: every case-insensitive occurrence of ``service`` in the text is turned
into ``servicX``.  Inside an IRI, string, comment, variable or prefixed name that
changes nothing the parser cares about; as a keyword it makes the query invalid
(``servicX`` is no SPARQL keyword, function or name).  So, for a query that
parses, the mutated query parses too exactly when no occurrence was a keyword.

Parsing is done by ``Store.query`` on an empty in-memory store, only ever on
the mutated text, which holds no SERVICE keyword, so nothing can leave the
process; results are never iterated (pyoxigraph evaluates SELECT and CONSTRUCT lazily).  pyoxigraph
does not apply ``\\u`` escapes to keywords, so a keyword cannot hide behind one.
"""

from __future__ import annotations

import re

_SERVICE = re.compile("service", re.IGNORECASE)


def _parses(query: str, base_iri: str | None) -> bool:
    import pyoxigraph as ox

    try:
        ox.Store().query(query, base_iri=base_iri)
    except SyntaxError:
        return False
    except Exception:  # evaluation errors (an ASK is evaluated eagerly) mean it parsed
        return True
    return True


def _mutate(query: str) -> str:
    """``query`` with every ``service`` made into a non-keyword of the same length."""
    return _SERVICE.sub(lambda m: m.group()[:-1] + ("X" if m.group()[-1].isupper() else "x"),
                        query)


def service_occurrences(query: str) -> int:
    """Case-insensitive occurrences of ``service`` anywhere in the text (an upper bound on keywords)."""
    return len(_SERVICE.findall(query))


def service_free(query: str, base_iri: str | None = None) -> bool:
    """``True`` when the engine parses no SERVICE keyword in ``query`` (which must parse)."""
    return service_occurrences(query) == 0 or _parses(_mutate(query), base_iri)


def unsandboxed_refusal(query: str, lexer_targets: list[str | None],
                        allowlist: list[str] | tuple[str, ...]) -> str | None:
    """Why a query must not run in an unsandboxed worker, or ``None`` when it may.

    SERVICE-free by the engine's parse: it may.  Otherwise it may only when the lexer
    saw a SERVICE keyword at *every* textual occurrence of ``service`` (so the engine
    cannot see one more) and each target is on the allowlist.
    """
    if service_free(query):
        return None
    allowed = {a.strip() for a in allowlist}
    if (len(lexer_targets) == service_occurrences(query)
            and all(t is not None and t in allowed for t in lexer_targets)):
        return None
    return ("SERVICE is refused: federated queries would make this server send requests "
            "elsewhere. Only endpoints on SERVICE_ALLOWLIST may be called, and only when the "
            "word 'service' appears nowhere else in the query.")
