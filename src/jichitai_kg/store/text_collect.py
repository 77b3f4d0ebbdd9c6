"""What the search index holds, read from a store with the ``search-*.rq`` queries.

The store turns every term of every answer row back into a string, one lookup each, and these
lookups are most of the cost of reading (about a microsecond each).  So the queries that meet
a term again and again are grouped on that term: a type, a link target, a text shared by
thousands of subjects is read once, with its subjects joined into one string; each subject is
then read once per row it belongs to.  Every query is linear in the data (single patterns or
fixed joins); the government an entity belongs to is found here, following the links in
Python, each entity once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import cast

import pyoxigraph as ox

from ..content import app_query
from ..namespaces import JKG

#: The queries (``search-<name>.rq``) an index is made from: part of its fingerprint.
QUERY_NAMES = ("texts", "text-order", "types", "links", "prefectures", "class-labels", "bodies", "same")
#: Fields (search-texts.rq) of a text that names its subject: a kana-tagged one is a reading.
NAME_FIELDS = ("label", "alt")
KANA_LANGUAGES = ("ja-hira", "ja-kana")
LOCAL_GOVERNMENT = str(JKG.LocalGovernment)


def _select(store: ox.Store, name: str) -> ox.QuerySolutions:
    return cast(ox.QuerySolutions, store.query(app_query(f"search-{name}"), use_default_graph_as_union=True))


def _subjects(store: ox.Store, name: str) -> Iterable[tuple[ox.QuerySolution, list[str]]]:
    """Rows of a query whose ?subjects joins IRIs by spaces, with that column split (the empty
    entries of blank nodes left out)."""
    for row in _select(store, name):
        yield row, [s for s in row["subjects"].value.split(" ") if s]


def _texts(store: ox.Store) -> tuple[dict, dict]:
    """Texts by subject ({(field, text): None}: its own texts in the store's order, then its
    kind's labels) and the ja/en labels of the data's terms (the first of each language)."""
    order = {(field.value, p.value, text): n for n, (field, p, text) in enumerate(_select(store, "text-order"))}
    rows: dict[str, list[tuple[bool, int, str, str, str]]] = defaultdict(list)
    for (field, p, text, _), subjects in _subjects(store, "texts"):
        if not isinstance(text, ox.Literal):
            continue
        key = (field.value == "keyword", order[(field.value, p.value, text)], field.value,
               (text.language or "").lower(), text.value)
        for s in subjects:
            rows[s].append(key)
    texts: dict[str, dict[tuple[str, str], None]] = {}
    labels: dict[str, tuple[str, str]] = {}
    for s, keys in rows.items():
        keys.sort()
        own: dict[tuple[str, str], None] = {}
        pair: list[str] | None = None
        for _, _, field, lang, text in keys:
            if lang in KANA_LANGUAGES and field in NAME_FIELDS:
                field = "kana"
            own[(field, text)] = None
            if field == "label" and (lang == "ja" or lang.startswith("en")):
                pair = pair or ["", ""]
                pair[lang != "ja"] = pair[lang != "ja"] or text
        if any(f == "label" for f, _ in own):  # only labelled subjects are indexed
            texts[s] = own
        if pair is not None:
            labels[s] = (pair[0], pair[1])
    return texts, labels


def _governments(links: dict[str, set[str]], governments: set[str]) -> dict[str, set[str]]:
    """The governments each entity reaches by one or more steps (each entity visited once)."""
    found: dict[str, set[str]] = {}

    def reach(start: str) -> set[str]:
        if start in found:
            return found[start]
        found[start] = set()  # a cycle ends here
        out: set[str] = set()
        for nxt in links.get(start, ()):
            if nxt in governments:
                out.add(nxt)
            out |= reach(nxt)
        found[start] = out
        return out

    for start in list(links):
        reach(start)
    return found


def _structure(store: ox.Store) -> dict:
    """What the index holds beside the texts: each entity's types (one frozenset, shared by the
    entities that have the same), its government (the least IRI of those it reaches), its
    categories; the prefectures and register bodies; ontology labels; same-concept pairs."""
    type_sets: dict[str, set[str]] = defaultdict(set)
    for (type_, _), subjects in _subjects(store, "types"):
        if isinstance(type_, ox.NamedNode):
            for s in subjects:
                type_sets[s].add(type_.value)
    shared: dict[frozenset[str], frozenset[str]] = {}
    types = {s: shared.setdefault(frozenset(ts), frozenset(ts)) for s, ts in type_sets.items()}
    links: dict[str, set[str]] = defaultdict(set)
    categories: dict[str, set[str]] = defaultdict(set)
    for (nxt, category, _), subjects in _subjects(store, "links"):
        for s in subjects:
            if isinstance(nxt, ox.NamedNode):
                links[s].add(nxt.value)
            if category is not None:
                categories[s].add(category.value)
    reached = _governments(links, {iri for iri, ts in types.items() if LOCAL_GOVERNMENT in ts})
    class_labels: dict[str, tuple[str, str]] = {}
    for term, label in _select(store, "class-labels"):
        lang = (label.language or "").lower()
        if lang == "ja" or lang.startswith("en"):
            pair = list(class_labels.get(term.value, ("", "")))
            pair[lang != "ja"] = pair[lang != "ja"] or label.value
            class_labels[term.value] = (pair[0], pair[1])
    same: dict[str, set[str]] = defaultdict(set)
    for s, other in _select(store, "same"):
        same[s.value].add(other.value)
    return {"types": types, "govs": {s: min(g) for s, g in reached.items() if g},
            "categories": dict(categories), "same": dict(same), "class_labels": class_labels,
            "prefectures": {gov.value: pref.value for gov, pref in _select(store, "prefectures")},
            "bodies": {body.value: (cls.value if cls else None, city.value if city else None)
                       for body, cls, city in _select(store, "bodies")}}


def collect(store: ox.Store) -> dict:
    """Everything the index holds: texts, types, governments, categories, prefectures, term
    labels, register bodies, same-concept pairs."""
    texts, terms = _texts(store)
    structure = _structure(store)
    for term, (ja, en) in structure.pop("class_labels").items():
        old_ja, old_en = terms.get(term, ("", ""))
        terms[term] = (old_ja or ja, old_en or en)
    return {"texts": texts, "terms": terms, **structure}
