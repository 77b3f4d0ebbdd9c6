"""The reconciliation gold set (tools/gen_reconcile_gold.py → tests/fixtures/search/reconcile-gold.json)
answered by the real service code over the shipped register, with and without a type: the
figures must meet the targets search/evaluate.py lists."""

from __future__ import annotations

import json

import pytest

from jichitai_kg.search.evaluate import evaluate, meets_targets
from jichitai_kg.search.reconcile import reconcile_one
from search_fixtures import ROOT, real_index  # noqa: F401  (pytest fixture)

GOLD = ROOT / "tests" / "fixtures" / "search" / "reconcile-gold.json"
LG = "https://w3id.org/jichitai-kg/ontology#LocalGovernment"


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    return json.loads(GOLD.read_text(encoding="utf-8"))["items"]


def test_gold_set_covers_every_category(gold):
    categories = {item["category"] for item in gold}
    assert len(gold) >= 400
    assert {"official", "no-suffix", "hiragana", "katakana", "halfwidth", "romaji-0", "romaji-1", "romaji-2",
            "romaji-3", "romaji-4", "prefixed", "variant", "typo", "homophone", "ward", "ambiguous",
            "ambiguous-prefecture"} <= categories
    assert {"港区", "中央区", "府中市", "伊達市", "北区"} <= {i["query"] for i in gold if i["category"] == "ambiguous"}


@pytest.mark.parametrize("type_", [None, LG])
def test_gold_set_figures_meet_the_targets(gold, real_index, type_):  # noqa: F811
    figures = evaluate(gold, lambda q: reconcile_one(q, real_index), type_=type_)
    assert meets_targets(figures) == [], figures["failures"][:5]
    assert figures["ambiguous_matched"] == 0 and figures["precision"] >= 0.995
