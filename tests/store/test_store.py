"""The cached store: graph layout, reuse, rebuild on change, atomicity, pruning."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from jichitai_kg import reasoning
from jichitai_kg.namespaces import DATA_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH
from jichitai_kg.store import build as store

ROOT = Path(__file__).resolve().parents[2]

SMALL_GOV = """\
@prefix jkg: <https://w3id.org/jichitai-kg/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix gov: <https://w3id.org/jichitai-kg/id/gov/> .
@prefix unit: <https://w3id.org/jichitai-kg/id/unit/> .
@prefix initiative: <https://w3id.org/jichitai-kg/id/initiative/> .
@prefix kind: <https://w3id.org/jichitai-kg/id/kind/> .
@prefix category: <https://w3id.org/jichitai-kg/id/category/> .

gov:testgov a jkg:LocalGovernment ; rdfs:label "試験県"@ja , "Test prefecture"@en .
unit:testgov-bureau a org:OrganizationalUnit ; org:unitOf gov:testgov ;
    rdfs:label "総務局"@ja , "General affairs bureau"@en .
unit:testgov-division a org:OrganizationalUnit ; org:unitOf unit:testgov-bureau ;
    rdfs:label "情報課"@ja , "Information division"@en .
initiative:testgov-training a jkg:OverviewTableEntry ;
    jkg:government gov:testgov ; jkg:statedCategory category:culture ; jkg:kind kind:training ;
    rdfs:label "研修"@ja , "Training"@en .
"""

Q_INFERRED_UNIT = """
PREFIX org: <http://www.w3.org/ns/org#>
ASK { GRAPH <%s> { <https://w3id.org/jichitai-kg/id/unit/testgov-division>
                   org:transitiveSubOrganizationOf <https://w3id.org/jichitai-kg/id/gov/testgov> } }
"""


@pytest.fixture
def root(tmp_path) -> Path:
    """A small project: the real ontology and vocabularies, one tiny government."""
    r = tmp_path / "project"
    (r / "ontology").mkdir(parents=True)
    (r / "data" / "gov").mkdir(parents=True)
    for name in ("jichitai.ttl", "category-axioms.ttl"):
        shutil.copy(ROOT / "ontology" / name, r / "ontology" / name)
    shutil.copytree(ROOT / "ontology" / "shapes", r / "ontology" / "shapes")
    for name in ("categories.ttl", "kinds.ttl"):
        shutil.copy(ROOT / "data" / name, r / "data" / name)
    (r / "data" / "gov" / "testgov.ttl").write_text(SMALL_GOV, encoding="utf-8")
    return r


@pytest.fixture
def cache(tmp_path) -> Path:
    return tmp_path / "cache"


def _prepare(root, cache, **kw):
    return store.prepare(store.Inputs.from_root(root), cache, engine="native", **kw)


def _count(s: ox.Store, graph) -> int:
    return len(list(s.quads_for_pattern(None, None, None, ox.NamedNode(str(graph)))))


def test_shapes_are_not_part_of_the_dataset(root):
    inputs = store.Inputs.from_root(root)
    assert [f.name for f in inputs.ontology_files] == ["category-axioms.ttl", "jichitai.ttl"]
    assert {f.name for f in inputs.data_files} == {"categories.ttl", "kinds.ttl", "testgov.ttl"}


def test_graph_layout_and_counts(root, cache):
    path = _prepare(root, cache)
    report = store.read_report(path)
    s = store.open_read_only(path)
    assert _count(s, ONTOLOGY_GRAPH) == report["ontology_triples"] > 0
    assert _count(s, DATA_GRAPH) == report["data_triples"] > 0
    assert _count(s, INFERRED_GRAPH) == report["inferred_kept"] > 0
    assert report["asserted"] == report["ontology_triples"] + report["data_triples"]
    assert report["inferred_dropped"] == sum(report["dropped_by_reason"].values())
    assert set(report["timings"]) == {"parse", "reason", "load"}
    # the search index is not on the way to the first SPARQL answer: built on first use
    assert not [f.name for f in path.iterdir() if f.name.startswith("search-")]
    from jichitai_kg.store.text_index import ensure_index

    assert ensure_index(path).parent == path
    # the entailment is in the inferred graph and nowhere else
    assert s.query(Q_INFERRED_UNIT % INFERRED_GRAPH)
    assert not s.query(Q_INFERRED_UNIT % DATA_GRAPH)


def test_asserted_only_queries_see_no_inferred_triples(root, cache):
    s = store.open_read_only(_prepare(root, cache))
    overlap = s.query(f"""
        ASK {{ GRAPH <{DATA_GRAPH}> {{ ?s ?p ?o }} GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} }}""")
    assert not overlap
    derived = """PREFIX jkg: <https://w3id.org/jichitai-kg/ontology#>
        SELECT ?c WHERE { GRAPH <%s> { ?i jkg:derivedCategory ?c } }"""
    assert list(s.query(derived % DATA_GRAPH)) == []
    rows = [r["c"].value for r in s.query(derived % INFERRED_GRAPH)]
    assert rows == ["https://w3id.org/jichitai-kg/id/category/resources-people"]


def test_cache_is_reused_when_inputs_are_unchanged(root, cache, monkeypatch):
    first = _prepare(root, cache)
    built_at = store.read_report(first)["built_at"]

    def boom(*a, **kw):
        raise AssertionError("the reasoner ran although nothing changed")

    monkeypatch.setattr(reasoning, "materialize", boom)
    again = _prepare(root, cache)
    assert again == first
    assert store.read_report(again)["built_at"] == built_at


def test_one_byte_change_rebuilds(root, cache):
    first = _prepare(root, cache)
    f = root / "data" / "gov" / "testgov.ttl"
    f.write_text(f.read_text(encoding="utf-8").replace("試験県", "試験都"), encoding="utf-8")
    second = _prepare(root, cache)
    assert second != first
    s = store.open_read_only(second)
    labels = [r["l"].value for r in s.query(
        'SELECT ?l WHERE { GRAPH ?g { <https://w3id.org/jichitai-kg/id/gov/testgov> '
        '<http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(LANG(?l) = "ja") } }')]
    assert labels == ["試験都"]


def test_reasoner_code_is_part_of_the_key(root, monkeypatch):
    inputs = store.Inputs.from_root(root)
    before = inputs.digest()
    monkeypatch.setattr(store, "reasoning_fingerprint", lambda: b"another reasoner")
    assert inputs.digest() != before


def test_syntax_error_keeps_previous_store(root, cache):
    good = _prepare(root, cache)
    bad = root / "data" / "gov" / "testgov.ttl"
    bad.write_text(SMALL_GOV + '\ngov:testgov rdfs:comment "unterminated .\n', encoding="utf-8")
    with pytest.raises(store.TurtleSyntaxError) as err:
        _prepare(root, cache)
    assert err.value.path == bad
    assert err.value.line == SMALL_GOV.count("\n") + 2
    assert f"testgov.ttl:{err.value.line}" in str(err.value)
    assert sorted(p.name for p in cache.iterdir()) == [good.name]
    assert store.open_read_only(good).query(Q_INFERRED_UNIT % INFERRED_GRAPH)


def test_crash_mid_build_leaves_no_half_store(root, cache, monkeypatch):
    good = _prepare(root, cache)
    (root / "data" / "gov" / "testgov.ttl").write_text(SMALL_GOV + "\n# changed\n", encoding="utf-8")

    def crash(*a, **kw):
        raise RuntimeError("simulated crash while loading")

    monkeypatch.setattr(reasoning.Materialization, "nquads", crash)
    with pytest.raises(RuntimeError, match="simulated crash"):
        _prepare(root, cache)
    assert sorted(p.name for p in cache.iterdir()) == [good.name]


def test_prune_keeps_the_latest_two(root, cache):
    f = root / "data" / "gov" / "testgov.ttl"
    paths = []
    for n in range(3):
        f.write_text(SMALL_GOV + f"\n# version {n}\n", encoding="utf-8")
        paths.append(_prepare(root, cache))
    left = sorted(p.name for p in cache.iterdir() if p.name.startswith(store.STORE_PREFIX))
    assert left == sorted([paths[1].name, paths[2].name])


def test_extra_graph_is_loaded(root, cache, tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text("<https://example.org/a> <https://example.org/b> 1 .\n", encoding="utf-8")
    iri = "https://example.org/graph/extra"
    path = store.prepare(store.Inputs.from_root(root, extra_graphs=[(iri, extra)]), cache, engine="native")
    s = store.open_read_only(path)
    assert _count(s, iri) == 1


def test_report_is_json_with_engine(root, cache):
    path = _prepare(root, cache)
    report = json.loads((path / store.REPORT_FILE).read_text(encoding="utf-8"))
    assert report["engine"] == "native"
    assert report["digest"] in path.name


def test_store_held_by_a_server_is_never_pruned(root, cache):
    served = _prepare(root, cache)
    handle = store.hold(served)
    try:
        assert store.in_use(served)
        for n in range(3):  # three newer builds: more than KEEP_STORES
            (root / "data" / "gov" / "testgov.ttl").write_text(SMALL_GOV + f"\n# change {n}\n",
                                                              encoding="utf-8")
            _prepare(root, cache)
        assert served.is_dir()
        assert store.open_read_only(served).query(Q_INFERRED_UNIT % INFERRED_GRAPH)
    finally:
        handle.close()
    assert not store.in_use(served)
    _prepare(root, cache, force=True)  # released: the next build prunes it
    assert not served.is_dir()


def test_killed_build_leftovers_go_at_the_next_start(root, cache):
    _prepare(root, cache)
    dead = cache / f"{store.TMP_PREFIX}abc-999999999-deadbeef"  # no such process
    live = cache / f"{store.TMP_PREFIX}abc-{os.getpid()}-cafebabe"
    dead.mkdir()
    live.mkdir()
    _prepare(root, cache)
    assert not dead.exists() and live.exists()


def test_read_only_cache_serves_and_damaged_store_names_the_fix(root, cache, monkeypatch):
    path = _prepare(root, cache)

    def read_only_fs(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    with monkeypatch.context() as m:
        m.setattr(store.os, "utime", read_only_fs)
        assert _prepare(root, cache) == path  # served as it is
    (path / "CURRENT").write_bytes(b"garbage")
    with pytest.raises(store.BuildError, match="build --force"):
        store.open_read_only(path)


def test_serve_with_an_empty_unwritable_cache_ends_in_one_line(tmp_path):
    """``serve`` needs to build and the cache folder is read-only (as a user
    without write permission: root writes anywhere, so root runs it in a user namespace)."""
    import subprocess
    import sys

    cache = tmp_path / "ro"
    cache.mkdir()
    cache.chmod(0o555)
    root = Path(__file__).resolve().parents[2]
    cmd = [sys.executable, "-m", "jichitai_kg", "--root", str(root), "serve", "--port", "0",
           "--processes", "1"]
    if os.geteuid() == 0:
        if not shutil.which("unshare") or subprocess.run(
                ["unshare", "--user", "--map-user=1000", "true"], capture_output=True).returncode:
            pytest.skip("root, and no user namespace to drop the right to write anywhere")
        cmd = ["unshare", "--user", "--map-user=1000", "--map-group=1000", *cmd]
    env = {k: v for k, v in os.environ.items() if not k.startswith("JICHITAI_KG_")}
    env["JICHITAI_KG_CACHE_DIR"] = str(cache)
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"jichitai-kg serve: the store must be built, and the cache folder {cache} is not "
        "writable; set CACHE_DIR to a writable folder, or build it there first (jichitai-kg "
        "build) as a user who may write it"], done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_report_counts_are_the_stores_own(root, cache):
    """The report counts what the store holds: a triple stated in two
    files once, a blank node of each file apart (two files' ``_:x`` are two nodes)."""
    gov = root / "data" / "gov"
    (gov / "again.ttl").write_text(SMALL_GOV + '\n_:x <https://example.org/p> "v" .\n', encoding="utf-8")
    (gov / "other.ttl").write_text('_:x <https://example.org/p> "v" .\n', encoding="utf-8")
    path = _prepare(root, cache)
    report = store.read_report(path)
    counts = store.graph_triple_counts(store.open_read_only(path))
    assert report["data_triples"] == counts[str(DATA_GRAPH)] == _count(store.open_read_only(path), DATA_GRAPH)
    assert report["ontology_triples"] == counts[str(ONTOLOGY_GRAPH)]
    assert report["inferred_kept"] == counts[str(INFERRED_GRAPH)]
    blank = "SELECT (COUNT(DISTINCT ?b) AS ?n) { GRAPH <%s> { ?b <https://example.org/p> ?v } }" % DATA_GRAPH
    assert next(iter(store.open_read_only(path).query(blank)))["n"].value == "2"


def test_in_graph_names_every_line_and_leaves_literals_alone():
    doc = store.ntriples([]) + ox.serialize(
        [ox.Triple(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"),
                   ox.Literal("a .\nb ."))], format=ox.RdfFormat.N_TRIPLES)
    quads = list(ox.parse(store.in_graph(doc, "https://example.org/g"), format=ox.RdfFormat.N_QUADS))
    assert [(q.object.value, q.graph_name.value) for q in quads] == [("a .\nb .", "https://example.org/g")]
