"""Refuse queries whose syntax tree would be too deep for the engine, before it parses them.

pyoxigraph parses and evaluates recursively; a query nesting 1,000 ``FILTER EXISTS``
or chaining some 10,000 items (``1+1+…``, ``?s ?p 1,1,…``, ``{} UNION {} …``) overflows
the 8 MiB stack of a process's main thread and kills the worker with SIGSEGV.
Two measures together keep workers alive:

* the worker runs queries on a thread with a ``QUERY_STACK_BYTES`` (64 MiB) stack
  (see :mod:`.worker_setup`), which survives chains of 30,000 items and 4,000
  nested ``FILTER EXISTS`` (measured);
* :func:`check_query_shape` refuses, with a 400, queries nesting deeper than
  :data:`MAX_NESTING` or longer than :data:`MAX_TOKENS` tokens, far inside those bounds.

The scan need not follow the grammar exactly; it must never see *less* than the
engine.  So strings are skipped (only quotes start them outside IRIs and comments),
but inside IRIs and comments opening brackets still count (a ``<`` the engine reads
as less-than, or a ``#`` it reads differently, hides nothing), closing ones do not,
and ``\\x`` escapes in prefixed names (``ex:a\\#b``) are not comment starts.

The scan runs in the serving process before anything else reads the query, so it must be
linear in the query's length: every repetition is possessive or has one way to match a character, an
open string runs to the end of its line, and :func:`measure` stops once a limit is passed.
"""

from __future__ import annotations

import re

from ...errors import QueryTooComplex
from ..memo import memoize_text

#: Deepest nesting of ( { [ accepted; a ``{`` right after EXISTS counts twice.
MAX_NESTING = 128
#: Most tokens accepted in one query (strings, IRIs, names, numbers, punctuation).
MAX_TOKENS = 25_000

_SCAN = re.compile(r"""
    (?P<long>'''(?:[^'\\]++|\\.|'(?!''))*+(?:'''|\Z)|\"\"\"(?:[^"\\]++|\\.|"(?!""))*+(?:\"\"\"|\Z))
  | (?P<short>'(?:[^'\\\n\r]++|\\.)*+'?|"(?:[^"\\\n\r]++|\\.)*+"?)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<comment>\#[^\n\r]*)
  | (?P<open>[({\[])
  | (?P<close>[)}\]])
  | (?P<exists>(?<![\w:?$])EXISTS(?![\w:]))
  | (?P<word>(?:[^\s(){}\[\]<>"'#,;.\\+*/|^!=&-]++|\\.)++)
  | (?P<ws>\s+)
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL | re.IGNORECASE)

#: An absolute IRI with an authority (``scheme://``) cannot be read as an expression.
_URL = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]*://")
_INNER = re.compile(r"[({\[]|[^\s(){}\[\]]+")


@memoize_text()  # every query is measured before it runs; clients repeat their queries
def measure(query: str) -> tuple[int, int]:
    """``(deepest nesting, tokens)`` of ``query``, as upper bounds of what the engine sees.

    The scan stops as soon as either is over its limit (the query is refused then), so a
    megabyte of one-character tokens costs no more than the first ``MAX_TOKENS`` of them.
    """
    stack: list[int] = []
    depth = deepest = tokens = 0
    after_exists = False
    for m in _SCAN.finditer(query):
        kind = m.lastgroup
        if kind == "ws":
            continue
        if tokens > MAX_TOKENS or deepest > MAX_NESTING:
            break
        tokens += 1
        if kind in ("iri", "comment"):
            text = m.group()
            opens = text.count("(") + text.count("{") + text.count("[")
            deepest = max(deepest, depth + opens)
            if kind == "comment" or not _URL.match(text):
                tokens += len(_INNER.findall(text))
            continue
        if kind == "exists":
            after_exists = True
            continue
        if kind == "open":
            weight = 2 if after_exists and m.group() == "{" else 1
            stack.append(weight)
            depth += weight
            deepest = max(deepest, depth)
        elif kind == "close" and stack:
            depth -= stack.pop()
        after_exists = False
    return deepest, tokens


def check_query_shape(query: str, max_nesting: int = MAX_NESTING,
                      max_tokens: int = MAX_TOKENS) -> None:
    """Raise :class:`~jichitai_kg.errors.QueryTooComplex` (400) with a plain message when over
    either limit (limits above the module's are not measured past the module's)."""
    deepest, tokens = measure(query)
    if deepest > max_nesting:
        raise QueryTooComplex(
            f"The query nests brackets or groups more than {max_nesting} levels deep; this "
            f"endpoint accepts at "
            f"most {max_nesting} (FILTER EXISTS counts as two). Flatten the query.")
    if tokens > max_tokens:
        raise QueryTooComplex(
            f"The query has more than {max_tokens} tokens; this endpoint accepts at most that many. "
            "Split it into smaller queries.")
