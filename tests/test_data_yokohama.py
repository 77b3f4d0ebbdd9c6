"""City of Yokohama data, checked against chapter 8 of the report.

Every expected value below was read off the report text (narrative, overview table,
footnote 12), not taken from the data file, so a wrong or missing triple fails.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rns
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS

from jichitai_kg.namespaces import (
    CATEGORY, EVENT, FIGURE, GLOSSARY, GOV, GOVTYPE, ID, INITIATIVE, JKG, KIND, MEASURE, ORG,
    PHASE, PLAN, SAC, SCHEMA, SOURCE, TIMEREF, UNIT, WD,
)

YOKOHAMA = GOV.yokohama
REFERENCE_PAGE = URIRef(
    "https://www.city.yokohama.lg.jp/city-info/yokohamashi/org/somu/shiki-gyomu/gyousei-jyohou.html"
)
APPROX = str(ID) + "approximation/"
FIGTYPE = str(ID) + "figure-type/"
STATUS = str(ID) + "adoption-status/"
PLANTYPE = str(ID) + "plan-type/"


def _label(g: Graph, s, lang: str) -> str | None:
    for o in g.objects(s, RDFS.label):
        if isinstance(o, Literal) and o.language == lang:
            return str(o)
    return None


def _entries(g: Graph, cls) -> set:
    return {s for s in g.subjects(RDF.type, cls) if (s, JKG.government, YOKOHAMA) in g}


def _all_initiatives(g: Graph) -> set:
    return set().union(*(_entries(g, c) for c in (JKG.OverviewTableEntry, JKG.FlagshipCase, JKG.NarrativeInitiative)))


def _ordered_pillars(g: Graph, plan) -> list[str | None]:
    pillars = sorted(g.objects(plan, JKG.pillar), key=lambda x: g.value(x, JKG.order).toPython())
    assert all(_label(g, x, "en") for x in pillars)
    return [_label(g, x, "ja") for x in pillars]


def test_government_identity(asserted_graph: Graph) -> None:
    g = asserted_graph
    assert (YOKOHAMA, RDF.type, JKG.LocalGovernment) in g
    assert g.value(YOKOHAMA, ORG.classification) == GOVTYPE["designated-city"]
    assert _label(g, YOKOHAMA, "ja") == "横浜市"
    assert _label(g, YOKOHAMA, "en") == "City of Yokohama"
    assert g.value(YOKOHAMA, JKG.dantaiCode) == Literal("141003")
    assert g.value(YOKOHAMA, DCTERMS.spatial) == SAC.C14100
    assert set(g.objects(YOKOHAMA, FOAF.page)) == {REFERENCE_PAGE}
    assert g.value(YOKOHAMA, JKG.order).toPython() == 8
    assert (YOKOHAMA, RDFS.seeAlso, WD.Q38283) in g
    assert (YOKOHAMA, OWL.sameAs, None) not in g


# Bullets counted by hand in the Yokohama overview table: the 組織文化 row has no bullet,
# only a note pointing to the training listed under 資源.
@pytest.mark.parametrize(
    ("category", "labels"),
    [
        ("culture", set()),
        ("resources", {"ICT関連分野の各種研修実施", "ICTに関する人材育成プランの策定"}),
        ("information", {"ICT調達統制担当部門の設置", "RPA導入・運用ガイドラインの策定"}),
    ],
)
def test_overview_table_rows(asserted_graph: Graph, category: str, labels: set[str]) -> None:
    g = asserted_graph
    in_row = {e for e in _entries(g, JKG.OverviewTableEntry) if (e, JKG.statedCategory, CATEGORY[category]) in g}
    assert {_label(g, e, "ja") for e in in_row} == labels


def test_overview_entries_have_exactly_one_stated_category(asserted_graph: Graph) -> None:
    g = asserted_graph
    entries = _entries(g, JKG.OverviewTableEntry)
    assert len(entries) == 4
    for e in entries:
        assert len(set(g.objects(e, JKG.statedCategory))) == 1, e


def test_culture_row_note_is_recorded_without_a_bullet(asserted_graph: Graph) -> None:
    g = asserted_graph
    note = SOURCE["yokohama-table-culture-note"]
    assert g.value(note, JKG.tableRow) == URIRef(str(ID) + "table-row/culture")
    assert g.value(note, JKG.bulletNumber) is None
    assert (INITIATIVE["yokohama-ict-training"], PROV.wasDerivedFrom, note) in g


def test_flagship_cases(asserted_graph: Graph) -> None:
    g = asserted_graph
    labels = {_label(g, e, "ja") for e in _entries(g, JKG.FlagshipCase)}
    assert labels == {"RPAの試行運用", "チャットボットの本格運用"}
    chatbot = INITIATIVE["yokohama-garbage-sorting-chatbot"]
    assert Literal("イーオのごみ分別案内", lang="ja") in set(g.objects(chatbot, rns.SKOS.altLabel))
    assert KIND["ai-chatbot"] in set(g.objects(chatbot, JKG.kind))
    (m,) = g.objects(chatbot, JKG.hasMilestone)
    assert g.value(m, JKG.when) == TIMEREF["2018-04"]
    assert g.value(m, DCTERMS.date) == Literal("2018-04", datatype=rns.XSD.gYearMonth)


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
    g = asserted_graph
    p = PLAN[plan]
    assert (p, RDF.type, JKG.Plan) in g
    assert g.value(p, JKG.government) == YOKOHAMA
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
    assert _ordered_pillars(asserted_graph, PLAN["yokohama-informatization-vision"]) == [
        "安全で安心できる豊かな市民生活",
        "コスト縮減と信頼され効率的な行政運営",
        "活力ある都市横浜",
        "地球にやさしい環境",
    ]


def test_action_plan_goals_under_pillar_two(asserted_graph: Graph) -> None:
    g = asserted_graph
    plan = PLAN["yokohama-action-plan"]
    assert _ordered_pillars(g, plan) == [
        "ICTを活用した業務の効率化・働き方改革",
        "データを重視した政策形成の推進",
        "情報セキュリティの強化・充実",
        "情報システムの全体最適化の推進",
        "ICTに関わる先端技術の積極的な活用検討",
    ]
    for goal in g.objects(plan, JKG.pillar):
        assert g.value(goal, DCTERMS.isPartOf) == PLAN["yokohama-informatization-vision-pillar-2"]


def test_data_plan_pillars(asserted_graph: Graph) -> None:
    assert _ordered_pillars(asserted_graph, PLAN["yokohama-public-private-data-plan"]) == [
        "効果的かつ効率的な市政運営",
        "市内経済の活性化",
        "市民が安全で安心して暮らせる快適な生活環境の実現",
    ]


def test_author_unit_chain(asserted_graph: Graph) -> None:
    g = asserted_graph
    division = UNIT["yokohama-administrative-information-management-division"]
    bureau = UNIT["yokohama-general-affairs-bureau"]
    assert g.value(division, ORG.unitOf) == bureau
    assert g.value(bureau, ORG.unitOf) == YOKOHAMA
    assert [_label(g, u, "ja") for u in (bureau, division)] == ["総務局", "行政・情報マネジメント課"]
    assert g.value(SOURCE["yokohama-heading"], JKG.responsibleUnit) == division


def test_procurement_control_section(asserted_graph: Graph) -> None:
    g = asserted_graph
    section = UNIT["yokohama-ict-procurement-control-section"]
    assert _label(g, section, "ja") == "ICT調達統制担当部門"
    assert Literal("ICT調達統制部門", lang="ja") in set(g.objects(section, rns.SKOS.altLabel))
    assert g.value(section, JKG.establishedIn) == TIMEREF.fy2018
    entry = INITIATIVE["yokohama-ict-procurement-control"]
    assert g.value(entry, JKG.responsibleUnit) == section
    assert {KIND["dedicated-unit"], KIND["budget-review"]} <= set(g.objects(entry, JKG.kind))


# (figure, value, unit, approximate, approximation, asOf, figure type) from the report.
# The chapter has only these four numbers besides dates.
FIGURES = [
    ("yokohama-vision-pillars", 4, "pillar", False, None, None, "actual"),
    ("yokohama-action-plan-goals", 5, "pillar", False, None, None, "actual"),
    ("yokohama-action-plan-cycle", 4, "year", False, None, None, "actual"),
    ("yokohama-max-years-in-one-unit", 10, "year", False, None, None, "upper-limit"),
]


@pytest.mark.parametrize(("fig", "value", "unit", "approximate", "approximation", "as_of", "ftype"), FIGURES)
def test_figures(asserted_graph: Graph, fig, value, unit, approximate, approximation, as_of, ftype) -> None:
    g = asserted_graph
    f = FIGURE[fig]
    assert (f, RDF.type, JKG.Figure) in g
    assert g.value(f, JKG.government) == YOKOHAMA
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
    rpa = INITIATIVE["yokohama-rpa-trial-operation"]
    got = {(g.value(m, JKG.phase), g.value(m, JKG.when)) for m in g.objects(rpa, JKG.hasMilestone)}
    assert got == {(PHASE.verification, TIMEREF.fy2018), (PHASE.pilot, TIMEREF.fy2019)}
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
    assert (training, PROV.wasDerivedFrom, SOURCE["footnote-12"]) in g


def test_no_partner_is_named(asserted_graph: Graph) -> None:
    """The Yokohama chapter names no company, university or other outside body."""
    g = asserted_graph
    assert [(i, p) for i in _all_initiatives(g) for p in g.objects(i, JKG.partner)] == []


def test_every_initiative_is_labelled_kinded_and_sourced(asserted_graph: Graph) -> None:
    g = asserted_graph
    initiatives = _all_initiatives(g)
    assert len(initiatives) == 8
    assert len(_entries(g, JKG.NarrativeInitiative)) == 2
    for i in initiatives:
        assert _label(g, i, "ja") and _label(g, i, "en"), i
        assert any(g.objects(i, JKG.kind)), i
        assert {d.language for d in g.objects(i, DCTERMS.description)} >= {"ja", "en"}, i
        locations = set(g.objects(i, PROV.wasDerivedFrom))
        assert any((loc, JKG.government, YOKOHAMA) in g and (loc, RDF.type, JKG.ReportLocation) in g
                   for loc in locations), i


def test_report_locations(asserted_graph: Graph) -> None:
    g = asserted_graph
    locs = {s for s in g.subjects(JKG.government, YOKOHAMA) if (s, RDF.type, JKG.ReportLocation) in g}
    # heading + 6 paragraphs + plan row + 2 flagship + culture note + 4 category bullets + reference
    assert len(locs - {SOURCE["footnote-12"]}) == 16
    assert g.value(SOURCE["yokohama-table-information-2"], JKG.bulletNumber).toPython() == 2
    assert set(g.objects(SOURCE["yokohama-table-reference"], FOAF.page)) == {REFERENCE_PAGE}


def test_every_project_iri_in_the_file_is_labelled(asserted_graph: Graph, project_root) -> None:
    own = Graph().parse(project_root / "data" / "gov" / "yokohama.ttl", format="turtle")
    iris = {t for triple in own for t in triple if isinstance(t, URIRef) and str(t).startswith(str(ID))}
    missing = sorted(i for i in iris if (i, RDFS.label, None) not in asserted_graph)
    assert missing == []
