"""Answer searches from an index file: candidates from FTS5, ranked by :mod:`.rank`.

Trigram matching needs at least three characters; shorter words (港区, AI, 市) are matched
with ``instr`` over the normalized names instead, which is a scan of one small table.
Every word must occur in the same text (label, reading, description …) of an entity.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from ..errors import Unavailable
from . import rank
from .names import NameMatcher, bodies_from_rows
from .text import highlight, terms

MIN_TRIGRAM = 3
#: Longest query text accepted (by /search, /reconcile and the CLI).
MAX_QUERY_CHARS = 200
#: The entity columns, in the order :meth:`SearchIndex._row` reads them.
ENTITY_COLUMNS = "id, iri, kind, label_ja, label_en, types, gov, categories, code, prefecture, class, city, same"
FACETS = ("type", "government", "category")
#: Most name rows one search ranks (a one-letter word matches most of the graph).
MAX_NAME_ROWS = 20_000
#: Entities ranked between two looks at the deadline.
DEADLINE_EVERY = 500
#: Suggestions: names up to this long are offered whole; Latin words from this long alone.
MAX_SUGGESTION_CHARS = 30
MIN_SUGGESTION_WORD = 4
#: Least score of a place name the matcher found (a typo one edit away) to be suggested.
SUGGESTION_SCORE = 85.0


@dataclass
class Hit:
    iri: str
    kind: str
    label_ja: str
    label_en: str
    types: list[str]
    government: str | None
    categories: list[str]
    code: str | None
    prefecture: str | None
    tier: int
    score: float
    matched_field: str
    snippet: str
    snippet_html: str
    same: list[str] = field(default_factory=list)


@dataclass
class Results:
    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


class SearchIndex:
    """A read-only view of one index file; safe to share between threads."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"no search index at {self.path}")
        self._local = threading.local()
        self._terms: dict[str, tuple[str, str]] | None = None
        self._rows: dict[int, dict] | None = None
        self._by_iri: dict[str, dict] | None = None
        self._matcher: NameMatcher | None = None
        self._vocab: dict[str, str] | None = None
        self._matcher_lock = threading.Lock()

    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            self._local.con = con
        return con

    # ------------------------------------------------------------------ lookups

    def term_label(self, iri: str | None, lang: str = "ja") -> str:
        """ja or en label of a type, government, category or prefecture ('' when unknown)."""
        if self._terms is None:
            self._terms = {r[0]: (r[1], r[2]) for r in self._con().execute("SELECT iri, label_ja, label_en FROM term")}
        ja, en = self._terms.get(iri or "", ("", ""))
        return (en or ja) if lang == "en" else (ja or en)

    def _entities(self) -> dict[int, dict]:
        """Every entity row by id, read once: a few thousand small rows, kept in memory."""
        if self._rows is None:
            self._rows = {r[0]: self._row(r) for r in self._con().execute(f"SELECT {ENTITY_COLUMNS} FROM entity")}
        return self._rows

    def row_of(self, iri: str) -> dict | None:
        """The in-memory entity row of an IRI (without its names)."""
        if self._by_iri is None:
            self._by_iri = {e["iri"]: e for e in self._entities().values()}
        return self._by_iri.get(iri)

    def name_matcher(self) -> NameMatcher:
        """The matcher of the register's written names, made on first use (about a second)."""
        with self._matcher_lock:
            if self._matcher is None:
                names: dict[int, list[tuple[str, str]]] = {}
                for entity_id, fld, text in self._con().execute(
                        "SELECT entity, field, text FROM name WHERE field = 'kana' ORDER BY id"):
                    names.setdefault(entity_id, []).append((fld, text))
                self._matcher = NameMatcher(bodies_from_rows(list(self._entities().values()), names))
            return self._matcher

    def _vocabulary(self) -> dict[str, str]:
        """Normalized → written names and Latin words of every entity but report locations."""
        if self._vocab is None:
            vocab: dict[str, str] = {}
            rows = self._con().execute("SELECT n.text, n.norm FROM name n JOIN entity e ON e.id = n.entity"
                                       " WHERE n.field IN ('label', 'alt', 'keyword') AND e.kind != 'source' ORDER BY n.id")
            for text, norm in rows:
                if len(norm) <= MAX_SUGGESTION_CHARS:
                    vocab.setdefault(norm, text)
                for word, norm_word in zip(text.split(), norm.split(), strict=False):
                    if len(norm_word) >= MIN_SUGGESTION_WORD and norm_word.isascii() and norm_word.isalpha():
                        vocab.setdefault(norm_word, word.strip(",.()").lower())
            self._vocab = vocab
        return self._vocab

    def suggest(self, query: str) -> str | None:
        """A spelling that finds something, for a query that finds nothing (「もしかして」): a place
        name the name matcher recognises (鎌蔵市 → 鎌倉市, 糸嶋市 → 糸島市), else the closest name
        or word of the index within one edit (two for 7 characters or more; a swap is one edit)."""
        key = " ".join(terms(query))
        if not key or not all(ch.isalpha() or ch in " -,'・ー" for ch in key):
            return None  # only words are corrected (not codes, symbols or undecodable bytes)
        candidates = self.name_matcher().match(query)
        if candidates and (candidates[0].exact or candidates[0].score >= SUGGESTION_SCORE):
            return candidates[0].body.label
        if len(key) < MIN_SUGGESTION_WORD:
            return None
        vocab = self._vocabulary()
        found = process.extractOne(key, list(vocab), scorer=OSA.distance, score_cutoff=1 if len(key) < 7 else 2)
        return vocab[found[0]] if found else None

    def warm(self) -> None:
        """Do the one-time work now (entity rows, the name matcher, the suggestion vocabulary:
        a second or two), so that no request pays it inside its time limit."""
        self._entities()
        self.row_of("")
        self.name_matcher()
        self._vocabulary()

    def search_or_suggest(self, query: str, **options) -> tuple[Results, str | None]:
        """:meth:`search`; when it finds nothing (and no filter is set), the results of
        :meth:`suggest`'s spelling instead, with that spelling (else None)."""
        results = self.search(query, **options)
        filtered = any(options.get(k) for k in ("kind", "government", "category"))
        suggestion = self.suggest(query) if results.total == 0 and not filtered else None
        if suggestion:
            results = self.search(suggestion, **options)
        return results, suggestion

    def entity(self, iri: str) -> dict | None:
        """The stored row of one IRI, with its names; None when it is not indexed."""
        con = self._con()
        row = con.execute(f"SELECT {ENTITY_COLUMNS} FROM entity WHERE iri = ?", (iri,)).fetchone()
        if row is None:
            return None
        out = self._row(row)
        out["names"] = [{"field": f, "text": t} for f, t in
                        con.execute("SELECT field, text FROM name WHERE entity = ? ORDER BY id", (row[0],))]
        return out

    def by_code(self, code: str) -> list[dict]:
        """Entities whose 団体コード is ``code`` (6 digits) or starts with it (5 digits, no check digit)."""
        code = code.strip()
        if not code.isdigit() or len(code) not in (5, 6):
            return []
        rows = self._con().execute(f"SELECT {ENTITY_COLUMNS} FROM entity WHERE substr(code, 1, ?) = ?", (len(code), code))
        return [self._row(r) for r in rows]

    def types_in_use(self) -> list[str]:
        """Every rdf:type some indexed entity has (for type suggest)."""
        if getattr(self, "_types", None) is None:
            found: set[str] = set()
            for (types,) in self._con().execute("SELECT DISTINCT types FROM entity"):
                found.update(json.loads(types))
            self._types = sorted(found)
        return self._types

    @staticmethod
    def _row(row) -> dict:
        return {"id": row[0], "iri": row[1], "kind": row[2], "label_ja": row[3], "label_en": row[4],
                "types": json.loads(row[5]), "government": row[6], "categories": json.loads(row[7]),
                "code": row[8], "prefecture": row[9], "class": row[10], "city": row[11],
                "same": json.loads(row[12])}

    # ------------------------------------------------------------------ search

    def matching_names(self, words: list[str]) -> list[tuple[int, str, str, str]]:
        """(entity, field, text, norm) of every text containing all ``words`` (a superset for Latin
        words, which :func:`rank.tier` then holds to word starts), the first MAX_NAME_ROWS in
        index order.  The distinct texts are matched first, then the entities' rows of those."""
        long_words = [w for w in words if len(w) >= MIN_TRIGRAM]
        short_words = [w for w in words if len(w) < MIN_TRIGRAM]
        short_conditions = " AND ".join(["instr(d.norm, ?) > 0"] * len(short_words)) or "1"
        if long_words:
            match = " AND ".join('"' + w.replace('"', '""') + '"' for w in long_words)
            docs = ("SELECT d.id FROM doc_fts JOIN doc d ON d.id = doc_fts.rowid"
                    " WHERE doc_fts MATCH ? AND " + short_conditions)
            params: tuple = (match, *short_words)
        else:
            docs, params = "SELECT d.id FROM doc d WHERE " + short_conditions, tuple(short_words)
        sql = ("SELECT n.entity, n.field, d.text, d.norm FROM name_row n JOIN doc d ON d.id = n.doc"
               " WHERE n.id IN (SELECT id FROM name_row WHERE doc IN (" + docs + ") ORDER BY id LIMIT ?)"
               " ORDER BY n.id")
        return self._con().execute(sql, (*params, MAX_NAME_ROWS)).fetchall()

    def search(self, query: str, *, kind: str | None = None, government: str | None = None,
               category: str | None = None, limit: int = 20, offset: int = 0, snippets: bool = True,
               deadline: float | None = None) -> Results:
        """Ranked hits for ``query``; facet counts are over every match before filtering.
        Unavailable (503) when ranking runs past ``deadline`` (``time.monotonic()``)."""
        words = terms(query)
        whole = " ".join(words)
        ranked = _once(self._rank(whole, words, self.matching_names(words) if words else [], deadline))
        facets = _facet_counts(ranked)
        chosen = [h for h in ranked if _keep(h, kind, government, category)]
        page = chosen[offset:offset + limit]
        if snippets:
            page = [_with_snippet(h, whole, words) for h in page]
        return Results(query, len(chosen), page, facets)

    def _rank(self, whole: str, words: list[str], names: list[tuple[int, str, str, str]],
              deadline: float | None = None) -> list[Hit]:
        """Every matching entity as a Hit, best first (snippets are added for the page only)."""
        texts: dict[int, list[tuple[str, str, str]]] = {}
        for entity, fld, text, norm in names:
            texts.setdefault(entity, []).append((fld, text, norm))
        tiers: dict[int, int | None] = {}
        for count, (key, ts) in enumerate(texts.items()):
            if deadline is not None and count % DEADLINE_EVERY == 0 and time.monotonic() > deadline:
                raise Unavailable("the search took longer than this server's time limit; use longer words")
            tiers[key] = rank.tier(whole, words, [(f, norm) for f, _, norm in ts])
        entities = self._entities()
        hits = []
        for entity_id, t in tiers.items():
            if t is None:
                continue
            e = entities[entity_id]
            hit = Hit(e["iri"], e["kind"], e["label_ja"], e["label_en"], e["types"], e["government"],
                      e["categories"], e["code"], e["prefecture"], t, rank.score(t), "", "", "", e["same"])
            hit._texts = texts[entity_id]  # type: ignore[attr-defined]
            hits.append(hit)
        hits.sort(key=lambda h: rank.sort_key(h.tier, h.kind, h.label_ja, h.iri))
        return hits


def _once(hits: list[Hit]) -> list[Hit]:
    """Hits without the second of two IRIs of one concept (skos:exactMatch): shown once."""
    seen: set[str] = set()
    out = []
    for h in hits:
        if h.iri in seen:
            continue
        seen.update(h.same)
        out.append(h)
    return out


def _with_snippet(hit: Hit, whole: str, words: list[str]) -> Hit:
    hit.matched_field, text = _best_text(whole, words, hit._texts, hit.tier)  # type: ignore[attr-defined]
    hit.snippet, hit.snippet_html = highlight(text, words)
    return hit


def _best_text(whole: str, words: list[str], texts, tier: int) -> tuple[str, str]:
    """The text that gave the hit its tier (the snippet shows it)."""
    for fld, text, norm in texts:
        if rank.tier(whole, words, [(fld, norm)]) == tier:
            return fld, text
    return texts[0][0], texts[0][1]


def _keep(hit: Hit, kind: str | None, government: str | None, category: str | None) -> bool:
    if kind and kind != hit.kind and kind not in hit.types:
        return False
    if government and government != hit.government:
        return False
    return not category or category in hit.categories


def _facet_counts(hits: list[Hit]) -> dict[str, list[tuple[str, int]]]:
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for h in hits:
        counts["type"][h.kind] += 1
        if h.government:
            counts["government"][h.government] += 1
        counts["category"].update(h.categories)
    return {name: c.most_common() for name, c in counts.items()}


