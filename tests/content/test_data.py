"""What every chapter's data must carry, checked for each of the eight governments against
expected values read off the report (tests/expected/governments/<gov>.json): the government's
identity, the overview table's bullets row by row, that each bullet sits in exactly one row, the
flagship cases, every figure the chapter prints, and that every initiative is labelled, kinded and
sourced. Facts particular to one chapter stay in tests/content/test_data_<gov>.py."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rns
from rdflib.namespace import DCTERMS, RDF, RDFS

pytest.register_assert_rewrite("datahelpers")
from datahelpers import (  # noqa: E402
    all_initiatives,
    check_figure,
    check_government,
    check_initiative,
    entries,
    ja_labels,
    lang_label,
    overview_row,
    own_iris_without_label,
    single_category_entries,
    unit_chain,
)
from jichitai_kg.namespaces import (  # noqa: E402
    CATEGORY,
    FIGURE,
    GOV,
    GOVTYPE,
    ID,
    JKG,
    MEASURE,
    ORG,
    SAC,
    SOURCE,
    TIMEREF,
    UNIT,
    WD,
)

EXPECTED_DIR = Path(__file__).resolve().parents[1] / "expected" / "governments"
EXPECTED = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXPECTED_DIR.glob("*.json"))}
ROWS = ("culture", "resources", "information")


def test_there_is_one_expectation_file_per_case_government(asserted_graph: Graph) -> None:
    case = {str(g).removeprefix(str(GOV)) for g in asserted_graph.subjects(None, JKG.CaseGovernment)}
    assert set(EXPECTED) == case and len(case) == 8


@pytest.mark.parametrize("gov", sorted(EXPECTED))
def test_government_identity(asserted_graph: Graph, gov: str) -> None:
    e = EXPECTED[gov]["government"]
    check_government(asserted_graph, GOV[gov], classification=GOVTYPE[e["classification"]], ja=e["ja"], en=e["en"],
                     dantai_code=e["dantai_code"], area=SAC[e["area"]], order=e["order"],
                     pages={URIRef(p) for p in e["pages"]})
    # Wikidata only where verified (none for Kamakura, Tsukuba, Minato); never owl:sameAs
    assert set(asserted_graph.objects(GOV[gov], RDFS.seeAlso)) == {WD[q] for q in e["wikidata"]}


@pytest.mark.parametrize("gov", sorted(EXPECTED))
def test_author_unit_of_the_heading(asserted_graph: Graph, gov: str) -> None:
    """The unit the chapter heading names as author, and the units above it up to the government:
    org:subOrganizationOf between units, org:unitOf from the top unit to the government (ORG's
    range); a chapter that prints no author unit (Kyoto, footnote 7) links none."""
    g, units = asserted_graph, EXPECTED[gov]["author_units"]
    heading = SOURCE[f"{gov}-heading"]
    assert (heading, RDF.type, JKG.ReportLocation) in g
    chain = [UNIT[u["unit"]] for u in units]
    assert g.value(heading, JKG.responsibleUnit) == (chain[0] if chain else None)
    for lower, upper in zip(chain, chain[1:], strict=False):
        assert g.value(lower, ORG.subOrganizationOf) == upper
    if chain:
        assert g.value(chain[-1], ORG.unitOf) == GOV[gov]
        assert unit_chain(g, chain[0], GOV[gov]) == chain + [GOV[gov]]
    for u in units:
        assert lang_label(g, UNIT[u["unit"]], "ja") == u["ja"]
        if "established" in u:  # where the chapter prints when the unit was set up
            assert g.value(UNIT[u["unit"]], JKG.establishedIn) == TIMEREF[u["established"]]
            assert g.value(UNIT[u["unit"]], DCTERMS.created) == Literal(u["established"], datatype=rns.XSD.gYearMonth)


@pytest.mark.parametrize("gov", sorted(g for g in EXPECTED if "partners" in EXPECTED[g]))
def test_partners_are_exactly_those_the_chapter_names(asserted_graph: Graph, gov: str) -> None:
    """Where the expectations list every outside body the chapter names (none for five chapters),
    no other partner is attached to the government's initiatives."""
    g = asserted_graph
    found = {p for i in all_initiatives(g, GOV[gov]) for p in g.objects(i, JKG.partner)}
    assert found == {URIRef(str(ID) + p) for p in EXPECTED[gov]["partners"]}


@pytest.mark.parametrize("gov", sorted(EXPECTED))
def test_every_project_iri_in_the_chapter_file_is_labelled(asserted_graph: Graph, project_root, gov: str) -> None:
    assert own_iris_without_label(asserted_graph, project_root / "data" / "gov" / f"{gov}.ttl") == []


@pytest.mark.parametrize(("gov", "row"), [(g, r) for g in sorted(EXPECTED) for r in ROWS])
def test_overview_table_rows(asserted_graph: Graph, gov: str, row: str) -> None:
    """Bullets counted by hand in each overview table, by row (組織文化 / 資源 / 情報力・組織体制)."""
    assert overview_row(asserted_graph, GOV[gov], CATEGORY[row]) == set(EXPECTED[gov]["overview_rows"][row])


@pytest.mark.parametrize("gov", sorted(EXPECTED))
def test_overview_entries_have_exactly_one_stated_category(asserted_graph: Graph, gov: str) -> None:
    assert len(single_category_entries(asserted_graph, GOV[gov])) == EXPECTED[gov]["single_category_entries"]


@pytest.mark.parametrize("gov", sorted(EXPECTED))
def test_flagship_cases(asserted_graph: Graph, gov: str) -> None:
    g = asserted_graph
    assert ja_labels(g, entries(g, JKG.FlagshipCase, GOV[gov])) == set(EXPECTED[gov]["flagship_cases"])


@pytest.mark.parametrize("gov", sorted(EXPECTED))
def test_every_initiative_is_labelled_kinded_and_sourced(asserted_graph: Graph, gov: str) -> None:
    """Options per chapter are those of datahelpers.check_initiative (``descriptions``,
    ``typed_location``), as each chapter's test used them."""
    g, e = asserted_graph, EXPECTED[gov]["initiatives"]
    initiatives = all_initiatives(g, GOV[gov])
    assert len(initiatives) == e["count"]
    if "narrative_only" in e:  # Minato: every narrative measure is also in the table
        assert len(entries(g, JKG.NarrativeInitiative, GOV[gov])) == e["narrative_only"]
    for i in initiatives:
        check_initiative(g, i, GOV[gov], **e["check_options"])


FIGURES = [(gov, f) for gov in sorted(EXPECTED) for f in EXPECTED[gov]["figures"]]


@pytest.mark.parametrize(("gov", "fig"), FIGURES, ids=[f["figure"] for _, f in FIGURES])
def test_figures(asserted_graph: Graph, gov: str, fig: dict) -> None:
    """Each number the chapter prints: value (an integer exactly; a decimal as written), unit,
    approximation (「約」「超」「以上」「弱」), as-of time, figure type; the figure belongs to the
    government, and so does each resource it is a figure of (a post through the unit it is in),
    each linking back with jkg:hasFigure."""
    g, f = asserted_graph, FIGURE[fig["figure"]]
    value = fig["value"]
    check_figure(g, f, value=Decimal(value) if isinstance(value, str) else value, unit=MEASURE[fig["unit"]],
                 approximate=fig["approximation"] is not None, approximation=fig["approximation"],
                 as_of=TIMEREF[fig["as_of"]] if fig["as_of"] else None, figure_type=fig["type"],
                 integer=isinstance(value, int))
    assert g.value(f, JKG.government) == GOV[gov]
    subjects = set(g.objects(f, JKG.figureOf))
    assert subjects
    for s in subjects:
        assert (s, JKG.hasFigure, f) in g
        owner = g.value(s, JKG.government) or unit_chain(g, g.value(s, ORG.postIn), GOV[gov])[-1]
        assert owner == GOV[gov]
    if "subject" in fig:
        assert subjects == {URIRef(str(ID) + fig["subject"])}


@pytest.mark.parametrize("gov", sorted(EXPECTED))
def test_each_chapter_has_exactly_the_printed_figures(asserted_graph: Graph, gov: str) -> None:
    """No figure beyond those the chapter prints, whether found by IRI or by government (a range,
    like Minato's newsletter frequency, is checked in the chapter's own test)."""
    g = asserted_graph
    expected = {FIGURE[f["figure"]] for f in EXPECTED[gov]["figures"]}
    expected |= {FIGURE[f] for f in EXPECTED[gov].get("figures_checked_in_the_chapter_test", [])}
    figures = set(g.subjects(RDF.type, JKG.Figure))
    assert {f for f in figures if str(f).startswith(f"{FIGURE}{gov}-")} == expected
    assert {f for f in figures if g.value(f, JKG.government) == GOV[gov]} == expected
