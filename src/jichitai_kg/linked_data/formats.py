"""Which representation of a resource a request asks for, and how to write it.

Negotiation itself is ``media.negotiate`` (shared with the SPARQL endpoint); this
module only fixes the linked-data offer: four RDF formats plus HTML, each with a file
suffix so that ``/id/gov/kanagawa.ttl`` names one representation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import pyoxigraph as ox

from ..jsonld import to_jsonld
from ..namespaces import used_prefixes
from ..query.rules import media


@dataclass(frozen=True)
class Representation:
    extension: str
    media_type: str
    label: str


REPRESENTATIONS = (
    Representation("ttl", media.TURTLE, "Turtle"),
    Representation("jsonld", media.JSONLD, "JSON-LD"),
    Representation("nt", media.NTRIPLES, "N-Triples"),
    Representation("rdf", media.RDFXML, "RDF/XML"),
    Representation("html", media.HTML, "HTML"),
)
BY_EXTENSION = {r.extension: r for r in REPRESENTATIONS}
BY_MEDIA_TYPE = {r.media_type: r for r in REPRESENTATIONS}
RDF_REPRESENTATIONS = tuple(r for r in REPRESENTATIONS if r.media_type != media.HTML)

#: Other names clients send for the offered types.
ALIASES = {**media.graph_aliases(), "application/xhtml+xml": media.HTML}


def choose(accept: str | None, *, html: bool = True) -> Representation | None:
    """The representation the Accept header prefers; None means 406.

    RDF comes first in the server's order, so a client that sends no Accept (curl,
    scripts) gets Turtle; browsers name text/html and get the page.
    """
    offered = [r.media_type for r in (REPRESENTATIONS if html else RDF_REPRESENTATIONS)]
    chosen = media.negotiate(accept, offered, ALIASES)
    return BY_MEDIA_TYPE.get(chosen) if chosen else None


def split_suffix(path: str) -> tuple[str, Representation | None]:
    """``gov/kanagawa.ttl`` → (``gov/kanagawa``, Turtle); unknown suffixes stay in the name."""
    stem, dot, ext = path.rpartition(".")
    if dot and ext in BY_EXTENSION and stem and "/" not in ext:
        return stem, BY_EXTENSION[ext]
    return path, None


def _order(t: ox.Triple) -> tuple:
    # Subjects together (Turtle groups consecutive triples), IRIs before blank nodes.
    return (isinstance(t.subject, ox.BlankNode), str(t.subject), t.predicate.value, str(t.object))


def write_rdf(triples: Iterable[ox.Triple], rep: Representation, context: dict) -> bytes:
    triples = sorted(set(triples), key=_order)
    if rep.media_type == media.JSONLD:
        return to_jsonld(triples, context)
    fmt = ox.RdfFormat.from_media_type(rep.media_type)
    prefixes = None if fmt == ox.RdfFormat.N_TRIPLES else used_prefixes(triples)
    return cast(bytes, ox.serialize(triples, format=fmt, prefixes=prefixes))
