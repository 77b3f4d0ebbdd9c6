"""OWL 2 RL entailments on the real data, the noise filter, and native == owlrl.

Expected classifications come from the report's overview tables (see the
comments); IRIs follow docs/conventions.md as used in data/gov/*.ttl.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS

from jichitai_kg import reasoning
from jichitai_kg.namespaces import AGENT, CATEGORY, GOV, INITIATIVE, JKG, KIND, ORG, PARTNER, UNIT
from jichitai_kg.reasoning import noise
from jichitai_kg.reasoning.terms import nt

ROOT = Path(__file__).resolve().parents[2]


def _load(files) -> Graph:
    g = Graph()
    for f in files:
        g.parse(f, format="turtle")
    return g


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return _load(f for f in sorted((ROOT / "ontology").glob("*.ttl")) if f.name != "shapes.ttl")


@pytest.fixture(scope="module")
def data() -> Graph:
    return _load(sorted((ROOT / "data").rglob("*.ttl")))


@pytest.fixture(scope="module")
def reference(ontology, data) -> reasoning.Materialization:
    """owlrl's filtered closure: the reference every other assertion is checked against."""
    return reasoning.materialize(ontology, data, engine="owlrl")


@pytest.fixture(scope="module")
def inferred(reference) -> Graph:
    return reference.inferred


# --- category classes ----------------------------------------------------------

@pytest.mark.parametrize("initiative, cls", [
    # 神奈川県 情報力・組織体制: 「CDOの設置」, 「ICT・データ戦略課の設置(2019年6月)」
    ("kanagawa-cdo-appointment", "InformationCapabilityInitiative"),
    ("kanagawa-ict-data-strategy-division", "InformationCapabilityInitiative"),
    # 神奈川県 資源: 「ICT分野における人材モデルとキャリアパスの構築」 (people)
    ("kanagawa-ict-career-path", "HumanResourceInitiative"),
    ("kanagawa-ict-career-path", "ResourceConstraintInitiative"),
    # 埼玉県 資源: 「予算重点枠の設定」 (money) → also 資源制約 via skos:broader
    ("saitama-budget-priority", "FinancialResourceInitiative"),
    ("saitama-budget-priority", "ResourceConstraintInitiative"),
    # 京都府 資源: 「ICT利用の最適化」 (budget review by 情報政策課) is money
    ("kyoto-ict-use-optimization", "FinancialResourceInitiative"),
    # 京都府 資源: 「民間企業への派遣」 (secondment) is people
    ("kyoto-secondment-to-companies", "HumanResourceInitiative"),
    # 港区 組織文化: 『ICT通信』 (newsletter), 「ICT展示会」
    ("minato-ict-newsletter", "OrganizationalCultureInitiative"),
    ("minato-ict-exhibition", "OrganizationalCultureInitiative"),
    # 埼玉県 組織文化: 「トップダウンによる取組」
    ("saitama-top-down", "OrganizationalCultureInitiative"),
    # every classified initiative is a CategorisedInitiative
    ("kanagawa-cdo-appointment", "CategorisedInitiative"),
])
def test_initiative_lands_in_category_class(inferred, initiative, cls):
    assert (INITIATIVE[initiative], RDF.type, JKG[cls]) in inferred


def test_tsukuba_training_is_stated_culture_but_derived_people(data, inferred):
    """つくば市「職層ごとのデータ利活用研修」 sits in the 組織文化 row but is training."""
    i = INITIATIVE["tsukuba-data-training-by-job-level"]
    assert (i, JKG.statedCategory, CATEGORY.culture) in data
    assert (i, JKG.derivedCategory, CATEGORY["resources-people"]) in inferred
    assert (i, JKG.derivedCategory, CATEGORY["resources-people"]) not in data
    for cls in ("OrganizationalCultureInitiative", "HumanResourceInitiative", "ResourceConstraintInitiative"):
        assert (i, RDF.type, JKG[cls]) in inferred, cls
    # the derived category is only the facet; 資源制約 comes from the chain over skos:broader
    assert (i, JKG.inCategory, CATEGORY.resources) in inferred


@pytest.mark.parametrize("initiative, stated, derived_extra", [
    # 港区 組織文化「ICTリテラシー研修」: training → 資源制約（人材）
    ("minato-ict-literacy-training", "culture", "resources-people"),
    # 鎌倉市 組織文化「ICT取組に係る説明会や研修の実施」: training → 資源制約（人材）
    ("kamakura-ict-briefings-training", "culture", "resources-people"),
    # 徳島県 情報力・組織体制「CIO(最高情報統括監)の設置」: an ICT expert from the private sector → people
    ("tokushima-cio", "information", "resources-people"),
    # 京都府 情報力・組織体制「働き方改革プロジェクト・チーム」: the narrative calls 働き方改革 組織文化
    ("kyoto-workstyle-reform-pt", "information", "culture"),
])
def test_stated_and_derived_categories_both_kept(data, inferred, initiative, stated, derived_extra):
    i = INITIATIVE[initiative]
    assert (i, JKG.statedCategory, CATEGORY[stated]) in data
    assert (i, JKG.derivedCategory, CATEGORY[derived_extra]) in inferred
    assert (i, JKG.inCategory, CATEGORY[stated]) in inferred


def test_kind_axiom_applies_to_narrower_kinds(inferred):
    """kind:ai-chatbot ⊑ kind:ai ⊑ kind:technology: kindOrBroader climbs the taxonomy."""
    i = INITIATIVE["kanagawa-ai-service-verification"]
    assert (i, JKG.kindOrBroader, KIND.ai) in inferred
    assert (i, JKG.kindOrBroader, KIND.technology) in inferred
    # training ⊑ people, so the people axiom fires for a training bullet
    assert (INITIATIVE["yokohama-ict-training"], RDF.type, JKG.PeopleMeasure) in inferred


def test_flagship_rpa_gets_no_category(inferred):
    """RPA is technology; no axiom files technology under a success factor."""
    i = INITIATIVE["kanagawa-rpa-full-deployment"]
    assert not list(inferred.objects(i, JKG.inCategory))


# --- organizations, posts, domains ----------------------------------------------

def test_kanagawa_unit_hierarchy_is_transitive(inferred):
    """ICT・データ戦略課 ⊂ ICT推進部 ⊂ 総務局 ⊂ 神奈川県 (report heading)."""
    division = UNIT["kanagawa-ict-data-strategy-division"]
    for parent in (UNIT["kanagawa-ict-promotion-department"], UNIT["kanagawa-general-affairs-bureau"],
                   GOV.kanagawa):
        assert (division, ORG.transitiveSubOrganizationOf, parent) in inferred, parent
    assert (GOV.kanagawa, ORG.hasSubOrganization, UNIT["kanagawa-general-affairs-bureau"]) in inferred
    # a division within a department is org:subOrganizationOf it (org:unitOf's range is a
    # FormalOrganization, so only the government's own units are org:unitOf it)
    assert (UNIT["kanagawa-ict-promotion-department"], ORG.hasSubOrganization, division) in inferred


def test_post_holder_is_member_of_the_government(inferred):
    """徳島県's CIO (最高情報統括監) is held by a private-sector expert: a member of 徳島県."""
    assert (AGENT["tokushima-cio-holder"], ORG.memberOf, GOV.tokushima) in inferred


def test_domain_typing_and_inverses(inferred):
    i = INITIATIVE["kanagawa-cdo-appointment"]
    assert (i, RDF.type, JKG.Initiative) in inferred  # OverviewTableEntry ⊑ Initiative
    assert (i, RDF.type, PROV.Activity) in inferred  # Initiative ⊑ prov:Activity
    assert (GOV.kanagawa, JKG.governmentOf, i) in inferred  # inverse of jkg:government


def test_government_works_with_partner(inferred):
    """鎌倉市 joined the パブリテックシティネットワーク: jkg:worksWith via the chain."""
    assert (GOV.kamakura, JKG.worksWith, PARTNER["publitech-city-network"]) in inferred


def test_subclass_closure_of_project_classes(inferred):
    assert (JKG.HumanResourceInitiative, RDFS.subClassOf, JKG.Initiative) in inferred
    assert (JKG.LocalGovernment, RDFS.subClassOf, ORG.Organization) in inferred


# --- the filter ----------------------------------------------------------------

def test_inferred_graph_has_no_noise(reference, ontology, data):
    g = reference.inferred
    schema_bnodes = noise.schema_blank_nodes(ontology)
    for s, p, o in g:
        assert not isinstance(s, Literal), (s, p, o)
        assert not str(s).startswith(noise.BUILTIN_NAMESPACES), (s, p, o)
        assert not (p == OWL.sameAs and s == o), (s, p, o)
        assert not (s == o and p in noise.REFLEXIVE_NOISE), (s, p, o)
        assert o not in (OWL.Thing, RDFS.Resource), (s, p, o)
        assert not (p == RDF.type and str(o).startswith(noise.BUILTIN_NAMESPACES)), (s, p, o)
        assert nt(s) not in schema_bnodes and nt(o) not in schema_bnodes, (s, p, o)
        assert (s, p, o) not in data and (s, p, o) not in ontology, (s, p, o)
        assert not str(p).startswith(reasoning.ERRNS)


def test_counts_add_up(reference, ontology, data):
    assert reference.kept == len(reference.inferred) > 0
    assert reference.dropped == sum(reference.dropped_by_reason.values())
    assert reference.asserted == len(ontology + data)
    # owlrl's typical noise is really there and really dropped
    for reason in ("reflexive", "top-class", "builtin-subject", "literal-subject"):
        assert reference.dropped_by_reason.get(reason, 0) > 0, reason


def test_real_data_is_consistent(reference):
    assert reference.inconsistencies == []


# --- the native engine -------------------------------------------------------------

@pytest.mark.parametrize("engine", ["native"])
def test_native_engine_gives_exactly_the_owlrl_filtered_closure(ontology, data, reference, engine):
    fast = reasoning.materialize(ontology, data, engine=engine)
    only_owlrl = set(reference.inferred) - set(fast.inferred)
    only_fast = set(fast.inferred) - set(reference.inferred)
    assert not only_owlrl and not only_fast, (sorted(only_owlrl)[:10], sorted(only_fast)[:10])
    assert fast.inconsistencies == reference.inconsistencies
    assert fast.kept == reference.kept


def _tiny(ontology, extra_ttl: str) -> Graph:
    g = Graph()
    g.parse(data="@prefix jkg: <https://w3id.org/jichitai-kg/ontology#> .\n"
                 "@prefix ex: <https://example.org/> .\n" + extra_ttl, format="turtle")
    return g


@pytest.mark.parametrize("engine", reasoning.ENGINES)
def test_disjointness_violation_is_reported_naming_the_resource(ontology, engine):
    data = _tiny(ontology, "ex:both a jkg:OverviewTableEntry , jkg:FlagshipCase .")
    result = reasoning.materialize(ontology, data, engine=engine)
    assert len(result.inconsistencies) == 1
    message = result.inconsistencies[0]
    assert "https://example.org/both" in message
    assert "OverviewTableEntry" in message and "FlagshipCase" in message
    assert not any(str(p).startswith(reasoning.ERRNS) for _, p, _ in result.inferred)


def test_unknown_engine_is_rejected(ontology):
    with pytest.raises(ValueError, match="unknown reasoning engine"):
        reasoning.materialize(ontology, Graph(), engine="hermit")


@pytest.mark.parametrize("engine", ["native"])
def test_native_engine_refuses_constructs_it_does_not_implement(ontology, engine):
    data = _tiny(ontology, "ex:C a <http://www.w3.org/2002/07/owl#Class> ; "
                           "<http://www.w3.org/2002/07/owl#someValuesFrom> ex:D .")
    with pytest.raises(NotImplementedError, match="someValuesFrom"):
        reasoning.materialize(ontology, data, engine=engine)


@pytest.mark.parametrize("engine", ["native"])
def test_native_engine_refuses_schema_statements_in_data(ontology, engine):
    data = _tiny(ontology, "ex:Special <http://www.w3.org/2000/01/rdf-schema#subClassOf> jkg:Initiative .")
    with pytest.raises(NotImplementedError, match="schema statement in the data"):
        reasoning.materialize(ontology, data, engine=engine)
    # owlrl takes it, and derives from it
    ok = reasoning.materialize(ontology, data, engine="owlrl")
    assert (URIRef("https://example.org/Special"), RDFS.subClassOf, PROV.Activity) in ok.inferred


def test_data_blank_nodes_keep_their_identity(ontology):
    """A blank node in the data is the same node in the inferred triples about it."""
    data = _tiny(ontology, "[] jkg:statedCategory <https://w3id.org/jichitai-kg/id/category/culture> .")
    b = next(data.subjects(JKG.statedCategory, None))
    assert isinstance(b, BNode)
    for engine in reasoning.ENGINES:
        result = reasoning.materialize(ontology, data, engine=engine)
        assert (b, RDF.type, JKG.OrganizationalCultureInitiative) in result.inferred, engine


# --- the explanation query -------------------------------------------------------

def _explain(ontology, data, inferred, initiative: str, lang: str):
    import pyoxigraph as ox

    from jichitai_kg.validation import dataset_store

    store = dataset_store(list(reasoning.triples_to_ox(ontology)), list(reasoning.triples_to_ox(data)),
                          inferred)
    path = ROOT / "queries" / "category-explanation.rq"
    rows = store.query(path.read_text(encoding="utf-8"), use_default_graph_as_union=True,
                       substitutions={ox.Variable("initiative"): ox.NamedNode(str(INITIATIVE[initiative])),
                                      ox.Variable("lang"): ox.Literal(lang)})
    return [{k: (row[k].value if row[k] is not None else None) for k in
             ("category", "stated", "kind", "axiomKind", "axiom", "axiomComment", "explanation")}
            for row in rows]


def test_explanation_for_tsukuba_training(ontology, data, inferred):
    """Stated 組織文化, derived 資源制約（人材） through kind:training ⊑ kind:people."""
    rows = _explain(ontology, data, inferred, "tsukuba-data-training-by-job-level", "en")
    assert [(r["category"], r["stated"], r["kind"], r["axiomKind"], r["axiom"]) for r in rows] == [
        (str(CATEGORY["resources-people"]), "false", str(KIND.training), str(KIND.people),
         str(JKG.PeopleMeasure))]
    assert "つくば市「職層ごとのデータ利活用研修」" in rows[0]["axiomComment"]
    assert rows[0]["explanation"] == (
        'Filed under "Resource constraints: people" because of its kind "Training" (which falls '
        'under "People and skills"), by the axiom "People and skills measure". The report\'s '
        "overview table does not list it under this category.")
    ja = _explain(ontology, data, inferred, "tsukuba-data-training-by-job-level", "ja")
    assert ja[0]["explanation"].startswith("種別「研修」（上位の種別「人材の育成・確保」に含まれる）により")
    assert ja[0]["explanation"].endswith("報告書の一覧表はこの分野に掲載していない。")


def test_explanation_agrees_with_report_for_kanagawa_cdo(ontology, data, inferred):
    rows = _explain(ontology, data, inferred, "kanagawa-cdo-appointment", "ja")
    assert [(r["category"], r["stated"], r["kind"]) for r in rows] == [
        (str(CATEGORY.information), "true", str(KIND["new-post"]))]
    assert rows[0]["explanation"].endswith("報告書の掲載分野と一致する。")


def test_auto_engine_falls_back_to_owlrl(ontology):
    plain = _tiny(ontology, "ex:x a jkg:FlagshipCase .")
    assert reasoning.materialize(ontology, plain, engine="auto").engine == "native"
    schema = _tiny(ontology, "ex:Special <http://www.w3.org/2000/01/rdf-schema#subClassOf> jkg:Initiative .")
    assert reasoning.materialize(ontology, schema, engine="auto").engine == "owlrl"


def test_native_engine_reads_ntriples_bytes_in_chunks(ontology, data, monkeypatch):
    """The store build passes N-Triples bytes, read a few lines at a time: same closure, same counts."""
    import pyoxigraph as ox

    whole = reasoning.materialize(ontology, data, engine="native")
    doc = ox.serialize(reasoning.triples_to_ox(data), format=ox.RdfFormat.N_QUADS)
    monkeypatch.setattr(reasoning, "TEXT_CHUNK", 300)
    chunked = reasoning.materialize(ontology, doc, engine="native")
    assert sorted(chunked.inferred_nt) == sorted(whole.inferred_nt) and whole.kept > 1000
    assert (chunked.asserted, chunked.dropped_by_reason) == (whole.asserted, whole.dropped_by_reason)
