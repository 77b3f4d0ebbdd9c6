"""Descriptions are written afresh: no run of the report's prose is pasted into the data.

Names, figures and quoted titles carry over (they are stripped before comparing:
anything inside 「」『』 or brackets), prose does not.  A Japanese description,
definition or comment may share at most ``MAX_RUN - 1`` consecutive characters
with the report (white space ignored).  Lists of proper names that are longer
than that are listed in ``NAME_LISTS`` with the reason they may stay.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import DCTERMS, RDFS, SKOS

from ci import missing
from jichitai_kg.namespaces import SCHEMA

MAX_RUN = 20

#: Runs that are enumerations of names as printed, not prose.
NAME_LISTS = {
    "在宅勤務・モバイルワーク・サテライトオフィス",  # the three forms of telework, names
    "MSOffice研修、プロジェクトマネジメント研修、SDM",  # names of training courses
    "ICT分野における人材モデルとキャリアパスの構築",  # a bullet heading (a name)
    "埼玉県ICT推進アクションプラン2017-2019",  # a plan name
}

PROSE_PREDICATES = (DCTERMS.description, SKOS.definition, RDFS.comment, SKOS.scopeNote)


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _strip_names(text: str) -> list[str]:
    return re.split(r"「[^」]*」|『[^』]*』|（[^）]*）|\([^)]*\)|【[^】]*】", text)


def longest_shared_run(text: str, corpus: str) -> str:
    best = ""
    for segment in _strip_names(_norm(text)):
        for name in NAME_LISTS:
            segment = segment.replace(name, "|")
        for piece in segment.split("|"):
            for i in range(len(piece)):
                n = len(best) + 1
                while i + n <= len(piece) and piece[i:i + n] in corpus:
                    best = piece[i:i + n]
                    n += 1
    return best


@pytest.fixture(scope="module")
def report_text(project_root: Path) -> str:
    source = next((project_root.parent / "shared" / "source").glob("000_*.txt"), None)
    if source is None:
        missing("the source report is not beside the checkout (../shared/source/000_*.txt)")
    return _norm(source.read_text(encoding="utf-8"))


def test_shared_run_detector_finds_a_pasted_sentence(report_text):
    pasted = "本市では、行財政改革の観点から行政を効率的かつ効果的に経営するため"
    assert len(longest_shared_run(pasted, report_text)) >= MAX_RUN
    assert len(longest_shared_run("鎌倉市は2018年4月に行政経営部を設けた。", report_text)) < MAX_RUN


def test_no_prose_pasted_from_the_report(asserted_graph, report_text):
    offenders = []
    for s, p, o in asserted_graph:
        if p in PROSE_PREDICATES and isinstance(o, Literal) and o.language == "ja":
            run = longest_shared_run(str(o), report_text)
            if len(run) >= MAX_RUN:
                offenders.append(f"{s} {p.n3()}: …{run}…")
    assert not offenders, "descriptions copying the report's prose:\n" + "\n".join(sorted(offenders))


# Each government's description summarises these narrative paragraphs (read off the report);
# its provenance must cite every one of them, not only the heading and reference row.
GOVERNMENT_DESCRIPTION_PARAGRAPHS = {
    "kamakura": {1, 2, 3, 4, 5}, "kanagawa": {1, 2, 3, 4, 5}, "kyoto": {1, 2, 3, 4, 6},
    "minato": {1, 5}, "saitama": {1, 2, 3, 5}, "tokushima": {1, 3, 4, 6},
    "tsukuba": {1, 2, 4, 5}, "yokohama": {1, 2, 3, 4, 6},
}


@pytest.mark.parametrize("gov", sorted(GOVERNMENT_DESCRIPTION_PARAGRAPHS))
def test_government_description_cites_its_paragraphs(asserted_graph, gov: str) -> None:

    from jichitai_kg.namespaces import GOV, SOURCE
    cited = set(asserted_graph.objects(GOV[gov], SCHEMA.subjectOf))
    assert {SOURCE[f"{gov}-narrative-{n}"] for n in GOVERNMENT_DESCRIPTION_PARAGRAPHS[gov]} <= cited
    assert SOURCE[f"{gov}-heading"] in cited


def test_approximate_flag_agrees_with_approximation(asserted_graph) -> None:
    """jkg:approximate is true exactly when the figure has a jkg:approximation (docs/data-model.md)."""
    from jichitai_kg.namespaces import JKG
    g = asserted_graph
    figures = set(g.subjects(JKG.approximate, None)) | set(g.subjects(JKG.approximation, None))
    assert figures
    for f in figures:
        flag = g.value(f, JKG.approximate)
        assert flag is not None and flag.toPython() is (g.value(f, JKG.approximation) is not None), f
