"""Yokohama City data, checked against chapter 8 of the report.

Every expected value below was read off the report text (narrative, overview table,
footnote 12), not taken from the data file, so a wrong or missing triple fails.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rns
from rdflib.namespace import DCTERMS, FOAF

from jichitai_kg.namespaces import SCHEMA

pytest.register_assert_rewrite("datahelpers")
from datahelpers import (  # noqa: E402
    check_plan,
    lang_label,
    milestones,
    ordered_pillar_labels,
    report_locations,
)
from jichitai_kg.namespaces import (
    EVENT,
    GLOSSARY,
    GOV,
    ID,
    INITIATIVE,
    JKG,
    KIND,
    PHASE,
    PLAN,
    SOURCE,
    TIMEREF,
    UNIT,
)

YOKOHAMA = GOV.yokohama
REFERENCE_PAGE = URIRef(
    "https://www.city.yokohama.lg.jp/city-info/yokohamashi/org/somu/shiki-gyomu/gyousei-jyohou.html"
)


def test_culture_row_note_is_recorded_without_a_bullet(asserted_graph: Graph) -> None:
    g = asserted_graph
    note = SOURCE["yokohama-table-culture-note"]
    assert g.value(note, JKG.tableRow) == URIRef(str(ID) + "table-row/culture")
    assert g.value(note, JKG.bulletNumber) is None
    assert (INITIATIVE["yokohama-ict-training"], SCHEMA.subjectOf, note) in g


# (plan, ja label, type, status, adoptedIn, period start, period end)
PLANS = [
    ("yokohama-informatization-basic-policy", "横浜市情報化の基本方針", "policy", "adopted", "2011-02", None, None),
    ("yokohama-informatization-vision", "情報化ビジョン", "vision", "adopted", None, None, None),
    ("yokohama-action-plan", "行動計画", "action-plan", "adopted", "fy2018", "2018-04-01", "2022-03-31"),
    ("yokohama-public-private-data-plan", "横浜市官民データ活用推進計画", "plan", "adopted", "2018-05",
     "2018-04-01", "2022-03-31"),
    ("yokohama-ict-talent-development-plan", "ICTに関する人材育成プラン", "plan", "adopted", None, None, None),
    ("yokohama-basic-mindset-knowledge-plan", "基礎的マインド・知識実践プラン", "plan", "adopted", None, None, None),
    ("yokohama-rpa-guideline", "RPA導入・運用ガイドライン", "guideline", "in-preparation", "2020-03", None, None),
]


@pytest.mark.parametrize(("plan", "name", "ptype", "status", "adopted", "start", "end"), PLANS)
def test_plans(asserted_graph: Graph, plan, name, ptype, status, adopted, start, end) -> None:
    check_plan(asserted_graph, PLAN[plan], YOKOHAMA, name=name, plan_type=ptype, status=status,
               adopted=adopted, start=start, end=end)


def test_issue_months(asserted_graph: Graph) -> None:
    g = asserted_graph
    assert g.value(PLAN["yokohama-informatization-basic-policy"], DCTERMS.issued) == Literal(
        "2011-02", datatype=rns.XSD.gYearMonth)
    assert g.value(PLAN["yokohama-public-private-data-plan"], DCTERMS.issued) == Literal(
        "2018-05", datatype=rns.XSD.gYearMonth)


def test_basic_policy_has_two_parts(asserted_graph: Graph) -> None:
    g = asserted_graph
    policy = PLAN["yokohama-informatization-basic-policy"]
    assert set(g.objects(policy, DCTERMS.hasPart)) == {PLAN["yokohama-informatization-vision"],
                                                       PLAN["yokohama-action-plan"]}


def test_vision_pillars(asserted_graph: Graph) -> None:
    assert ordered_pillar_labels(asserted_graph, PLAN["yokohama-informatization-vision"]) == [
        "安全で安心できる豊かな市民生活",
        "コスト縮減と信頼され効率的な行政運営",
        "活力ある都市横浜",
        "地球にやさしい環境",
    ]


def test_action_plan_goals_under_pillar_two(asserted_graph: Graph) -> None:
    g = asserted_graph
    plan = PLAN["yokohama-action-plan"]
    # the report calls them 「個別目標群」: goals (aims) of the plan, not pillars
    assert not list(g.objects(plan, JKG.pillar))
    assert ordered_pillar_labels(g, plan, JKG.aim) == [
        "ICTを活用した業務の効率化・働き方改革",
        "データを重視した政策形成の推進",
        "情報セキュリティの強化・充実",
        "情報システムの全体最適化の推進",
        "ICTに関わる先端技術の積極的な活用検討",
    ]
    for goal in g.objects(plan, JKG.aim):
        assert g.value(goal, DCTERMS.isPartOf) == PLAN["yokohama-informatization-vision-pillar-2"]


def test_data_plan_pillars(asserted_graph: Graph) -> None:
    # the report states ends the plan works towards (「…の実現」に向け): aims, not pillars
    assert ordered_pillar_labels(asserted_graph, PLAN["yokohama-public-private-data-plan"], JKG.aim) == [
        "効果的かつ効率的な市政運営",
        "市内経済の活性化",
        "市民が安全で安心して暮らせる快適な生活環境の実現",
    ]


def test_procurement_control_section(asserted_graph: Graph) -> None:
    g = asserted_graph
    section = UNIT["yokohama-ict-procurement-control-section"]
    assert lang_label(g, section, "ja") == "ICT調達統制担当部門"
    assert Literal("ICT調達統制部門", lang="ja") in set(g.objects(section, rns.SKOS.altLabel))
    assert g.value(section, JKG.establishedIn) == TIMEREF.fy2018
    entry = INITIATIVE["yokohama-ict-procurement-control"]
    assert g.value(entry, JKG.responsibleUnit) == section
    assert {KIND["dedicated-unit"], KIND["budget-review"]} <= set(g.objects(entry, JKG.kind))


def test_rpa_milestones(asserted_graph: Graph) -> None:
    g = asserted_graph
    rpa = INITIATIVE["yokohama-rpa-trial-operation"]
    assert milestones(g, rpa) == {(PHASE.verification, TIMEREF.fy2018), (PHASE.pilot, TIMEREF.fy2019)}
    guideline = INITIATIVE["yokohama-rpa-guideline"]
    assert (rpa, JKG.relatedInitiative, guideline) in g
    planned = EVENT["yokohama-rpa-guideline-planned-2020-03"]
    assert planned in set(g.objects(guideline, JKG.hasMilestone))
    assert (g.value(planned, JKG.phase), g.value(planned, JKG.when)) == (PHASE.planned, TIMEREF["2020-03"])
    assert g.value(guideline, JKG.partOfPlan) == PLAN["yokohama-rpa-guideline"]


def test_training_uses_sdm_term(asserted_graph: Graph) -> None:
    g = asserted_graph
    training = INITIATIVE["yokohama-ict-training"]
    assert GLOSSARY.sdm in set(g.objects(training, JKG.usesTerm))
    assert (training, SCHEMA.subjectOf, SOURCE["footnote-12"]) in g


def test_report_locations(asserted_graph: Graph) -> None:
    g = asserted_graph
    locs = report_locations(g, YOKOHAMA)
    # heading + 6 paragraphs + plan row + 2 flagship + culture note + 4 category bullets + reference
    assert len(locs - {SOURCE["footnote-12"]}) == 16
    assert g.value(SOURCE["yokohama-table-information-2"], JKG.bulletNumber).toPython() == 2
    assert set(g.objects(SOURCE["yokohama-table-reference"], FOAF.page)) == {REFERENCE_PAGE}


def test_vision_looks_ahead_to_around_2025(asserted_graph: Graph) -> None:
    """「2025年頃を見据えた」: a time node marked approximate, inside calendar 2025."""
    g = asserted_graph
    horizon = g.value(PLAN["yokohama-informatization-vision"], JKG.horizon)
    assert lang_label(g, horizon, "ja") == "2025年頃"
    assert (horizon, URIRef("http://www.w3.org/2006/time#intervalDuring"), TIMEREF["2025"]) in g
    assert any("Approximate" in str(n) for n in g.objects(horizon, rns.SKOS.editorialNote))


def test_chatbot_flagship_case(asserted_graph: Graph) -> None:
    g = asserted_graph
    chatbot = INITIATIVE["yokohama-garbage-sorting-chatbot"]
    assert Literal("イーオのごみ分別案内", lang="ja") in set(g.objects(chatbot, rns.SKOS.altLabel))
    assert KIND["ai-chatbot"] in set(g.objects(chatbot, JKG.kind))
    (m,) = g.objects(chatbot, JKG.hasMilestone)
    assert g.value(m, JKG.when) == TIMEREF["2018-04"]
    assert g.value(m, DCTERMS.date) == Literal("2018-04", datatype=rns.XSD.gYearMonth)
