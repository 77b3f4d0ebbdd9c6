"""Saitama Prefecture data, checked against chapter 4 of the report.

Every expected value below was read off the report text (narrative and overview
table; the chapter has no footnotes), not taken from the data file, so a wrong or
missing triple fails.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rns
from rdflib.namespace import DCTERMS, RDF

from jichitai_kg.namespaces import SCHEMA

pytest.register_assert_rewrite("datahelpers")
from datahelpers import (  # noqa: E402
    entries,
    iri,
    lang_label,
    milestones,
    ordered_pillar_labels,
)
from jichitai_kg.namespaces import (
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
    TIMEREF,
    UNIT,
)

SAITAMA = GOV.saitama
STATUS = URIRef(str(ID) + "adoption-status/")
PLANTYPE = URIRef(str(ID) + "plan-type/")


def test_plan(asserted_graph: Graph) -> None:
    g = asserted_graph
    p = PLAN["saitama-ict-action-plan-2017-2019"]
    assert (p, RDF.type, JKG.Plan) in g
    assert g.value(p, JKG.government) == SAITAMA
    assert lang_label(g, p, "ja") == "埼玉県ICT推進アクションプラン2017-2019"
    assert g.value(p, JKG.planType) == iri(PLANTYPE, "action-plan")
    assert g.value(p, JKG.adoptedIn) == TIMEREF["2017-04"]
    assert g.value(p, DCTERMS.issued) == Literal("2017-04", datatype=rns.XSD.gYearMonth)
    assert g.value(p, JKG.adoptionStatus) == iri(STATUS, "adopted")
    # 「2017-2019」「3年間」 from its adoption in 2017年4月: fiscal years 2017-2019.
    period = g.value(p, JKG.period)
    assert g.value(period, rns.TIME.hasXSDDuration) == Literal("P3Y", datatype=rns.XSD.duration)
    assert str(g.value(period, JKG.startDate)) == "2017-04-01"
    assert str(g.value(period, JKG.endDate)) == "2020-03-31"
    assert g.value(period, rns.TIME.intervalFinishedBy) == TIMEREF["fy2019"]
    assert ordered_pillar_labels(g, p) == [
        "利便性の高い県民サービスの提供", "新たな事業展開への支援", "効率的で効果的な行政運営",
    ]


def test_smart_office_council(asserted_graph: Graph) -> None:
    g = asserted_graph
    council = UNIT["saitama-smart-prefectural-office-council"]
    assert (council, RDF.type, JKG.CrossDepartmentalBody) in g
    assert lang_label(g, council, "ja") == "スマート県庁推進会議"
    assert g.value(council, JKG.establishedIn) == TIMEREF["2019-06"]
    assert g.value(council, DCTERMS.created) == Literal("2019-06", datatype=rns.XSD.gYearMonth)
    head = g.value(council, JKG.headPost)
    assert g.value(head, ORG.role) == ROLE["deputy-governor"]
    assert lang_label(g, head, "ja") == "副知事"


# (post, ja label, role, unit it sits in, established)
POSTS = [
    ("saitama-kikakukan", "企画幹", ROLE["planning-director"], UNIT["saitama-planning-finance-department"], TIMEREF.fy2019),
    ("saitama-ai-promotion-officer", "AI推進担当", ROLE["staff-in-charge"], UNIT["saitama-reform-promotion-division"], TIMEREF.fy2019),
    ("saitama-governor", "知事", ROLE.governor, SAITAMA, None),
    ("saitama-vice-governor", "副知事", ROLE["deputy-governor"], SAITAMA, None),
    ("saitama-deputy-director-general", "副部長", ROLE["deputy-director-general"], SAITAMA, None),
]


@pytest.mark.parametrize(("post", "label", "role", "unit", "established"), POSTS)
def test_posts(asserted_graph: Graph, post, label, role, unit, established) -> None:
    g = asserted_graph
    p = POST[post]
    assert (p, RDF.type, ORG.Post) in g
    assert lang_label(g, p, "ja") == label
    assert lang_label(g, p, "en")
    assert g.value(p, ORG.role) == role
    assert g.value(p, ORG.postIn) == unit
    assert g.value(p, JKG.establishedIn) == established


def test_rpa_milestones(asserted_graph: Graph) -> None:
    g = asserted_graph
    rpa = INITIATIVE["saitama-rpa"]
    assert milestones(g, rpa) == {(PHASE.pilot, TIMEREF.fy2018), (PHASE.expansion, TIMEREF.fy2019)}
    assert (rpa, JKG.relatedInitiative, INITIATIVE["saitama-rpa-survey"]) in g
    assert GLOSSARY.rpa in set(g.objects(rpa, JKG.usesTerm))


def test_chatbot_went_live_october_2018(asserted_graph: Graph) -> None:
    g = asserted_graph
    concierge = INITIATIVE["saitama-concierge"]
    assert KIND["ai-chatbot"] in set(g.objects(concierge, JKG.kind))
    milestones = {g.value(m, JKG.phase): m for m in g.objects(concierge, JKG.hasMilestone)}
    live = milestones[PHASE["full-deployment"]]
    assert g.value(live, JKG.when) == TIMEREF["2018-10"]
    assert g.value(live, DCTERMS.date) == Literal("2018-10", datatype=rns.XSD.gYearMonth)
    # 「2019年度からは…開発を行っている」: under way, not merely planned.
    assert PHASE.planned not in milestones
    assert g.value(milestones[PHASE["in-development"]], JKG.when) == TIMEREF.fy2019


def test_narrative_only_initiatives(asserted_graph: Graph) -> None:
    g = asserted_graph
    kinds = {k for i in entries(g, JKG.NarrativeInitiative, SAITAMA) for k in g.objects(i, JKG.kind)}
    # Paragraph 4: AI-OCR and speech-to-text appear only in the narrative.
    assert {KIND["ai-ocr"], KIND["speech-recognition"]} <= kinds
    assert len(entries(g, JKG.NarrativeInitiative, SAITAMA)) == 3


def test_one_proposal_per_division_is_a_name_not_a_quota(asserted_graph: Graph) -> None:
    # 210 proposals came from (most of) 133 divisions, so 「1課1提案」 is the call's name;
    # the data must not say each division was limited to one idea.
    g = asserted_graph
    entry = INITIATIVE["saitama-top-down"]
    for d in g.objects(entry, DCTERMS.description):
        assert "1件ずつ" not in str(d) and "one AI project idea" not in str(d), d
    figures = {g.value(f, SCHEMA.value).toPython()
               for m in g.objects(entry, JKG.hasMilestone) for f in g.objects(m, JKG.hasFigure)}
    assert figures == {133, 210}
