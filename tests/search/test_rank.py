"""The ranking rules of search (search/rank.py), on hand-made texts."""

from jichitai_kg.namespaces import JKG
from jichitai_kg.search import rank
from jichitai_kg.search.text import normalize, terms
from jichitai_kg.store.text_index import kind_of


def _tier(query, texts):
    words = terms(query)
    return rank.tier(" ".join(words), words, [(f, normalize(t)) for f, t in texts])


def test_tiers():
    assert _tier("鎌倉市", [("label", "鎌倉市")]) == rank.EXACT
    assert _tier("かまくらし", [("label", "鎌倉市"), ("kana", "かまくらし")]) == rank.EXACT
    assert _tier("142042", [("code", "142042")]) == rank.EXACT
    assert _tier("鎌倉", [("label", "鎌倉市")]) == rank.PREFIX
    assert _tier("政策課", [("label", "情報政策課")]) == rank.SUBSTRING
    assert _tier("テレワーク", [("label", "在宅勤務"), ("description", "テレワークの一種")]) == rank.DESCRIPTION
    assert _tier("テレワーク", [("keyword", "テレワーク")]) == rank.DESCRIPTION  # a kind's label is not a name
    assert _tier("RPA", [("label", "AI-OCR"), ("description", "OCR only")]) is None


def test_best_tier_wins_and_words_must_share_a_text():
    texts = [("description", "Promoting telework"), ("label", "Promoting telework (at home)")]
    assert _tier("promoting telework", texts) == rank.PREFIX
    assert _tier("telework promoting", texts) == rank.SUBSTRING
    assert _tier("telework home", [("label", "telework"), ("alt", "home")]) is None


def test_kind_from_types_and_code():
    assert kind_of([str(JKG.Plan)]) == "plan"
    assert kind_of([str(JKG.FlagshipCase), str(JKG.Initiative)]) == "initiative"
    assert kind_of([]) == "other"
    assert kind_of(["http://example.org/Ward"], has_code=True) == "government"


def test_order_tier_then_kind_then_label_length():
    hits = [
        (rank.PREFIX, "initiative", "鎌倉市の取組", "i1"),
        (rank.PREFIX, "government", "鎌倉市", "g1"),
        (rank.EXACT, "other", "鎌倉", "o1"),
        (rank.PREFIX, "initiative", "鎌倉市の取組の一覧", "i2"),
        (rank.PREFIX, "plan", "鎌倉市計画", "p1"),
        (rank.DESCRIPTION, "government", "神奈川県", "g2"),
    ]
    ordered = [h[3] for h in sorted(hits, key=lambda h: rank.sort_key(*h))]
    assert ordered == ["o1", "g1", "p1", "i1", "i2", "g2"]
    assert [rank.score(t) for t in range(4)] == [100.0, 80.0, 60.0, 30.0]
