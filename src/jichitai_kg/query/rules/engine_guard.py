"""Decide whether a query calls SERVICE from the engine's own parse, not from a lexer.

Used by :mod:`.services` in every query worker, sandboxed or not.  pyoxigraph
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


def syntax_error(query: str, base_iri: str | None = None) -> str | None:
    """The engine's syntax error for ``query``, or ``None`` when it parses.

    Unlike :func:`service_free` this parses ``query`` itself, and pyoxigraph evaluates an
    ASK at once: call it only where a SERVICE call cannot leave (a sandboxed worker).
    """
    import pyoxigraph as ox

    try:
        ox.Store().query(query, base_iri=base_iri)
    except SyntaxError as exc:
        return str(exc)
    except Exception:  # an evaluation error: it parsed
        return None
    return None
