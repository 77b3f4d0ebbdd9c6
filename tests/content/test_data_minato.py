"""Minato City (東京都港区) data, checked against chapter 6 of the report.

Expected values were read off the report (heading, narrative, caption, footnote 10,
overview table), not from the data file, so a wrong, missing or invented triple fails.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rns
from rdflib.namespace import DCTERMS, RDF, SKOS

from jichitai_kg.namespaces import SCHEMA

pytest.register_assert_rewrite("datahelpers")
from datahelpers import (  # noqa: E402
    bullets,
    checked_report_locations,
    entries,
    iri,
    lang_label,
    paragraph_numbers,
)
from jichitai_kg.namespaces import (
    FIGURE,
    GLOSSARY,
    GOV,
    ID,
    INITIATIVE,
    JKG,
    KIND,
    MEASURE,
    ORG,
    PHASE,
    PLAN,
    POST,
    ROLE,
    TIMEREF,
    UNIT,
)

MINATO = GOV.minato
STATUS = URIRef(str(ID) + "adoption-status/")
PLANTYPE = URIRef(str(ID) + "plan-type/")
BACKGROUND = URIRef(str(ID) + "background/")


def test_ai_first_year_kinds(asserted_graph: Graph) -> None:
    g = asserted_graph
    ai = INITIATIVE["minato-ai-first-year"]
    assert set(g.objects(ai, JKG.kind)) >= {
        KIND["ai-chatbot"], KIND["ai-minutes"], KIND["ai-matching"], KIND["machine-translation"],
        KIND["ai-ocr"], KIND.rpa,
    }
    assert g.value(ai, JKG.partOfPlan) == PLAN["minato-informatization-plan"]


def test_plans(asserted_graph: Graph) -> None:
    g = asserted_graph
    plan = PLAN["minato-informatization-plan"]
    assert lang_label(g, plan, "ja") == "港区情報化計画"
    assert g.value(plan, JKG.adoptedIn) == TIMEREF["2018-03"]
    assert g.value(plan, DCTERMS.issued) == Literal("2018-03", datatype=rns.XSD.gYearMonth)
    # 「全面的に見直した」: a revision, not a first adoption.
    assert g.value(plan, JKG.adoptionStatus) == iri(STATUS, "revised")
    assert (plan, JKG.usesTerm, GLOSSARY.bpms) in g
    decl = PLAN["minato-workstyle-declaration"]
    assert lang_label(g, decl, "ja") == "みなとワークスタイル宣言"
    assert g.value(decl, JKG.planType) == iri(PLANTYPE, "declaration")
    assert g.value(decl, JKG.adoptedIn) == TIMEREF["2017-07"]
    assert g.value(decl, DCTERMS.issued) == Literal("2017-07", datatype=rns.XSD.gYearMonth)


def test_author_division_was_renamed(asserted_graph: Graph) -> None:
    # the chain from the heading's unit up to the ward is checked in test_data.py
    g = asserted_graph
    div = UNIT["minato-information-policy-division"]
    rename = g.value(predicate=ORG.resultingOrganization, object=div)
    assert (rename, RDF.type, ORG.ChangeEvent) in g
    assert lang_label(g, g.value(rename, ORG.originalOrganization), "ja") == "区政情報課"
    assert g.value(rename, JKG.when) == TIMEREF.fy2016


def test_posts(asserted_graph: Graph) -> None:
    g = asserted_graph
    adviser = POST["minato-cio-adviser"]
    assert lang_label(g, adviser, "ja") == "CIO補佐官(情報政策監)"
    assert g.value(adviser, ORG.role) == ROLE["cio-adviser"]
    assert g.value(adviser, JKG.establishedIn) == TIMEREF.fy2013
    assert g.value(adviser, JKG.holderBackground) == iri(BACKGROUND, "expert")
    assert g.value(adviser, ORG.heldBy) is not None
    officer = POST["minato-ict-promotion-officer"]
    assert lang_label(g, officer, "ja") == "ICT推進担当"
    assert g.value(officer, ORG.postIn) == UNIT["minato-information-policy-division"]
    assert g.value(officer, JKG.establishedIn) == TIMEREF.fy2016


def test_newsletter_frequency_is_a_range(asserted_graph: Graph) -> None:
    g = asserted_graph
    f = FIGURE["minato-ict-newsletter-frequency"]
    assert g.value(f, SCHEMA.minValue).toPython() == 3
    assert g.value(f, SCHEMA.maxValue).toPython() == 4
    assert g.value(f, JKG.measurementUnit) == MEASURE["issue-per-year"]
    assert g.value(f, JKG.figureOf) == INITIATIVE["minato-ict-newsletter"]


# The two flagship bullets bundle numbered measures with their own dates. Each measure is a
# component initiative (component → the flagship it belongs to, its kinds, and the dates the
# report gives it: None where it gives none).
COMPONENTS = {
    "minato-ai-services": ("minato-ai-first-year",
                           {"ai", "ai-chatbot", "ai-minutes", "ai-matching", "machine-translation", "ai-ocr"},
                           {"2019-12"}),  # 5業務で活用（2019年12月現在）
    "minato-rpa": ("minato-ai-first-year", {"rpa"}, {"2018-02", "2019-12", None}),  # 2018年2月から; 令和元年度
    "minato-paperless-meetings": ("minato-ict-efficiency", {"paperless-meetings"}, {"2016-01"}),
    "minato-video-conferencing": ("minato-ict-efficiency", {"video-conferencing"}, {"2017-07"}),
    "minato-wireless-pcs": ("minato-ict-efficiency", {"wireless-lan"}, {"2020-01"}),
    "minato-free-address": ("minato-ict-efficiency", {"free-address"}, {None}),  # 順次実施中, no date
}


def _local(term) -> str:
    return str(term).rsplit("/", 1)[-1]


@pytest.mark.parametrize(("local", "whole", "kinds", "dates"),
                         [(k, *v) for k, v in COMPONENTS.items()])
def test_component_initiatives(asserted_graph: Graph, local, whole, kinds, dates) -> None:
    g = asserted_graph
    part, flagship = INITIATIVE[local], INITIATIVE[whole]
    assert set(g.objects(part, RDF.type)) == {JKG.Initiative}  # neither a flagship nor a table bullet
    assert set(g.objects(part, DCTERMS.isPartOf)) == {flagship}
    assert (flagship, DCTERMS.hasPart, part) in g
    assert g.value(part, JKG.government) == MINATO
    assert lang_label(g, part, "ja") and lang_label(g, part, "en")
    assert {d.language for d in g.objects(part, DCTERMS.description)} >= {"ja", "en"}
    assert {_local(k) for k in g.objects(part, JKG.kind)} == kinds
    assert kinds <= {_local(k) for k in g.objects(flagship, JKG.kind)}
    got = {g.value(m, DCTERMS.date) for m in g.objects(part, JKG.hasMilestone)}
    assert got == {None if d is None else Literal(d, datatype=rns.XSD.gYearMonth) for d in dates}
    assert set(g.objects(part, SCHEMA.subjectOf)) & set(g.objects(flagship, SCHEMA.subjectOf))


def test_flagships_hold_only_their_components(asserted_graph: Graph) -> None:
    """The bundles keep their kinds and sources, but dates and figures live in the parts."""
    g = asserted_graph
    assert {_local(i) for i in entries(g, JKG.Initiative, MINATO)} == set(COMPONENTS)
    for whole in ("minato-ai-first-year", "minato-ict-efficiency"):
        flagship = INITIATIVE[whole]
        assert {_local(p) for p in g.objects(flagship, DCTERMS.hasPart)} == {
            k for k, v in COMPONENTS.items() if v[0] == whole}
        assert (flagship, JKG.hasMilestone, None) not in g
        assert (flagship, JKG.hasFigure, None) not in g
        assert (None, JKG.figureOf, flagship) not in g


def test_rpa_milestones(asserted_graph: Graph) -> None:
    g = asserted_graph
    rpa = INITIATIVE["minato-rpa"]
    by_when = {g.value(m, JKG.when): g.value(m, JKG.phase) for m in g.objects(rpa, JKG.hasMilestone)}
    assert by_when == {
        TIMEREF["2018-02"]: PHASE["full-deployment"],  # 2018年2月から順次本格導入
        TIMEREF["2019-12"]: PHASE["in-operation"],     # 計11業務…(2019年12月現在)
        TIMEREF.fy2019: PHASE.expansion,               # 更に導入を拡大し、令和元年度は…
    }
    figures = {_local(f) for f in g.objects(rpa, JKG.hasFigure)}
    assert figures == {"minato-rpa-operations", "minato-rpa-hours-saved", "minato-rpa-hours-target-fy2019"}
    ai = INITIATIVE["minato-ai-services"]
    assert {_local(f) for f in g.objects(ai, JKG.hasFigure)} == {"minato-ai-fields", "minato-ai-operations"}
    assert [g.value(m, JKG.phase) for m in g.objects(ai, JKG.hasMilestone)] == [PHASE["in-operation"]]


def test_report_locations(asserted_graph: Graph) -> None:
    g = asserted_graph
    locations = checked_report_locations(g, MINATO)
    assert paragraph_numbers(g, locations) == {1, 2, 3, 4, 5, 6}
    assert len(bullets(g, locations)) == 2 + 3 + 1 + 2


def test_only_stated_plan_links(asserted_graph: Graph) -> None:
    # The plan row names AI/IoT use and RPA/BPM among the plan's 27 measures, so the
    # AI/RPA flagship belongs to it; the efficiency flagship (paperless and video
    # meetings, wireless PCs, free address) is never tied to the plan by the report.
    g = asserted_graph
    for ai in ("minato-ai-first-year", "minato-ai-services", "minato-rpa"):
        assert g.value(INITIATIVE[ai], JKG.partOfPlan) == PLAN["minato-informatization-plan"], ai
    for local, (whole, _, _) in COMPONENTS.items():
        if whole == "minato-ict-efficiency":
            assert g.value(INITIATIVE[local], JKG.partOfPlan) is None, local
    assert g.value(INITIATIVE["minato-ict-efficiency"], JKG.partOfPlan) is None


def test_full_name_as_alternative_label(asserted_graph: Graph) -> None:
    assert (MINATO, SKOS.altLabel, Literal("東京都港区", lang="ja")) in asserted_graph
