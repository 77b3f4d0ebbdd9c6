"""Pre-bind query variables for a store that has no ``substitutions`` API.

Locally, parameters reach pyoxigraph as RDF terms (``substitutions``).  The SPARQL
protocol has no such thing, so for a remote store the variable is replaced by the
term in the query text, which is what pre-binding means.  The term is never text
from the request: it is parsed as N-Triples by pyoxigraph and written back by it,
so it is exactly one well-formed IRI or literal and cannot change the query's
structure.  Where a term is not allowed in SPARQL's grammar the replacement keeps
the variable's name or wraps the term:

* in the top-level SELECT projection, ``?v`` becomes ``(term AS ?v)`` (the column
  stays); in a sub-SELECT it is dropped from the projection (the outer query uses
  the term itself, and projecting it again would clash with the outer column);
* after GROUP BY / ORDER BY / HAVING, ``?v`` becomes ``(term)`` (an expression);
* ``... AS ?v`` (a variable being defined) is left alone;
* everywhere else (patterns, filters, templates) ``?v`` becomes ``term``.
"""

from __future__ import annotations

from ..query.execution.worker import parse_term
from ..query.rules.guard import scan

_MODIFIERS = {"GROUP", "ORDER", "HAVING"}
_CLAUSE_END = {"WHERE", "FROM", "{"}


def inline_bindings(query: str, substitutions: dict[str, str] | None) -> str:
    """``query`` with each substituted variable replaced by its term (see the module doc)."""
    if not substitutions:
        return query
    terms = {name.lstrip("?$"): str(parse_term(value, allow_blank=False))
             for name, value in substitutions.items()}
    out: list[str] = []
    last = 0
    in_select = False
    select_depth = 0
    in_modifier = False
    braces = 0
    select_braces = 0
    previous = ""
    for kind, text, start, end in scan(query):
        word = text.upper() if kind in ("name", "other") else ""
        if word == "{":
            braces += 1
        elif word == "}":
            braces -= 1
        if word == "SELECT":
            in_select, select_depth, in_modifier, select_braces = True, 0, False, braces
        elif in_select and word in _CLAUSE_END:
            in_select = False
        elif word in _MODIFIERS:
            in_modifier = True
        elif word in ("{", "}", "LIMIT", "OFFSET", "VALUES"):
            in_modifier = False
        if in_select and word == "(":
            select_depth += 1
        elif in_select and word == ")":
            select_depth -= 1
        if kind == "var" and text[1:] in terms and previous != "AS":
            term = terms[text[1:]]
            if in_select:
                if select_depth:
                    replacement = term
                else:
                    replacement = f"({term} AS {text})" if select_braces == 0 else ""
            elif in_modifier:
                replacement = f"({term})"
            else:
                replacement = term
            out.append(query[last:start])
            out.append(replacement)
            last = end
        previous = word
    out.append(query[last:])
    return "".join(out)
