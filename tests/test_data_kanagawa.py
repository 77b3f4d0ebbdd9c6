"""Kanagawa Prefecture data, checked against chapter 1 of the report.

Every expected value below was read off the report text (narrative, overview table,
footnotes 1-5), not taken from the data file, so a wrong or missing triple fails.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rns
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS

from jichitai_kg.namespaces import (
    CATEGORY, FIGURE, GLOSSARY, GOV, GOVTYPE, ID, INITIATIVE, JKG, KIND, MEASURE, ORG,
    PHASE, PLAN, POST, ROLE, SAC, SCHEMA, SOURCE, TIMEREF, UNIT, WD,
)

KANAGAWA = GOV.kanagawa
LAW = URIRef(str(ID) + "law/public-private-data-act")
APPROX = URIRef(str(ID) + "approximation/")
FIGTYPE = URIRef(str(ID) + "figure-type/")
STATUS = URIRef(str(ID) + "adoption-status/")


def _iri(ns: URIRef, local: str) -> URIRef:
    return URIRef(str(ns) + local)


def _label(g: Graph, s, lang: str) -> str | None:
    for o in g.objects(s, RDFS.label):
        if isinstance(o, Literal) and o.language == lang:
            return str(o)
    return None


def _entries(g: Graph, cls) -> set:
    return {s for s in g.subjects(RDF.type, cls) if (s, JKG.government, KANAGAWA) in g}


def test_government_identity(asserted_graph: Graph) -> None:
    g = asserted_graph
    assert (KANAGAWA, RDF.type, JKG.LocalGovernment) in g
    assert g.value(KANAGAWA, ORG.classification) == GOVTYPE.prefecture
    assert _label(g, KANAGAWA, "ja") == "神奈川県"
    assert _label(g, KANAGAWA, "en") == "Kanagawa Prefecture"
    assert g.value(KANAGAWA, JKG.dantaiCode) == Literal("140007")
    assert g.value(KANAGAWA, DCTERMS.spatial) == SAC.C14000
    assert set(g.objects(KANAGAWA, FOAF.page)) == {URIRef("https://www.pref.kanagawa.jp/docs/b8k/index.html")}
    assert g.value(KANAGAWA, JKG.order).toPython() == 1
    assert (KANAGAWA, RDFS.seeAlso, WD.Q127513) in g
    assert (KANAGAWA, OWL.sameAs, None) not in g


# Bullets counted by hand in the Kanagawa overview table.
@pytest.mark.parametrize(
    ("category", "labels"),
    [
        ("culture", {"モバイルPCの導入", "ICT活用事例の紹介等"}),
        ("resources", {"ICT分野全体における研修体系の構築", "ICT分野における人材モデルとキャリアパスの構築"}),
        ("information", {"CDOの設置", "ICT・データ戦略課の設置(2019年6月)", "RPA導入に係るガバナンスの基準策定"}),
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
    assert labels == {"RPAの本格導入", "AI活用サービスの実証実験"}


def test_plan(asserted_graph: Graph) -> None:
    g = asserted_graph
    p = PLAN["kanagawa-ict-data-plan"]
    assert (p, RDF.type, JKG.Plan) in g
    assert g.value(p, JKG.government) == KANAGAWA
    assert _label(g, p, "ja") == "かながわICT・データ利活用推進計画"
    assert g.value(p, JKG.adoptedIn) == TIMEREF["2019-07"]
    assert g.value(p, DCTERMS.issued) == Literal("2019-07", datatype=rns.XSD.gYearMonth)
    assert g.value(p, JKG.adoptionStatus) == _iri(STATUS, "adopted")
    assert g.value(p, JKG.legalBasis) == LAW
    # 計画期間4年: only the length is printed.
    period = g.value(p, JKG.period)
    assert g.value(period, rns.TIME.hasXSDDuration) == Literal("P4Y", datatype=rns.XSD.duration)
    assert g.value(period, JKG.startDate) is None
    pillars = sorted(g.objects(p, JKG.pillar), key=lambda x: g.value(x, JKG.order).toPython())
    assert [_label(g, x, "ja") for x in pillars] == ["くらしの情報化", "行政の情報化"]
    assert all(_label(g, x, "en") for x in pillars)


def test_law(asserted_graph: Graph) -> None:
    g = asserted_graph
    assert (LAW, RDF.type, JKG.Law) in g
    assert _label(g, LAW, "ja") == "官民データ活用推進基本法"
    assert (LAW, RDFS.seeAlso, URIRef("https://laws.e-gov.go.jp/law/428AC1000000103")) in g
    assert (LAW, PROV.wasDerivedFrom, SOURCE["footnote-1"]) in g


def test_author_unit_chain(asserted_graph: Graph) -> None:
    g = asserted_graph
    division = UNIT["kanagawa-ict-data-strategy-division"]
    department = UNIT["kanagawa-ict-promotion-department"]
    bureau = UNIT["kanagawa-general-affairs-bureau"]
    assert g.value(division, ORG.unitOf) == department
    assert g.value(department, ORG.unitOf) == bureau
    assert g.value(bureau, ORG.unitOf) == KANAGAWA
    assert [_label(g, u, "ja") for u in (bureau, department, division)] == ["総務局", "ICT推進部", "ICT・データ戦略課"]
    assert g.value(division, JKG.establishedIn) == TIMEREF["2019-06"]
    assert g.value(division, DCTERMS.created) == Literal("2019-06", datatype=rns.XSD.gYearMonth)
    assert g.value(SOURCE["kanagawa-heading"], JKG.responsibleUnit) == division


@pytest.mark.parametrize(("post", "role"), [("kanagawa-cio", ROLE.cio), ("kanagawa-cdo", ROLE.cdo)])
def test_posts(asserted_graph: Graph, post: str, role: URIRef) -> None:
    g = asserted_graph
    p = POST[post]
    assert (p, RDF.type, ORG.Post) in g
    assert g.value(p, ORG.postIn) == KANAGAWA
    assert g.value(p, ORG.role) == role
    assert _label(g, p, "ja") and _label(g, p, "en")


# (figure, value, unit, approximate, approximation, asOf, figure type) from the report.
FIGURES = [
    ("kanagawa-notebook-pcs", 14000, "device", True, "about", None, "planned"),
    ("kanagawa-rpa-verification-operations", 2, "operation", False, None, "fy2018", "actual"),
    ("kanagawa-rpa-deployment-operations", 5, "operation", False, None, "fy2019", "planned"),
]


@pytest.mark.parametrize(("fig", "value", "unit", "approximate", "approximation", "as_of", "ftype"), FIGURES)
def test_figures(asserted_graph: Graph, fig, value, unit, approximate, approximation, as_of, ftype) -> None:
    g = asserted_graph
    f = FIGURE[fig]
    assert (f, RDF.type, JKG.Figure) in g
    v = g.value(f, SCHEMA.value)
    assert v.datatype in (rns.XSD.integer, rns.XSD.decimal)
    assert Decimal(str(v.toPython())) == value
    assert g.value(f, JKG.measurementUnit) == MEASURE[unit]
    assert g.value(f, JKG.approximate).toPython() is approximate
    assert g.value(f, JKG.approximation) == (_iri(APPROX, approximation) if approximation else None)
    assert g.value(f, JKG.asOf) == (TIMEREF[as_of] if as_of else None)
    assert g.value(f, JKG.figureType) == _iri(FIGTYPE, ftype)
    subject = g.value(f, JKG.figureOf)
    assert (subject, JKG.hasFigure, f) in g


def test_rpa_milestones(asserted_graph: Graph) -> None:
    g = asserted_graph
    rpa = INITIATIVE["kanagawa-rpa-full-deployment"]
    got = {(g.value(m, JKG.phase), g.value(m, JKG.when)) for m in g.objects(rpa, JKG.hasMilestone)}
    assert got == {
        (PHASE.verification, TIMEREF.fy2018),
        (PHASE.planned, TIMEREF.fy2019),
        (PHASE.planned, TIMEREF.fy2020),
    }
    assert (rpa, JKG.relatedInitiative, INITIATIVE["kanagawa-rpa-governance-standards"]) in g


def test_mobile_pc_uses_security_terms(asserted_graph: Graph) -> None:
    g = asserted_graph
    mobile = INITIATIVE["kanagawa-mobile-pc"]
    assert set(g.objects(mobile, JKG.usesTerm)) >= {
        GLOSSARY["lte-closed-network"], GLOSSARY["two-factor-authentication"], GLOSSARY.lgwan,
    }
    assert KIND["mobile-pc"] in set(g.objects(mobile, JKG.kind))
    (milestone,) = g.objects(mobile, JKG.hasMilestone)
    assert g.value(milestone, JKG.when) == TIMEREF["2021"]
    assert g.value(milestone, DCTERMS.date) == Literal("2021", datatype=rns.XSD.gYear)


def test_every_initiative_is_labelled_kinded_and_sourced(asserted_graph: Graph) -> None:
    g = asserted_graph
    initiatives = set().union(*(_entries(g, c) for c in (JKG.OverviewTableEntry, JKG.FlagshipCase, JKG.NarrativeInitiative)))
    assert len(initiatives) == 9
    for i in initiatives:
        assert _label(g, i, "ja") and _label(g, i, "en"), i
        assert any(g.objects(i, JKG.kind)), i
        locations = set(g.objects(i, PROV.wasDerivedFrom))
        assert any((loc, JKG.government, KANAGAWA) in g and (loc, RDF.type, JKG.ReportLocation) in g
                   for loc in locations), i


def test_every_project_iri_in_the_file_is_labelled(asserted_graph: Graph, project_root) -> None:
    own = Graph().parse(project_root / "data" / "gov" / "kanagawa.ttl", format="turtle")
    iris = {t for triple in own for t in triple if isinstance(t, URIRef) and str(t).startswith(str(ID))}
    missing = sorted(i for i in iris if (i, RDFS.label, None) not in asserted_graph)
    assert missing == []


def test_no_partner_is_named(asserted_graph: Graph) -> None:
    """The Kanagawa chapter names no outside partner, so none may be attached."""
    g = asserted_graph
    initiatives = set().union(*(_entries(g, c) for c in (JKG.OverviewTableEntry, JKG.FlagshipCase, JKG.NarrativeInitiative)))
    assert [p for i in initiatives for p in g.objects(i, JKG.partner)] == []


def test_division_setup_is_an_activity_carried_out(asserted_graph: Graph) -> None:
    # 「ICT・データ戦略課の設置(2019年6月)」: setting up a body is something done in a month
    # (phase:conducted), not the deployment of a measure.
    g = asserted_graph
    entry = INITIATIVE["kanagawa-ict-data-strategy-division"]
    got = {(g.value(m, JKG.phase), g.value(m, JKG.when)) for m in g.objects(entry, JKG.hasMilestone)}
    assert got == {(PHASE.conducted, TIMEREF["2019-06"])}
