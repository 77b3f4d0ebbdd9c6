"""Measure reconciliation against the gold set (tests/fixtures/search/reconcile-gold.json).

    python -m jichitai_kg.search.evaluate [GOLD.json]      # `make reconcile-eval`

The figures (in brackets the level each must reach; tests/search/test_reconcile_gold.py holds them to it):

* ``top1``: names with one right answer whose first candidate is it (≥ 0.97);
* ``precision``/``recall``: of the auto-matches (``match: true``) the share that is right
  (≥ 0.995), and the share of one-answer names auto-matched to the right body (≥ 0.85);
* ``ambiguous_matched``: ambiguous names auto-matched to anything (0);
* ``bearers_in_top``: ambiguous names with every bearer among the first n + 3 candidates (≥ 0.95);
* ``with_prefecture``: names made unique by a prefecture property, matched right (≥ 0.95);
* ``typo_top3``: typos and homophones with the right body among the first three (≥ 0.85);
* ``random_kanji_top3``: the same for a kanji replaced by a random one (no target).

Search (tests/fixtures/search/search-gold.json, ``evaluate_search``): ``top3`` (a query with an
expected entity among the first three results, ≥ 0.95) and ``ndcg10`` (normalized discounted
cumulative gain of the first ten, every expected entity relevance 1).

Typo and homophone names are not exact, so they count for ``typo_top3`` only (and for
precision, should one ever be auto-matched).
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable
from pathlib import Path

from ..namespaces import JKG

TYPO_CATEGORIES = frozenset({"typo", "homophone"})
#: Reported, with no target: one kanji replaced by a random one (often not recoverable).
RANDOM_TYPO = "typo-random-kanji"
TARGETS = {"top1": 0.97, "precision": 0.995, "recall": 0.85, "ambiguous_matched": 0, "bearers_in_top": 0.95,
           "with_prefecture": 0.95, "typo_top3": 0.85}
QUERY_LIMIT = 20
Reconcile = Callable[[dict], dict]


def _ratio(good: int, total: int) -> float:
    return round(good / total, 4) if total else 1.0


def evaluate(items: list[dict], reconcile: Reconcile, *, type_: str | None = None) -> dict:
    """The figures for one run over ``items`` (each answered by ``reconcile(query object)``)."""
    top1 = single = single_right = matched = right_matches = ambiguous_matched = ambiguous = bearers_ok = 0
    pref_total = pref_ok = typo_total = typo_ok = random_total = random_ok = 0
    failures: list[dict] = []
    for item in items:
        query = {"query": item["query"], "limit": QUERY_LIMIT, "properties": item.get("properties", [])}
        if type_:
            query["type"] = type_
        result = reconcile(query)["result"]
        ids = [r["id"] for r in result]
        matches = [r["id"] for r in result if r["match"]]
        expected = item["expected"]
        matched += len(matches)
        right = sum(1 for m in matches if len(expected) == 1 and m == expected[0])
        right_matches += right
        if item["category"] == RANDOM_TYPO:
            random_total += 1
            random_ok += expected[0] in ids[:3]
            continue
        if item["category"] in TYPO_CATEGORIES:
            typo_total += 1
            typo_ok += expected[0] in ids[:3]
            continue
        if item["category"] == "ambiguous-prefecture" and len(expected) == 1:
            pref_total += 1
            pref_ok += matches == expected
        if len(expected) == 1:
            single += 1
            single_right += right
            ok = bool(ids) and ids[0] == expected[0]
            top1 += ok
            if not ok or matches != expected:
                failures.append({"item": item, "got": ids[:3], "match": matches})
        else:
            ambiguous += 1
            ambiguous_matched += bool(matches)
            bearers_ok += set(expected) <= set(ids[: len(expected) + 3])
    return {"names": len(items), "top1": _ratio(top1, single), "precision": _ratio(right_matches, matched),
            "recall": _ratio(single_right, single), "ambiguous_matched": ambiguous_matched,
            "bearers_in_top": _ratio(bearers_ok, ambiguous), "with_prefecture": _ratio(pref_ok, pref_total),
            "typo_top3": _ratio(typo_ok, typo_total), "random_kanji_top3": _ratio(random_ok, random_total),
            "failures": failures}


SEARCH_TOP3_TARGET = 0.95
Search = Callable[[str], list[str]]


def evaluate_search(items: list[dict], search: Search) -> dict:
    """top-3 hit rate and mean nDCG@10 of ``search(query) → ranked IRIs`` over the search gold set."""
    hits, gains, misses = 0, 0.0, []
    for item in items:
        ranked = search(item["query"])[:10]
        expected = set(item["expected"])
        top3 = bool(expected.intersection(ranked[:3]))
        hits += top3
        dcg = sum(1 / math.log2(i + 2) for i, iri in enumerate(ranked) if iri in expected)
        ideal = sum(1 / math.log2(i + 2) for i in range(min(len(expected), 10)))
        gains += dcg / ideal
        if not top3:
            misses.append({"query": item["query"], "got": ranked[:3]})
    return {"queries": len(items), "top3": _ratio(hits, len(items)),
            "ndcg10": round(gains / len(items), 4) if items else 1.0, "misses": misses}


def meets_targets(figures: dict) -> list[str]:
    """The figures that miss their target (empty when all are met)."""
    missed = []
    for name, target in TARGETS.items():
        value = figures[name]
        if (value > target) if name == "ambiguous_matched" else (value < target):
            missed.append(f"{name} {value} (target {target})")
    return missed


def main(argv: list[str] | None = None) -> int:
    from ..store import Inputs, prepare
    from ..store.text_index import ensure_index
    from .reconcile import reconcile_one
    from .searcher import SearchIndex

    args = sys.argv[1:] if argv is None else argv
    root = Path.cwd()
    gold = Path(args[0]) if args else root / "tests" / "fixtures" / "search" / "reconcile-gold.json"
    items = json.loads(gold.read_text(encoding="utf-8"))["items"]
    index = SearchIndex(ensure_index(prepare(Inputs.from_root(root), root / ".cache")))
    status = 0
    for label, type_ in (("no type", None), ("type 地方公共団体", str(JKG.LocalGovernment))):
        figures = evaluate(items, lambda q: reconcile_one(q, index), type_=type_)
        failures = figures.pop("failures")
        missed = meets_targets(figures)
        print(f"{label}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
        for f in failures[:15]:
            print(f"  wrong: {f['item']['category']} {f['item']['query']!r} → {f['got']} match {f['match']}")
        if missed:
            print("  MISSED: " + "; ".join(missed))
            status = 1
    search_gold = gold.with_name("search-gold.json")
    queries = json.loads(search_gold.read_text(encoding="utf-8"))["items"]
    found = evaluate_search(queries, lambda q: [h.iri for h in index.search_or_suggest(q, limit=10)[0].hits])
    misses = found.pop("misses")
    print("search: " + ", ".join(f"{k} {v}" for k, v in found.items()))
    for m in misses[:15]:
        print(f"  missed: {m['query']!r} → {m['got']}")
    if found["top3"] < SEARCH_TOP3_TARGET:
        print(f"  MISSED: top3 {found['top3']} (target {SEARCH_TOP3_TARGET})")
        status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
