"""Dumps: every format parses back (rdflib and pyoxigraph) to exactly the graph it came from.

"Exactly" is checked on canonical forms (RDFC-1.0 blank-node relabelling), so blank nodes
of the ontology's restrictions and lists count too.  The expected graph is read from the
store directly (quads of the named graphs), not through the exporter's own functions.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from jichitai_kg import store
from jichitai_kg.cli import main as cli_main
from jichitai_kg.cli.export import FORMATS as CLI_FORMATS
from jichitai_kg.errors import BadRequest
from jichitai_kg.linked_data import dumps as export
from jichitai_kg.namespaces import DATA_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cache_dir(service_store) -> Path:
    """The session's cache (its store is built once for the whole run)."""
    return service_store.parent


@pytest.fixture(scope="module")
def kg(cache_dir) -> ox.Store:
    path = store.prepare(store.Inputs.from_root(ROOT), cache_dir)
    return store.open_read_only(path)


# --------------------------------------------------------------------------- helpers


def expected_quads(kg: ox.Store, *, inferences: bool, keep_graphs: bool) -> list[ox.Quad]:
    out = []
    for q in kg:
        if not isinstance(q.graph_name, ox.NamedNode):
            continue
        if not inferences and q.graph_name.value == str(INFERRED_GRAPH):
            continue
        out.append(q if keep_graphs else ox.Quad(q.subject, q.predicate, q.object))
    return out


def canonical(quads) -> list[str]:
    ds = ox.Dataset(quads)
    ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(str(q) for q in ds)


def rdflib_term_to_ox(t):
    if isinstance(t, rdflib.URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, rdflib.BNode):
        return ox.BlankNode(str(t))
    if isinstance(t, rdflib.Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        if t.datatype:
            return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
        return ox.Literal(str(t))
    raise TypeError(t)


def ox_term_to_rdflib(t):
    if isinstance(t, ox.NamedNode):
        return rdflib.URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return rdflib.BNode(t.value)
    if t.language:
        return rdflib.Literal(t.value, lang=t.language)
    if t.datatype.value == "http://www.w3.org/2001/XMLSchema#string":
        return rdflib.Literal(t.value)
    return rdflib.Literal(t.value, datatype=rdflib.URIRef(t.datatype.value))


def through_rdflib_terms(quads) -> list[ox.Quad]:
    """The same quads as rdflib sees them (rdflib normalises some literals on creation)."""
    out = []
    for q in quads:
        s, p, o = (rdflib_term_to_ox(ox_term_to_rdflib(t)) for t in (q.subject, q.predicate, q.object))
        out.append(ox.Quad(s, p, o, q.graph_name))
    return out


def parse_with_rdflib(data: bytes, fmt: export.DumpFormat) -> list[ox.Quad]:
    name = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig",
            "jsonld": "json-ld", "rdfxml": "xml"}[fmt.name]
    if fmt.keeps_graphs:
        ds = rdflib.Dataset()
        ds.parse(data=data, format=name)
        out = []
        for s, p, o, g in ds.quads((None, None, None, None)):
            graph = ox.DefaultGraph() if g is None or str(g) == "urn:x-rdflib:default" \
                else ox.NamedNode(str(g))
            out.append(ox.Quad(*(rdflib_term_to_ox(t) for t in (s, p, o)), graph))
        return out
    g = rdflib.Graph()
    g.parse(data=data, format=name)
    return [ox.Quad(*(rdflib_term_to_ox(t) for t in triple)) for triple in g]


def parse_with_oxigraph(data: bytes, fmt: export.DumpFormat) -> list[ox.Quad]:
    rdf_format = fmt.rdf_format or ox.RdfFormat.JSON_LD
    return list(ox.parse(data, rdf_format))


@pytest.fixture(scope="module")
def canonical_expected(kg):
    """``(inferences, keep_graphs, rdflib_terms) → canonical(expected quads)``, each computed once
    per module: twelve round trips share four expected graphs per reader."""
    memo: dict[tuple[bool, bool, bool], list[str]] = {}

    def get(inferences: bool, keep_graphs: bool, rdflib_terms: bool = False) -> list[str]:
        key = (inferences, keep_graphs, rdflib_terms)
        if key not in memo:
            want = expected_quads(kg, inferences=inferences, keep_graphs=keep_graphs)
            memo[key] = canonical(through_rdflib_terms(want) if rdflib_terms else want)
        return memo[key]

    return get


# --------------------------------------------------------------------------- round trips


def test_store_has_the_three_graphs(kg):
    names = {g.value for g in kg.named_graphs()}
    assert {str(ONTOLOGY_GRAPH), str(DATA_GRAPH), str(INFERRED_GRAPH)} <= names


@pytest.mark.parametrize("inferences", [True, False], ids=["with-inferences", "asserted"])
@pytest.mark.parametrize("fmt_name", list(export.FORMATS))
def test_dump_round_trips_with_pyoxigraph(kg, canonical_expected, fmt_name, inferences):
    fmt = export.FORMATS[fmt_name]
    data = export.export(kg, fmt_name, inferences=inferences)
    want = canonical_expected(inferences, fmt.keeps_graphs)
    got = parse_with_oxigraph(data, fmt)
    assert len(set(got)) == len(want)  # canonical(): one line per distinct quad
    assert canonical(got) == want


@pytest.mark.parametrize("inferences", [True, False], ids=["with-inferences", "asserted"])
@pytest.mark.parametrize("fmt_name", list(export.FORMATS))
def test_dump_round_trips_with_rdflib(kg, canonical_expected, fmt_name, inferences):
    fmt = export.FORMATS[fmt_name]
    data = export.export(kg, fmt_name, inferences=inferences)
    got = parse_with_rdflib(data, fmt)
    assert canonical(got) == canonical_expected(inferences, fmt.keeps_graphs, rdflib_terms=True)


def test_quad_formats_keep_the_named_graphs(kg):
    for name in ("nquads", "trig"):
        fmt = export.FORMATS[name]
        full = {q.graph_name.value for q in parse_with_oxigraph(export.export(kg, name), fmt)}
        assert full == {str(ONTOLOGY_GRAPH), str(DATA_GRAPH), str(INFERRED_GRAPH)}
        asserted = {q.graph_name.value
                    for q in parse_with_oxigraph(export.export(kg, name, inferences=False), fmt)}
        assert asserted == {str(ONTOLOGY_GRAPH), str(DATA_GRAPH)}


def test_asserted_dump_leaves_out_inferred_only_triples(kg):
    # Kanagawa is asserted a jkg:LocalGovernment; org:FormalOrganization comes from the
    # ontology's subclass axiom, so only the dump with inferences has it.
    s = "<https://w3id.org/jichitai-kg/id/gov/kanagawa>"
    typ = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    asserted = export.export(kg, "ntriples", inferences=False).decode()
    full = export.export(kg, "ntriples").decode()
    line = f"{s} {typ} <http://www.w3.org/ns/org#FormalOrganization> ."
    assert f"{s} {typ} <https://w3id.org/jichitai-kg/ontology#LocalGovernment> ." in asserted
    assert line not in asserted
    assert line in full


# --------------------------------------------------------------------------- JSON-LD readability


def test_jsonld_uses_short_keys_and_language_maps(kg):
    doc = json.loads(export.export(kg, "jsonld", inferences=False))
    assert doc["@context"]["label"] == {"@id": "http://www.w3.org/2000/01/rdf-schema#label",
                                        "@container": "@language"}
    nodes = {n["id"]: n for n in doc["@graph"]}
    kanagawa = nodes["gov:kanagawa"]
    assert kanagawa["label"]["ja"] == "神奈川県"
    assert "jkg:LocalGovernment" in (kanagawa["type"] if isinstance(kanagawa["type"], list)
                                     else [kanagawa["type"]])
    figure = nodes["figure:minato-rpa-hours-saved"]
    # 約6,000時間/年 (report, Minato): a native number, an IRI-valued short key, a language map.
    assert figure["value"] == 6000
    assert str(figure["figureOf"]).startswith("initiative:minato-")
    assert figure["unitText"]["ja"] == "時間/年"
    assert figure["approximate"] is True


def test_jsonld_context_is_deterministic_and_covers_ontology_properties(kg):
    from jichitai_kg.query.execution.runner import StoreRunner

    ctx1 = export.jsonld_context(StoreRunner(kg))
    ctx2 = export.jsonld_context(StoreRunner(kg))
    assert ctx1 == ctx2
    assert ctx1["government"] == {"@id": "https://w3id.org/jichitai-kg/ontology#government", "@type": "@id"}
    assert ctx1["gov"] == "https://w3id.org/jichitai-kg/id/gov/"


# --------------------------------------------------------------------------- cache and CLI


def test_ensure_dumps_writes_every_file_with_checksums_once(kg, cache_dir, tmp_path):
    target = export.ensure_dumps(kg, tmp_path, "testdigest")
    assert target.name == "dumps-testdigest"
    files = export.load_manifest(target)
    assert len(files) == len(export.FORMATS) * 2 * 2  # formats x (inferred, asserted) x (plain, gz)
    sums = dict(reversed(line.split("  ")) for line in
                (target / export.CHECKSUMS).read_text().splitlines())
    for f in files:
        body = (target / f.filename).read_bytes()
        assert hashlib.sha256(body).hexdigest() == f.sha256 == sums[f.filename]
        assert len(body) == f.size
        if f.compressed:
            assert gzip.decompress(body) == (target / f.filename[:-3]).read_bytes()
    before = (target / export.MANIFEST).stat().st_mtime_ns
    assert export.ensure_dumps(kg, tmp_path, "testdigest") == target
    assert (target / export.MANIFEST).stat().st_mtime_ns == before


def test_cli_export_writes_gzip_file(kg, cache_dir, tmp_path):
    out = tmp_path / "kg.nq.gz"
    rc = cli_main(["--root", str(ROOT), "export", "--format", "nquads", "--asserted",
                   "--cache-dir", str(cache_dir), "-o", str(out)])
    assert rc == 0
    quads = list(ox.parse(gzip.decompress(out.read_bytes()), ox.RdfFormat.N_QUADS))
    want = expected_quads(kg, inferences=False, keep_graphs=True)
    assert canonical(quads) == canonical(want)


def test_cli_export_rejects_unknown_format(capsys):
    with pytest.raises(SystemExit) as exc:
        cli_main(["export", "--format", "csv"])
    assert exc.value.code == 2
    assert "invalid choice: 'csv'" in capsys.readouterr().err


def test_unknown_format_name_is_a_clear_error(kg):
    with pytest.raises(BadRequest, match="unknown format 'n3'"):
        export.export(kg, "n3")


def test_cli_offers_exactly_the_dump_formats():
    assert CLI_FORMATS == tuple(export.FORMATS)
