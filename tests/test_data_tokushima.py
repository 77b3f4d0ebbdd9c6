"""Tokushima Prefecture data, checked against chapter 7 of the report.

Every expected value below was read off the report text (narrative, overview table,
footnote 11), not taken from the data file, so a wrong or missing triple fails.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rns
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS

from jichitai_kg.namespaces import (
    AGENT, CATEGORY, EVENT, FIGURE, GLOSSARY, GOV, GOVTYPE, ID, INITIATIVE, JKG, KIND, MEASURE, ORG,
    PHASE, PLAN, POST, ROLE, SAC, SCHEMA, SOURCE, TIMEREF, UNIT, WD,
)

TOKUSHIMA = GOV.tokushima
APPROX = str(ID) + "approximation/"
FIGTYPE = str(ID) + "figure-type/"
STATUS = str(ID) + "adoption-status/"
PLANTYPE = str(ID) + "plan-type/"
BACKGROUND = str(ID) + "background/"


def _label(g: Graph, s, lang: str) -> str | None:
    for o in g.objects(s, RDFS.label):
        if isinstance(o, Literal) and o.language == lang:
            return str(o)
    return None


def _entries(g: Graph, cls) -> set:
    return {s for s in g.subjects(RDF.type, cls) if (s, JKG.government, TOKUSHIMA) in g}


def _all_initiatives(g: Graph) -> set:
    return set().union(*(_entries(g, c) for c in (JKG.OverviewTableEntry, JKG.FlagshipCase, JKG.NarrativeInitiative)))


def test_government_identity(asserted_graph: Graph) -> None:
    g = asserted_graph
    assert (TOKUSHIMA, RDF.type, JKG.LocalGovernment) in g
    assert g.value(TOKUSHIMA, ORG.classification) == GOVTYPE.prefecture
    assert _label(g, TOKUSHIMA, "ja") == "徳島県"
    assert _label(g, TOKUSHIMA, "en") == "Tokushima Prefecture"
    assert g.value(TOKUSHIMA, JKG.dantaiCode) == Literal("360007")
    assert g.value(TOKUSHIMA, DCTERMS.spatial) == SAC.C36000
    assert set(g.objects(TOKUSHIMA, FOAF.page)) == {URIRef("https://www.pref.tokushima.lg.jp/ict/")}
    assert g.value(TOKUSHIMA, JKG.order).toPython() == 7
    assert (TOKUSHIMA, RDFS.seeAlso, WD.Q160734) in g
    assert (TOKUSHIMA, OWL.sameAs, None) not in g


# Bullets counted by hand in the Tokushima overview table: 3 / 2 / 2.
@pytest.mark.parametrize(
    ("category", "labels"),
    [
        ("culture", {"テレワークの推進", "テレビ会議の推進", "行政手続のオンライン化、電子決裁の推進"}),
        ("resources", {"情報セキュリティ・アドバイザの設置", "OSS(オープン・ソース・ソフトウェア)の活用"}),
        ("information", {"CIO(最高情報統括監)の設置", "ICT推進本部"}),
    ],
)
def test_overview_table_rows(asserted_graph: Graph, category: str, labels: set[str]) -> None:
    g = asserted_graph
    in_row = {e for e in _entries(g, JKG.OverviewTableEntry) if (e, JKG.statedCategory, CATEGORY[category]) in g}
    assert {_label(g, e, "ja") for e in in_row} == labels


def test_overview_entries_have_exactly_one_stated_category(asserted_graph: Graph) -> None:
    g = asserted_graph
    entries = _entries(g, JKG.OverviewTableEntry)
    assert len(entries) == 7
    for e in entries:
        assert len(set(g.objects(e, JKG.statedCategory))) == 1, e


def test_flagship_cases(asserted_graph: Graph) -> None:
    g = asserted_graph
    labels = {_label(g, e, "ja") for e in _entries(g, JKG.FlagshipCase)}
    assert labels == {"RPAの本格導入", "AI・FAQシステムの構築", "情報通信基盤の強靱化(庁内クラウド)"}


def test_narrative_initiatives(asserted_graph: Graph) -> None:
    g = asserted_graph
    got = _entries(g, JKG.NarrativeInitiative)
    assert INITIATIVE["tokushima-ai-ocr-verification"] in got
    assert INITIATIVE["tokushima-catv-network-concept"] in got
    assert g.value(INITIATIVE["tokushima-catv-network-concept"], JKG.partOfPlan) == PLAN["tokushima-e-tokushima-plan"]
    assert (INITIATIVE["tokushima-catv-network-concept"], PROV.wasDerivedFrom, SOURCE["footnote-11"]) in g


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
    g = asserted_graph
    p = PLAN[plan]
    assert (p, RDF.type, JKG.Plan) in g
    assert g.value(p, JKG.government) == TOKUSHIMA
    assert _label(g, p, "ja") == name
    assert _label(g, p, "en")
    assert g.value(p, DCTERMS.type) == URIRef(PLANTYPE + ptype)
    assert g.value(p, JKG.adoptionStatus) == URIRef(STATUS + status)
    assert g.value(p, JKG.adoptedIn) == (TIMEREF[adopted] if adopted else None)
    period = g.value(p, JKG.period)
    if start is None:
        assert period is None
    else:
        assert g.value(period, JKG.startDate) == Literal(start, datatype=rns.XSD.date)
        assert g.value(period, JKG.endDate) == Literal(end, datatype=rns.XSD.date)


def test_plan_dates_and_variants(asserted_graph: Graph) -> None:
    g = asserted_graph
    guideline = PLAN["tokushima-business-system-optimization-guideline"]
    assert g.value(guideline, DCTERMS.modified) == Literal("2011-03", datatype=rns.XSD.gYearMonth)
    etk = PLAN["tokushima-e-tokushima-plan"]
    assert g.value(etk, DCTERMS.issued) == Literal("2004", datatype=rns.XSD.gYear)
    strategy = PLAN["tokushima-ict-creation-strategy"]
    assert Literal("ICT（愛して）とくしま創造戦略", lang="ja") in set(g.objects(strategy, rns.SKOS.altLabel))
    assert g.value(strategy, JKG.precededBy) == etk


def test_author_unit_chain(asserted_graph: Graph) -> None:
    g = asserted_graph
    division = UNIT["tokushima-smart-prefectural-office-promotion-division"]
    department = UNIT["tokushima-management-strategy-department"]
    assert g.value(division, ORG.unitOf) == department
    assert g.value(department, ORG.unitOf) == TOKUSHIMA
    assert [_label(g, u, "ja") for u in (department, division)] == ["経営戦略部", "スマート県庁推進課"]
    assert g.value(SOURCE["tokushima-heading"], JKG.responsibleUnit) == division


def test_accounting_division_ran_rpa_verification(asserted_graph: Graph) -> None:
    g = asserted_graph
    division = UNIT["tokushima-accounting-division"]
    assert g.value(division, ORG.unitOf) == UNIT["tokushima-treasury-bureau"]
    assert _label(g, UNIT["tokushima-treasury-bureau"], "ja") == "出納局"
    verification = g.value(None, JKG.responsibleUnit, division)
    assert verification == EVENT["tokushima-rpa-verification-fy2018"]
    assert g.value(verification, JKG.phase) == PHASE.verification
    assert g.value(verification, JKG.when) == TIMEREF.fy2018


def test_ict_headquarters_leadership(asserted_graph: Graph) -> None:
    g = asserted_graph
    hq = UNIT["tokushima-ict-promotion-headquarters"]
    assert (hq, RDF.type, JKG.CrossDepartmentalBody) in g
    assert _label(g, hq, "ja") == "ICT推進本部"
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
    assert _label(g, cio, "ja") == "最高情報統括監"
    assert _label(g, cio, "en")
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
    assert _label(g, adviser, "ja") == "情報セキュリティ・アドバイザ"
    assert Literal("情報セキュリティ・アドバイザー", lang="ja") in set(g.objects(adviser, rns.SKOS.altLabel))
    assert g.value(adviser, JKG.holderBackground) == URIRef(BACKGROUND + "expert")


# (figure, value, unit, approximate, approximation, asOf, figure type) from the report.
FIGURES = [
    ("tokushima-rpa-verification-operations", 6, "operation", False, None, "fy2018", "actual"),
    ("tokushima-rpa-verification-patterns", 27, "pattern", False, None, "fy2018", "actual"),
    ("tokushima-rpa-pc-time-reduction", Decimal("96.2"), "percent", False, None, "fy2018", "actual"),
    ("tokushima-video-conferencing-sites", 11, "site", False, None, None, "actual"),
    ("tokushima-telework-forms", 3, "form", False, None, None, "actual"),
    ("tokushima-cio-system-years", 10, "year", True, "at-least", None, "actual"),
]


@pytest.mark.parametrize(("fig", "value", "unit", "approximate", "approximation", "as_of", "ftype"), FIGURES)
def test_figures(asserted_graph: Graph, fig, value, unit, approximate, approximation, as_of, ftype) -> None:
    g = asserted_graph
    f = FIGURE[fig]
    assert (f, RDF.type, JKG.Figure) in g
    assert g.value(f, JKG.government) == TOKUSHIMA
    v = g.value(f, SCHEMA.value)
    assert v.datatype in (rns.XSD.integer, rns.XSD.decimal)
    assert Decimal(str(v.toPython())) == value
    assert g.value(f, JKG.measurementUnit) == MEASURE[unit]
    assert g.value(f, JKG.approximate).toPython() is approximate
    assert g.value(f, JKG.approximation) == (URIRef(APPROX + approximation) if approximation else None)
    assert g.value(f, JKG.asOf) == (TIMEREF[as_of] if as_of else None)
    assert g.value(f, JKG.figureType) == URIRef(FIGTYPE + ftype)
    for subject in g.objects(f, JKG.figureOf):
        assert (subject, JKG.hasFigure, f) in g


def test_rpa_milestones(asserted_graph: Graph) -> None:
    g = asserted_graph
    rpa = INITIATIVE["tokushima-rpa-full-deployment"]
    got = {(g.value(m, JKG.phase), g.value(m, JKG.when)) for m in g.objects(rpa, JKG.hasMilestone)}
    assert got == {(PHASE.verification, TIMEREF.fy2018), (PHASE["full-deployment"], TIMEREF.fy2019)}
    assert (rpa, JKG.relatedInitiative, INITIATIVE["tokushima-ai-ocr-verification"]) in g
    ocr = INITIATIVE["tokushima-ai-ocr-verification"]
    assert KIND["ai-ocr"] in set(g.objects(ocr, JKG.kind))
    (m,) = g.objects(ocr, JKG.hasMilestone)
    assert (g.value(m, JKG.phase), g.value(m, JKG.when)) == (PHASE.verification, TIMEREF.fy2019)


def test_glossary_terms(asserted_graph: Graph) -> None:
    g = asserted_graph
    assert GLOSSARY.oss in set(g.objects(INITIATIVE["tokushima-oss"], JKG.usesTerm))
    assert GLOSSARY.cio in set(g.objects(INITIATIVE["tokushima-cio"], JKG.usesTerm))


def test_no_partner_is_named(asserted_graph: Graph) -> None:
    """The Tokushima chapter names no company, university or other outside body."""
    g = asserted_graph
    assert [(i, p) for i in _all_initiatives(g) for p in g.objects(i, JKG.partner)] == []


def test_every_initiative_is_labelled_kinded_and_sourced(asserted_graph: Graph) -> None:
    g = asserted_graph
    initiatives = _all_initiatives(g)
    assert len(initiatives) == 15
    for i in initiatives:
        assert _label(g, i, "ja") and _label(g, i, "en"), i
        assert any(g.objects(i, JKG.kind)), i
        assert {d.language for d in g.objects(i, DCTERMS.description)} >= {"ja", "en"}, i
        locations = set(g.objects(i, PROV.wasDerivedFrom))
        assert any((loc, JKG.government, TOKUSHIMA) in g and (loc, RDF.type, JKG.ReportLocation) in g
                   for loc in locations), i


def test_report_locations(asserted_graph: Graph) -> None:
    g = asserted_graph
    locs = {s for s in g.subjects(JKG.government, TOKUSHIMA) if (s, RDF.type, JKG.ReportLocation) in g}
    # heading + 6 paragraphs + plan row + 3 flagship + 7 category bullets + reference (footnote 11 is shared)
    assert len(locs - {SOURCE["footnote-11"]}) == 19
    for n, row in ((3, "culture"), (2, "resources"), (2, "information"), (3, "flagship")):
        for i in range(1, n + 1):
            loc = SOURCE[f"tokushima-table-{row}-{i}"]
            assert g.value(loc, JKG.bulletNumber).toPython() == i
    assert g.value(SOURCE["tokushima-narrative-6"], JKG.paragraphNumber).toPython() == 6


def test_every_project_iri_in_the_file_is_labelled(asserted_graph: Graph, project_root) -> None:
    own = Graph().parse(project_root / "data" / "gov" / "tokushima.ttl", format="turtle")
    iris = {t for triple in own for t in triple if isinstance(t, URIRef) and str(t).startswith(str(ID))}
    missing = sorted(i for i in iris if (i, RDFS.label, None) not in asserted_graph)
    assert missing == []
