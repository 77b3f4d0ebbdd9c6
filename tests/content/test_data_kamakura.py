"""Kamakura City data, checked against chapter 2 of the report.

Expected values come from reading the report (narrative, overview table, footnote 6),
so that a missing bullet, a wrong date or a mistyped figure makes a test fail.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal
from rdflib import namespace as rns
from rdflib.namespace import DCTERMS, RDF

pytest.register_assert_rewrite("datahelpers")
from datahelpers import (  # noqa: E402
    lang_label,
    milestones,
)
from jichitai_kg.namespaces import (
    GLOSSARY,
    GOV,
    INITIATIVE,
    JKG,
    KIND,
    ORG,
    PARTNER,
    PARTNERKIND,
    PHASE,
    PLAN,
    POST,
    ROLE,
    TIMEREF,
    UNIT,
)

KAMAKURA = GOV.kamakura


def test_plan_runs_from_april_2020_without_end(asserted_graph: Graph) -> None:
    g = asserted_graph
    p = PLAN["kamakura-4th-basic-plan"]
    assert (p, RDF.type, JKG.Plan) in g
    assert g.value(p, JKG.government) == KAMAKURA
    assert lang_label(g, p, "ja") == "第3次鎌倉市総合計画第4期基本計画"
    period = g.value(p, JKG.period)
    assert g.value(period, JKG.startDate) == Literal("2020-04-01", datatype=rns.XSD.date)
    assert g.value(period, JKG.endDate) is None
    # The report gives no adoption date for this plan.
    assert g.value(p, JKG.adoptedIn) is None
    parent = PLAN["kamakura-3rd-comprehensive-plan"]
    assert (parent, DCTERMS.hasPart, p) in g
    assert lang_label(g, parent, "ja") == "第3次鎌倉市総合計画"


def test_publitech_post(asserted_graph: Graph) -> None:
    g = asserted_graph
    p = POST["kamakura-publitech-officer"]
    assert (p, RDF.type, ORG.Post) in g
    assert lang_label(g, p, "ja") == "パブリテック担当"
    assert g.value(p, ORG.postIn) == UNIT["kamakura-administrative-management-division"]
    assert g.value(p, ORG.role) == ROLE["staff-in-charge"]
    assert g.value(p, JKG.establishedIn) == TIMEREF["2018-04"]
    assert GLOSSARY.publitech in set(g.objects(p, JKG.usesTerm))


def test_telework_milestones(asserted_graph: Graph) -> None:
    g = asserted_graph
    tw = INITIATIVE["kamakura-telework"]
    dated = {(g.value(m, JKG.phase), g.value(m, JKG.when)) for m in g.objects(tw, JKG.hasMilestone)
             if g.value(m, JKG.when) is not None}
    assert dated == {(PHASE.pilot, TIMEREF.fy2018), (PHASE["full-deployment"], TIMEREF["2019-08"])}
    assert (tw, JKG.relatedInitiative, INITIATIVE["kamakura-mobile-devices"]) in g


def test_procedure_guide_milestones(asserted_graph: Graph) -> None:
    g = asserted_graph
    guide = INITIATIVE["kamakura-procedure-guide"]
    got = {(g.value(m, JKG.phase), g.value(m, DCTERMS.date)) for m in g.objects(guide, JKG.hasMilestone)}
    assert got == {
        (PHASE["full-deployment"], Literal("2018-11", datatype=rns.XSD.gYearMonth)),
        (PHASE.verification, Literal("2019-03", datatype=rns.XSD.gYearMonth)),
    }
    assert KIND["citizen-guide"] in set(g.objects(guide, JKG.kind))


@pytest.mark.parametrize(
    ("slug", "ja", "kind"),
    [
        ("line-corp", "LINE株式会社", "company"),
        ("cybozu", "サイボウズ株式会社", "company"),
        ("dentsu-isobar", "電通アイソバー株式会社", "company"),
        ("code-for-japan", "一般社団法人コード・フォー・ジャパン", "nonprofit"),
        ("code-for-japan-local-field-lab", "地域フィールドラボ", "programme"),
        ("safety-net-linkage", "一般社団法人セーフティネットリンケージ", "nonprofit"),
    ],
)
def test_collaboration_partners(asserted_graph: Graph, slug: str, ja: str, kind: str) -> None:
    g = asserted_graph
    p = PARTNER[slug]
    assert lang_label(g, p, "ja") == ja
    assert lang_label(g, p, "en")
    assert g.value(p, JKG.partnerKind) == PARTNERKIND[kind]
    assert (INITIATIVE["kamakura-corporate-collaboration"], JKG.partner, p) in g


def test_publitech_city_network(asserted_graph: Graph) -> None:
    g = asserted_graph
    net = PARTNER["publitech-city-network"]
    assert lang_label(g, net, "ja") == "パブリテックシティネットワーク"
    assert g.value(net, JKG.partnerKind) == PARTNERKIND.network
    assert (INITIATIVE["kamakura-publitech-city-network"], JKG.partner, net) in g


@pytest.mark.parametrize(
    ("initiative", "when"),
    [
        # 情報力・組織体制: a department created, a post set up, a network joined.
        ("kamakura-administrative-management-department", "2018-04"),
        ("kamakura-publitech-officer", "2018-04"),
        ("kamakura-publitech-city-network", "2018-11"),
    ],
)
def test_setting_up_and_joining_are_activities_carried_out(asserted_graph: Graph, initiative: str, when: str) -> None:
    g = asserted_graph
    assert milestones(g, INITIATIVE[initiative]) == {(PHASE.conducted, TIMEREF[when])}


def test_briefings_and_training_were_held_once_each_year(asserted_graph: Graph) -> None:
    # 「2018年度実施の…38課を対象に実施」「2019年度に課長職以上の職員を対象に研修を実施」:
    # one-off sessions in two fiscal years, not something in continuing operation.
    g = asserted_graph
    entry = INITIATIVE["kamakura-ict-briefings-training"]
    assert milestones(g, entry) == {(PHASE.conducted, TIMEREF.fy2018), (PHASE.conducted, TIMEREF.fy2019)}


def test_mobile_devices_are_not_said_to_be_pcs(asserted_graph: Graph) -> None:
    """「モバイル端末の導入」: devices of any sort, not necessarily PCs (Kanagawa and Kyoto say PC)."""
    g = asserted_graph
    kinds = set(g.objects(INITIATIVE["kamakura-mobile-devices"], JKG.kind))
    assert kinds == {KIND["mobile-device"]}
    assert (KIND["mobile-pc"], rns.SKOS.broader, KIND["mobile-device"]) in g
