"""Which representation of a resource a request asks for, and how to write it.

Negotiation itself is ``protocol.negotiate`` (shared with the SPARQL endpoint); this
module only fixes the linked-data offer: four RDF formats plus HTML, each with a file
suffix so that ``/id/gov/kanagawa.ttl`` names one representation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from . import protocol
from .linked_data_jsonld import to_jsonld
from .namespaces import PREFIXES


@dataclass(frozen=True)
class Representation:
    extension: str
    media_type: str
    label: str


REPRESENTATIONS = (
    Representation("ttl", protocol.TURTLE, "Turtle"),
    Representation("jsonld", protocol.JSONLD, "JSON-LD"),
    Representation("nt", protocol.NTRIPLES, "N-Triples"),
    Representation("rdf", protocol.RDFXML, "RDF/XML"),
    Representation("html", protocol.HTML, "HTML"),
)
BY_EXTENSION = {r.extension: r for r in REPRESENTATIONS}
BY_MEDIA_TYPE = {r.media_type: r for r in REPRESENTATIONS}
RDF_REPRESENTATIONS = tuple(r for r in REPRESENTATIONS if r.media_type != protocol.HTML)

#: Other names clients send for the offered types.
ALIASES = {**protocol.graph_aliases(), "application/xhtml+xml": protocol.HTML}


def choose(accept: str | None, *, html: bool = True) -> Representation | None:
    """The representation the Accept header prefers; None means 406.

    RDF comes first in the server's order, so a client that sends no Accept (curl,
    scripts) gets Turtle; browsers name text/html and get the page.
    """
    offered = [r.media_type for r in (REPRESENTATIONS if html else RDF_REPRESENTATIONS)]
    chosen = protocol.negotiate(accept, offered, ALIASES)
    return BY_MEDIA_TYPE.get(chosen) if chosen else None


def split_suffix(path: str) -> tuple[str, Representation | None]:
    """``gov/kanagawa.ttl`` → (``gov/kanagawa``, Turtle); unknown suffixes stay in the name."""
    stem, dot, ext = path.rpartition(".")
    if dot and ext in BY_EXTENSION and stem and "/" not in ext:
        return stem, BY_EXTENSION[ext]
    return path, None


def used_prefixes(triples: list[ox.Triple]) -> dict[str, str]:
    """Only the prefixes a document uses, so a small description stays small."""
    iris = set()
    for t in triples:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
            elif isinstance(term, ox.Literal):
                iris.add(term.datatype.value)
    return {p: ns for p, ns in PREFIXES.items() if any(i.startswith(ns) for i in iris)}


def _order(t: ox.Triple) -> tuple:
    # Subjects together (Turtle groups consecutive triples), IRIs before blank nodes.
    return (isinstance(t.subject, ox.BlankNode), t.subject.value, t.predicate.value, str(t.object))


def write_rdf(triples: Iterable[ox.Triple], rep: Representation, context: dict) -> bytes:
    triples = sorted(set(triples), key=_order)
    if rep.media_type == protocol.JSONLD:
        return to_jsonld(triples, context)
    fmt = ox.RdfFormat.from_media_type(rep.media_type)
    if fmt == ox.RdfFormat.N_TRIPLES:
        return ox.serialize(triples, format=fmt)
    return ox.serialize(triples, format=fmt, prefixes=used_prefixes(triples))


def content_type(media_type: str) -> str:
    """JSON is UTF-8 by definition (no charset parameter); the text formats say so explicitly."""
    if media_type.startswith("text/") or media_type.endswith("+xml") or media_type == protocol.NTRIPLES:
        return f"{media_type}; charset=utf-8"
    return media_type
