"""Write the search gold set: queries in Japanese and English with the entities a user expects
at the top, read from the data files (the report's case data, kinds, glossary), never from the
service.

    python tools/gen_search_gold.py        # writes tests/fixtures/search/search-gold.json

Queries: each case government by its Japanese name, English name and reading; each kind of
initiative in use by its Japanese and English label (expected: the kind and the initiatives of
that kind); each plan by its Japanese and English title; CIO and CDO (the posts with that
role); each glossary term by its Japanese and English label; a few misspellings (expected: what
the right spelling expects).  ``skos:exactMatch`` partners are expected too.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_reconcile_gold import write_gold

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "search" / "search-gold.json"
PREFIXES = """
PREFIX jkg: <https://w3id.org/jichitai-kg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
ROLE = "https://w3id.org/jichitai-kg/id/role/"
#: misspelling → the spelling whose expected entities it should find.
TYPOS = {"telewrok": "Telework", "テレワーコ": "テレワーク", "鎌蔵市": "鎌倉市", "Kamakra": "Kamakura City",
         "Yokohma": "横浜市", "つくば巿": "つくば市", "徳嶋県": "徳島県"}


def _store() -> ox.Store:
    store = ox.Store()
    for path in sorted((ROOT / "data").glob("*.ttl")) + sorted((ROOT / "data").glob("*/*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def _rows(store: ox.Store, query: str) -> list[dict]:
    return [{k: (row[k].value if row[k] is not None else None) for k in ("s", "ja", "en", "extra")}  # type: ignore[index]
            for row in store.query(PREFIXES + query)]  # type: ignore[union-attr]


def _labelled(where: str) -> str:
    return f"""SELECT ?s ?ja ?en ?extra WHERE {{ {where}
      ?s rdfs:label ?ja . FILTER(LANG(?ja) = "ja") ?s rdfs:label ?en . FILTER(LANGMATCHES(LANG(?en), "en")) }}
      ORDER BY ?s"""


def generate() -> dict:
    store = _store()
    same: dict[str, set[str]] = defaultdict(set)
    for row in store.query(PREFIXES + "SELECT ?s ?o WHERE { ?s skos:exactMatch ?o }"):  # type: ignore[union-attr]
        same[row["s"].value].add(row["o"].value)  # type: ignore[index]
        same[row["o"].value].add(row["s"].value)  # type: ignore[index]
    items: list[dict] = []
    by_query: dict[str, set[str]] = {}

    def add(category: str, query: str, expected: set[str]) -> None:
        expected = expected | {o for e in expected for o in same.get(e, ())}
        if query in by_query:
            by_query[query] |= expected
            return
        by_query[query] = expected
        items.append({"category": category, "query": query})

    for r in _rows(store, _labelled("?s a jkg:CaseGovernment . ?s skos:altLabel ?extra . "
                                    'FILTER(LANGMATCHES(LANG(?extra), "ja-Hira"))')):
        for q in (r["ja"], r["en"], r["extra"]):
            add("government", q, {r["s"]})
    kinds: dict[str, dict] = {}
    members: dict[str, set[str]] = defaultdict(set)
    for r in _rows(store, _labelled("?extra jkg:kind ?s .")):
        kinds[r["s"]] = r
        members[r["s"]].add(r["extra"])
    for iri, r in kinds.items():
        for q in (r["ja"], r["en"]):
            add("kind", q, {iri} | members[iri])
    for r in _rows(store, _labelled("?s a jkg:Plan .")):
        for q in (r["ja"], r["en"]):
            add("plan", q, {r["s"]})
    for role in ("cio", "cdo"):
        posts = {r["s"] for r in _rows(store, _labelled(f"?s org:role <{ROLE}{role}> ."))}
        add("post", role.upper(), posts)
    for r in _rows(store, _labelled("?s skos:inScheme <https://w3id.org/jichitai-kg/id/glossary/scheme> .")):
        for q in (r["ja"], r["en"]):
            add("glossary", q, {r["s"]})
    for typo, right in TYPOS.items():
        add("typo", typo, by_query[right])
    for item in items:
        item["expected"] = sorted(by_query[item["query"]])
    return {"generator": "tools/gen_search_gold.py", "items": items}


def main() -> None:
    write_gold(generate(), OUT)


if __name__ == "__main__":
    main()
