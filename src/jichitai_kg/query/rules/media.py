"""Media types and content negotiation, shared by every view that answers in several formats.

Accept headers are parsed by werkzeug's ``MIMEAccept`` (q=0, specificity, wildcards); this
module adds what SPARQL clients need on top: other names for the same formats (aliases,
answered with the canonical type), ``format=`` values for links, "no Accept header →
the first offered type", and a refusal of charsets other than UTF-8.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...errors import BadRequest, NotAcceptable

if TYPE_CHECKING:
    from werkzeug.datastructures import MIMEAccept

JSON_RESULTS = "application/sparql-results+json"
XML_RESULTS = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"
HTML = "text/html"
#: ``bom=1`` on a CSV download prepends this UTF-8 byte order mark: Excel on Japanese Windows
#: reads a CSV without it in Shift_JIS and garbles the Japanese text.
UTF8_BOM = b"\xef\xbb\xbf"

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
    "application/x-json+ld": JSONLD,
    # Turtle is a subset of N3: a client asking for N3 reads the Turtle answer.
    "text/n3": TURTLE,
    "text/rdf+n3": TURTLE,
    "application/turtle": TURTLE,
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


#: Types answered as text, with an explicit ``charset=utf-8`` (JSON is UTF-8 by definition).
TEXT_TYPES = (CSV, TSV, TURTLE, NTRIPLES, HTML, "application/n-quads", "application/trig")


def content_type(media_type: str) -> str:
    """The Content-Type header value for a media type we produce (always UTF-8)."""
    if media_type in TEXT_TYPES or media_type.startswith("text/"):
        return f"{media_type}; charset=utf-8"
    return media_type


def _client_ranges(header: str) -> tuple[MIMEAccept, bool]:
    """The Accept header without ranges that ask for a charset other than UTF-8, and
    whether the header named any range at all."""
    # werkzeug on first use: the CLI's one-shot commands never negotiate (and start faster)
    from werkzeug.datastructures import MIMEAccept
    from werkzeug.http import parse_accept_header

    accept = parse_accept_header(header, MIMEAccept)
    kept = []
    for value, q in accept:
        mtype, _, params = value.partition(";")
        charset = next((p.split("=", 1)[1].strip().strip('"').lower() for p in params.split(";")
                        if p.strip().lower().startswith("charset=")), None)
        if charset is not None and charset not in ("utf-8", "utf8"):
            continue
        kept.append((mtype.strip().lower(), q))
    return MIMEAccept(kept), len(accept) > 0


def negotiate(accept: str | None, offered: tuple[str, ...] | list[str],
              aliases: dict[str, str] | None = None) -> str | None:
    """Pick the offered media type the client prefers, or None when nothing is acceptable.

    Each offered type takes the q of the most specific range that matches it
    (``text/turtle;q=0`` beats ``*/*``).  Highest q wins; ties go to the range's
    specificity, then to the server's order.  A missing or empty header means
    "anything", i.e. the first offered type.  ``aliases`` maps other names (e.g.
    ``application/json``) to an offered type, as if the client had named it.
    """
    if not accept or not accept.strip():
        return offered[0] if offered else None
    ranges, named_any = _client_ranges(accept)
    if not len(ranges):  # unparseable: as if absent; only unusable charsets: nothing
        return None if named_any else (offered[0] if offered else None)
    named = {value for value, _ in ranges}
    aliases = aliases or {}
    best: tuple[float, int, int] | None = None
    choice = None
    for index, media_type in enumerate(offered):
        # Aliases count only when named exactly: text/* must not pick XML through text/xml.
        names = [media_type] + [a for a, target in aliases.items() if target == media_type and a in named]
        for name in names:
            q = ranges.quality(name)  # the q of the most specific matching range
            specificity = 2 if name in named else 1 if name.split("/")[0] + "/*" in named else 0
            key = (q, specificity, -index)
            if q > 0 and (best is None or key > best):
                best, choice = key, media_type
    return choice


def negotiate_result(accept: str | None, form: str, format_param: str | None) -> str:
    """The media type for a query's answer, honouring ``format=`` before ``Accept``.

    Raises BadRequest for an unknown or unsuitable ``format`` and NotAcceptable when
    the Accept header admits nothing we can produce.
    """
    offered = offered_types(form)
    aliases = graph_aliases() if form in ("CONSTRUCT", "DESCRIBE") else results_aliases()
    if format_param:
        # Clients repeat format= or send comma lists of names and media types (SPARQLWrapper
        # sends format=json-ld&format=application/ld+json,application/x-json+ld): the first
        # one that suits the query form wins.
        candidates = [c.strip().lower() for c in format_param.split(",") if c.strip()]
        known = [w for w in (format_value(c, form, aliases) for c in candidates) if w]
        if not known:
            raise BadRequest(f"Unknown format={format_param!r}; use one of: "
                             + ", ".join(k for k in FORMAT_PARAM if k != "html"))
        for wanted in known:
            if wanted in offered:
                return wanted
        raise NotAcceptable(f"format={format_param} cannot represent the result of a {form} query"
                            f"{_FORM_HINT.get(form, '')}; available: {', '.join(offered)}.")
    chosen = negotiate(accept, offered, aliases)
    if chosen is None:
        raise NotAcceptable(f"None of the types in Accept: {accept} can represent the result of a "
                            f"{form} query{_FORM_HINT.get(form, '')}. Available: {', '.join(offered)}")
    return chosen


#: Why a format does not fit (SPARQLWrapper shows this text with the 406).
_FORM_HINT = {
    "SELECT": " (a table of variable bindings: ask for JSON, XML, CSV or TSV results, or use "
              "CONSTRUCT or DESCRIBE for RDF)",
    "ASK": " (a yes/no answer: ask for JSON or XML results)",
    "CONSTRUCT": " (an RDF graph: ask for Turtle, N-Triples, JSON-LD or RDF/XML)",
    "DESCRIBE": " (an RDF graph: ask for Turtle, N-Triples, JSON-LD or RDF/XML)",
}


def format_value(value: str, form: str, aliases: dict[str, str]) -> str | None:
    """A ``format=`` value (a name such as ``csv`` or a media type) as a media type, or None."""
    if form in ("CONSTRUCT", "DESCRIBE") and value in GRAPH_FORMAT_PARAM:
        return GRAPH_FORMAT_PARAM[value]
    if value in FORMAT_PARAM:
        return FORMAT_PARAM[value]
    if "/" in value:
        return aliases.get(value, value)
    return None


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


