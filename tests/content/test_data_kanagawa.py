"""Kanagawa Prefecture data, checked against chapter 1 of the report.

Every expected value below was read off the report text (narrative, overview table,
footnotes 1-5), not taken from the data file, so a wrong or missing triple fails.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rns
from rdflib.namespace import DCTERMS, RDF, RDFS

from jichitai_kg.namespaces import SCHEMA

pytest.register_assert_rewrite("datahelpers")
from datahelpers import (  # noqa: E402
    iri,
    lang_label,
    milestones,
    ordered_pillar_labels,
)
from jichitai_kg.namespaces import (
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
)

KANAGAWA = GOV.kanagawa
LAW = URIRef(str(ID) + "law/public-private-data-act")
STATUS = URIRef(str(ID) + "adoption-status/")


def test_plan(asserted_graph: Graph) -> None:
    g = asserted_graph
    p = PLAN["kanagawa-ict-data-plan"]
    assert (p, RDF.type, JKG.Plan) in g
    assert g.value(p, JKG.government) == KANAGAWA
    assert lang_label(g, p, "ja") == "かながわICT・データ利活用推進計画"
    assert g.value(p, JKG.adoptedIn) == TIMEREF["2019-07"]
    assert g.value(p, DCTERMS.issued) == Literal("2019-07", datatype=rns.XSD.gYearMonth)
    assert g.value(p, JKG.adoptionStatus) == iri(STATUS, "adopted")
    assert g.value(p, JKG.legalBasis) == LAW
    # 計画期間4年: only the length is printed.
    period = g.value(p, JKG.period)
    assert g.value(period, rns.TIME.hasXSDDuration) == Literal("P4Y", datatype=rns.XSD.duration)
    assert g.value(period, JKG.startDate) is None
    assert ordered_pillar_labels(g, p) == ["くらしの情報化", "行政の情報化"]


def test_law(asserted_graph: Graph) -> None:
    g = asserted_graph
    assert (LAW, RDF.type, JKG.Law) in g
    assert lang_label(g, LAW, "ja") == "官民データ活用推進基本法"
    assert (LAW, RDFS.seeAlso, URIRef("https://laws.e-gov.go.jp/law/428AC1000000103")) in g
    assert (LAW, SCHEMA.subjectOf, SOURCE["footnote-1"]) in g


@pytest.mark.parametrize(("post", "role"), [("kanagawa-cio", ROLE.cio), ("kanagawa-cdo", ROLE.cdo)])
def test_posts(asserted_graph: Graph, post: str, role: URIRef) -> None:
    g = asserted_graph
    p = POST[post]
    assert (p, RDF.type, ORG.Post) in g
    assert g.value(p, ORG.postIn) == KANAGAWA
    assert g.value(p, ORG.role) == role
    assert lang_label(g, p, "ja") and lang_label(g, p, "en")


def test_rpa_milestones(asserted_graph: Graph) -> None:
    g = asserted_graph
    rpa = INITIATIVE["kanagawa-rpa-full-deployment"]
    assert milestones(g, rpa) == {
        (PHASE.verification, TIMEREF.fy2018),
        (PHASE.planned, TIMEREF.fy2019),
        (PHASE.planned, TIMEREF.fy2020),
    }
    assert (rpa, JKG.relatedInitiative, INITIATIVE["kanagawa-rpa-governance-standards"]) in g


def test_rpa_narrative_and_table_dates_kept_apart(asserted_graph: Graph) -> None:
    """Narrative ¶5 plans full deployment within FY2019; table flagship 1 plans preparation in FY2019
    and operation from FY2020. Both are kept, each citing only its own location, with a note."""
    g = asserted_graph
    narrative = EVENT["kanagawa-rpa-full-deployment-fy2019"]
    preparation = EVENT["kanagawa-rpa-deployment-preparation-fy2019"]
    start = EVENT["kanagawa-rpa-operation-start-fy2020"]
    assert set(g.objects(narrative, SCHEMA.subjectOf)) == {SOURCE["kanagawa-narrative-5"]}
    assert set(g.objects(preparation, SCHEMA.subjectOf)) == {SOURCE["kanagawa-table-flagship-1"]}
    assert set(g.objects(start, SCHEMA.subjectOf)) == {SOURCE["kanagawa-table-flagship-1"]}
    notes = {str(n) for n in g.objects(INITIATIVE["kanagawa-rpa-full-deployment"], rns.SKOS.editorialNote)}
    assert any("disagree" in n for n in notes) and any("食い違う" in n for n in notes)


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


def test_division_setup_is_an_activity_carried_out(asserted_graph: Graph) -> None:
    # 「ICT・データ戦略課の設置(2019年6月)」: setting up a body is something done in a month
    # (phase:conducted), not the deployment of a measure.
    g = asserted_graph
    entry = INITIATIVE["kanagawa-ict-data-strategy-division"]
    assert milestones(g, entry) == {(PHASE.conducted, TIMEREF["2019-06"])}
