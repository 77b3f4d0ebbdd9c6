"""Readable JSON-LD: the published context and a compacting writer that uses it.

A generic serializer writes full IRIs and ``{"@value": …}`` objects everywhere; people
reading the dump want ``"label": {"ja": "神奈川県", "en": "Kanagawa Prefecture"}`` and
``"government": "gov:kanagawa"``.  The context gives every ontology property a short
key (object properties coerce to IRIs) and the label-like properties language maps.
The writer only uses a short key where its coercion fits the value; anything else is
written in explicit form under the prefixed name, so the document always expands back
to exactly the triples it was written from (the tests check this with rdflib and
pyoxigraph).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from .namespaces import JKG, PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

#: Literal-valued properties given a language map: {"ja": …, "en": …}.
LANGUAGE_MAPPED = {
    "label": "http://www.w3.org/2000/01/rdf-schema#label",
    "comment": "http://www.w3.org/2000/01/rdf-schema#comment",
    "prefLabel": "http://www.w3.org/2004/02/skos/core#prefLabel",
    "altLabel": "http://www.w3.org/2004/02/skos/core#altLabel",
    "definition": "http://www.w3.org/2004/02/skos/core#definition",
    "editorialNote": "http://www.w3.org/2004/02/skos/core#editorialNote",
    "title": "http://purl.org/dc/terms/title",
    "description": "http://purl.org/dc/terms/description",
    "unitText": "http://schema.org/unitText",
}

#: The properties of reused vocabularies the data uses, with whether their values are IRIs
#: (tests/content/test_jsonld_context.py keeps this list and the data in step).
REUSED_TERMS = {
    "subjectOf": ("http://schema.org/subjectOf", True),
    "isPartOf": ("http://purl.org/dc/terms/isPartOf", True),
    "hasPart": ("http://purl.org/dc/terms/hasPart", True),
    "subject": ("http://purl.org/dc/terms/subject", True),
    "references": ("http://purl.org/dc/terms/references", True),
    "hasVersion": ("http://purl.org/dc/terms/hasVersion", True),
    "language": ("http://purl.org/dc/terms/language", True),
    "modified": ("http://purl.org/dc/terms/modified", False),
    "wasAttributedTo": ("http://www.w3.org/ns/prov#wasAttributedTo", True),
    "relation": ("http://purl.org/dc/terms/relation", True),
    "source": ("http://purl.org/dc/terms/source", True),
    "spatial": ("http://purl.org/dc/terms/spatial", True),
    "license": ("http://purl.org/dc/terms/license", True),
    "created": ("http://purl.org/dc/terms/created", False),
    "issued": ("http://purl.org/dc/terms/issued", False),
    "date": ("http://purl.org/dc/terms/date", False),
    "unitOf": ("http://www.w3.org/ns/org#unitOf", True),
    "subOrganizationOf": ("http://www.w3.org/ns/org#subOrganizationOf", True),
    "memberOf": ("http://www.w3.org/ns/org#memberOf", True),
    "holds": ("http://www.w3.org/ns/org#holds", True),
    "postIn": ("http://www.w3.org/ns/org#postIn", True),
    "heldBy": ("http://www.w3.org/ns/org#heldBy", True),
    "orgRole": ("http://www.w3.org/ns/org#role", True),  # "role" is the prefix of the role IRIs
    "classification": ("http://www.w3.org/ns/org#classification", True),
    "originalOrganization": ("http://www.w3.org/ns/org#originalOrganization", True),
    "resultingOrganization": ("http://www.w3.org/ns/org#resultingOrganization", True),
    "broader": ("http://www.w3.org/2004/02/skos/core#broader", True),
    "narrower": ("http://www.w3.org/2004/02/skos/core#narrower", True),
    "inScheme": ("http://www.w3.org/2004/02/skos/core#inScheme", True),
    "topConceptOf": ("http://www.w3.org/2004/02/skos/core#topConceptOf", True),
    "hasTopConcept": ("http://www.w3.org/2004/02/skos/core#hasTopConcept", True),
    "related": ("http://www.w3.org/2004/02/skos/core#related", True),
    "exactMatch": ("http://www.w3.org/2004/02/skos/core#exactMatch", True),
    "notation": ("http://www.w3.org/2004/02/skos/core#notation", False),
    "value": ("http://schema.org/value", False),
    "unitCode": ("http://schema.org/unitCode", False),
    "minValue": ("http://schema.org/minValue", False),
    "maxValue": ("http://schema.org/maxValue", False),
    "page": ("http://xmlns.com/foaf/0.1/page", True),
    "homepage": ("http://xmlns.com/foaf/0.1/homepage", True),
    "intervalDuring": ("http://www.w3.org/2006/time#intervalDuring", True),
    "intervalStartedBy": ("http://www.w3.org/2006/time#intervalStartedBy", True),
    "intervalFinishedBy": ("http://www.w3.org/2006/time#intervalFinishedBy", True),
    "hasXSDDuration": ("http://www.w3.org/2006/time#hasXSDDuration", False),
    "hasGeometry": ("http://www.opengis.net/ont/geosparql#hasGeometry", True),
    "asWKT": ("http://www.opengis.net/ont/geosparql#asWKT", False),
    "lat": ("http://www.w3.org/2003/01/geo/wgs84_pos#lat", False),
    "long": ("http://www.w3.org/2003/01/geo/wgs84_pos#long", False),
    "seeAlso": ("http://www.w3.org/2000/01/rdf-schema#seeAlso", True),
    "subClassOf": ("http://www.w3.org/2000/01/rdf-schema#subClassOf", True),
    "subPropertyOf": ("http://www.w3.org/2000/01/rdf-schema#subPropertyOf", True),
    "domain": ("http://www.w3.org/2000/01/rdf-schema#domain", True),
    "range": ("http://www.w3.org/2000/01/rdf-schema#range", True),
}

_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_\-.]*$")


def build_context(ontology_properties: Iterable[tuple[str, bool]]) -> dict:
    """The JSON-LD context for ``(property IRI, values are IRIs)`` pairs of the ontology.

    Deterministic (sorted) so the published file only changes when the ontology does.
    """
    ctx: dict = {"@version": 1.1, "id": "@id", "type": "@type"}
    for prefix, ns in sorted(PREFIXES.items()):
        ctx[prefix] = ns
    used = set(ctx)
    for key, iri in LANGUAGE_MAPPED.items():
        ctx[key] = {"@id": iri, "@container": "@language"}
        used.add(key)
    for iri, is_object in sorted(ontology_properties):
        if not iri.startswith(str(JKG)):
            continue
        key = iri[len(str(JKG)):]
        if not _SAFE_LOCAL.match(key) or key in used:
            continue
        ctx[key] = {"@id": iri, "@type": "@id"} if is_object else {"@id": iri}
        used.add(key)
    for key, (iri, is_object) in REUSED_TERMS.items():
        if key in used:
            continue
        ctx[key] = {"@id": iri, "@type": "@id"} if is_object else {"@id": iri}
        used.add(key)
    return ctx


class _Compactor:
    """Chooses keys and value forms against one context."""

    def __init__(self, context: dict):
        self.prefixes = sorted(
            ((k, v) for k, v in context.items() if isinstance(v, str) and not k.startswith("@")
             and v.endswith(("/", "#"))),
            key=lambda kv: -len(kv[1]),
        )
        self.terms: dict[str, tuple[str, str | None]] = {}  # IRI -> (key, coercion)
        for key, d in context.items():
            if isinstance(d, dict) and "@id" in d:
                coercion = "@language" if d.get("@container") == "@language" else d.get("@type")
                self.terms.setdefault(d["@id"], (key, coercion))

    def iri(self, iri: str) -> str:
        """A compact IRI when it expands back unambiguously, else the full IRI."""
        for prefix, ns in self.prefixes:
            if iri.startswith(ns):
                local = iri[len(ns):]
                if local and _SAFE_LOCAL.match(local):
                    return f"{prefix}:{local}"
        return iri

    def node_ref(self, t) -> str:
        return f"_:{t.value}" if isinstance(t, ox.BlankNode) else self.iri(t.value)

    def literal(self, lit: ox.Literal):
        dt = lit.datatype.value
        if lit.language:
            return {"@value": lit.value, "@language": lit.language}
        if dt == XSD + "string":
            return lit.value
        if dt == XSD + "integer" and re.fullmatch(r"-?(0|[1-9][0-9]{0,14})", lit.value):
            return int(lit.value)
        if dt == XSD + "boolean" and lit.value in ("true", "false"):
            return lit.value == "true"
        return {"@value": lit.value, "@type": self.iri(dt)}

    def value(self, o):
        if isinstance(o, ox.Literal):
            return self.literal(o)
        return {"@id": self.node_ref(o)}

    def node(self, subject, pairs) -> dict:
        out: dict = {"id": self.node_ref(subject)}
        by_key: dict[str, list] = defaultdict(list)
        lang_maps: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        types = []
        for p, o in pairs:
            if p == RDF_TYPE and isinstance(o, ox.NamedNode):
                types.append(self.node_ref(o))
                continue
            key, coercion = self.terms.get(p, (None, None))
            if key and coercion == "@language" and isinstance(o, ox.Literal) and o.language:
                lang_maps[key][o.language].append(o.value)
            elif key and coercion == "@id" and not isinstance(o, ox.Literal):
                by_key[key].append(self.node_ref(o))
            elif key and coercion is None:
                by_key[key].append(self.value(o))
            else:
                by_key[self.iri(p)].append(self.value(o))
        if types:
            out["type"] = types if len(types) > 1 else types[0]
        for key, langs in lang_maps.items():
            out[key] = {lang: (vals if len(vals) > 1 else vals[0]) for lang, vals in sorted(langs.items())}
        for key in sorted(by_key):
            vals = by_key[key]
            out[key] = vals if len(vals) > 1 else vals[0]
        return out


def _sort_key(t) -> tuple:
    return (isinstance(t, ox.BlankNode), t.value)


def to_jsonld(triples: Iterable[ox.Triple], context: dict) -> bytes:
    """Serialize triples as one compact JSON-LD document embedding ``context``.

    The context is embedded (it is the same object as the published ``/context.jsonld``)
    so that the file loads offline, without a JSON-LD processor fetching anything.
    """
    comp = _Compactor(context)
    by_subject: dict = defaultdict(list)
    for t in triples:
        by_subject[t.subject].append((t.predicate.value, t.object))
    nodes = []
    for s in sorted(by_subject, key=_sort_key):
        pairs = sorted(by_subject[s], key=lambda po: (po[0], str(po[1])))
        nodes.append(comp.node(s, pairs))
    doc = {"@context": context, "@graph": nodes}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
