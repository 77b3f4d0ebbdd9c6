"""The glossary: one SKOS concept per term the report explains, tied to where it is explained.

Expected footnote numbers and expansions are read from the report (footnotes 2-12 and
the inline expansions of LGWAN, BYOD and OSS).
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS, SKOS

from jichitai_kg.namespaces import GLOSSARY, JKG, ROLE, SCHEMA, SOURCE

TERMS = {
    "lgwan", "lte-closed-network", "two-factor-authentication", "cio", "cdo", "publitech",
    "assessor", "ideathon", "bpms", "sdm", "rpa", "byod", "oss", "ebpm",
}

# Term -> footnote that explains it, as printed in the report.
FOOTNOTES = {
    "cio": 2, "cdo": 2, "lte-closed-network": 3, "two-factor-authentication": 4, "lgwan": 5,
    "publitech": 6, "assessor": 8, "ideathon": 9, "bpms": 10, "sdm": 12,
}


def _langs(g: Graph, s, p) -> set[str]:
    return {o.language for o in g.objects(s, p) if isinstance(o, Literal)}


def test_scheme_holds_exactly_the_listed_terms(asserted_graph: Graph) -> None:
    g = asserted_graph
    assert (GLOSSARY.scheme, RDF.type, SKOS.ConceptScheme) in g
    members = {str(c).removeprefix(str(GLOSSARY)) for c in g.subjects(SKOS.inScheme, GLOSSARY.scheme)}
    assert members == TERMS


@pytest.mark.parametrize("term", sorted(TERMS))
def test_term_is_bilingual_defined_and_sourced(asserted_graph: Graph, term: str) -> None:
    g = asserted_graph
    c = GLOSSARY[term]
    assert (c, RDF.type, SKOS.Concept) in g
    assert {"ja", "en"} <= _langs(g, c, SKOS.prefLabel)
    assert {"ja", "en"} <= _langs(g, c, RDFS.label)
    assert {"ja", "en"} <= _langs(g, c, SKOS.definition)
    sources = set(g.objects(c, SCHEMA.subjectOf))
    assert sources, term
    for loc in sources:
        assert (loc, RDF.type, JKG.ReportLocation) in g, loc


@pytest.mark.parametrize(("term", "footnote"), sorted(FOOTNOTES.items()))
def test_footnote_terms_point_at_their_footnote(asserted_graph: Graph, term: str, footnote: int) -> None:
    assert (GLOSSARY[term], SCHEMA.subjectOf, SOURCE[f"footnote-{footnote}"]) in asserted_graph


@pytest.mark.parametrize(
    ("term", "alt"),
    [
        ("lgwan", Literal("Local Government Wide Area Network", lang="en")),
        ("lgwan", Literal("総合行政ネットワーク", lang="ja")),
        ("cio", Literal("Chief Information Officer", lang="en")),
        ("cdo", Literal("Chief Data Officer", lang="en")),
        ("cdo", Literal("データ統括責任者", lang="ja")),
        ("byod", Literal("Bring your own device", lang="en")),
        ("oss", Literal("オープン・ソース・ソフトウェア", lang="ja")),
        ("bpms", Literal("Business Process Management System", lang="en")),
        ("sdm", Literal("System Design Management", lang="en")),
        ("ideathon", Literal("アイディアソン", lang="ja")),
    ],
)
def test_expansions_are_alt_labels(asserted_graph: Graph, term: str, alt: Literal) -> None:
    assert (GLOSSARY[term], SKOS.altLabel, alt) in asserted_graph


def test_chief_officer_terms_relate_to_roles(asserted_graph: Graph) -> None:
    g = asserted_graph
    assert (GLOSSARY.cio, SKOS.related, ROLE.cio) in g
    assert (GLOSSARY.cdo, SKOS.related, ROLE.cdo) in g


def test_inline_expansions_cite_their_location(asserted_graph: Graph) -> None:
    g = asserted_graph
    assert (GLOSSARY.byod, SCHEMA.subjectOf, SOURCE["kyoto-narrative-3"]) in g
    assert (GLOSSARY.oss, SCHEMA.subjectOf, SOURCE["tokushima-table-resources-2"]) in g
    assert (GLOSSARY.lgwan, SCHEMA.subjectOf, SOURCE["kanagawa-narrative-4"]) in g


def test_every_used_term_is_in_the_glossary(asserted_graph: Graph) -> None:
    g = asserted_graph
    used = set(g.objects(None, JKG.usesTerm))
    assert used, "no resource uses a glossary term"
    stray = sorted(t for t in used if (t, SKOS.inScheme, GLOSSARY.scheme) not in g)
    assert stray == []


@pytest.mark.parametrize("term", ["rpa", "ebpm", "oss"])
def test_terms_the_report_never_defines_say_where_the_definition_comes_from(asserted_graph: Graph, term: str) -> None:
    # The report uses RPA and EBPM without explaining them and only expands OSS, so their
    # definitions cannot come from it; an editorial note must say so in both languages.
    assert {"ja", "en"} <= _langs(asserted_graph, GLOSSARY[term], SKOS.editorialNote)


@pytest.mark.parametrize("term", sorted(FOOTNOTES))
def test_footnote_terms_need_no_such_note(asserted_graph: Graph, term: str) -> None:
    assert (GLOSSARY[term], SKOS.editorialNote, None) not in asserted_graph
