"""Find the bodies of the register (prefectures, municipalities, wards) a written name means.

People write one body's name many ways (鎌倉市, 鎌倉, かまくら, ｶﾏｸﾗｼ, Kamakura-shi, KAMAKURA
CITY, 神奈川県 鎌倉市, 竜ヶ﨑市 …).  :class:`NameMatcher` indexes every body under *keys*, the
forms those spellings reduce to:

* :func:`~jichitai_kg.store.text_norm.name_key` of the official name, of the name without its
  都/府/県/市/町/村/区, of a ward's short name (港区) and of city + ward (名古屋港区);
* the kana reading, with and without the reading of the suffix (かまくらし, かまくら);
* :func:`~jichitai_kg.store.text_norm.romaji_key` of the romanized reading and of the English
  name, with and without the suffix (kamakurasi, kamakura, kamakuracity).

A query is reduced the same way; a prefecture written in front (神奈川県鎌倉市, Kamakura,
Kanagawa) is split off and the rest must lie in it.  A key equal to the query's is an *exact*
match (score 100, or 99 for a name without suffix, a reading or romaji).  When nothing is exact,
typos are looked for: the reading of the query's kanji (鎌蔵市 is read かまくらし) and an edit
distance of one or two on names, readings and romaji; their scores (60–90) fall with the
distance and rise (up to 4) when the candidate's reading is close to the query's.  Ties are ordered by classification (prefecture, designated city, city, special ward,
ward, town, village), so 横浜市 comes before 横浜町.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from ..store.text_norm import name_key, normalize, romaji_key

GOVTYPE = "https://w3id.org/jichitai-kg/id/gov-type/"
#: Order of classifications among candidates with the same score.
CLASS_RANK = {GOVTYPE + c: n for n, c in enumerate(
    ("prefecture", "designated-city", "core-city", "city", "special-ward", "ward", "town", "village"))}
WARD_RANK = CLASS_RANK[GOVTYPE + "ward"]
SUFFIX_READINGS = {"都": ("と",), "道": ("どう",), "府": ("ふ",), "県": ("けん",), "市": ("し",),
                   "町": ("まち", "ちょう"), "村": ("むら", "そん"), "区": ("く",)}
#: English and romanized suffixes a written name may end with.
EN_SUFFIXES = ("city", "town", "village", "ward", "prefecture", "metropolis", "si", "mati", "tyo", "mura",
               "son", "ku", "ken", "fu", "to", "do")

EXACT_SCORE, NEAR_EXACT_SCORE, HOMOPHONE_SCORE = 100.0, 99.0, 90.0
#: Score of a typo: 85 for one edit, less for two or on a short name.
TYPO_SCORE = 85.0
TYPO_STEP = 15.0
#: Up to this much is added to a typo's score when its reading is close to the query's.
READING_BONUS = 4.0


@dataclass(frozen=True)
class Body:
    iri: str
    label: str
    label_en: str
    readings: tuple[str, ...]
    cls: str | None
    prefecture: str | None
    city: str | None


@dataclass
class Candidate:
    body: Body
    score: float
    exact: bool
    how: str

    def sort_key(self) -> tuple:
        rank = WARD_RANK if self.body.city else CLASS_RANK.get(self.body.cls or "", len(CLASS_RANK))
        return (-self.score, rank, len(self.body.label), self.body.iri)


@lru_cache(maxsize=1)
def _kakasi():
    import pykakasi  # loaded on first use: its dictionary takes about half a second

    return pykakasi.kakasi()


_kakasi_lock = threading.Lock()


def reading_of(text: str) -> str:
    """Hiragana reading of ``text`` (kanji read by pykakasi's dictionary)."""
    with _kakasi_lock:
        return "".join(part["hira"] for part in _kakasi().convert(text))


def romanize(kana: str) -> str:
    """Hepburn romanization of a kana reading (pykakasi; compared with the others in docs/search.md)."""
    with _kakasi_lock:
        return "".join(part["hepburn"] for part in _kakasi().convert(kana))


def _is_latin(text: str) -> bool:
    letters = [ch for ch in normalize(text) if ch.isalpha()]
    return bool(letters) and all("a" <= ch <= "z" for ch in letters)


def _strip_suffix(key: str) -> str | None:
    return key[:-1] if len(key) >= 2 and key[-1] in SUFFIX_READINGS and key != "北海道" else None


def _reading_stems(reading: str, suffix: str) -> list[str]:
    return [reading[: -len(r)] for r in SUFFIX_READINGS.get(suffix, ()) if reading.endswith(r) and len(reading) > len(r)]


def _romaji_stems(key: str) -> list[str]:
    return [key[: -len(s)] for s in EN_SUFFIXES if key.endswith(s) and len(key) > len(s) + 1]


class NameMatcher:
    """Bodies by the keys of their written names (see the module docstring)."""

    def __init__(self, bodies: list[Body]):
        self.bodies = {b.iri: b for b in bodies}
        self.names: dict[str, dict[str, float]] = defaultdict(dict)  # name key → iri → score
        self.kana: dict[str, dict[str, float]] = defaultdict(dict)
        self.romaji: dict[str, dict[str, float]] = defaultdict(dict)
        self.prefectures: dict[str, str] = {}  # name / romaji key of a prefecture → its IRI
        for body in bodies:
            self._add(body)
        self._name_keys = list(self.names)
        self._kana_keys = list(self.kana)
        self._romaji_keys = list(self.romaji)

    @staticmethod
    def _put(table: dict, key: str | None, iri: str, score: float) -> None:
        if key and table[key].get(iri, 0) < score:
            table[key][iri] = score

    def _add(self, b: Body) -> None:
        key = name_key(b.label)
        self._put(self.names, key, b.iri, EXACT_SCORE)
        self._put(self.names, _strip_suffix(key), b.iri, NEAR_EXACT_SCORE)
        readings = [normalize(r).replace(" ", "") for r in b.readings]
        city = self.bodies.get(b.city or "")
        if city and key.startswith(name_key(city.label)):
            short = key[len(name_key(city.label)):]
            self._put(self.names, short, b.iri, EXACT_SCORE)
            for city_key in filter(None, (_strip_suffix(name_key(city.label)),)):
                self._put(self.names, city_key + short, b.iri, EXACT_SCORE)
            for city_reading in (normalize(r).replace(" ", "") for r in city.readings):
                readings += [r[len(city_reading):] for r in readings if r.startswith(city_reading)]
        for reading in readings:
            self._put(self.kana, reading, b.iri, NEAR_EXACT_SCORE)
            self._put(self.romaji, romaji_key(romanize(reading)), b.iri, NEAR_EXACT_SCORE)
            for stem in _reading_stems(reading, b.label[-1:]):
                self._put(self.kana, stem, b.iri, NEAR_EXACT_SCORE)
                self._put(self.romaji, romaji_key(romanize(stem)), b.iri, NEAR_EXACT_SCORE)
        en = romaji_key(b.label_en.split(",")[0])
        self._put(self.romaji, en, b.iri, NEAR_EXACT_SCORE)
        for stem in _romaji_stems(en):
            self._put(self.romaji, stem, b.iri, NEAR_EXACT_SCORE)
        if b.cls == GOVTYPE + "prefecture":
            for k in (key, _strip_suffix(key), en, *_romaji_stems(en)):
                if k:
                    self.prefectures[k] = b.iri

    # ------------------------------------------------------------------ queries

    def prefecture_of(self, value: str) -> str | None:
        """The prefecture a written value names (東京都, 東京, Tokyo, tokyo-to), or None."""
        key = romaji_key(value) if _is_latin(value) else name_key(value)
        return self.prefectures.get(key) or next(
            (self.prefectures[s] for s in _romaji_stems(key) if s in self.prefectures), None)

    def _interpretations(self, query: str) -> list[tuple[str, str | None, bool]]:
        """(name, prefecture IRI or None, latin) readings of the query: as written, and with a
        prefecture split off its front (Japanese) or its end/front (romaji, after a comma or space)."""
        if _is_latin(query):
            out: list[tuple[str, str | None, bool]] = [(query, None, True)]
            parts = [p for p in query.replace(",", " ").split() if p]
            if len(parts) >= 2:
                for pref_part, rest in ((parts[-1], parts[:-1]), (parts[0], parts[1:])):
                    pref = self.prefecture_of(pref_part)
                    if pref:
                        out.append((" ".join(rest), pref, True))
            return out
        key = name_key(query)
        found: list[tuple[str, str | None, bool]] = [(key, None, False)]
        for pref_key, pref in self.prefectures.items():
            if key.startswith(pref_key) and len(key) > len(pref_key) and not pref_key.isascii():
                found.append((key[len(pref_key):], pref, False))
        with_district = []
        for remainder, pref, _ in found:
            if "郡" in remainder[1:-1]:
                with_district.append((remainder[remainder.index("郡") + 1:], pref, False))
        return found + with_district

    def _exact(self, name: str, latin: bool) -> dict[str, tuple[float, str]]:
        if latin:
            key = romaji_key(name)
            return {iri: (s, "romaji") for iri, s in self.romaji.get(key, {}).items()}
        out = {iri: (s, "name") for iri, s in self.names.get(name, {}).items()}
        for iri, s in self.kana.get(name, {}).items():
            out.setdefault(iri, (s, "reading"))
        return out

    def _typos(self, name: str, latin: bool) -> dict[str, tuple[float, str]]:
        out: dict[str, tuple[float, str]] = {}

        def near(key: str, keys: list[str], table: dict, how: str, base: float) -> None:
            if len(key) < 3:
                return
            limit = 1 if len(key) < 8 else 2
            for found, dist, _ in process.extract(key, keys, scorer=Levenshtein.distance, score_cutoff=limit,
                                                  limit=20):
                score = base - TYPO_STEP * (max(dist, 1) - 1) - (5.0 if len(key) < 4 else 0.0)
                for iri in table[found]:
                    if out.get(iri, (0.0, ""))[0] < score:
                        out[iri] = (score, how)

        if latin:
            near(romaji_key(name), self._romaji_keys, self.romaji, "romaji typo", TYPO_SCORE)
            return out
        reading = normalize(reading_of(name))
        near(name, self._name_keys, self.names, "typo", TYPO_SCORE)
        near(reading, self._kana_keys, self.kana, "reading typo", TYPO_SCORE - 5.0)
        for iri, (score, how) in list(out.items()):
            # among names one edit away, the one read most like the query first (柏先市 → 柏崎市)
            gap = min((Levenshtein.distance(reading, normalize(r).replace(" ", "")) for r in self.bodies[iri].readings),
                      default=READING_BONUS)
            out[iri] = (score + max(0.0, READING_BONUS - gap), how)
        for iri in self.kana.get(reading, {}):
            out[iri] = (HOMOPHONE_SCORE, "homophone")
        return out

    def match(self, query: str) -> list[Candidate]:
        """Candidates for ``query``, best first; ``exact`` ones equal it in some written form."""
        best: dict[str, Candidate] = {}
        interpretations = self._interpretations(query)

        def offer(found: dict[str, tuple[float, str]], pref: str | None, exact: bool) -> None:
            for iri, (score, how) in found.items():
                body = self.bodies[iri]
                if pref and body.prefecture != pref:
                    continue
                old = best.get(iri)
                if old is None or (exact, score) > (old.exact, old.score):
                    best[iri] = Candidate(body, score, exact, how + (" in prefecture" if pref else ""))

        for n, (name, pref, latin) in enumerate(interpretations):
            if n and best:
                break  # the name as written is a name: no prefecture is split off it (長野原町)
            offer(self._exact(name, latin), pref, True)
        if not best:
            for name, pref, latin in interpretations:
                offer(self._typos(name, latin), pref, False)
        return sorted(best.values(), key=Candidate.sort_key)


def bodies_from_rows(entities: list[dict], names: dict[int, list[tuple[str, str]]]) -> list[Body]:
    """Bodies (entities with a 団体コード or ward code) from the index's entity and name rows."""
    out = []
    for e in entities:
        if not e.get("code"):
            continue
        texts = names.get(e["id"], [])
        label = e["label_ja"]
        en = e["label_en"] if e["label_en"] != label else ""
        readings = tuple(t for f, t in texts if f == "kana")
        out.append(Body(e["iri"], label, en, readings, e.get("class"), e.get("prefecture"), e.get("city")))
    return out
