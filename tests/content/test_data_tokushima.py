"""Tokushima Prefecture data, checked against chapter 7 of the report.

Every expected value below was read off the report text (narrative, overview table,
footnote 11), not taken from the data file, so a wrong or missing triple fails.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rns
from rdflib.namespace import DCTERMS, RDF

from jichitai_kg.namespaces import SCHEMA

pytest.register_assert_rewrite("datahelpers")
from datahelpers import (  # noqa: E402
    check_plan,
    entries,
    lang_label,
    milestones,
    report_locations,
)
from jichitai_kg.namespaces import (
    AGENT,
    EVENT,
    GLOSSARY,
    GOV,
    ID,
    INITIATIVE,
    JKG,
    KIND,
    ORG,
    PHASE,
    PLAN,
    POST,
    ROLE,
    SOURCE,
    TIMEREF,
    UNIT,
)

TOKUSHIMA = GOV.tokushima
BACKGROUND = str(ID) + "background/"


def test_narrative_initiatives(asserted_graph: Graph) -> None:
    g = asserted_graph
    got = entries(g, JKG.NarrativeInitiative, TOKUSHIMA)
    assert INITIATIVE["tokushima-ai-ocr-verification"] in got
    assert INITIATIVE["tokushima-catv-network-concept"] in got
    assert g.value(INITIATIVE["tokushima-catv-network-concept"], JKG.partOfPlan) == PLAN["tokushima-e-tokushima-plan"]
    assert (INITIATIVE["tokushima-catv-network-concept"], SCHEMA.subjectOf, SOURCE["footnote-11"]) in g


# (plan, ja label, type, status, adoptedIn, period start, period end)
PLANS = [
    ("tokushima-business-system-optimization-guideline", "業務・システム最適化ガイドライン", "guideline", "revised",
     "2011-03", None, None),
    ("tokushima-ict-creation-strategy", "ICTとくしま創造戦略", "strategy", "adopted", None, "2014-04-01", "2021-03-31"),
    ("tokushima-new-future-data-strategy", "とくしま新未来データ活用推進戦略", "strategy", "adopted", None,
     "2018-04-01", "2021-03-31"),
    ("tokushima-e-tokushima-plan", "e-とくしま推進プラン", "plan", "adopted", "2004", "2004-04-01", "2014-03-31"),
]


@pytest.mark.parametrize(("plan", "name", "ptype", "status", "adopted", "start", "end"), PLANS)
def test_plans(asserted_graph: Graph, plan, name, ptype, status, adopted, start, end) -> None:
    check_plan(asserted_graph, PLAN[plan], TOKUSHIMA, name=name, plan_type=ptype, status=status,
               adopted=adopted, start=start, end=end)


def test_plan_dates_and_variants(asserted_graph: Graph) -> None:
    g = asserted_graph
    guideline = PLAN["tokushima-business-system-optimization-guideline"]
    assert g.value(guideline, DCTERMS.modified) == Literal("2011-03", datatype=rns.XSD.gYearMonth)
    etk = PLAN["tokushima-e-tokushima-plan"]
    assert g.value(etk, DCTERMS.issued) == Literal("2004", datatype=rns.XSD.gYear)
    strategy = PLAN["tokushima-ict-creation-strategy"]
    assert Literal("ICT（愛して）とくしま創造戦略", lang="ja") in set(g.objects(strategy, rns.SKOS.altLabel))
    # Footnote 11 lists both plans but never calls one the successor of the other.
    assert g.value(strategy, JKG.precededBy) is None
    assert (strategy, JKG.precededBy, etk) not in g


def test_accounting_division_ran_rpa_verification(asserted_graph: Graph) -> None:
    g = asserted_graph
    division = UNIT["tokushima-accounting-division"]
    assert g.value(division, ORG.subOrganizationOf) == UNIT["tokushima-treasury-bureau"]
    assert lang_label(g, UNIT["tokushima-treasury-bureau"], "ja") == "出納局"
    verification = g.value(None, JKG.responsibleUnit, division)
    assert verification == EVENT["tokushima-rpa-verification-fy2018"]
    assert g.value(verification, JKG.phase) == PHASE.verification
    assert g.value(verification, JKG.when) == TIMEREF.fy2018


def test_ict_headquarters_leadership(asserted_graph: Graph) -> None:
    g = asserted_graph
    hq = UNIT["tokushima-ict-promotion-headquarters"]
    assert (hq, RDF.type, JKG.CrossDepartmentalBody) in g
    assert lang_label(g, hq, "ja") == "ICT推進本部"
    assert g.value(hq, JKG.headPost) == POST["tokushima-governor"]
    assert set(g.objects(hq, JKG.deputyHeadPost)) == {POST["tokushima-vice-governor"], POST["tokushima-cio"]}
    assert ROLE.governor in set(g.objects(POST["tokushima-governor"], ORG.role))
    assert g.value(POST["tokushima-vice-governor"], ORG.role) == ROLE["deputy-governor"]


def test_cio_post(asserted_graph: Graph) -> None:
    g = asserted_graph
    cio = POST["tokushima-cio"]
    assert (cio, RDF.type, ORG.Post) in g
    assert g.value(cio, ORG.postIn) == TOKUSHIMA
    assert g.value(cio, ORG.role) == ROLE.cio
    assert lang_label(g, cio, "ja") == "最高情報統括監"
    assert lang_label(g, cio, "en")
    assert g.value(cio, JKG.establishedIn) == TIMEREF["2006-04"]
    assert g.value(cio, DCTERMS.created) == Literal("2006-04", datatype=rns.XSD.gYearMonth)
    holder = g.value(cio, ORG.heldBy)
    assert holder == AGENT["tokushima-cio-holder"]
    assert g.value(holder, JKG.holderBackground) == URIRef(BACKGROUND + "private-sector")
    assert GLOSSARY.cio in set(g.objects(cio, JKG.usesTerm))
    # The month is outside data/time.ttl's range, so the file must describe it.
    assert g.value(TIMEREF["2006-04"], JKG.startDate) == Literal("2006-04-01", datatype=rns.XSD.date)


def test_security_adviser_post(asserted_graph: Graph) -> None:
    g = asserted_graph
    adviser = POST["tokushima-security-adviser"]
    assert g.value(adviser, ORG.role) == ROLE["security-adviser"]
    assert g.value(adviser, ORG.postIn) == TOKUSHIMA
    assert lang_label(g, adviser, "ja") == "情報セキュリティ・アドバイザ"
    assert Literal("情報セキュリティ・アドバイザー", lang="ja") in set(g.objects(adviser, rns.SKOS.altLabel))
    assert g.value(adviser, JKG.holderBackground) == URIRef(BACKGROUND + "expert")


def test_rpa_milestones(asserted_graph: Graph) -> None:
    g = asserted_graph
    rpa = INITIATIVE["tokushima-rpa-full-deployment"]
    assert milestones(g, rpa) == {(PHASE.verification, TIMEREF.fy2018), (PHASE["full-deployment"], TIMEREF.fy2019)}
    assert (rpa, JKG.relatedInitiative, INITIATIVE["tokushima-ai-ocr-verification"]) in g
    ocr = INITIATIVE["tokushima-ai-ocr-verification"]
    assert KIND["ai-ocr"] in set(g.objects(ocr, JKG.kind))
    (m,) = g.objects(ocr, JKG.hasMilestone)
    assert (g.value(m, JKG.phase), g.value(m, JKG.when)) == (PHASE.verification, TIMEREF.fy2019)


def test_glossary_terms(asserted_graph: Graph) -> None:
    g = asserted_graph
    assert GLOSSARY.oss in set(g.objects(INITIATIVE["tokushima-oss"], JKG.usesTerm))
    assert GLOSSARY.cio in set(g.objects(INITIATIVE["tokushima-cio"], JKG.usesTerm))


def test_report_locations(asserted_graph: Graph) -> None:
    g = asserted_graph
    locs = report_locations(g, TOKUSHIMA)
    # heading + 6 paragraphs + plan row + 3 flagship + 7 category bullets + reference (footnote 11 is shared)
    assert len(locs - {SOURCE["footnote-11"]}) == 19
    for n, row in ((3, "culture"), (2, "resources"), (2, "information"), (3, "flagship")):
        for i in range(1, n + 1):
            loc = SOURCE[f"tokushima-table-{row}-{i}"]
            assert g.value(loc, JKG.bulletNumber).toPython() == i
    assert g.value(SOURCE["tokushima-narrative-6"], JKG.paragraphNumber).toPython() == 6


