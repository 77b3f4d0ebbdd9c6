"""Kyoto Prefecture data, checked against chapter 3 of the report.

Every expected value below was read off the report text (narrative, overview table,
footnotes 7 and 8), not taken from the data file, so a wrong or missing triple fails.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rns
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF

from jichitai_kg.namespaces import SCHEMA

pytest.register_assert_rewrite("datahelpers")
from datahelpers import (  # noqa: E402
    all_initiatives,
    entries,
    iri,
    lang_label,
    milestones,
)
from jichitai_kg.namespaces import (
    GLOSSARY,
    GOV,
    ID,
    INITIATIVE,
    JKG,
    KIND,
    ORG,
    PARTNER,
    PARTNERKIND,
    PHASE,
    PLAN,
    ROLE,
    SOURCE,
    TIMEREF,
    UNIT,
)

KYOTO = GOV.kyoto
STATUS = URIRef(str(ID) + "adoption-status/")


@pytest.mark.parametrize(
    ("initiative", "phase", "when"),
    [
        ("kyoto-rpa-effect-verification", PHASE.verification, TIMEREF.fy2017),
        ("kyoto-byod-cloud", PHASE["full-deployment"], TIMEREF.fy2019),
        ("kyoto-smart-project-model", PHASE.conducted, TIMEREF.fy2019),
    ],
)
def test_flagship_milestones(asserted_graph: Graph, initiative: str, phase: URIRef, when: URIRef) -> None:
    g = asserted_graph
    assert milestones(g, INITIATIVE[initiative]) == {(phase, when)}


def test_plan_in_preparation(asserted_graph: Graph) -> None:
    g = asserted_graph
    p = PLAN["kyoto-smart-society-plan"]
    assert (p, RDF.type, JKG.Plan) in g
    assert g.value(p, JKG.government) == KYOTO
    assert lang_label(g, p, "ja") == "京都府スマート社会推進計画"
    # 「(2019年度策定予定)」: due in FY2019, not yet adopted; no month, no period printed.
    assert g.value(p, JKG.adoptionStatus) == iri(STATUS, "in-preparation")
    assert g.value(p, JKG.adoptedIn) == TIMEREF.fy2019
    assert g.value(p, DCTERMS.issued) is None
    assert g.value(p, JKG.period) is None
    # the report states what the plan is for (「…を目的としている」): aims, not pillars
    assert not list(g.objects(p, JKG.pillar))
    pillars = sorted(g.objects(p, JKG.aim), key=lambda x: g.value(x, JKG.order).toPython())
    assert len(pillars) == 2 and all((x, RDF.type, JKG.Aim) in g for x in pillars)
    assert "デジタル社会" in lang_label(g, pillars[0], "ja")
    assert "全ての府民" in lang_label(g, pillars[1], "ja")
    assert all(lang_label(g, x, "en") for x in pillars)


def test_committee_and_project_team(asserted_graph: Graph) -> None:
    g = asserted_graph
    committee = UNIT["kyoto-overtime-reduction-committee"]
    team = UNIT["kyoto-workstyle-reform-pt"]
    assert (committee, RDF.type, JKG.CrossDepartmentalBody) in g
    assert lang_label(g, committee, "ja") == "京都府時間外勤務縮減推進委員会"
    assert Literal("京都府時間外勤務縮減委員会", lang="ja") in set(g.objects(committee, rns.SKOS.altLabel))
    assert g.value(committee, ORG.unitOf) == KYOTO
    chair = g.value(committee, JKG.headPost)
    assert g.value(chair, ORG.role) == ROLE["deputy-governor"]
    assert g.value(chair, ORG.postIn) == KYOTO
    assert lang_label(g, chair, "ja") == "副知事"
    assert g.value(team, ORG.subOrganizationOf) == committee
    assert g.value(team, JKG.establishedIn) == TIMEREF.fy2017
    pt = INITIATIVE["kyoto-workstyle-reform-pt"]
    assert g.value(pt, JKG.responsibleUnit) == team


def test_posts(asserted_graph: Graph) -> None:
    g = asserted_graph
    posts = {p for p in g.subjects(RDF.type, ORG.Post) if g.value(p, ORG.postIn) == KYOTO}
    assert {g.value(p, ORG.role) for p in posts} == {ROLE["deputy-governor"]}


def test_budget_review_by_information_policy_division(asserted_graph: Graph) -> None:
    g = asserted_graph
    division = UNIT["kyoto-information-policy-division"]
    assert lang_label(g, division, "ja") == "情報政策課"
    i = INITIATIVE["kyoto-ict-use-optimization"]
    assert g.value(i, JKG.responsibleUnit) == division
    assert KIND["budget-review"] in set(g.objects(i, JKG.kind))


@pytest.mark.parametrize(
    ("partner", "kind", "label"),
    [
        ("mic", "ministry", "総務省"),
        (GOV.hokkaido, "government", "北海道"),  # the register's IRIs, not partner: copies
        (GOV.kagoshima, "government", "鹿児島県"),
        ("gyouzaisei-chosakai", "nonprofit", "一般社団法人地方行財政調査会"),
    ],
)
def test_partners(asserted_graph: Graph, partner: str, kind: str, label: str) -> None:
    g = asserted_graph
    p = partner if isinstance(partner, URIRef) else PARTNER[partner]
    assert g.value(p, JKG.partnerKind) == PARTNERKIND[kind]
    assert lang_label(g, p, "ja") == label
    assert lang_label(g, p, "en")
    assert any((i, JKG.partner, p) in g for i in all_initiatives(g, KYOTO))


def test_process_comparison_partners_and_programme(asserted_graph: Graph) -> None:
    g = asserted_graph
    case = INITIATIVE["kyoto-smart-project-model"]
    programme = PARTNER["mic-smart-local-government-project"]
    assert set(g.objects(case, JKG.partner)) >= {GOV.hokkaido, GOV.kagoshima, PARTNER.mic}
    assert g.value(case, JKG.partOfPlan) == programme
    assert (programme, RDF.type, JKG.Programme) in g
    assert g.value(programme, PROV.wasAttributedTo) == PARTNER.mic


def test_mailing_list_was_transferred(asserted_graph: Graph) -> None:
    g = asserted_graph
    ml = INITIATIVE["kyoto-rpa-mailing-list"]
    phases = {g.value(m, JKG.phase) for m in g.objects(ml, JKG.hasMilestone)}
    assert PHASE.transferred in phases
    assert PARTNER["gyouzaisei-opinion-site"] in set(g.objects(ml, JKG.partner))
    assert (ml, JKG.relatedInitiative, INITIATIVE["kyoto-rpa-effect-verification"]) in g


def test_glossary_terms(asserted_graph: Graph) -> None:
    g = asserted_graph
    assert GLOSSARY.assessor in set(g.objects(INITIATIVE["kyoto-assessor-activities"], JKG.usesTerm))
    assert GLOSSARY.byod in set(g.objects(INITIATIVE["kyoto-byod-cloud"], JKG.usesTerm))
    assert (INITIATIVE["kyoto-assessor-activities"], SCHEMA.subjectOf, SOURCE["footnote-8"]) in g


def test_narrative_only_initiatives(asserted_graph: Graph) -> None:
    g = asserted_graph
    kinds = {k for i in entries(g, JKG.NarrativeInitiative, KYOTO) for k in g.objects(i, JKG.kind)}
    # 庁内テレビ会議, モバイル・パソコン化, 市町村と共同の各種システム (narrative paragraphs 2-3).
    assert {KIND["video-conferencing"], KIND["mobile-pc"], KIND["shared-systems"]} <= kinds
    assert len(entries(g, JKG.NarrativeInitiative, KYOTO)) == 3


def test_narrative_has_six_paragraph_locations(asserted_graph: Graph) -> None:
    g = asserted_graph
    numbers = {
        g.value(loc, JKG.paragraphNumber).toPython()
        for loc in g.subjects(JKG.government, KYOTO)
        if g.value(loc, JKG.reportPart) == iri(ID, "report-part/narrative")
    }
    assert numbers == {1, 2, 3, 4, 5, 6}


def test_mailing_list_is_no_longer_run_by_kyoto(asserted_graph: Graph) -> None:
    # 「※現在は…「意見交換サイト」に移管」: Kyoto ran the list (an activity carried out) and
    # then handed it over; nothing says Kyoto still operates it.
    g = asserted_graph
    ml = INITIATIVE["kyoto-rpa-mailing-list"]
    phases = {g.value(m, JKG.phase) for m in g.objects(ml, JKG.hasMilestone)}
    assert phases == {PHASE.conducted, PHASE.transferred}


def test_aims_of_ict_use(asserted_graph: Graph) -> None:
    """Narrative ¶1–¶3: (i) 業務の効率化・業務プロセスの改革, (ii) 府民サービスの向上・業務の高度化."""
    g = asserted_graph
    aims = sorted(g.objects(KYOTO, JKG.aim), key=lambda a: g.value(a, JKG.order).toPython())
    assert [lang_label(g, a, "ja") for a in aims] == ["業務の効率化", "業務プロセスの改革", "府民サービスの向上", "業務の高度化"]
    assert set(g.objects(aims[3], SCHEMA.subjectOf)) == {SOURCE["kyoto-narrative-3"]}


def test_opinion_site_page_is_the_partners(asserted_graph: Graph) -> None:
    g = asserted_graph
    # The opinion-exchange site is a third party's page (the partner's), not Kyoto's own.
    assert (PARTNER["gyouzaisei-opinion-site"], FOAF.page, URIRef("https://www.gyouzaisei.or.jp/opinion/")) in g
