"""Build the search index: an SQLite file with an FTS5 ``trigram`` table, made from a store.

It is built beside the store (same directory, so cached under the store's digest, pruned with
it) after the store, on first use (:func:`ensure_index`; ``jichitai-kg build`` too).  Its file
name also carries a fingerprint of this code and the ``search-*.rq`` queries, so a change to
either makes a fresh index next to an unchanged store.  It is written to a temporary file and
renamed into place: a failed build never replaces a good index.

Tables: ``entity`` (one row per labelled IRI, with kind, labels, government, categories,
団体コード and prefecture), ``doc`` (one row per distinct text: the text and its normalized
form), ``doc_fts`` (the trigram index over ``doc.norm``), ``name_row`` (one row per text of an
entity: entity, field, doc), the view ``name`` (``name_row`` with its text and normalized text)
and ``term`` (labels of the types, governments, categories and prefectures the facets show).
A text that many entities share (a kind's label, a boilerplate description) is normalized and
put in the full-text index once.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import sqlite3
import uuid
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..content import app_query
from ..namespaces import DATA_GRAPH, JKG, ONTOLOGY_GRAPH, ORG, SKOS
from .text_collect import QUERY_NAMES, collect
from .text_norm import normalize

INDEX_PREFIX = "search-"
INDEX_SUFFIX = ".sqlite"

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entity(
  id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
  label_ja TEXT NOT NULL, label_en TEXT NOT NULL, types TEXT NOT NULL, gov TEXT,
  categories TEXT NOT NULL, code TEXT, prefecture TEXT, class TEXT, city TEXT, same TEXT NOT NULL);
CREATE TABLE doc(id INTEGER PRIMARY KEY, text TEXT NOT NULL, norm TEXT NOT NULL);
CREATE TABLE name_row(
  id INTEGER PRIMARY KEY, entity INTEGER NOT NULL REFERENCES entity(id),
  field TEXT NOT NULL, doc INTEGER NOT NULL REFERENCES doc(id));
CREATE VIEW name(id, entity, field, text, norm, doc) AS
  SELECT r.id, r.entity, r.field, d.text, d.norm, r.doc FROM name_row r JOIN doc d ON d.id = r.doc;
CREATE TABLE term(iri TEXT PRIMARY KEY, label_ja TEXT NOT NULL, label_en TEXT NOT NULL);
CREATE VIRTUAL TABLE doc_fts USING fts5(norm, content='doc', content_rowid='id', tokenize='trigram');
"""


#: The code that shapes an index: part of its fingerprint.
CODE_FILES = ("text_index.py", "text_collect.py", "text_norm.py")

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


def _display_order(types: Iterable[str], terms: dict) -> list[str]:
    """The project's own classes first, then labelled ones, then the rest (each by IRI)."""
    return sorted(set(types), key=lambda t: (not t.startswith(str(JKG)), t not in terms, t))


def _entity_rows(data: dict) -> Iterable[tuple[tuple, list[tuple[str, str]]]]:
    """(entity row, [(field, text)]) per indexed IRI, in IRI order.

    Entities share few sets of types: their kind and JSON are made once per set."""
    terms, bodies, govs = data["terms"], data["bodies"], data["govs"]
    no_types: frozenset[str] = frozenset()
    kinds: dict[tuple[frozenset[str], bool], str] = {}
    shown: dict[frozenset[str], str] = {}
    for iri in sorted(data["texts"]):
        texts = list(data["texts"][iri])
        codes = [t for f, t in texts if f == "code"] if iri in bodies else []  # a body has its code
        if codes:
            texts += [extra for f, t in texts for extra in ward_names(f, t) if extra not in texts]
            texts += [extra for extra in ward_readings(texts, data, iri) if extra not in texts]
        types = data["types"].get(iri, no_types)
        kind = kinds.get((types, bool(codes)))
        if kind is None:
            kind = kinds[(types, bool(codes))] = kind_of(types, has_code=bool(codes))
        if types not in shown:
            shown[types] = json.dumps(_display_order(types, terms))
        ja, en = terms.get(iri, ("", ""))
        if not (ja and en):
            fallback = next((t for f, t in texts if f in ("label", "alt")), iri)
            ja, en = ja or en or fallback, en or ja or fallback
        categories, same = data["categories"].get(iri), data["same"].get(iri)
        row = (iri, kind, ja, en, shown[types],
               iri if kind == "government" else govs.get(iri),
               json.dumps(sorted(categories)) if categories else "[]", min(codes, default=None),
               data["prefectures"].get(iri), *bodies.get(iri, (None, None)),
               json.dumps(sorted(same)) if same else "[]")
        yield row, texts


def _named_terms(data: dict, entities: list[tuple]) -> set[str]:
    """The terms the entity rows name (types, categories, governments, prefectures, classes,
    cities): the ``term`` table holds their labels."""
    types, categories = data["types"], data["categories"]
    named: set[str] = set().union(*{types[iri] for iri in data["texts"] if iri in types})
    named.update(c for iri in data["texts"] if iri in categories for c in categories[iri])
    for column in (6, 9, 10, 11):  # gov, prefecture, class, city (after the id)
        named.update(e[column] for e in entities if e[column])
    return named


def write(data: dict, path: Path) -> None:
    """Write the collected data as an index file at ``path`` (which must not exist).

    The file is new and private until renamed into place, so it is written without a journal
    or syncs, rows in bulk, and the full-text index built once at the end, over the distinct
    texts (each normalized once)."""
    con = sqlite3.connect(str(path))
    try:
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        entities: list[tuple] = []
        docs: dict[str, int] = {}
        names: list[tuple[int, str, int]] = []
        for n, (row, texts) in enumerate(_entity_rows(data), start=1):
            entities.append((n, *row))
            for field, text in texts:
                doc = docs.get(text)
                if doc is None:
                    doc = docs[text] = len(docs) + 1
                names.append((n, field, doc))
        con.executemany("INSERT INTO entity VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", entities)
        con.executemany("INSERT INTO doc VALUES (?,?,?)", [(doc, text, normalize(text)) for text, doc in docs.items()])
        con.executemany("INSERT INTO name_row(entity, field, doc) VALUES (?,?,?)", names)
        con.execute("CREATE INDEX name_entity ON name_row(entity)")
        con.execute("CREATE INDEX name_doc ON name_row(doc)")
        terms = data["terms"]
        con.executemany("INSERT INTO term VALUES (?,?,?)",
                        [(t, *terms[t]) for t in sorted(_named_terms(data, entities)) if t in terms])
        con.execute("INSERT INTO doc_fts(doc_fts) VALUES ('rebuild')")
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
    """The index of the store in ``store_dir``, built first if missing (e.g. the code changed).

    Built once for all the processes that share the store: the first takes an exclusive lock
    on a file beside the index and builds; the others wait for the lock and find it built."""
    target = index_path(store_dir)
    if target.exists():
        return target
    with open(target.with_name(f".{target.name}.lock"), "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
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

