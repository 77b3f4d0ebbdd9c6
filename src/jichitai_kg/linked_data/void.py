"""The VoID + DCAT description of the dataset (``/.well-known/void``).

Every number in it comes from a ``sparql/ld-void-*.rq`` query on the served store,
so that the description can never drift from what the endpoint answers (the tests count
again, independently, and compare).  Dump sizes and checksums come from the dump
manifest written by ``export.ensure_dumps``.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from ..content import app_query
from ..i18n import Section
from ..namespaces import BASE, DCAT, ID, SAC, SOURCE, WD
from ..query.execution.runner import Runner
from .dumps import FORMATS, DumpFile
from .pages import Value, make_value

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
VOID = "http://rdfs.org/ns/void#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
SPDX = "http://spdx.org/rdf/terms#"
SD = "http://www.w3.org/ns/sparql-service-description#"
PROV = "http://www.w3.org/ns/prov#"

#: The HTML view of the description, for browsers (the RDF stays at the same address).
PAGE_TEXT = Section("void")

DATASET = BASE + "dataset"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
IANA = "https://www.iana.org/assignments/media-types/"
CITATION = ("jichitai-kg contributors (2026). jichitai-kg: a knowledge graph of ICT adoption in "
            "eight Japanese local governments (version 0.1.0). https://w3id.org/jichitai-kg/")

#: Datasets we link to: (key in ld-void-linksets.rq, dataset IRI, URI space, title, SPARQL endpoint).
LINK_TARGETS = {
    "wikidata": ("https://www.wikidata.org/", str(WD), "Wikidata", "https://query.wikidata.org/sparql"),
    "e-stat": ("http://data.e-stat.go.jp/lod/sac/", str(SAC),
               "e-Stat statistical LOD: standard area codes (統計LOD 標準地域コード)",
               "http://data.e-stat.go.jp/lod/sparql/alldata/query"),
}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(int(value)), datatype=_n(XSD + "integer"))


def _lit(value: str, lang: str | None = None) -> ox.Literal:
    return ox.Literal(value, language=lang) if lang else ox.Literal(value)


def _count(row: dict, key: str) -> int:
    v = row.get(key)
    return int(v.value) if v is not None else 0


class _Graph:
    def __init__(self):
        self.triples: list[ox.Triple] = []

    def add(self, s, p: str, o) -> None:
        self.triples.append(ox.Triple(s, _n(p), o))


def describe(runner: Runner, *, base_url: str, dumps: Iterable[DumpFile]) -> list[ox.Triple]:
    """The VoID/DCAT triples; ``base_url`` is where this server answers (no trailing slash)."""
    g = _Graph()
    ds = _n(DATASET)
    doc = _n(f"{base_url}/.well-known/void")
    g.add(doc, RDF + "type", _n(VOID + "DatasetDescription"))
    g.add(doc, FOAF + "primaryTopic", ds)
    g.add(doc, DCT + "title", _lit("VoID description of jichitai-kg", "en"))

    for t in (VOID + "Dataset", str(DCAT) + "Dataset"):
        g.add(ds, RDF + "type", _n(t))
    g.add(ds, DCT + "title", _lit("jichitai-kg: ICT adoption in Japanese local governments", "en"))
    g.add(ds, DCT + "title", _lit("自治体ICT化ナレッジグラフ", "ja"))
    g.add(ds, DCT + "description", _lit(
        "Organizational units, posts, plans, initiatives, milestones and figures of eight Japanese "
        "local governments, taken from the report 『先進自治体等における ICT 化推進に向けた取組み』, "
        "with the report's three success factors and OWL 2 RL inferences.", "en"))
    g.add(ds, DCT + "description", _lit(
        "報告書『先進自治体等における ICT 化推進に向けた取組み』から、8自治体の組織・職・計画・取組・"
        "段階・数値を、3つの成功要因と OWL 2 RL 推論とともに記述したデータセット。", "ja"))
    g.add(ds, DCT + "license", _n(LICENSE))
    g.add(ds, DCT + "language", _lit("ja"))
    g.add(ds, DCT + "language", _lit("en"))
    g.add(ds, DCT + "source", _n(str(SOURCE) + "report"))
    g.add(ds, PROV + "wasDerivedFrom", _n(str(SOURCE) + "report"))
    g.add(ds, DCT + "bibliographicCitation", _lit(CITATION))
    publisher = ox.BlankNode("publisher")
    g.add(ds, DCT + "publisher", publisher)
    g.add(publisher, RDF + "type", _n(FOAF + "Organization"))
    g.add(publisher, FOAF + "name", _lit("jichitai-kg contributors"))
    g.add(ds, str(DCAT) + "landingPage", _n(f"{base_url}/"))
    g.add(ds, VOID + "sparqlEndpoint", _n(f"{base_url}/sparql"))
    g.add(ds, VOID + "uriSpace", _lit(str(ID)))
    g.add(ds, VOID + "exampleResource", _n(str(ID) + "gov/kanagawa"))
    for fmt in FORMATS.values():
        g.add(ds, VOID + "feature", _n(f"http://www.w3.org/ns/formats/{_w3c_format(fmt.name)}"))

    counts = runner.select(app_query("ld-void-counts"), uriSpace=str(ID))
    row = counts[0] if counts else {}
    for key in ("triples", "entities", "classes", "properties", "distinctSubjects", "distinctObjects"):
        g.add(ds, VOID + key, _int(_count(row, key)))

    for r in runner.select(app_query("ld-void-vocabularies")):
        g.add(ds, VOID + "vocabulary", _n(r["vocabulary"].value))

    for i, r in enumerate(runner.select(app_query("ld-void-class-partitions"))):
        part = ox.BlankNode(f"class{i}")
        g.add(ds, VOID + "classPartition", part)
        g.add(part, VOID + "class", r["class"])
        g.add(part, VOID + "entities", _int(_count(r, "entities")))

    for i, r in enumerate(runner.select(app_query("ld-void-property-partitions"))):
        part = ox.BlankNode(f"property{i}")
        g.add(ds, VOID + "propertyPartition", part)
        g.add(part, VOID + "property", r["property"])
        g.add(part, VOID + "triples", _int(_count(r, "triples")))
        g.add(part, VOID + "distinctSubjects", _int(_count(r, "distinctSubjects")))
        g.add(part, VOID + "distinctObjects", _int(_count(r, "distinctObjects")))

    for r in runner.select(app_query("ld-void-graphs")):
        sub = r["graph"]
        g.add(ds, VOID + "subset", sub)
        g.add(sub, RDF + "type", _n(VOID + "Dataset"))
        g.add(sub, SD + "name", sub)
        g.add(sub, VOID + "triples", _int(_count(r, "triples")))

    targets_used = set()
    for r in runner.select(app_query("ld-void-linksets")):
        key = r["target"].value
        target_iri, _, _, _ = LINK_TARGETS[key]
        pred = r["predicate"].value
        ls = _n(f"{DATASET}#linkset-{key}-{pred.rsplit('/', 1)[-1].rsplit('#', 1)[-1]}")
        g.add(ds, VOID + "subset", ls)
        g.add(ls, RDF + "type", _n(VOID + "Linkset"))
        g.add(ls, VOID + "subjectsTarget", ds)
        g.add(ls, VOID + "objectsTarget", _n(target_iri))
        g.add(ls, VOID + "linkPredicate", _n(pred))
        g.add(ls, VOID + "triples", _int(_count(r, "triples")))
        targets_used.add(key)
    for key in sorted(targets_used):
        target_iri, space, title, endpoint = LINK_TARGETS[key]
        target = _n(target_iri)
        g.add(target, RDF + "type", _n(VOID + "Dataset"))
        g.add(target, DCT + "title", _lit(title))
        g.add(target, VOID + "uriSpace", _lit(space))
        g.add(target, VOID + "sparqlEndpoint", _n(endpoint))

    for f in dumps:
        _distribution(g, ds, f, base_url)
    return g.triples


def _w3c_format(name: str) -> str:
    return {"turtle": "Turtle", "ntriples": "N-Triples", "nquads": "N-Quads", "trig": "TriG",
            "jsonld": "JSON-LD", "rdfxml": "RDF_XML"}[name]


def _distribution(g: _Graph, ds: ox.NamedNode, f: DumpFile, base_url: str) -> None:
    url = f"{base_url}/download/{f.filename}"
    dist = _n(f"{DATASET}#dist-{f.filename}")
    if not f.compressed:
        g.add(ds, VOID + "dataDump", _n(url))
    g.add(ds, str(DCAT) + "distribution", dist)
    g.add(dist, RDF + "type", _n(str(DCAT) + "Distribution"))
    scope = "with OWL 2 RL inferences" if f.inferences else "asserted triples only"
    packed = ", gzip" if f.compressed else ""
    g.add(dist, DCT + "title", _lit(f"{f.label} dump, {scope}{packed}", "en"))
    g.add(dist, str(DCAT) + "downloadURL", _n(url))
    g.add(dist, str(DCAT) + "accessURL", _n(f"{base_url}/download/"))
    g.add(dist, str(DCAT) + "mediaType", _n(IANA + f.media_type))
    g.add(dist, DCT + "format", _lit(f.media_type))
    if f.compressed:
        g.add(dist, str(DCAT) + "compressFormat", _n(IANA + "application/gzip"))
    g.add(dist, str(DCAT) + "byteSize", ox.Literal(str(f.size), datatype=_n(XSD + "nonNegativeInteger")))
    g.add(dist, DCT + "license", _n(LICENSE))
    checksum = ox.BlankNode(f"sum-{f.filename.replace('.', '-')}")
    g.add(dist, SPDX + "checksum", checksum)
    g.add(checksum, RDF + "type", _n(SPDX + "Checksum"))
    g.add(checksum, SPDX + "algorithm", _n(SPDX + "checksumAlgorithm_sha256"))
    g.add(checksum, SPDX + "checksumValue", ox.Literal(f.sha256, datatype=_n(XSD + "hexBinary")))


def void_rows(triples: Iterable[ox.Triple], *, prefix: str) -> list[dict[str, Value]]:
    """The description as table rows (subject, predicate, object), subjects together."""
    ordered = sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    return [{"s": make_value(t.subject, None, prefix=prefix), "p": make_value(t.predicate, None, prefix=prefix),
             "o": make_value(t.object, None, prefix=prefix)} for t in ordered]
