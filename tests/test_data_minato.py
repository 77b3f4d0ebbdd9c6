"""Minato City (東京都港区) data, checked against chapter 6 of the report.

Expected values were read off the report (heading, narrative, caption, footnote 10,
overview table), not from the data file, so a wrong, missing or invented triple fails.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rns
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS

from jichitai_kg.namespaces import (
    CATEGORY, FIGURE, GLOSSARY, GOV, GOVTYPE, ID, INITIATIVE, JKG, KIND, MEASURE, ORG,
    PHASE, PLAN, POST, ROLE, SAC, SCHEMA, SOURCE, TIMEREF, UNIT,
)

MINATO = GOV.minato
STATUS = URIRef(str(ID) + "adoption-status/")
FIGTYPE = URIRef(str(ID) + "figure-type/")
APPROX = URIRef(str(ID) + "approximation/")
PLANTYPE = URIRef(str(ID) + "plan-type/")
BACKGROUND = URIRef(str(ID) + "background/")


def _iri(ns: URIRef, local: str) -> URIRef:
    return URIRef(str(ns) + local)


def _label(g: Graph, s, lang: str) -> str | None:
    for o in g.objects(s, RDFS.label):
        if isinstance(o, Literal) and o.language == lang:
            return str(o)
    return None


def _initiatives(g: Graph, cls) -> set:
    return {s for s in g.subjects(RDF.type, cls) if (s, JKG.government, MINATO) in g}


def _all_initiatives(g: Graph) -> set:
    found = set()
    for cls in (JKG.OverviewTableEntry, JKG.FlagshipCase, JKG.NarrativeInitiative):
        found |= _initiatives(g, cls)
    return found


def test_government_identity(asserted_graph: Graph) -> None:
    g = asserted_graph
    assert (MINATO, RDF.type, JKG.LocalGovernment) in g
    assert g.value(MINATO, ORG.classification) == GOVTYPE["special-ward"]
    assert _label(g, MINATO, "ja") == "港区"
    assert _label(g, MINATO, "en") == "Minato City"
    assert (MINATO, SKOS.altLabel, Literal("東京都港区", lang="ja")) in g
    assert g.value(MINATO, JKG.dantaiCode) == Literal("131032")
    assert g.value(MINATO, DCTERMS.spatial) == SAC.C13103
    assert set(g.objects(MINATO, FOAF.page)) == {
        URIRef("https://www.city.minato.tokyo.jp/jouhoseisaku/kuse/johosesaku/index.html")
    }
    assert g.value(MINATO, JKG.order).toPython() == 6
    assert (MINATO, RDFS.seeAlso, None) not in g
    assert (MINATO, OWL.sameAs, None) not in g


# Bullets counted by hand in the Minato overview table: 3 / 1 / 2.
@pytest.mark.parametrize(
    ("category", "labels"),
    [
        ("culture", {"ICTリテラシー研修", "ICT展示会", "『ICT通信』"}),
        ("resources", {"ICTに関する人材育成と庁内適用可能性調査"}),
        ("information", {"組織改編", "CIO補佐官の設置"}),
    ],
)
def test_overview_table_rows(asserted_graph: Graph, category: str, labels: set[str]) -> None:
    g = asserted_graph
    in_row = {e for e in _initiatives(g, JKG.OverviewTableEntry) if (e, JKG.statedCategory, CATEGORY[category]) in g}
    assert {_label(g, e, "ja") for e in in_row} == labels


def test_overview_entries_have_exactly_one_stated_category(asserted_graph: Graph) -> None:
    g = asserted_graph
    entries = _initiatives(g, JKG.OverviewTableEntry)
    assert len(entries) == 6
    for e in entries:
        assert len(set(g.objects(e, JKG.statedCategory))) == 1, e


def test_flagship_cases(asserted_graph: Graph) -> None:
    g = asserted_graph
    assert {_label(g, e, "ja") for e in _initiatives(g, JKG.FlagshipCase)} == {
        "「港区AI元年」",
        "ICTの活用による業務の効率化",
    }


def test_every_initiative_is_labelled_kinded_and_sourced(asserted_graph: Graph) -> None:
    g = asserted_graph
    initiatives = _all_initiatives(g)
    # Every measure in the narrative also appears in the table, so none is narrative-only.
    assert _initiatives(g, JKG.NarrativeInitiative) == set()
    assert len(initiatives) == 8
    for i in initiatives:
        assert _label(g, i, "ja") and _label(g, i, "en"), i
        assert {d.language for d in g.objects(i, DCTERMS.description)} >= {"ja", "en"}, i
        assert set(g.objects(i, JKG.kind)), i
        sources = set(g.objects(i, PROV.wasDerivedFrom))
        assert any((s, JKG.government, MINATO) in g for s in sources), i


def test_no_partners_named(asserted_graph: Graph) -> None:
    """The chapter names no company, university or other body, so none may be linked."""
    g = asserted_graph
    for i in _all_initiatives(g):
        assert (i, JKG.partner, None) not in g, i


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
    assert _label(g, plan, "ja") == "港区情報化計画"
    assert g.value(plan, JKG.adoptedIn) == TIMEREF["2018-03"]
    assert g.value(plan, DCTERMS.issued) == Literal("2018-03", datatype=rns.XSD.gYearMonth)
    # 「全面的に見直した」: a revision, not a first adoption.
    assert g.value(plan, JKG.adoptionStatus) == _iri(STATUS, "revised")
    assert (plan, JKG.usesTerm, GLOSSARY.bpms) in g
    decl = PLAN["minato-workstyle-declaration"]
    assert _label(g, decl, "ja") == "みなとワークスタイル宣言"
    assert g.value(decl, DCTERMS.type) == _iri(PLANTYPE, "declaration")
    assert g.value(decl, JKG.adoptedIn) == TIMEREF["2017-07"]
    assert g.value(decl, DCTERMS.issued) == Literal("2017-07", datatype=rns.XSD.gYearMonth)


def test_units_rename_and_heading(asserted_graph: Graph) -> None:
    g = asserted_graph
    dept = UNIT["minato-general-affairs-department"]
    div = UNIT["minato-information-policy-division"]
    assert _label(g, dept, "ja") == "総務部"
    assert g.value(dept, ORG.unitOf) == MINATO
    assert _label(g, div, "ja") == "情報政策課"
    assert g.value(div, ORG.unitOf) == dept
    assert g.value(SOURCE["minato-heading"], JKG.responsibleUnit) == div
    rename = g.value(predicate=ORG.resultingOrganization, object=div)
    assert (rename, RDF.type, ORG.ChangeEvent) in g
    assert _label(g, g.value(rename, ORG.originalOrganization), "ja") == "区政情報課"
    assert g.value(rename, JKG.when) == TIMEREF.fy2016


def test_posts(asserted_graph: Graph) -> None:
    g = asserted_graph
    adviser = POST["minato-cio-adviser"]
    assert _label(g, adviser, "ja") == "CIO補佐官(情報政策監)"
    assert g.value(adviser, ORG.role) == ROLE["cio-adviser"]
    assert g.value(adviser, JKG.establishedIn) == TIMEREF.fy2013
    assert g.value(adviser, JKG.holderBackground) == _iri(BACKGROUND, "expert")
    assert g.value(adviser, ORG.heldBy) is not None
    officer = POST["minato-ict-promotion-officer"]
    assert _label(g, officer, "ja") == "ICT推進担当"
    assert g.value(officer, ORG.postIn) == UNIT["minato-information-policy-division"]
    assert g.value(officer, JKG.establishedIn) == TIMEREF.fy2016


# (figure, value, unit, approximation or None, asOf, figure type) read from the report.
FIGURES = [
    ("minato-rpa-hours-saved", 6000, MEASURE["hour-per-year"], "about", TIMEREF["2019-12"], "actual"),
    ("minato-rpa-hours-target-fy2019", 10000, MEASURE["hour-per-year"], "about", TIMEREF["2019-12"], "target"),
    ("minato-rpa-operations", 11, MEASURE.operation, None, TIMEREF["2019-12"], "actual"),
    ("minato-ai-operations", 5, MEASURE.operation, None, TIMEREF["2019-12"], "actual"),
    ("minato-ict-exhibition-participants-fy2019", 178, MEASURE.person, None, TIMEREF.fy2019, "actual"),
    ("minato-ai-fields", 5, MEASURE.field, None, None, "actual"),
    ("minato-plan-measure-count", 27, MEASURE["measure-item"], None, None, "actual"),
]


@pytest.mark.parametrize(("local", "value", "unit", "approx", "as_of", "ftype"), FIGURES)
def test_figures(asserted_graph: Graph, local, value, unit, approx, as_of, ftype) -> None:
    g = asserted_graph
    f = FIGURE[local]
    assert (f, RDF.type, JKG.Figure) in g
    v = g.value(f, SCHEMA.value)
    assert v.toPython() == value and v.datatype == rns.XSD.integer
    assert g.value(f, JKG.measurementUnit) == unit
    assert g.value(f, JKG.approximate).toPython() is (approx is not None)
    assert g.value(f, JKG.approximation) == (_iri(APPROX, approx) if approx else None)
    assert g.value(f, JKG.asOf) == as_of
    assert g.value(f, JKG.figureType) == _iri(FIGTYPE, ftype)
    subject = g.value(f, JKG.figureOf)
    assert (subject, JKG.hasFigure, f) in g


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
    assert _label(g, part, "ja") and _label(g, part, "en")
    assert {d.language for d in g.objects(part, DCTERMS.description)} >= {"ja", "en"}
    assert {_local(k) for k in g.objects(part, JKG.kind)} == kinds
    assert kinds <= {_local(k) for k in g.objects(flagship, JKG.kind)}
    got = {g.value(m, DCTERMS.date) for m in g.objects(part, JKG.hasMilestone)}
    assert got == {None if d is None else Literal(d, datatype=rns.XSD.gYearMonth) for d in dates}
    assert set(g.objects(part, PROV.wasDerivedFrom)) & set(g.objects(flagship, PROV.wasDerivedFrom))


def test_flagships_hold_only_their_components(asserted_graph: Graph) -> None:
    """The bundles keep their kinds and sources, but dates and figures live in the parts."""
    g = asserted_graph
    assert {_local(i) for i in _initiatives(g, JKG.Initiative)} == set(COMPONENTS)
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
    locations = {s for s in g.subjects(RDF.type, JKG.ReportLocation) if (s, JKG.government, MINATO) in g}
    paragraphs = {g.value(s, JKG.paragraphNumber).toPython() for s in locations if g.value(s, JKG.paragraphNumber)}
    assert paragraphs == {1, 2, 3, 4, 5, 6}
    bullets = {s for s in locations if g.value(s, JKG.bulletNumber) is not None}
    assert len(bullets) == 2 + 3 + 1 + 2
    for s in locations:
        assert _label(g, s, "ja") and _label(g, s, "en"), s
        assert g.value(s, DCTERMS.isPartOf) == SOURCE.report


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
