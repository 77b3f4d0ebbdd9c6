"""Does a query parse?  Answered by the engine's own parser, without running the query.

For the workbench's check as you type.  pyoxigraph exposes no parser on its own, so the text
is given to ``Store.query`` on an empty in-memory store and the result is never iterated:
SELECT, CONSTRUCT and DESCRIBE are evaluated lazily, so nothing runs.  ASK is evaluated at
once; its keyword is read as ``SELECT*`` instead (same grammar after it), and a column
the parser reports on that line after the keyword is moved back by the difference.  The
guard's limits (depth, length, updates, SERVICE) apply first, as for a run.
"""

from __future__ import annotations

import re

from ...errors import QuerySyntaxError
from . import guard

_AS_SELECT = "SELECT*"
_POSITION = re.compile(r"at (\d+):(\d+)")


def _without_ask(query: str) -> tuple[str, int, int]:
    """The text with its ASK keyword read as SELECT*, and the keyword's (line, column)."""
    for kind, text, start, end in guard.scan(query):
        if kind == "name" and text.upper() == "ASK":
            line = query.count("\n", 0, start) + 1
            column = start - (query.rfind("\n", 0, start) + 1) + 1
            return query[:start] + _AS_SELECT + query[end:], line, column
    return query, 0, 0


def check_syntax(query: str, allowlist: list[str] | tuple[str, ...] = (), *,
                 sandboxed: bool = True) -> guard.QueryInfo:
    """The query's form etc.; raises :class:`QuerySyntaxError` with the parser's message (and
    its ``at line:column``) when it does not parse, or the guard's refusal."""
    import pyoxigraph as ox

    info = guard.check(query, allowlist, sandboxed=sandboxed)
    text, ask_line, ask_column = _without_ask(query) if info.form == "ASK" else (query, 0, 0)
    try:
        ox.Store().query(text)
    except SyntaxError as exc:
        message = str(exc)
        if ask_line:
            shift = len(_AS_SELECT) - 3

            def back(m: re.Match) -> str:
                line, column = int(m.group(1)), int(m.group(2))
                if line == ask_line and column > ask_column + 2:
                    column -= shift
                return f"at {line}:{column}"

            message = _POSITION.sub(back, message, count=1)
        raise QuerySyntaxError(message) from None
    except Exception:  # an evaluation error means the text parsed
        pass
    return info
