"""Build the search index: an SQLite file with an FTS5 ``trigram`` table, made from a store.

``build.prepare`` writes it into the store's temporary directory before the rename, so it is
cached under the same key (the store digest), renamed and pruned with the store.  Its file
name also carries a fingerprint of this code and the ``search-*.rq`` queries, so a change to
either makes a fresh index next to an unchanged store (:func:`ensure_index`).  It is written
to a temporary file and renamed into place: a failed build never replaces a good index.

Tables: ``entity`` (one row per labelled IRI, with kind, labels, government, categories,
団体コード and prefecture), ``name`` (one row per text: field, language, text, normalized
text), ``name_fts`` (the trigram index over ``name.norm``) and ``term`` (labels of the types,
governments, categories and prefectures the facets show).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import cast

import pyoxigraph as ox

from ..content import app_query
from ..namespaces import DATA_GRAPH, DCTERMS, JKG, ONTOLOGY_GRAPH, ORG, RDFS, SKOS
from .text_norm import normalize

INDEX_PREFIX = "search-"
INDEX_SUFFIX = ".sqlite"
QUERY_NAMES = ("texts", "keywords", "types", "links", "prefectures", "class-labels", "bodies", "same")

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entity(
  id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
  label_ja TEXT NOT NULL, label_en TEXT NOT NULL, types TEXT NOT NULL, gov TEXT,
  categories TEXT NOT NULL, code TEXT, prefecture TEXT, class TEXT, city TEXT, same TEXT NOT NULL);
CREATE TABLE name(
  id INTEGER PRIMARY KEY, entity INTEGER NOT NULL REFERENCES entity(id),
  field TEXT NOT NULL, text TEXT NOT NULL, norm TEXT NOT NULL);
CREATE TABLE term(iri TEXT PRIMARY KEY, label_ja TEXT NOT NULL, label_en TEXT NOT NULL);
CREATE VIRTUAL TABLE name_fts USING fts5(norm, content='name', content_rowid='id', tokenize='trigram');
"""


#: The code that shapes an index: part of its fingerprint.
CODE_FILES = ("text_index.py", "text_norm.py")

#: Kind of an entity from its rdf:types (inferred ones included); the first kind one of whose
#: classes the entity has wins.
CLASSES_OF_KIND: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (kind, tuple(str(c) for c in classes)) for kind, classes in (
        ("government", (JKG.LocalGovernment,)),
        ("plan", (JKG.Plan,)),
        ("initiative", (JKG.Initiative, JKG.FlagshipCase, JKG.NarrativeInitiative, JKG.OverviewTableEntry)),
        ("post", (ORG.Post,)),
        ("unit", (ORG.OrganizationalUnit, JKG.CrossDepartmentalBody)),
        ("milestone", (JKG.Milestone,)),
        ("figure", (JKG.Figure,)),
        ("source", (JKG.ReportLocation,)),
        ("concept", (SKOS.Concept,)),
    ))


def kind_of(types: Iterable[str], *, has_code: bool = False) -> str:
    """The kind used for ranking and the type facet; a body with a 団体コード is a government."""
    if has_code:
        return "government"
    present = {str(t) for t in types}
    return next((kind for kind, classes in CLASSES_OF_KIND if present.intersection(classes)), "other")


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """Hash of the code and queries that make an index; part of the index file name (computed
    once per process: the installed code does not change under a running server)."""
    h = hashlib.sha256()
    for name in CODE_FILES:
        h.update(name.encode() + b"\0" + (Path(__file__).parent / name).read_bytes())
    for name in QUERY_NAMES:
        h.update(app_query(f"search-{name}").encode())
    return h.hexdigest()[:12]


def index_path(store_dir: Path | str) -> Path:
    """Where the index of the store in ``store_dir`` lives (whether or not it is built yet)."""
    return Path(store_dir) / f"{INDEX_PREFIX}{fingerprint()}{INDEX_SUFFIX}"


def is_index_file(path: Path) -> bool:
    """A search index (or its temporary or journal file) in a store directory: not RDF data."""
    return INDEX_PREFIX in path.name and INDEX_SUFFIX in path.name


def _select(store: ox.Store, name: str) -> ox.QuerySolutions:
    return cast(ox.QuerySolutions, store.query(app_query(f"search-{name}"), use_default_graph_as_union=True))


#: Field of a text by its property (search-texts.rq); a kana-tagged literal is a reading.
FIELD_OF = {str(RDFS.label): "label", str(SKOS.prefLabel): "label", str(SKOS.altLabel): "alt",
            str(DCTERMS.title): "alt", "http://schema.org/alternateName": "alt", str(JKG.dantaiCode): "code",
            str(JKG.wardCode): "code", str(DCTERMS.description): "description", str(SKOS.definition): "description",
            str(RDFS.comment): "description"}
LABEL_FIELDS = ("label",)


def _texts(store: ox.Store) -> tuple[dict, dict]:
    """Texts by subject ({(field, text): None}, in order) and the ja/en labels of the data's terms."""
    texts: dict[str, dict[tuple[str, str], None]] = defaultdict(dict)
    labels: dict[str, list[str]] = {}
    for s, p, text in _select(store, "texts"):
        if not isinstance(s, ox.NamedNode) or not isinstance(text, ox.Literal):
            continue
        field, lang = FIELD_OF[p.value], (text.language or "").lower()
        if lang in ("ja-hira", "ja-kana") and field in ("label", "alt"):
            field = "kana"
        texts[s.value][(field, text.value)] = None
        if field == "label" and (lang == "ja" or lang.startswith("en")):
            pair = labels.setdefault(s.value, ["", ""])
            pair[lang != "ja"] = pair[lang != "ja"] or text.value
    labelled = {iri for iri, pairs in texts.items() if any(f == "label" for f, _ in pairs)}
    return {iri: t for iri, t in texts.items() if iri in labelled}, {k: tuple(v) for k, v in labels.items()}


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


def collect(store: ox.Store) -> dict:
    """Everything the index holds, read from the store with the search-*.rq queries (each linear
    in the data: single patterns or fixed joins; the government links are followed here)."""
    texts, terms = _texts(store)
    for s, text in _select(store, "keywords"):
        if s.value in texts and isinstance(text, ox.Literal):
            texts[s.value][("keyword", text.value)] = None
    types: dict[str, list[str]] = defaultdict(list)
    for s, t in _select(store, "types"):
        types[s.value].append(t.value)
    links: dict[str, set[str]] = defaultdict(set)
    categories: dict[str, set[str]] = defaultdict(set)
    for s, nxt, category in _select(store, "links"):
        if nxt is not None and isinstance(nxt, ox.NamedNode):
            links[s.value].add(nxt.value)
        if category is not None:
            categories[s.value].add(category.value)
    local_governments = {iri for iri, ts in types.items() if str(JKG.LocalGovernment) in ts}
    govs = _governments(links, local_governments)
    prefectures = {gov.value: pref.value for gov, pref in _select(store, "prefectures")}
    for term, label in _select(store, "class-labels"):
        pair = list(terms.get(term.value, ("", "")))
        lang = (label.language or "").lower()
        if lang == "ja" or lang.startswith("en"):
            pair[lang != "ja"] = pair[lang != "ja"] or label.value
            terms[term.value] = (pair[0], pair[1])
    bodies = {body.value: (cls.value if cls else None, city.value if city else None)
              for body, cls, city in _select(store, "bodies")}
    same: dict[str, set[str]] = defaultdict(set)
    for s, other in _select(store, "same"):
        same[s.value].add(other.value)
    return {"texts": texts, "types": types, "govs": govs, "categories": categories,
            "prefectures": prefectures, "terms": terms, "bodies": bodies, "same": same}


_WARD = re.compile(r"^(.+市)\s*([^市\s]+区)$")


def ward_names(field: str, text: str) -> list[tuple[str, str]]:
    """Short names of a designated city's ward: 名古屋市港区 is also called 港区 (and read みなとく).

    Without them 港区 would equal only 東京都港区 and match it alone, although the register
    holds two more wards of that name.  Readings written "なごやし みなとく" give both parts.
    """
    if field == "label":
        m = _WARD.match(text)
        return [("alt", m.group(2))] if m else []
    if field == "kana" and " " in text.strip():
        return [("kana", text.split()[-1]), ("kana", "".join(text.split()))]
    return []


def ward_readings(texts: list[tuple[str, str]], data: dict, iri: str) -> list[tuple[str, str]]:
    """A ward's reading without its city's (なごやしみなとく → みなとく), so that the short
    reading finds every ward of that name, as the short name does."""
    city = data["bodies"].get(iri, (None, None))[1]
    city_readings = [t for f, t in data["texts"].get(city, {}) if f == "kana"] if city else []
    return [("kana", t[len(c):]) for f, t in texts if f == "kana" for c in city_readings
            if t.startswith(c) and len(t) > len(c)]


def _display_order(types, terms: dict) -> list[str]:
    """The project's own classes first, then labelled ones, then the rest (each by IRI)."""
    return sorted(set(types), key=lambda t: (not t.startswith(str(JKG)), t not in terms, t))


def _entity_rows(data: dict):
    """(entity row, [(field, text)]) per indexed IRI, in IRI order."""
    terms = data["terms"]
    for iri in sorted(data["texts"]):
        texts = list(data["texts"][iri])
        codes = [t for f, t in texts if f == "code"]
        if codes:
            texts += [extra for f, t in texts for extra in ward_names(f, t) if extra not in texts]
            texts += [extra for extra in ward_readings(texts, data, iri) if extra not in texts]
        kind = kind_of(data["types"].get(iri, ()), has_code=bool(codes))
        gov = iri if kind == "government" else min(data["govs"].get(iri, ()), default=None)
        ja, en = terms.get(iri, ("", ""))
        fallback = next((t for f, t in texts if f in ("label", "alt")), iri)
        row = (iri, kind, ja or en or fallback, en or ja or fallback,
               json.dumps(_display_order(data["types"].get(iri, ()), terms)), gov,
               json.dumps(sorted(data["categories"].get(iri, ()))),
               min(codes, default=None), data["prefectures"].get(iri), *data["bodies"].get(iri, (None, None)),
               json.dumps(sorted(data["same"].get(iri, ()))))
        yield row, texts


def write(data: dict, path: Path) -> None:
    """Write the collected data as an index file at ``path`` (which must not exist).

    The file is new and private until renamed into place, so it is written without a journal
    or syncs, rows in bulk, and the full-text index built once at the end."""
    con = sqlite3.connect(str(path))
    try:
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        referenced: set[str] = set()
        entities: list[tuple] = []
        names: list[tuple[int, str, str, str]] = []
        for n, (row, texts) in enumerate(_entity_rows(data), start=1):
            entities.append((n, *row))
            names.extend((n, field, text, normalize(text)) for field, text in texts)
            referenced.update(json.loads(row[4]), json.loads(row[6]))
            referenced.update(x for x in (row[5], row[8], row[9], row[10]) if x)
        con.executemany("INSERT INTO entity VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", entities)
        con.executemany("INSERT INTO name(entity, field, text, norm) VALUES (?,?,?,?)", names)
        con.execute("CREATE INDEX name_entity ON name(entity)")
        con.executemany("INSERT INTO term VALUES (?,?,?)",
                        [(t, *data["terms"][t]) for t in sorted(referenced) if t in data["terms"]])
        con.execute("INSERT INTO name_fts(name_fts) VALUES ('rebuild')")
        con.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (fingerprint(),))
        con.commit()
    finally:
        con.close()


def build_index(store: ox.Store, store_dir: Path | str) -> Path:
    """Build the index of ``store`` into ``store_dir`` (atomically) and return its path."""
    target = index_path(store_dir)
    tmp = target.with_name(f".tmp-{uuid.uuid4().hex[:8]}-{target.name}")
    try:
        write(collect(store), tmp)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return target


def ensure_index(store_dir: Path | str, open_store: Callable[[Path], ox.Store] | None = None) -> Path:
    """The index of the store in ``store_dir``, built first if missing (e.g. the code changed)."""

    target = index_path(store_dir)
    if target.exists():
        return target
    store = (open_store or (lambda p: ox.Store.read_only(str(p))))(Path(store_dir))
    return build_index(store, store_dir)


#: Directory (in the cache) of an index built from the content files alone, for remote mode.
CONTENT_INDEX_PREFIX = "search-content-"


def content_index(inputs, cache_dir: Path | str) -> Path:
    """The index of the content files themselves (ontology and data, no reasoning), for a server
    that answers SPARQL from a remote store and has no local one: built once per input digest
    into ``cache_dir/search-content-<digest>/`` (a second or two on the real graph)."""
    from .build import parse_file  # here: build.py imports this module

    target_dir = Path(cache_dir) / f"{CONTENT_INDEX_PREFIX}{inputs.digest()[:16]}"
    target = index_path(target_dir)
    if target.exists():
        return target
    target_dir.mkdir(parents=True, exist_ok=True)
    store = ox.Store()
    for files, graph in ((inputs.ontology_files, ONTOLOGY_GRAPH), (inputs.data_files, DATA_GRAPH)):
        g = ox.NamedNode(str(graph))
        store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, g) for f in files for q in parse_file(f))
    return build_index(store, target_dir)

