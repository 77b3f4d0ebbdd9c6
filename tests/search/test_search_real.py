"""Search over the project's own graph: expected answers read from the report.

The report describes telework at 神奈川県 (mobile PCs for telework), 鎌倉市 and 徳島県; RPA at
all eight governments; a CDO post only at 神奈川県; and three units named 情報政策課
(京都府, 港区, つくば市).  Sets of IRIs of a kind are read from the store's own triples.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from jichitai_kg.search.rank import EXACT, PREFIX, SUBSTRING
from jichitai_kg.search.text import contains_word, normalize
from jichitai_kg.store import Inputs, open_read_only, prepare
from search_fixtures import ROOT

ID = "https://w3id.org/jichitai-kg/id/"
JKG = "https://w3id.org/jichitai-kg/ontology#"
ORG = "http://www.w3.org/ns/org#"


@pytest.fixture(scope="module")
def kg() -> ox.Store:
    return open_read_only(prepare(Inputs.from_root(ROOT), ROOT / ".cache"))


def _subjects(kg, predicate: str, obj: str) -> set[str]:
    return {q.subject.value for q in kg.quads_for_pattern(None, ox.NamedNode(predicate), ox.NamedNode(obj))}


def _iris(index, q, **kw) -> list[str]:
    return [h.iri for h in index.search(q, limit=100, **kw).hits]


def test_telework_finds_the_telework_initiatives_the_report_describes(real_index, kg):
    found = set(_iris(real_index, "テレワーク", kind="initiative"))
    reported = {ID + "initiative/kanagawa-mobile-pc", ID + "initiative/kamakura-telework",
                ID + "initiative/tokushima-telework"}
    assert reported <= found
    assert _subjects(kg, JKG + "kind", ID + "kind/telework") <= found


def test_english_telework_finds_the_same_initiatives(real_index):
    assert set(_iris(real_index, "telework", kind="initiative")) == set(_iris(real_index, "テレワーク", kind="initiative"))
    assert set(_iris(real_index, "TELEWORK", kind="initiative")) == set(_iris(real_index, "telework", kind="initiative"))


def test_rpa_finds_every_rpa_initiative(real_index, kg):
    rpa = _subjects(kg, JKG + "kind", ID + "kind/rpa")
    assert len(rpa) >= 8  # every one of the eight governments reports RPA
    found = _iris(real_index, "RPA", kind="initiative")
    assert rpa <= set(found)
    labelled = [h for h in real_index.search("RPA", kind="initiative", limit=100).hits if h.tier <= SUBSTRING]
    assert ID + "initiative/kamakura-rpa" in {h.iri for h in labelled}
    assert all("RPA" in h.label_ja or "RPA" in h.label_en or h.tier <= SUBSTRING for h in labelled)


def test_kamakura_first(real_index):
    hits = real_index.search("鎌倉").hits
    assert hits[0].iri == ID + "gov/kamakura"
    assert hits[0].tier == PREFIX and hits[0].kind == "government"
    assert hits[0].prefecture == ID + "gov/kanagawa"  # 団体コード 142042 lies in 14 (神奈川県, 140007)
    assert hits[0].snippet_html == "<mark>鎌倉</mark>市"


def test_kana_reading_from_the_register(real_index, kg):
    """The register gives every body a reading; a missing one fails here (no skip)."""
    kana = [q.object.value for q in kg.quads_for_pattern(ox.NamedNode(ID + "gov/kamakura"), None, None)
            if isinstance(q.object, ox.Literal) and (q.object.language or "").lower() == "ja-hira"]
    assert kana == ["かまくらし"]
    assert real_index.search("かまくら").hits[0].iri == ID + "gov/kamakura"
    assert real_index.search("ｶﾏｸﾗ").hits[0].iri == ID + "gov/kamakura"  # half-width with voicing folds too


def test_cdo_finds_the_posts(real_index, kg):
    posts = _subjects(kg, ORG + "role", ID + "role/cdo")
    assert posts == {ID + "post/kanagawa-cdo"}
    hits = real_index.search("CDO", kind="post").hits
    assert {h.iri for h in hits if h.tier == EXACT} == posts


def test_japanese_substring_inside_a_longer_name(real_index):
    hits = [h for h in real_index.search("政策課", kind="unit").hits if h.tier == SUBSTRING]
    assert sorted(h.iri for h in hits if h.label_ja == "情報政策課") == [
        ID + "unit/kyoto-information-policy-division", ID + "unit/minato-information-policy-division",
        ID + "unit/tsukuba-information-policy-division"]


def test_short_latin_word_is_held_to_word_starts(real_index):
    results = real_index.search("AI", limit=100)
    assert ID + "initiative/minato-ai-services" in {h.iri for h in results.hits}
    for hit in results.hits:
        assert contains_word(normalize(hit.snippet.strip("…")), "ai"), hit.snippet


def test_two_character_japanese_word(real_index):
    hits = real_index.search("港区").hits
    exact = [h for h in hits if h.tier == EXACT]
    assert hits[0].tier == EXACT and ID + "gov/minato" in {h.iri for h in exact}
    assert {h.kind for h in exact} == {"government"}  # (with the register, the wards of 名古屋市 and 大阪市 too)


def test_facets_count_every_match_and_filters_narrow(real_index):
    results = real_index.search("テレワーク", limit=100)
    types = dict(results.facets["type"])
    assert types["initiative"] == len(_iris(real_index, "テレワーク", kind="initiative"))
    assert sum(types.values()) == results.total
    govs = dict(results.facets["government"])
    kamakura = real_index.search("テレワーク", government=ID + "gov/kamakura", limit=100)
    assert kamakura.total == govs[ID + "gov/kamakura"]
    assert all(h.government == ID + "gov/kamakura" for h in kamakura.hits)


def test_no_match_and_paging(real_index):
    assert real_index.search("存在しない語句xyz").total == 0
    everything = _iris(real_index, "RPA")
    assert _iris(real_index, "RPA")[5:10] == [h.iri for h in real_index.search("RPA", limit=5, offset=5).hits]
    assert len(everything) == len(set(everything))
