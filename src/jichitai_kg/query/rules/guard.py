"""What must be known about a query before it runs: its form, and whether it is refused.

The endpoint is read-only and never calls other servers on a client's behalf: updates and
LOAD are refused, and SERVICE only reaches endpoints on ``SERVICE_ALLOWLIST``.  The sniffing
here is a tokenizer, not a SPARQL parser, and only gives early, readable refusals: what is
enforced is enforced below it, in the query worker (``services.py`` decides SERVICE on the
engine's own parse, ``sandbox.py`` leaves the worker no network socket, ``egress.py`` makes
the only outbound requests, to allowlisted endpoints exactly).  Everything here runs in the
serving process, so it takes time linear in the query's length: the length and depth limits
first (``nesting.py``), then one pass of a non-backtracking tokenizer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

from ...errors import Forbidden, QuerySyntaxError, QueryTooComplex
from ..memo import memoize_text
from . import nesting

READ_ONLY = ("This endpoint is read-only: SPARQL Update is not accepted. "
             "Download the data (see README) to modify it locally.")

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD",
                   "WITH")

#: One token per match, in time linear in the text: every quantifier is possessive (no
#: backtracking), a string or IRI left open runs to the end of its line or of the text
#: instead of failing after a long scan, and a run of name characters (``ex:a.b``,
#: ``SERVICE``, ``1.5``, ``ex:a\#b``) is one match, split by :func:`_split_name`.  So no
#: match is retried from a later start over the same characters (a backtracking
#: pattern takes minutes on ``"\"\"\…`` or ``a.a.a.…``).
_TOKEN = re.compile(
    r"""
    (?P<ws>\s++)
  | (?P<comment>\#[^\n\r]*+)
  | (?P<string>'''(?:[^'\\]++|\\.|'(?!''))*+(?:'''|\Z)|\"\"\"(?:[^"\\]++|\\.|"(?!""))*+(?:\"\"\"|\Z)
               |'(?:[^'\\\n\r]++|\\.)*+'?|"(?:[^"\\\n\r]++|\\.)*+"?)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*+>)
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]++)
  | (?P<name>(?:[\w\u00B7\u00C0-\uFFFF:%.\-]++|\\.)++)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _split_name(text: str, start: int) -> Iterator[tuple[str, str, int, int]]:
    """A run of name characters as SPARQL tokens: a name ends before trailing dots
    (``ex:o.`` is ``ex:o`` then ``.``), and a run starting with a dot is punctuation first."""
    i, end = start, start + len(text)
    while i < end and text[i - start] == ".":
        yield "other", ".", i, i + 1
        i += 1
    stop = end
    while stop > i and text[stop - 1 - start] == "." and (stop - 2 < start
                                                         or text[stop - 2 - start] != "\\"):
        stop -= 1
    if stop > i:
        yield "name", text[i - start:stop - start], i, stop
    for j in range(stop, end):
        yield "other", ".", j, j + 1


@dataclass(frozen=True)
class Token:
    kind: str  # "iri", "var", "name", "other"
    text: str


@dataclass
class QueryInfo:
    """What we must know about a query before running it."""

    form: str | None  # SELECT / ASK / CONSTRUCT / DESCRIBE, or None if not a query
    update: bool = False  # the text is a SPARQL Update
    service_iris: list[str | None] = field(default_factory=list)  # None = variable or unresolvable
    base: str | None = None
    prefixes: dict[str, str] = field(default_factory=dict)
    dataset_clause: bool = False  # FROM / FROM NAMED: the query names its own dataset


def scan(text: str) -> Iterator[tuple[str, str, int, int]]:
    """Tokens with their place in ``text``: ``(kind, text, start, end)``; no whitespace or comments."""
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind == "name":
            yield from _split_name(m.group(), m.start())
        elif kind not in ("ws", "comment"):
            yield kind, m.group(), m.start(), m.end()


def tokenize(text: str, max_tokens: int | None = None) -> list[Token]:
    """Split SPARQL into tokens, dropping whitespace, comments and string contents.

    ``max_tokens``: refuse (400) a text with more, without reading on; ``nesting.measure``
    counts a run such as ``?a?a?a…`` as one word, this tokenizer as many variables.
    """
    tokens = []
    for kind, token, _, _ in scan(text):
        tokens.append(Token(kind, "" if kind == "string" else token))
        if max_tokens is not None and len(tokens) > max_tokens:
            raise QueryTooComplex(f"The query has more than {max_tokens} tokens; this endpoint "
                                  "accepts at most that many. Split it into smaller queries.")
    return tokens


_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape_codepoints(text: str) -> str:
    def repl(m: re.Match) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except ValueError:
            return m.group()
    return _ESCAPE.sub(repl, text)


def sniff(text: str) -> QueryInfo:
    """Find the query form and every SERVICE target (memoized: clients repeat their queries).

    The returned object is shared between callers and must not be modified.
    """
    return _sniff_cached(text)


@memoize_text()  # bounded by bytes of query text, so large distinct queries cannot fill memory
def _sniff_cached(text: str) -> QueryInfo:
    """Find the query form and every SERVICE target without a full SPARQL parser.

    Comments, strings, IRIs, variables and prefixed names are whole tokens, so a
    variable ``?service`` or a literal ``"SERVICE"`` are not keywords.  SPARQL
    allows ``\\u`` escapes anywhere in the text; when present, the unescaped text
    is sniffed too and its SERVICE targets are added, to refuse rather than miss.
    """
    info = _sniff_tokens(tokenize(text, nesting.MAX_TOKENS))
    if _ESCAPE.search(text):
        other = _sniff_tokens(tokenize(_unescape_codepoints(text), nesting.MAX_TOKENS))
        info.service_iris.extend(other.service_iris)
        info.update = info.update or other.update
    return info


def _sniff_tokens(tokens: list[Token]) -> QueryInfo:
    info = QueryInfo(form=None)
    i = 0
    # Prologue: BASE <iri> and PREFIX p: <iri>, in any order.
    while i < len(tokens):
        word = tokens[i].text.upper() if tokens[i].kind == "name" else ""
        if word == "BASE" and i + 1 < len(tokens) and tokens[i + 1].kind == "iri":
            info.base = _resolve(tokens[i + 1].text[1:-1], info.base)
            i += 2
        elif (word == "PREFIX" and i + 2 < len(tokens) and tokens[i + 1].kind == "name"
              and tokens[i + 1].text.endswith(":") and tokens[i + 2].kind == "iri"):
            info.prefixes[tokens[i + 1].text[:-1]] = _resolve(tokens[i + 2].text[1:-1], info.base)
            i += 3
        else:
            break
    if i < len(tokens) and tokens[i].kind == "name":
        word = tokens[i].text.upper()
        if word in QUERY_FORMS:
            info.form = word
        elif word in UPDATE_KEYWORDS:
            info.update = True
    for j, tok in enumerate(tokens):
        if tok.kind != "name":
            continue
        word = tok.text.upper()
        if word == "LOAD":
            info.update = True
        if word == "FROM":
            info.dataset_clause = True
        if word != "SERVICE":
            continue
        k = j + 1
        if k < len(tokens) and tokens[k].kind == "name" and tokens[k].text.upper() == "SILENT":
            k += 1
        target = tokens[k] if k < len(tokens) else None
        info.service_iris.append(iri_of_token(target, info))
    return info


def iri_of_token(tok: Token | None, info: QueryInfo) -> str | None:
    """The IRI an ``<iri>`` or prefixed-name token stands for (None: a variable or unresolvable)."""
    if tok is None:
        return None
    if tok.kind == "iri":
        return _resolve(tok.text[1:-1], info.base)
    if tok.kind == "name" and ":" in tok.text:
        prefix, _, local = tok.text.partition(":")
        if prefix in info.prefixes and "\\" not in local:
            return info.prefixes[prefix] + local
    return None


def _resolve(iri: str, base: str | None) -> str:
    """``iri`` against ``base``; left as written when either is no URL Python can split
    (``[`` in a host): a relative one then matches no allowlist entry, so it is refused."""
    try:
        return urljoin(base, iri) if base else iri
    except ValueError:
        return iri


def forbidden_services(info: QueryInfo, allowlist: list[str] | tuple[str, ...]) -> list[str]:
    """SERVICE targets not on the allowlist ('?' stands for a variable or an unknown target)."""
    allowed = {a.strip() for a in allowlist}
    return list(dict.fromkeys((iri or "?") for iri in info.service_iris
                              if iri is None or iri not in allowed))  # each once, in order


def precheck(query: str) -> QueryInfo:
    """The length and depth limits (400), a NUL character (400), then :func:`sniff`.

    Every step is a linear scan, so a client's megabyte costs this process milliseconds.
    """
    nesting.check_query_shape(query)
    if "\x00" in query:
        raise QuerySyntaxError("The query contains a NUL character (U+0000); remove it, or "
                               "write it as \\u0000 inside a string.")
    return sniff(query)


def check(query: str, allowlist: list[str] | tuple[str, ...], *, sandboxed: bool = True) -> QueryInfo:
    """Refuse over-long or over-deep queries (400), updates, LOAD and SERVICE to endpoints not
    on the allowlist (403), as early as a tokenizer can tell.

    ``sandboxed`` is no longer consulted: whatever this check misses, the worker decides on
    the engine's parse (``services.py``), sandboxed or not.
    """
    info = precheck(query)
    if info.update:
        raise Forbidden(READ_ONLY)
    bad = forbidden_services(info, allowlist)
    if bad:
        raise Forbidden(
            "SERVICE is refused for " + ", ".join(f"<{b}>" if b != "?" else "a variable or "
                                                   "unresolvable endpoint" for b in bad)
            + ": federated queries would make this server send requests elsewhere. "
            "Only endpoints on SERVICE_ALLOWLIST may be called.")
    return info
