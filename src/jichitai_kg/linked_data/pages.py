"""Turn the linked-data queries' rows into what the HTML templates show.

Kept apart from the views so that the grouping rules (asserted vs inferred, labels in
the chosen language, IRIs of this dataset linking to this server) are plain functions.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import pyoxigraph as ox

from ..i18n import Section
from ..namespaces import BASE, INFERRED_GRAPH, JKG
from ..namespaces import compact as compact_iri

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel")
DESCRIPTIONS = ("http://purl.org/dc/terms/description", "http://www.w3.org/2004/02/skos/core#definition",
                "http://www.w3.org/2000/01/rdf-schema#comment")

#: Interface strings of the resource, ontology and download pages (translations/*.po).
TEXT = Section("ld")


def compact(iri: str) -> str:
    """``gov:kanagawa`` for display; the full IRI when no prefix fits."""
    return compact_iri(iri) or iri


def local_path(iri: str, prefix: str = "") -> str | None:
    """The path on this server that serves ``iri`` (only for IRIs under the dataset base)."""
    if not iri.startswith(BASE):
        return None
    return f"{prefix}/{iri[len(BASE):]}"


def mount_prefix(public_base: str | None, script_root: str = "") -> str:
    """The path the service is mounted at: PUBLIC_BASE's path, else the WSGI script root."""
    if public_base:
        return urlparse(public_base).path.rstrip("/")
    return script_root.rstrip("/")


def iris_resolve(public_base: str | None) -> bool:
    """True when PUBLIC_BASE is the dataset's own base, so its IRIs answer where they point."""
    if not public_base:
        return False
    return BASE.startswith(public_base.rstrip("/") + "/")


def local_href(iri: str, public_base: str | None = None, script_root: str = "") -> str:
    """Where a page links for ``iri``: this server, unless PUBLIC_BASE says the IRIs resolve."""
    if iris_resolve(public_base):
        return iri
    return local_path(iri, mount_prefix(public_base, script_root)) or iri


@dataclass
class Value:
    text: str
    iri: str | None = None
    href: str | None = None
    lang: str | None = None
    datatype: str | None = None
    inferred: bool = False
    blank: bool = False


@dataclass
class PropertyGroup:
    iri: str
    label: str
    href: str | None
    values: list[Value] = field(default_factory=list)


def make_value(term: Any, label: Any, *, prefix: str, inferred: bool = False) -> Value:
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        show_dt = None if term.language or dt.endswith("#string") else compact(dt)
        return Value(term.value, lang=term.language, datatype=show_dt, inferred=inferred)
    if isinstance(term, ox.BlankNode):
        return Value(f"_:{term.value[:8]}", blank=True, inferred=inferred)
    iri = term.value
    text = label.value if isinstance(label, ox.Literal) else compact(iri)
    href = local_path(iri, prefix) or iri
    return Value(text, iri=iri, href=href, inferred=inferred)


def _inferred_only(graphs: set[str]) -> bool:
    return graphs == {str(INFERRED_GRAPH)}


def group_statements(rows: list[dict], *, prefix: str) -> dict:
    """Split a resource's outgoing statements into labels, descriptions, types and properties."""
    merged: OrderedDict[tuple, dict] = OrderedDict()
    for r in rows:
        key = (r["p"].value, str(r["o"]))
        entry = merged.setdefault(key, {"row": r, "graphs": set()})
        entry["graphs"].add(r["g"].value if r.get("g") is not None else "")
    labels: dict[str, list[str]] = {}
    pref_labels: dict[str, list[str]] = {}
    descriptions: dict[str, list[str]] = {}
    asserted_types: list[Value] = []
    inferred_types: list[Value] = []
    props: OrderedDict[str, PropertyGroup] = OrderedDict()
    for (p, _), entry in merged.items():
        r, inferred = entry["row"], _inferred_only(entry["graphs"])
        o = r["o"]
        if p in LABELS and isinstance(o, ox.Literal):
            target = labels if p == LABELS[0] else pref_labels
            if o.value not in target.get(o.language or "", []):
                target.setdefault(o.language or "", []).append(o.value)
        if p in DESCRIPTIONS and isinstance(o, ox.Literal):
            descriptions.setdefault(o.language or "", []).append(o.value)
        if p == RDF_TYPE:
            v = make_value(o, r.get("oLabel"), prefix=prefix, inferred=inferred)
            (inferred_types if inferred else asserted_types).append(v)
            continue
        group = props.get(p)
        if group is None:
            pl = r.get("pLabel")
            group = props[p] = PropertyGroup(p, pl.value if isinstance(pl, ox.Literal) else compact(p),
                                             local_path(p, prefix) or p)
        group.values.append(make_value(o, r.get("oLabel"), prefix=prefix, inferred=inferred))
    for lang, values in pref_labels.items():
        labels.setdefault(lang, values)
    return {"labels": labels, "descriptions": descriptions, "asserted_types": asserted_types,
            "inferred_types": inferred_types, "properties": list(props.values())}


def group_incoming(rows: list[dict], *, prefix: str) -> list[PropertyGroup]:
    seen: dict[tuple, set] = {}
    first: dict[tuple, dict] = {}
    for r in rows:
        key = (r["p"].value, str(r["s"]))
        seen.setdefault(key, set()).add(r["g"].value if r.get("g") is not None else "")
        first.setdefault(key, r)
    groups: OrderedDict[str, PropertyGroup] = OrderedDict()
    for key, r in first.items():
        p = key[0]
        group = groups.get(p)
        if group is None:
            pl = r.get("pLabel")
            group = groups[p] = PropertyGroup(p, pl.value if isinstance(pl, ox.Literal) else compact(p),
                                              local_path(p, prefix) or p)
        group.values.append(make_value(r["s"], r.get("sLabel"), prefix=prefix,
                                       inferred=_inferred_only(seen[key])))
    return list(groups.values())


def plain_rows(rows: list[dict], *, prefix: str) -> list[dict]:
    """Rows with IRIs turned into links and literals into text (figures, provenance)."""
    out = []
    for r in rows:
        d: dict[str, Any] = {}
        for k, v in r.items():
            if v is None:
                d[k] = None
            elif isinstance(v, ox.NamedNode):
                d[k] = {"text": compact(v.value), "href": local_path(v.value, prefix) or v.value,
                        "iri": v.value}
            else:
                d[k] = v.value
        out.append(d)
    return out


def axiom_sentence(row: dict, lang: str) -> str:
    """One class axiom in words, e.g. "every Work-style reform measure has derived category …"."""
    equivalent = row["relation"].value.endswith("equivalentClass")
    has_left = row.get("lp") is not None
    has_right = row.get("rp") is not None
    L, R = _label(row, "left"), _label(row, "right")
    lp, lv, rp, rv = (_label(row, k) for k in ("lp", "lv", "rp", "rv"))
    t = TEXT[lang]
    left = t["axiom_left"].format(p=lp, v=lv) if has_left else L
    # English says "every X" of a class but not of "everything whose …"; Japanese says neither.
    sub = "_from_restricted" if has_left else ""
    if has_right:
        key = "axiom_eq_restricted" if equivalent else f"axiom_sub_restricted{sub}"
    else:
        key = "axiom_eq_class" if equivalent else f"axiom_sub_class{sub}"
    return t[key].format(left=left, rp=rp, rv=rv, right=R)


def _label(row: dict, key: str) -> str:
    lab = row.get(f"{key}Label")
    if isinstance(lab, ox.Literal):
        return f"「{lab.value}」" if lab.language == "ja" else f"“{lab.value}”"
    term = row.get(key)
    if term is None:
        return "?"
    if isinstance(term, ox.BlankNode):
        return "(class expression)"
    return compact(term.value)


def ontology_terms(rows: list[dict], other_rows: list[dict], *, prefix: str) -> dict[str, list[dict]]:
    """Classes and properties by kind, each with both languages' labels."""
    other = {r["term"].value: r for r in other_rows}
    kinds = {"Class": "classes", "ObjectProperty": "object_properties",
             "DatatypeProperty": "datatype_properties", "AnnotationProperty": "annotation_properties"}
    out: dict[str, list[dict]] = {v: [] for v in kinds.values()}
    seen = set()
    for r in rows:
        iri = r["term"].value
        kind = kinds.get(r["kind"].value.rsplit("#", 1)[-1])
        if kind is None or (kind, iri) in seen:
            continue
        seen.add((kind, iri))
        o = other.get(iri, {})

        def links(key, r=r):
            v = r.get(key)
            return [{"text": compact(i), "href": local_path(i, prefix) or i}
                    for i in (v.value.split() if v is not None else [])]

        out[kind].append({
            "iri": iri, "anchor": iri[len(str(JKG)):] if iri.startswith(str(JKG)) else iri,
            "label": r["label"].value if r.get("label") is not None else "",
            "other_label": o["label"].value if o.get("label") is not None else "",
            "definition": r["definition"].value if r.get("definition") is not None else "",
            "other_definition": o["definition"].value if o.get("definition") is not None else "",
            "domain": links("domain"), "range": links("range"), "super": links("super"),
        })
    return out
