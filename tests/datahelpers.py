"""Helpers shared by the per-government data tests (tests/content/test_data_*.py).

Every chapter of the report is checked the same way (labels, overview-table rows, report
locations, figures, plans), so the lookups and the repeated checks live here once; the
expected values stay in each test file.  The checks use plain ``assert``; the test modules
register this module for pytest's assertion rewriting before importing it, so a failure
shows the compared values as it would in the test itself.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rns
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS

from jichitai_kg.namespaces import APPROX, FIGTYPE, ID, JKG, ORG, PLANTYPE, SCHEMA, SOURCE, STATUS, TIMEREF

#: The classes whose members are a chapter's initiatives (table bullets, flagships, narrative).
INITIATIVE_CLASSES = (JKG.OverviewTableEntry, JKG.FlagshipCase, JKG.NarrativeInitiative)


def iri(ns, local: str) -> URIRef:
    """``ns`` + ``local`` as an IRI, for the vocabularies written as plain strings in the tests."""
    return URIRef(str(ns) + local)


def lang_label(g: Graph, s, lang: str) -> str | None:
    """The rdfs:label of ``s`` in ``lang`` (None if there is none): tests compare the printed names."""
    for o in g.objects(s, RDFS.label):
        if isinstance(o, Literal) and o.language == lang:
            return str(o)
    return None


def ja_labels(g: Graph, subjects) -> set:
    """The Japanese labels of ``subjects``, for comparing a set of bullets with the report."""
    return {lang_label(g, s, "ja") for s in subjects}


def entries(g: Graph, cls, gov) -> set:
    """The members of ``cls`` that belong to ``gov`` (jkg:government), i.e. to its chapter."""
    return {s for s in g.subjects(RDF.type, cls) if (s, JKG.government, gov) in g}


def all_initiatives(g: Graph, gov) -> set:
    """Every initiative of ``gov``'s chapter: overview-table entries, flagship cases, narrative ones."""
    return set().union(*(entries(g, c, gov) for c in INITIATIVE_CLASSES))


def overview_row(g: Graph, gov, category) -> set:
    """Japanese labels of ``gov``'s overview-table entries stated under ``category`` (a CATEGORY IRI)."""
    return ja_labels(g, {e for e in entries(g, JKG.OverviewTableEntry, gov)
                         if (e, JKG.statedCategory, category) in g})


def single_category_entries(g: Graph, gov) -> set:
    """``gov``'s overview-table entries, each checked to have exactly one stated category."""
    found = entries(g, JKG.OverviewTableEntry, gov)
    for e in found:
        assert len(set(g.objects(e, JKG.statedCategory))) == 1, e
    return found


def check_initiative(g: Graph, i, gov, *, descriptions: bool = True, typed_location: bool = True) -> None:
    """An initiative has ja and en labels, a kind, (optionally) ja and en descriptions, and is
    ``schema:subjectOf`` a location in ``gov``'s chapter (with ``typed_location``, a jkg:ReportLocation)."""
    assert lang_label(g, i, "ja") and lang_label(g, i, "en"), i
    assert any(g.objects(i, JKG.kind)), i
    if descriptions:
        assert {d.language for d in g.objects(i, DCTERMS.description)} >= {"ja", "en"}, i
    locations = set(g.objects(i, SCHEMA.subjectOf))
    assert any((loc, JKG.government, gov) in g
               and (not typed_location or (loc, RDF.type, JKG.ReportLocation) in g)
               for loc in locations), i


def report_locations(g: Graph, gov) -> set:
    """The jkg:ReportLocation resources (paragraphs, bullets, ...) of ``gov``'s chapter."""
    return {s for s in g.subjects(JKG.government, gov) if (s, RDF.type, JKG.ReportLocation) in g}


def checked_report_locations(g: Graph, gov) -> set:
    """``gov``'s report locations, each checked to be labelled in ja and en and part of the report."""
    locations = report_locations(g, gov)
    for s in locations:
        assert lang_label(g, s, "ja") and lang_label(g, s, "en"), s
        assert g.value(s, DCTERMS.isPartOf) == SOURCE.report
    return locations


def paragraph_numbers(g: Graph, locations) -> set:
    """The narrative paragraph numbers among ``locations``."""
    return {g.value(s, JKG.paragraphNumber).toPython() for s in locations if g.value(s, JKG.paragraphNumber)}


def bullets(g: Graph, locations) -> set:
    """The table bullets among ``locations`` (those with a jkg:bulletNumber)."""
    return {s for s in locations if g.value(s, JKG.bulletNumber) is not None}


def milestones(g: Graph, initiative) -> set:
    """(phase, when) of each milestone of ``initiative``, to compare with the dates the report prints."""
    return {(g.value(m, JKG.phase), g.value(m, JKG.when)) for m in g.objects(initiative, JKG.hasMilestone)}


def check_figure(g: Graph, f, *, value, unit, approximate: bool, approximation: str | None, as_of,
                 figure_type: str, integer: bool = False) -> None:
    """A jkg:Figure with the value, unit (MEASURE IRI), approximation, as-of time (TIMEREF IRI or
    None) and figure type the report prints; ``integer`` demands an xsd:integer value."""
    assert (f, RDF.type, JKG.Figure) in g
    v = g.value(f, SCHEMA.value)
    if integer:
        assert v.toPython() == value and v.datatype == rns.XSD.integer
    else:
        assert v.datatype in (rns.XSD.integer, rns.XSD.decimal)
        assert Decimal(str(v.toPython())) == value
    assert g.value(f, JKG.measurementUnit) == unit
    assert g.value(f, JKG.approximate).toPython() is approximate
    assert g.value(f, JKG.approximation) == (iri(APPROX, approximation) if approximation else None)
    assert g.value(f, JKG.asOf) == as_of
    assert g.value(f, JKG.figureType) == iri(FIGTYPE, figure_type)


def figure_subject(g: Graph, f):
    """What ``f`` is a figure of, checked to link back to it with jkg:hasFigure."""
    subject = g.value(f, JKG.figureOf)
    assert (subject, JKG.hasFigure, f) in g
    return subject


def check_figure_subjects(g: Graph, f) -> None:
    """Every resource ``f`` is a figure of links back to it with jkg:hasFigure."""
    for subject in g.objects(f, JKG.figureOf):
        assert (subject, JKG.hasFigure, f) in g


def check_plan(g: Graph, p, gov, *, name: str, plan_type: str, status: str, adopted: str | None,
               start: str | None, end: str | None) -> None:
    """A jkg:Plan of ``gov`` with the name, type, status, adoption time and period the report
    prints (no period at all when ``start`` is None)."""
    assert (p, RDF.type, JKG.Plan) in g
    assert g.value(p, JKG.government) == gov
    assert lang_label(g, p, "ja") == name
    assert lang_label(g, p, "en")
    assert g.value(p, JKG.planType) == iri(PLANTYPE, plan_type)
    assert g.value(p, JKG.adoptionStatus) == iri(STATUS, status)
    assert g.value(p, JKG.adoptedIn) == (TIMEREF[adopted] if adopted else None)
    period = g.value(p, JKG.period)
    if start is None:
        assert period is None
    else:
        assert g.value(period, JKG.startDate) == Literal(start, datatype=rns.XSD.date)
        assert g.value(period, JKG.endDate) == Literal(end, datatype=rns.XSD.date)


def ordered_pillar_labels(g: Graph, plan, prop=JKG.pillar) -> list:
    """Japanese labels of ``plan``'s pillars (or its aims, ``prop=JKG.aim``) in report order,
    each checked to have an en label too."""
    pillars = sorted(g.objects(plan, prop), key=lambda x: g.value(x, JKG.order).toPython())
    assert all(lang_label(g, x, "en") for x in pillars)
    return [lang_label(g, x, "ja") for x in pillars]


def unit_chain(g: Graph, unit, gov) -> list:
    """``unit`` and the units above it up to and including ``gov``: org:unitOf links a unit to
    its government (ORG's range is a FormalOrganization), org:subOrganizationOf to a parent unit."""
    chain = [unit]
    while chain[-1] != gov and len(chain) < 10:
        chain.append(g.value(chain[-1], ORG.unitOf) or g.value(chain[-1], ORG.subOrganizationOf))
        if chain[-1] is None:
            break
    return chain


def own_iris_without_label(g: Graph, path) -> list:
    """Project IRIs used in the data file ``path`` that have no rdfs:label in ``g``."""
    own = Graph().parse(path, format="turtle")
    ids = {t for triple in own for t in triple if isinstance(t, URIRef) and str(t).startswith(str(ID))}
    return sorted(i for i in ids if (i, RDFS.label, None) not in g)


def check_government(g: Graph, gov, *, classification, ja: str, en: str, dantai_code: str, area,
                     pages: set, order: int) -> None:
    """The identity every chapter's government carries: type, classification, ja/en names,
    local-government code, standard area code (SAC IRI), home pages, report order, no owl:sameAs."""
    assert (gov, RDF.type, JKG.LocalGovernment) in g
    assert g.value(gov, ORG.classification) == classification
    assert lang_label(g, gov, "ja") == ja
    assert lang_label(g, gov, "en") == en
    assert g.value(gov, JKG.dantaiCode) == Literal(dantai_code)
    assert g.value(gov, DCTERMS.spatial) == area
    assert set(g.objects(gov, FOAF.page)) == pages
    assert g.value(gov, JKG.order).toPython() == order
    assert (gov, OWL.sameAs, None) not in g
