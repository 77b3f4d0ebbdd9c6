"""The index of the shipped register and case data (three 港区, kana readings, 団体コード) and its caching."""

from __future__ import annotations

import os

import pyoxigraph as ox
import pytest

from jichitai_kg.search import SearchIndex
from jichitai_kg.search.rank import EXACT, PREFIX
from jichitai_kg.store import text_index as index_mod
from jichitai_kg.store.text_index import build_index, ensure_index, index_path
from search_fixtures import GOV, WARD

THREE_MINATO = {GOV + "minato", WARD + "nagoya-minato", WARD + "osaka-minato"}


def test_minato_returns_the_three_wards_as_exact(real_index):
    hits = real_index.search("港区", kind="government").hits
    exact = {h.iri for h in hits if h.tier == EXACT}
    assert exact == THREE_MINATO
    assert hits[0].iri in THREE_MINATO
    prefectures = {h.iri: h.prefecture for h in hits if h.iri in THREE_MINATO}
    assert prefectures == {GOV + "minato": GOV + "tokyo", WARD + "nagoya-minato": GOV + "aichi",
                           WARD + "osaka-minato": GOV + "osaka"}


def test_kana_reading_finds_kamakura_first(real_index):
    hits = real_index.search("かまくら").hits
    assert hits[0].iri == GOV + "kamakura" and hits[0].tier == PREFIX
    assert hits[0].matched_field == "kana" and hits[0].snippet_html == "<mark>かまくら</mark>し"
    assert real_index.search("カマクラシ").hits[0].iri == GOV + "kamakura"  # katakana folds
    wards = {h.iri for h in real_index.search("みなとく").hits if h.tier == EXACT}
    assert wards == THREE_MINATO


def test_code_is_an_exact_name(real_index):
    hits = real_index.search("231118").hits
    assert [h.iri for h in hits if h.tier == EXACT] == [WARD + "nagoya-minato"]
    assert [e["iri"] for e in real_index.by_code("23111")] == [WARD + "nagoya-minato"]
    assert real_index.by_code("2311") == []


def test_ambiguous_names_in_different_prefectures(real_index):
    hits = [h for h in real_index.search("府中市").hits if h.tier == EXACT]
    assert {(h.iri, h.prefecture) for h in hits} == {(GOV + "fuchu-city-tokyo", GOV + "tokyo"),
                                                    (GOV + "fuchu-city-hiroshima", GOV + "hiroshima")}


def test_index_lives_in_the_store_directory_and_is_reused(service_store, real_index):
    register_store = service_store
    path = index_path(register_store)
    assert path.parent == register_store and path.is_file() and real_index.path == path
    mtime = path.stat().st_mtime_ns
    assert ensure_index(register_store) == path
    assert path.stat().st_mtime_ns == mtime


def test_failed_build_keeps_the_good_index(service_store, real_index, monkeypatch):
    register_store = service_store
    path = index_path(register_store)
    before = path.read_bytes()

    def broken(data, target):
        target.write_bytes(b"half")
        raise RuntimeError("disk full")

    monkeypatch.setattr(index_mod, "write", broken)
    with pytest.raises(RuntimeError):
        build_index(ox.Store.read_only(str(register_store)), register_store)
    assert path.read_bytes() == before
    assert not [p for p in os.listdir(register_store) if p.startswith(".tmp-")]


def test_missing_index_is_built_from_the_store(tmp_path):
    store = ox.Store()
    gov = ox.NamedNode(GOV + "example")
    store.add(ox.Quad(gov, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("例市", language="ja"),
                      ox.NamedNode("https://w3id.org/jichitai-kg/graph/data")))
    path = ensure_index(tmp_path, open_store=lambda p: store)
    hits = SearchIndex(path).search("例市").hits
    assert [(h.iri, h.tier, h.kind) for h in hits] == [(GOV + "example", EXACT, "other")]


def test_query_workers_leave_the_index_out_when_weighing_the_store(service_store, real_index, monkeypatch):
    """A store small enough to copy into memory stays so with its (bigger) search index beside it."""
    register_store = service_store
    from jichitai_kg.query.execution import worker

    files = [f for f in register_store.rglob("*") if f.is_file()]
    index_bytes = sum(f.stat().st_size for f in files if f.name.startswith("search-"))
    assert index_bytes > 0
    rdf_bytes = sum(f.stat().st_size for f in files) - index_bytes
    monkeypatch.setattr(worker, "MEMORY_COPY_MAX_BYTES", rdf_bytes)
    store = worker.open_for_queries(register_store)
    some_quad = next(iter(store.quads_for_pattern(None, None, None)))
    added = ox.Quad(some_quad.subject, some_quad.predicate, ox.Literal("x"), some_quad.graph_name)
    store.add(added)  # writable: the in-memory copy, not the read-only store on disk
    assert added in store
    monkeypatch.setattr(worker, "MEMORY_COPY_MAX_BYTES", rdf_bytes - 1)
    with pytest.raises(RuntimeError, match="read-write"):
        worker.open_for_queries(register_store).add(some_quad)


def test_concurrent_first_uses_build_the_index_once(tmp_path, monkeypatch):
    """Two serving processes (here threads, each with its own lock file handle) asking for a
    missing index at once: the second waits for the first's build instead of building again."""
    import threading

    entered, go, builds = threading.Event(), threading.Event(), []

    def slow_build(store, store_dir):
        builds.append(store_dir)
        entered.set()
        assert go.wait(timeout=30)
        target = index_path(store_dir)
        target.write_bytes(b"built")
        return target

    monkeypatch.setattr(index_mod, "build_index", slow_build)
    results: list = []
    first = threading.Thread(target=lambda: results.append(ensure_index(tmp_path, open_store=lambda p: ox.Store())))
    second = threading.Thread(target=lambda: results.append(ensure_index(tmp_path, open_store=lambda p: ox.Store())))
    first.start()
    assert entered.wait(timeout=30)
    second.start()
    second.join(timeout=0.3)
    assert second.is_alive() and results == []  # waiting on the lock, not building
    go.set()
    first.join(timeout=30)
    second.join(timeout=30)
    assert results == [index_path(tmp_path)] * 2 and len(builds) == 1
    assert index_path(tmp_path).read_bytes() == b"built"
