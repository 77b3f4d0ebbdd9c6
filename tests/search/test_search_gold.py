"""The search gold set (tools/gen_search_gold.py → tests/fixtures/search/search-gold.json): 192
queries in Japanese and English, expected entities read from the data files; the top-3 hit
rate must reach 0.95 and nDCG@10 stays at least at its recorded level (docs/search.md)."""

from __future__ import annotations

import json

from jichitai_kg.search.evaluate import SEARCH_TOP3_TARGET, evaluate_search
from search_fixtures import ROOT, real_index  # noqa: F401  (pytest fixture)

GOLD = ROOT / "tests" / "fixtures" / "search" / "search-gold.json"


def test_search_gold_set(real_index):  # noqa: F811
    items = json.loads(GOLD.read_text(encoding="utf-8"))["items"]
    assert len(items) >= 60
    assert {"government", "kind", "plan", "post", "glossary", "typo"} == {i["category"] for i in items}
    assert any(i["query"].isascii() for i in items) and any(not i["query"].isascii() for i in items)
    figures = evaluate_search(items, lambda q: [h.iri for h in real_index.search_or_suggest(q, limit=10)[0].hits])
    assert figures["top3"] >= SEARCH_TOP3_TARGET, figures["misses"]
    assert figures["ndcg10"] >= 0.95
