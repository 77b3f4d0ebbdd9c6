"""SPARQL 1.1 Protocol rules as pure functions: request parsing, query sniffing, negotiation.

Nothing here touches Flask or the store, so every protocol rule can be tested
with plain values.  The view (``sparql_views``) only moves data between HTTP
and these functions.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urljoin

# --------------------------------------------------------------------------- media types

JSON_RESULTS = "application/sparql-results+json"
XML_RESULTS = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"
HTML = "text/html"

#: What each query form can be serialized to, in server preference order (first = default).
SOLUTION_TYPES = (JSON_RESULTS, XML_RESULTS, CSV, TSV)
BOOLEAN_TYPES = (JSON_RESULTS, XML_RESULTS)
GRAPH_TYPES = (TURTLE, NTRIPLES, JSONLD, RDFXML)
#: The service description: RDF first (machine clients sending no Accept get Turtle), HTML for browsers.
DESCRIPTION_TYPES = GRAPH_TYPES + (HTML,)

#: Other names clients use for the same formats; negotiation answers with the canonical type.
ALIASES = {
    "application/json": JSON_RESULTS,
    "application/xml": XML_RESULTS,
    "text/xml": XML_RESULTS,
    "application/x-turtle": TURTLE,
    "text/plain": NTRIPLES,
    "application/json+ld": JSONLD,
}
#: Aliases that mean an RDF format when the answer is a graph.
GRAPH_ALIASES = {
    "application/xml": RDFXML,
    "text/xml": RDFXML,
    "application/json": JSONLD,
}

#: ``format=`` values for links clicked in a browser.
FORMAT_PARAM = {
    "json": JSON_RESULTS,
    "xml": XML_RESULTS,
    "csv": CSV,
    "tsv": TSV,
    "turtle": TURTLE,
    "ttl": TURTLE,
    "ntriples": NTRIPLES,
    "nt": NTRIPLES,
    "jsonld": JSONLD,
    "json-ld": JSONLD,
    "rdfxml": RDFXML,
    "html": HTML,
    "n3": TURTLE,  # Turtle is valid N3; SPARQLWrapper sends format=n3
    "rdf+xml": RDFXML,
    "rdf": RDFXML,
    "n-triples": NTRIPLES,
}
#: For CONSTRUCT/DESCRIBE the generic names mean the RDF flavour (SPARQLWrapper sends format=xml).
GRAPH_FORMAT_PARAM = {"xml": RDFXML, "json": JSONLD}


class ProtocolError(Exception):
    """A request the protocol says to reject; carries the HTTP status to answer with."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    params: tuple[tuple[str, str], ...] = ()

    @property
    def specificity(self) -> int:
        if self.type == "*":
            return 0
        if self.subtype == "*":
            return 1
        return 2 + len(self.params)

    def matches(self, media_type: str) -> bool:
        mtype, _, msub = media_type.partition("/")
        if self.type != "*" and self.type != mtype:
            return False
        if self.subtype != "*" and self.subtype != msub:
            return False
        charset = dict(self.params).get("charset")
        # We only ever produce UTF-8; a range asking for another charset does not match.
        return charset is None or charset.lower() in ("utf-8", "utf8")


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header; malformed members are skipped rather than failing the request."""
    ranges: list[MediaRange] = []
    if not header:
        return ranges
    for member in header.split(","):
        parts = [p.strip() for p in member.split(";")]
        mt = parts[0].lower()
        if "/" not in mt:
            if mt == "*":
                mt = "*/*"
            else:
                continue
        mtype, _, msub = mt.partition("/")
        if not mtype or not msub or (mtype == "*" and msub != "*"):
            continue
        q = 1.0
        params = []
        for p in parts[1:]:
            key, _, value = p.partition("=")
            key = key.strip().lower()
            value = value.strip().strip('"')
            if key == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
                break  # anything after q is an accept-extension
            if key:
                params.append((key, value))
        ranges.append(MediaRange(mtype, msub, q, tuple(params)))
    return ranges


def negotiate(accept: str | None, offered: tuple[str, ...] | list[str],
              aliases: dict[str, str] | None = None) -> str | None:
    """Pick the offered media type the client prefers, or None when nothing is acceptable.

    Each offered type takes the q of the most specific range that matches it
    (``text/turtle;q=0`` beats ``*/*``).  Highest q wins; ties go to the range
    specificity, then to the server's order.  A missing or empty header means
    "anything", i.e. the first offered type.  ``aliases`` maps other names (e.g.
    ``application/json``) to an offered type, as if the client had named it.
    """
    ranges = parse_accept(accept)
    if not accept or not accept.strip():
        return offered[0] if offered else None
    if not ranges:
        return offered[0] if offered else None
    aliases = aliases if aliases is not None else {}
    best: tuple[float, int, int] | None = None
    choice = None
    for index, media_type in enumerate(offered):
        alias_names = [a for a, target in aliases.items() if target == media_type]
        # Aliases count only when named exactly: text/* must not pick XML through text/xml.
        matching = [r for r in ranges if r.matches(media_type)
                    or (r.specificity >= 2 and any(r.matches(a) for a in alias_names))]
        if not matching:
            continue
        top = max(r.specificity for r in matching)
        # Among the most specific matching ranges, the client's highest q counts.
        q = max(r.q for r in matching if r.specificity == top)
        if q <= 0:
            continue
        key = (q, top, -index)
        if best is None or key > best:
            best, choice = key, media_type
    return choice


def negotiate_result(accept: str | None, form: str, format_param: str | None) -> str:
    """The media type for a query's answer, honouring ``format=`` before ``Accept``.

    Raises ProtocolError 400 for an unknown or unsuitable ``format`` and 406 when
    the Accept header admits nothing we can produce.
    """
    offered = offered_types(form)
    aliases = graph_aliases() if form in ("CONSTRUCT", "DESCRIBE") else results_aliases()
    if format_param:
        key = format_param.strip().lower()
        wanted = FORMAT_PARAM.get(key)
        if form in ("CONSTRUCT", "DESCRIBE"):
            wanted = GRAPH_FORMAT_PARAM.get(key, wanted)
        if wanted is None and "/" in format_param:
            wanted = aliases.get(format_param.strip().lower(), format_param.strip().lower())
        if wanted is None:
            raise ProtocolError(400, f"Unknown format={format_param!r}; use one of: "
                                + ", ".join(k for k in FORMAT_PARAM if k != "html"))
        if wanted not in offered:
            raise ProtocolError(400, f"format={format_param} is not available for a {form} query; "
                                f"available: {', '.join(offered)}")
        return wanted
    chosen = negotiate(accept, offered, aliases)
    if chosen is None:
        raise ProtocolError(406, f"None of the types in Accept: {accept} can represent a {form} "
                            f"result. Available: {', '.join(offered)}")
    return chosen


def offered_types(form: str) -> tuple[str, ...]:
    if form == "SELECT":
        return SOLUTION_TYPES
    if form == "ASK":
        return BOOLEAN_TYPES
    return GRAPH_TYPES


def results_aliases() -> dict[str, str]:
    return {k: v for k, v in ALIASES.items() if v in SOLUTION_TYPES}


def graph_aliases() -> dict[str, str]:
    out = {k: v for k, v in ALIASES.items() if v in GRAPH_TYPES}
    out.update(GRAPH_ALIASES)
    return out


# --------------------------------------------------------------------------- query sniffing

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD",
                   "WITH")

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<name>(?:[A-Za-z\u00C0-\uFFFF_][\w\u00B7\u00C0-\uFFFF.\-]*)?:(?:[\w\u00C0-\uFFFF:%\\.\-]*[\w\u00C0-\uFFFF:%\-])?
             |[A-Za-z_][\w\-]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


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


def tokenize(text: str) -> list[Token]:
    """Split SPARQL into tokens, dropping whitespace, comments and string contents."""
    tokens: list[Token] = []
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        if kind == "string":
            tokens.append(Token("string", ""))
            continue
        tokens.append(Token(kind, m.group()))
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


@functools.lru_cache(maxsize=512)
def _sniff_cached(text: str) -> QueryInfo:
    """Find the query form and every SERVICE target without a full SPARQL parser.

    Comments, strings, IRIs, variables and prefixed names are whole tokens, so a
    variable ``?service`` or a literal ``"SERVICE"`` are not keywords.  SPARQL
    allows ``\\u`` escapes anywhere in the text; when present, the unescaped text
    is sniffed too and its SERVICE targets are added, to refuse rather than miss.
    """
    info = _sniff_tokens(tokenize(text))
    if _ESCAPE.search(text):
        other = _sniff_tokens(tokenize(_unescape_codepoints(text)))
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
        if word != "SERVICE":
            continue
        k = j + 1
        if k < len(tokens) and tokens[k].kind == "name" and tokens[k].text.upper() == "SILENT":
            k += 1
        target = tokens[k] if k < len(tokens) else None
        info.service_iris.append(_service_target(target, info))
    return info


def _service_target(tok: Token | None, info: QueryInfo) -> str | None:
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
    return urljoin(base, iri) if base else iri


def forbidden_services(info: QueryInfo, allowlist: list[str] | tuple[str, ...]) -> list[str]:
    """SERVICE targets not on the allowlist ('?' stands for a variable or an unknown target)."""
    allowed = {a.strip() for a in allowlist}
    return [(iri or "?") for iri in info.service_iris if iri is None or iri not in allowed]


# --------------------------------------------------------------------------- request parsing

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
READ_ONLY = ("This endpoint is read-only: SPARQL Update is not accepted. "
             "Download the data (see README) to modify it locally.")


@dataclass
class SparqlRequest:
    """A protocol request reduced to what the executor needs."""

    query: str | None  # None: no query, answer with the service description
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    infer: bool | None = None
    format: str | None = None


def parse_content_type(value: str | None) -> tuple[str | None, dict[str, str]]:
    if not value or not value.strip():
        return None, {}
    parts = [p.strip() for p in value.split(";")]
    params = {}
    for p in parts[1:]:
        k, _, v = p.partition("=")
        params[k.strip().lower()] = v.strip().strip('"')
    return parts[0].lower(), params


def _decode_utf8(body: bytes, params: dict[str, str], what: str) -> str:
    charset = params.get("charset")
    if charset and charset.lower() not in ("utf-8", "utf8"):
        raise ProtocolError(400, f"The {what} must be UTF-8 encoded (Content-Type says charset={charset}).")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"The {what} is not valid UTF-8 (byte {exc.start}).") from None


def parse_pairs(raw: str) -> list[tuple[str, str]]:
    """Decode ``a=b&c=d`` strictly: undecodable percent-escapes are a client error."""
    try:
        return parse_qsl(raw, keep_blank_values=True, strict_parsing=False, encoding="utf-8",
                         errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError(400, "A percent-encoded parameter is not valid UTF-8.") from None


def parse_request(method: str, url_params: list[tuple[str, str]], content_type: str | None,
                  body: bytes) -> SparqlRequest:
    """Apply the protocol's rules (SPARQL 1.1 Protocol §2.1, §2.2) to one HTTP request."""
    method = method.upper()
    if method in ("GET", "HEAD"):
        params = list(url_params)
        if _values(params, "update"):
            raise ProtocolError(400, "SPARQL Update cannot be sent with GET (and this endpoint is "
                                "read-only).")
        return _from_params(params, allow_empty=True)
    if method != "POST":
        raise ProtocolError(405, f"Method {method} is not allowed; use GET or POST.",
                            {"Allow": "GET, HEAD, POST, OPTIONS"})
    mtype, ct_params = parse_content_type(content_type)
    if mtype is None:
        raise ProtocolError(400, "POST needs a Content-Type: application/x-www-form-urlencoded, "
                            "application/sparql-query (or application/sparql-update).")
    if mtype == FORM:
        text = _decode_utf8(body, ct_params, "form body")
        body_params = parse_pairs(text)
        for key in ("query", "update"):
            if _values(url_params, key) and _values(body_params, key):
                raise ProtocolError(400, f"'{key}' given both in the URL and in the body.")
        params = list(url_params) + body_params
        updates = _values(params, "update")
        if updates and _values(params, "query"):
            raise ProtocolError(400, "A request carries either 'query' or 'update', not both.")
        if len(updates) > 1:
            raise ProtocolError(400, "More than one 'update' parameter.")
        if updates:
            raise ProtocolError(403, READ_ONLY)
        req = _from_params(params, allow_empty=False)
        return req
    if mtype == SPARQL_QUERY:
        text = _decode_utf8(body, ct_params, "query")
        if _values(url_params, "query") or _values(url_params, "update"):
            raise ProtocolError(400, "With Content-Type application/sparql-query the query is the "
                                "body; do not also pass 'query' or 'update' in the URL.")
        if not text.strip():
            raise ProtocolError(400, "The request body (the query) is empty.")
        req = _from_params(list(url_params), allow_empty=True)
        req.query = text
        return req
    if mtype == SPARQL_UPDATE:
        _decode_utf8(body, ct_params, "update")
        raise ProtocolError(403, READ_ONLY)
    raise ProtocolError(415, f"Unsupported Content-Type {mtype}; use application/x-www-form-"
                        "urlencoded or application/sparql-query.")


def _values(params: list[tuple[str, str]], key: str) -> list[str]:
    return [v for k, v in params if k == key]


def _from_params(params: list[tuple[str, str]], *, allow_empty: bool) -> SparqlRequest:
    queries = _values(params, "query")
    if len(queries) > 1:
        raise ProtocolError(400, "More than one 'query' parameter.")
    if not queries and not allow_empty:
        raise ProtocolError(400, "The form body has no 'query' parameter.")
    if queries and not queries[0].strip():
        raise ProtocolError(400, "The 'query' parameter is empty.")
    infer = None
    infers = _values(params, "infer")
    if infers:
        value = infers[-1].strip().lower()
        if value in ("true", "1", "yes", "on"):
            infer = True
        elif value in ("false", "0", "no", "off"):
            infer = False
        else:
            raise ProtocolError(400, f"infer must be true or false, got {infers[-1]!r}.")
    formats = _values(params, "format")
    return SparqlRequest(
        query=queries[0] if queries else None,
        default_graphs=[v for v in _values(params, "default-graph-uri") if v],
        named_graphs=[v for v in _values(params, "named-graph-uri") if v],
        infer=infer,
        format=formats[-1] if formats else None,
    )
