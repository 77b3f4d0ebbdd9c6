"""Write the reconciliation gold set: names of the register's bodies written the ways researchers
write them, each with the bodies it can mean, read from the register files (never from the service).

    python tools/gen_reconcile_gold.py            # writes tests/fixtures/search/reconcile-gold.json

Seeded: the same register gives the same file.  Categories (see docs/search.md): official,
no-suffix, hiragana, katakana, halfwidth, romaji (five styles), prefixed (three separators),
variant kanji, typo (a character left out, a kana or a letter wrong) and homophone (another kanji of the
same reading), typo-random-kanji (any kanji in place of one: reported apart, since a 3-character
name with one character replaced by chance is often not recoverable), ward (city + ward), ambiguous (every name two
or more bodies bear, ward short names included) and ambiguous-with-prefecture.  ``expected`` lists
every body that bears the written name under the category's rule; a name with several is
ambiguous and must never be auto-matched.
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from pathlib import Path

import jaconv
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from kana_hepburn import romanize  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "search" / "reconcile-gold.json"
SEED = 20261207
JKG = "https://w3id.org/jichitai-kg/ontology#"
GOVTYPE = "https://w3id.org/jichitai-kg/id/gov-type/"
SUFFIXES = "都府県市町村区"
SUFFIX_ROMAJI = {"市": "shi", "町": None, "村": None, "区": "ku", "県": "ken", "府": "fu", "都": "to"}
#: old/variant form ← the register's form, as researchers' sheets have them.
VARIANTS = {"沢": "澤", "浜": "濱", "島": "嶋", "崎": "﨑", "辺": "邊", "竜": "龍", "国": "國", "県": "縣",
            "広": "廣", "桜": "櫻", "斎": "齋", "真": "眞", "塩": "鹽", "滝": "瀧", "龍": "竜", "関": "關",
            "恵": "惠", "栄": "榮", "富": "冨", "高": "髙", "会": "會", "学": "學", "条": "條", "ケ": "ヶ"}
#: kanji → a kanji read the same, for homophone typos (鎌倉 → 鎌蔵).
HOMOPHONES = {"倉": "蔵", "井": "居", "野": "乃", "谷": "矢", "橋": "端", "本": "元", "川": "河", "部": "辺",
              "美": "見", "和": "輪", "代": "台", "津": "都", "岡": "丘", "崎": "先", "浦": "裏", "田": "多",
              "原": "腹"}
TYPO_KANJI = "日月火水木金土天地人口目手足石花草竹糸米貝車門雨電気空海池村町森林"

QUERY = """
PREFIX jkg: <https://w3id.org/jichitai-kg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?body ?ja ?en ?kana ?class ?pref ?city WHERE {
  ?body rdfs:label ?ja . FILTER(LANG(?ja) = "ja")
  ?body rdfs:label ?en . FILTER(LANG(?en) = "en")
  ?body skos:altLabel ?kana . FILTER(LANG(?kana) = "ja-hira")
  OPTIONAL { ?body org:classification ?class }
  OPTIONAL { ?body jkg:inPrefecture ?p1 }
  OPTIONAL { ?body jkg:wardOf ?city . ?city jkg:inPrefecture ?p2 }
  BIND(COALESCE(?p1, ?p2, IF(?class = <https://w3id.org/jichitai-kg/id/gov-type/prefecture>, ?body, ?none)) AS ?pref)
}
"""


def load_bodies() -> list[dict]:
    store = ox.Store()
    for path in sorted((ROOT / "data" / "register").glob("*.ttl")) + sorted((ROOT / "data" / "gov").glob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    out = []
    for row in store.query(QUERY):  # type: ignore[union-attr]
        out.append({k: row[k].value if row[k] is not None else None  # type: ignore[index]
                    for k in ("body", "ja", "en", "kana", "class", "pref", "city")})
    return sorted(out, key=lambda b: b["body"])


def stem(name: str) -> str:
    return name[:-1] if name[-1:] in SUFFIXES and len(name) >= 2 else name


def ward_short(b: dict, by_iri: dict) -> str | None:
    city = by_iri.get(b["city"] or "")
    return b["ja"][len(city["ja"]):] if city and b["ja"].startswith(city["ja"]) else None


def katakana(hira: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in hira)


def halfwidth(kata: str) -> str:
    return jaconv.z2h(kata, kana=True, ascii=False, digit=False)


def reading_stem(b: dict) -> str:
    suffix = b["ja"][-1]
    for r in {"市": ("し",), "町": ("まち", "ちょう"), "村": ("むら", "そん"), "区": ("く",), "県": ("けん",),
              "府": ("ふ",), "都": ("と",)}.get(suffix, ()):
        if b["kana"].endswith(r):
            return b["kana"][: -len(r)]
    return b["kana"]


def _short_vowels(word: str) -> str:
    for long, short in (("ou", "o"), ("oo", "o"), ("uu", "u")):
        word = word.replace(long, short)
    return word


def generate() -> dict:
    rng = random.Random(SEED)
    bodies = load_bodies()
    by_iri = {b["body"]: b for b in bodies}
    prefectures = {b["body"]: b for b in bodies if b["class"] == GOVTYPE + "prefecture"}
    municipalities = [b for b in bodies if b["class"] != GOVTYPE + "prefecture" and not b["city"]]
    wards = [b for b in bodies if b["city"]]

    # names each body bears: official, without suffix, a ward's short name
    bearers: dict[str, set[str]] = defaultdict(set)
    stems: dict[str, set[str]] = defaultdict(set)
    readings: dict[str, set[str]] = defaultdict(set)
    romaji: dict[str, set[str]] = defaultdict(set)
    romaji_full: dict[str, set[str]] = defaultdict(set)
    english: dict[str, set[str]] = defaultdict(set)
    for b in bodies:
        romaji_full[romanize(b["kana"]).replace("'", "").lower()].add(b["body"])
        english[b["en"].lower()].add(b["body"])
        bearers[b["ja"]].add(b["body"])
        stems[stem(b["ja"])].add(b["body"])
        readings[b["kana"]].add(b["body"])
        readings[reading_stem(b)].add(b["body"])
        romaji[romanize(reading_stem(b)).replace("'", "").lower()].add(b["body"])
        short = ward_short(b, by_iri)
        if short:
            bearers[short].add(b["body"])
            stems[short].add(b["body"])
            city_kana = by_iri[b["city"]]["kana"]
            if b["kana"].startswith(city_kana):
                readings[b["kana"][len(city_kana):]].add(b["body"])
                readings[b["kana"][len(city_kana):-1]].add(b["body"])
    name_bearers = {n: bearers.get(n, set()) | stems.get(n, set()) for n in set(bearers) | set(stems)}

    items: list[dict] = []

    def add(category: str, query: str, expected: set[str], properties: list | None = None) -> None:
        item = {"category": category, "query": query, "expected": sorted(expected)}
        if properties:
            item["properties"] = properties
        items.append(item)

    unique = [b for b in municipalities + list(prefectures.values()) if len(name_bearers[b["ja"]]) == 1]
    for b in rng.sample(unique, 60):
        add("official", b["ja"], {b["body"]})
    for b in rng.sample([b for b in unique if len(b["ja"]) >= 3], 50):
        add("no-suffix", stem(b["ja"]), name_bearers[stem(b["ja"])])
    for b in rng.sample(municipalities, 30):
        add("hiragana", b["kana"], readings[b["kana"]])
    for b in rng.sample(municipalities, 30):
        add("katakana", katakana(b["kana"]), readings[b["kana"]])
    for b in rng.sample(municipalities, 20):
        add("halfwidth", halfwidth(katakana(b["kana"])), readings[b["kana"]])
    for style, b in zip([n % 5 for n in range(60)], rng.sample(municipalities, 60), strict=True):
        base = romanize(reading_stem(b)).replace("'", "")
        expected = romaji[base.lower()]
        en = b["en"]
        if style == 0:
            query = base.capitalize()
        elif style == 1:
            query, expected = en, english[en.lower()]
        elif style == 2:
            suffix = SUFFIX_ROMAJI.get(b["ja"][-1]) or romanize(b["kana"][len(reading_stem(b)):])
            query, expected = f"{base.capitalize()}-{suffix}", romaji_full[(base + suffix).lower()]
        elif style == 3:
            query, expected = en.upper(), english[en.lower()]
        else:
            pref = prefectures[b["pref"]]
            query = f"{base.capitalize()}, {romanize(reading_stem(pref)).replace(chr(39), '').capitalize()}"
            expected = {i for i in expected if by_iri[i]["pref"] == b["pref"]}
        add(f"romaji-{style}", query, expected)
    for sep in ("", " ", "\u3000"):
        for b in rng.sample(municipalities, 20):
            pref = prefectures[b["pref"]]
            add("prefixed", pref["ja"] + sep + b["ja"],
                {i for i in name_bearers[b["ja"]] if by_iri[i]["pref"] == b["pref"]})
    variant_bodies = [b for b in unique if any(ch in VARIANTS for ch in b["ja"])]
    for b in rng.sample(variant_bodies, min(40, len(variant_bodies))):
        chars = [i for i, ch in enumerate(b["ja"]) if ch in VARIANTS]
        i = rng.choice(chars)
        add("variant", b["ja"][:i] + VARIANTS[b["ja"][i]] + b["ja"][i + 1:], {b["body"]})
    typo_pool = [b for b in unique if len(b["ja"]) >= 3]
    homophone_pool = [b for b in typo_pool if any(ch in HOMOPHONES for ch in b["ja"][:-1])]
    for b in rng.sample(homophone_pool, 25):
        i = rng.choice([i for i, ch in enumerate(b["ja"][:-1]) if ch in HOMOPHONES])
        add("homophone", b["ja"][:i] + HOMOPHONES[b["ja"][i]] + b["ja"][i + 1:], {b["body"]})
    for b in rng.sample(typo_pool, 20):  # a character left out (南砺市 → 南市 is not allowed: ≥ 4 long)
        if len(b["ja"]) >= 4:
            i = rng.randrange(1, len(b["ja"]) - 1)
            if b["ja"][:i] + b["ja"][i + 1:] not in name_bearers:
                add("typo", b["ja"][:i] + b["ja"][i + 1:], {b["body"]})
    for b in rng.sample([b for b in typo_pool if len(b["kana"]) >= 5], 20):  # one kana wrong
        i = rng.randrange(1, len(b["kana"]) - 1)
        wrong = b["kana"][:i] + rng.choice([c for c in "かきくけこさしすせそたちつてとなにぬねの" if c != b["kana"][i]]) \
            + b["kana"][i + 1:]
        if wrong not in readings:
            add("typo", wrong, {b["body"]})
    for b in rng.sample([b for b in typo_pool if len(romanize(reading_stem(b))) >= 6], 20):  # one letter wrong
        word = romanize(reading_stem(b)).replace("'", "").capitalize()
        i = rng.randrange(2, len(word))
        wrong = word[:i] + rng.choice([c for c in "aeiou" if c != word[i]]) + word[i + 1:]
        if _short_vowels(wrong.lower()) not in {_short_vowels(k) for k in romaji}:  # Kihoou is 紀宝 (Kiho)
            add("typo", wrong, {b["body"]})
    for b in rng.sample(typo_pool, 20):  # any other kanji in place of one: reported apart, a guess at best
        i = rng.randrange(len(b["ja"]) - 1)
        wrong = b["ja"][:i] + rng.choice([c for c in TYPO_KANJI if c != b["ja"][i]]) + b["ja"][i + 1:]
        if wrong not in name_bearers:
            add("typo-random-kanji", wrong, {b["body"]})
    for b in rng.sample(wards, 25):
        city = by_iri[b["city"]]
        short = ward_short(b, by_iri) or ""
        add("ward", rng.choice([city["ja"] + short, stem(city["ja"]) + " " + short, city["ja"] + " " + short]),
            {b["body"]})
    ambiguous = sorted(n for n, who in name_bearers.items() if len(who) >= 2 and n in bearers)
    for name in ambiguous:
        add("ambiguous", name, name_bearers[name])
        for iri in sorted(name_bearers[name]):
            pref = prefectures[by_iri[iri]["pref"]]
            same_pref = {i for i in name_bearers[name] if by_iri[i]["pref"] == by_iri[iri]["pref"]}
            add("ambiguous-prefecture", name, same_pref, [{"pid": "prefecture", "v": pref["ja"]}])
    return {"generator": "tools/gen_reconcile_gold.py", "seed": SEED,
            "register": "data/register/*.ttl", "items": items}


def write_gold(gold: dict, out: Path) -> None:
    """Write a gold set and say how many items of each category it has."""
    out.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    counts: dict[str, int] = defaultdict(int)
    for item in gold["items"]:
        counts[item["category"]] += 1
    print(f"{len(gold['items'])} items → {out.relative_to(ROOT)}: {dict(counts)}")


def main() -> None:
    write_gold(generate(), OUT)


if __name__ == "__main__":
    main()
