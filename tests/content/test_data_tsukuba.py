"""Tsukuba City data, checked against chapter 5 of the report.

Expected values were read off the report (heading, narrative, footnote 9, overview
table), not from the data file, so a wrong, missing or invented triple fails here.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rns
from rdflib.namespace import DCTERMS, RDF

from jichitai_kg.namespaces import SCHEMA

pytest.register_assert_rewrite("datahelpers")
from datahelpers import (  # noqa: E402
    bullets,
    checked_report_locations,
    entries,
    iri,
    lang_label,
    ordered_pillar_labels,
    paragraph_numbers,
)
from jichitai_kg.namespaces import (
    AGENT,
    GLOSSARY,
    GOV,
    ID,
    INITIATIVE,
    JKG,
    KIND,
    ORG,
    PARTNER,
    PHASE,
    PLAN,
    POST,
    ROLE,
    SOURCE,
    TIMEREF,
    UNIT,
)

TSUKUBA = GOV.tsukuba
STATUS = URIRef(str(ID) + "adoption-status/")
PARTNERKIND = URIRef(str(ID) + "partner-kind/")
BACKGROUND = URIRef(str(ID) + "background/")


def test_narrative_only_initiatives(asserted_graph: Graph) -> None:
    g = asserted_graph
    narrative = entries(g, JKG.NarrativeInitiative, TSUKUBA)
    assert INITIATIVE["tsukuba-hack-my-tsukuba"] in narrative
    hack = INITIATIVE["tsukuba-hack-my-tsukuba"]
    assert (hack, JKG.kind, KIND.ideathon) in g
    assert (hack, JKG.partner, PARTNER["university-of-tsukuba"]) in g
    assert (hack, JKG.usesTerm, GLOSSARY.ideathon) in g
    assert (hack, SCHEMA.subjectOf, iri(SOURCE, "footnote-9")) in g


def test_informatization_plan(asserted_graph: Graph) -> None:
    g = asserted_graph
    plan = PLAN["tsukuba-informatization-plan"]
    assert (plan, RDF.type, JKG.Plan) in g
    assert lang_label(g, plan, "ja") == "つくば市情報化推進計画"
    assert g.value(plan, JKG.government) == TSUKUBA
    assert g.value(plan, JKG.adoptedIn) == TIMEREF["2018-09"]
    assert g.value(plan, DCTERMS.issued) == Literal("2018-09", datatype=rns.XSD.gYearMonth)
    assert g.value(plan, JKG.adoptionStatus) == iri(STATUS, "adopted")
    # "(5年間)" with no start year: a five-year duration, and no invented dates.
    period = g.value(plan, JKG.period)
    assert g.value(period, rns.TIME.hasXSDDuration) == Literal("P5Y", datatype=rns.XSD.duration)
    assert g.value(period, JKG.startDate) is None
    assert g.value(period, JKG.endDate) is None


def test_plan_pillars_in_report_order(asserted_graph: Graph) -> None:
    g = asserted_graph
    plan = PLAN["tsukuba-informatization-plan"]
    # Table: 「データ・ICTを活用する環境づくり」を土台として … の5つを柱としている.
    assert ordered_pillar_labels(g, plan) == [
        "災害・危機管理体制の構築",
        "ICTをみんなで享受できるまちづくり",
        "データ活用の推進",
        "情報システムの最適化",
        "情報セキュリティ対策",
    ]
    # Narrative ¶1: the two parts of the envisioned society are aims, and the foundation is no pillar.
    aims = sorted(g.objects(plan, JKG.aim), key=lambda x: g.value(x, JKG.order).toPython())
    assert [lang_label(g, a, "ja") for a in aims] == ["シビック・データ・イノベーション", "パーソナライズ&プッシュ"]
    foundation = g.value(plan, JKG.foundation)
    assert lang_label(g, foundation, "ja") == "データ・ICTを活用する環境づくり"
    assert foundation not in set(g.objects(plan, JKG.pillar))


def test_digital_government_headquarters(asserted_graph: Graph) -> None:
    g = asserted_graph
    hq = UNIT["tsukuba-digital-government-hq"]
    assert (hq, RDF.type, JKG.CrossDepartmentalBody) in g
    assert lang_label(g, hq, "ja") == "デジタル・ガバメント推進本部"
    assert g.value(hq, JKG.establishedIn) == TIMEREF["2019-08"]
    assert g.value(hq, DCTERMS.created) == Literal("2019-08", datatype=rns.XSD.gYearMonth)
    # Formed by merging the personal-number and informatization structures.
    merger = g.value(predicate=ORG.resultingOrganization, object=hq)
    assert (merger, RDF.type, ORG.ChangeEvent) in g
    assert {lang_label(g, u, "ja") for u in g.objects(merger, ORG.originalOrganization)} == {
        "番号制度推進体制", "情報化推進体制",
    }
    assert g.value(merger, JKG.when) == TIMEREF["2019-08"]


def test_posts(asserted_graph: Graph) -> None:
    g = asserted_graph
    cio = POST["tsukuba-cio"]
    assert g.value(cio, ORG.role) == ROLE.cio
    assert g.value(cio, JKG.heldByHolderOf) == POST["tsukuba-deputy-mayor"]
    assert g.value(POST["tsukuba-deputy-mayor"], ORG.role) == ROLE["deputy-mayor"]
    adviser = POST["tsukuba-adviser"]
    assert lang_label(g, adviser, "ja") == "顧問"
    assert g.value(adviser, ORG.role) == ROLE.adviser
    assert g.value(adviser, ORG.postIn) == UNIT["tsukuba-policy-innovation-department"]
    assert g.value(adviser, JKG.holderBackground) == iri(BACKGROUND, "academia")
    holder = g.value(adviser, ORG.heldBy)
    assert (holder, ORG.memberOf, PARTNER["university-of-tsukuba"]) in g


def test_partner_university(asserted_graph: Graph) -> None:
    g = asserted_graph
    uni = PARTNER["university-of-tsukuba"]
    assert lang_label(g, uni, "ja") == "筑波大学"
    assert lang_label(g, uni, "en") == "University of Tsukuba"
    assert g.value(uni, JKG.partnerKind) == iri(PARTNERKIND, "university")
    working_with = {i for i in g.subjects(JKG.partner, uni) if (i, JKG.government, TSUKUBA) in g}
    assert working_with == {
        INITIATIVE["tsukuba-hack-my-tsukuba"],
        INITIATIVE["tsukuba-information-policy-adviser"],
        INITIATIVE["tsukuba-data-talent-with-university"],
    }


def test_rpa_milestones(asserted_graph: Graph) -> None:
    g = asserted_graph
    rpa = INITIATIVE["tsukuba-rpa-full-deployment"]
    assert (rpa, JKG.kind, KIND.rpa) in g
    assert g.value(rpa, JKG.partOfPlan) == PLAN["tsukuba-public-service-co-creation-project"]
    phases = {g.value(m, JKG.phase): m for m in g.objects(rpa, JKG.hasMilestone)}
    assert set(phases) == {PHASE.verification, PHASE["full-deployment"]}
    # "2018年には" is a calendar year, not a fiscal year.
    assert g.value(phases[PHASE.verification], JKG.when) == TIMEREF["2018"]
    assert g.value(phases[PHASE.verification], DCTERMS.date) == Literal("2018", datatype=rns.XSD.gYear)
    # The report gives no date for the full deployment.
    assert g.value(phases[PHASE["full-deployment"]], JKG.when) is None


def test_data_training_milestones(asserted_graph: Graph) -> None:
    g = asserted_graph
    flagship = INITIATIVE["tsukuba-data-training-in-staff-plan"]
    whens = {g.value(m, JKG.phase): g.value(m, JKG.when) for m in g.objects(flagship, JKG.hasMilestone)}
    assert whens == {PHASE.verification: TIMEREF["2018-02"], PHASE["full-deployment"]: TIMEREF.fy2018}
    assert (flagship, JKG.relatedInitiative, INITIATIVE["tsukuba-data-training-by-job-level"]) in g


def test_report_locations(asserted_graph: Graph) -> None:
    g = asserted_graph
    locations = checked_report_locations(g, TSUKUBA)
    assert paragraph_numbers(g, locations) == {1, 2, 3, 4, 5, 6}
    assert len(bullets(g, locations)) == 3 + 1 + 2 + 1


def test_no_agent_without_label(asserted_graph: Graph) -> None:
    g = asserted_graph
    holder = AGENT["tsukuba-adviser-holder"]
    assert lang_label(g, holder, "ja") and lang_label(g, holder, "en")


def test_university_research_not_linked_to_job_level_training(asserted_graph: Graph) -> None:
    # The report does not connect the joint research with the university to the
    # job-level training bullet; only the university partnership is stated.
    g = asserted_graph
    research = INITIATIVE["tsukuba-data-talent-with-university"]
    assert set(g.objects(research, JKG.relatedInitiative)) == set()
    assert set(g.objects(research, JKG.partner)) == {PARTNER["university-of-tsukuba"]}
