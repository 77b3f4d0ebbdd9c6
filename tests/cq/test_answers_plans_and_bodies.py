"""Competency questions against the report, continued: plans, figures, bodies, profiles.

The expectations were written from the report, as in test_answers.py (whose docstring says how
they are compared).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from answer_terms import ID, SLUGS, date_key, has, norm, number, slug, text
from jichitai_kg import cq

# --------------------------------------------------------------------------- 10. plans-timeline

#: (government, name as printed, adoption (year, month) or None, period start, period end)
PLANS = [
    ("tokushima", "e-とくしま推進プラン", (2004, None), "2004-04-01", "2014-03-31"),
    ("yokohama", "横浜市情報化の基本方針", (2011, 2), None, None),
    ("tokushima", "業務・システム最適化ガイドライン", (2011, 3), None, None),
    ("tokushima", "ICTとくしま創造戦略", None, "2014-04-01", "2021-03-31"),
    ("saitama", "埼玉県ICT推進アクションプラン2017-2019", (2017, 4), None, None),
    ("minato", "みなとワークスタイル宣言", (2017, 7), None, None),
    ("minato", "港区情報化計画", (2018, 3), None, None),
    ("tokushima", "とくしま新未来データ活用推進戦略", None, "2018-04-01", "2021-03-31"),
    ("yokohama", "横浜市官民データ活用推進計画", (2018, 5), "2018-04-01", "2022-03-31"),
    ("tsukuba", "つくば市情報化推進計画", (2018, 9), None, None),
    ("kyoto", "京都府スマート社会推進計画", (2019, None), None, None),
    ("kanagawa", "かながわICT・データ利活用推進計画", (2019, 7), None, None),
    ("kamakura", "第3次鎌倉市総合計画第4期基本計画", None, "2020-04-01", None),
]


def test_plans_timeline(ask):
    rows = ask("plans-timeline")
    by_name = {(slug(r["gov"]), text(r["planLabel"]).replace("(愛して)", "")): r for r in rows}
    for gov, name, adopted, start, end in PLANS:
        row = by_name.get((gov, norm(name)))
        assert row is not None, f"{gov}: {name} missing"
        if adopted:
            got = date_key(row["adopted"])
            assert got[0] == adopted[0] and (adopted[1] is None or got[1] == adopted[1]), name
        if start:
            assert row["periodStart"] is not None and row["periodStart"].value == start, name
        if end:
            assert row["periodEnd"] is not None and row["periodEnd"].value == end, name
    assert {slug(r["gov"]) for r in rows} == set(SLUGS)


def test_plans_timeline_is_in_adoption_order(ask):
    rows = ask("plans-timeline")
    position = {(slug(r["gov"]), text(r["planLabel"]).replace("(愛して)", "")): i
                for i, r in enumerate(rows)}
    order = [position[(gov, norm(name))] for gov, name, *_ in PLANS]
    assert order == sorted(order)


# --------------------------------------------------------------------------- 11. figures

#: (government, value, unit as printed in data/vocab/unit-of-measure.ttl, approximate?) — from the report.
FIGURES = {
    ("kanagawa", Decimal(14000), "台", True),        # 約14,000台のノートパソコン
    ("kanagawa", Decimal(2), "業務", False),         # 2018年度に2業務
    ("kanagawa", Decimal(5), "業務", False),         # 2019年度中には5業務
    ("kamakura", Decimal(8), "ライフイベント", False),  # 8つのライフイベント
    ("kamakura", Decimal(38), "課", False),          # 38課を対象に実施
    ("kyoto", Decimal(29), "人", False),             # 3年間で29名
    ("kyoto", Decimal(300), "人", True),             # 全庁で約300人弱
    ("saitama", Decimal(210), "件", False),          # 提案数は210件
    ("saitama", Decimal(133), "課", False),          # 当時の全133課
    ("saitama", Decimal(26), "事業", False),         # 26の事業
    ("saitama", Decimal(1400000000), "円", True),    # 約14億円
    ("saitama", Decimal(32), "事業", False),         # 32事業
    ("saitama", Decimal(1500000000), "円", True),    # 約15億円
    ("saitama", Decimal(15), "業務", False),         # 15業務にRPAを導入
    ("saitama", Decimal(10), "業務", False),         # 10業務を選定して追加導入
    ("saitama", Decimal(100), "業務", True),         # 100を超える業務
    ("minato", Decimal(27), "取組", False),          # 27の取組
    ("minato", Decimal(11), "業務", False),          # 計11業務
    ("minato", Decimal(6000), "時間/年", True),      # 年間約6,000時間
    ("minato", Decimal(10000), "時間/年", True),     # 年間計約10,000時間
    ("minato", Decimal(178), "人", False),           # 職員178名が参加
    ("tokushima", Decimal(6), "業務", False),        # 6業務27パターン
    ("tokushima", Decimal(27), "パターン", False),
    ("tokushima", Decimal("96.2"), "%", False),      # 96.2%の削減
    ("tokushima", Decimal(11), "カ所", False),       # 計11カ所
}


def test_figures(ask):
    rows = ask("figures")
    got = {(slug(r["gov"]), number(r["value"]), text(r["unit"]),
            None if r["approximate"] is None else r["approximate"].value == "true") for r in rows}
    missing = FIGURES - got
    assert not missing, f"figures of the report not found: {sorted(missing)}"
    assert {slug(r["gov"]) for r in rows} <= set(SLUGS)
    assert all(r["value"] is not None and r["subject"] is not None for r in rows)


def test_figures_en_units(ask):
    rows = ask("figures", lang="en", gov="minato")
    assert ("hours per year", Decimal(6000)) in {(r["unit"].value, number(r["value"])) for r in rows
                                               if r["unit"] is not None}


# --------------------------------------------------------------------------- 12-13. organization

#: (government, name as printed, (year, month) of creation)
UNITS = {
    ("kanagawa", "ICT・データ戦略課", (2019, 6)),          # ICT・データ戦略課の設置(2019年6月)
    ("kamakura", "行政経営部", (2018, 4)),                 # 行政経営部を新設（2018年4月）
    ("kamakura", "パブリテック担当", (2018, 4)),
    ("kyoto", "働き方改革プロジェクト・チーム", (2017, None)),  # 2017年度に…設置
    ("saitama", "企画幹", (2019, None)),                   # 2019年度には…企画幹の職を新設
    ("saitama", "AI推進担当", (2019, None)),
    ("saitama", "スマート県庁推進会議", (2019, 6)),         # 2019年6月に設置
    ("tsukuba", "デジタル・ガバメント推進本部", (2019, 8)),  # 2019年8月には…整備
    ("minato", "情報政策課", (2016, None)),                # 2016年度に名称変更
    ("minato", "ICT推進担当", (2016, None)),
    ("minato", "CIO補佐官", (2013, None)),                 # 2013年度～
    ("tokushima", "最高情報統括監", (2006, 4)),            # 2006年4月から
    ("yokohama", "ICT調達統制担当部門", (2018, None)),      # 2018年度から
}


def test_dedicated_units(ask):
    rows = ask("dedicated-units")
    matched = set()
    for r in rows:
        hits = [u for u in UNITS if u[0] == slug(r["gov"]) and has(r["unitLabel"], u[1])]
        assert hits, f"unexpected unit {slug(r['gov'])}: {r['unitLabel'].value}"
        for gov, name, (y, m) in hits:
            got = date_key(r["created"])
            assert got[0] == y and (m is None or got[1] == m), (name, r["created"])
            matched.add((gov, name, (y, m)))
    assert matched == UNITS


def test_leadership_bodies(ask):
    rows = ask("leadership-bodies")
    got = {(slug(r["gov"]), text(r["bodyLabel"])) for r in rows}
    assert got == {("kyoto", "京都府時間外勤務縮減推進委員会"),  # 副知事が委員長
                   ("saitama", "スマート県庁推進会議"),          # 副知事をトップ
                   ("tokushima", "ICT推進本部")}                # 知事が本部長
    heads = {slug(r["gov"]): text(r["head"]) for r in rows}
    assert heads["kyoto"].endswith("副知事") and heads["saitama"].endswith("副知事")
    assert heads["tokushima"].endswith("知事") and "副" not in heads["tokushima"]


# --------------------------------------------------------------------------- 14-15. people


def test_training(ask):
    rows = ask("training")
    got = {(slug(r["gov"]), text(r["initiativeLabel"]), slug(r["statedCategory"])) for r in rows}
    expected = {
        ("kanagawa", "ICT分野全体における研修体系の構築", "resources"),
        ("kanagawa", "ICT分野における人材モデルとキャリアパスの構築", "resources"),
        ("kamakura", "ICT取組に係る説明会や研修の実施", "culture"),
        ("kyoto", "アセッサー活動", "culture"),  # …推進する人材の育成
        ("kyoto", "データサイエンティスト養成研修", "resources"),
        ("saitama", "ICTリテラシー向上に向けた取組", "resources"),
        ("tsukuba", "職層ごとのデータ利活用研修", "culture"),
        ("tsukuba", norm("「データ利活用研修」の職員研修計画への組み込み"), None),  # flagship case
        ("tsukuba", "筑波大学包括協定に基づくデータ活用人材の確保", "resources"),
        ("minato", "ICTリテラシー研修", "culture"),
        ("minato", "ICTに関する人材育成と庁内適用可能性調査", "resources"),
        ("yokohama", "ICT関連分野の各種研修実施", "resources"),
        ("yokohama", "ICTに関する人材育成プランの策定", "resources"),
    }
    assert expected <= got
    # Yokohama's 基礎的マインド・知識実践プラン is told in the narrative only.
    assert {(g, c) for g, _, c in got - expected} <= {("yokohama", None)}


def test_external_expertise(ask):
    rows = ask("external-expertise")
    assert {slug(r["gov"]) for r in rows} == {"kamakura", "kyoto", "tsukuba", "minato", "tokushima"}
    items = {(slug(r["gov"]), text(r["itemLabel"]), text(r["source"])) for r in rows}
    assert ("tokushima", "最高情報統括監", "民間") in items  # 民間出身のICT専門家がCIO
    assert any(g == "tsukuba" and "顧問" in i and s == "大学" for g, i, s in items)  # 筑波大学教授
    assert any(g == "minato" and "CIO補佐官" in i for g, i, _ in items)
    assert any(g == "tokushima" and "情報セキュリティ・アドバイザ" in i for g, i, _ in items)
    assert ("kyoto", "民間企業への派遣", "民間企業への職員派遣") in items
    assert any(g == "kamakura" and s == "民間企業からの研修員受入れ" for g, _, s in items)


# --------------------------------------------------------------------------- 16. disagreements


def test_classification_disagreements(ask):
    """Training filed under 組織文化 while the ontology files training under 資源制約（人材）."""
    rows = ask("classification-disagreements")
    got = {(slug(r["gov"]), text(r["initiativeLabel"]), slug(r["statedCategory"]),
            slug(r["derivedCategory"])) for r in rows}
    assert got == {("tsukuba", "職層ごとのデータ利活用研修", "culture", "resources"),
                   ("minato", "ICTリテラシー研修", "culture", "resources")}


def test_classification_disagreements_need_inference(ask):
    assert ask("classification-disagreements", inference=False) == []


# --------------------------------------------------------------------------- 17. profile


def test_government_profile_kanagawa(ask):
    rows = ask("government-profile", gov="kanagawa")
    sections = {}
    for r in rows:
        sections.setdefault(r["section"].value, []).append(r)
    assert set(sections) == {"plan", "unit", "post", "initiative", "figure"}
    assert [text(r["itemLabel"]) for r in sections["plan"]] == ["かながわICT・データ利活用推進計画"]
    assert any(has(r["itemLabel"], "ICT・データ戦略課") for r in sections["unit"])
    assert {text(r["detail"]) for r in sections["post"]} >= {"CDO", "CIO"}
    details = [text(r["detail"]) for r in sections["initiative"]]
    assert details.count("組織文化") == 2 and details.count("資源制約") == 2
    assert details.count("情報力・組織体制") == 3
    assert details.count("具体的な先進事例") == 2  # RPAの本格導入, AI活用サービスの実証実験
    assert any(text(r["detail"]).startswith("14000") for r in sections["figure"])
    assert {slug(r["gov"]) for r in rows} == {"kanagawa"}


def test_government_profile_minato_components(ask):
    """港区's two flagship bullets stay flagship cases; their numbered measures are parts."""
    rows = ask("government-profile", gov="minato")
    initiatives = {text(r["itemLabel"]): text(r["detail"]) for r in rows
                   if r["section"].value == "initiative"}
    details = list(initiatives.values())
    assert details.count("具体的な先進事例") == 2
    assert details.count("組織文化") == 3 and details.count("資源制約") == 1
    assert details.count("情報力・組織体制") == 2
    parts = {label: detail for label, detail in initiatives.items() if detail.endswith("の一部")}
    efficiency = norm("「ICTの活用による業務の効率化」の一部")
    assert parts == {
        "AIの活用": norm("「港区AI元年」の一部"), "RPAの活用": norm("「港区AI元年」の一部"),
        "ペーパーレス会議システム": efficiency, "テレビ会議システム": efficiency,
        "庁内PC無線化": efficiency, "フリーアドレス": efficiency,
    }
    en = ask("government-profile", gov="minato", lang="en")
    assert {r["detail"].value for r in en if r["item"].value == ID + "initiative/minato-rpa"} == {
        "part of 'Minato AI Year One'"}


def test_government_profile_requires_gov(catalog):
    with pytest.raises(cq.ParameterError):
        cq.bind(catalog.get("government-profile"), {}, governments=cq.Governments([]))


def test_governments_question(ask):
    rows = ask("governments")
    assert [slug(r["gov"]) for r in rows] == SLUGS  # the report's order
    assert {r["slug"].value: r["dantaiCode"].value for r in rows}["kanagawa"] == "140007"
