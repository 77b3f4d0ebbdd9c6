"""Build one synthetic tree stage by stage and print the timings as JSON.

Runs in its own process so that the peak resident memory it reports
(``ru_maxrss``) belongs to that build alone.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from jichitai_kg import reasoning
from jichitai_kg.namespaces import DATA_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH


def _parse(files) -> Graph:
    g = Graph()
    for f in files:
        g.parse(f, format="turtle")
    return g


def build(root: Path, engine: str, validate: bool) -> dict:
    out: dict = {"engine": engine}
    t = time.perf_counter()
    ontology = _parse(sorted((root / "ontology").glob("*.ttl")))
    data = _parse(sorted((root / "data").rglob("*.ttl")))
    out["parse_s"] = time.perf_counter() - t
    out["asserted_triples"] = len(ontology) + len(data)
    if validate:
        from jichitai_kg import validation

        t = time.perf_counter()
        validation.run_shacl(ontology, data)
        out["validate_s"] = time.perf_counter() - t
    t = time.perf_counter()
    m = reasoning.materialize(ontology, data, engine=engine)
    out["reason_s"] = time.perf_counter() - t
    out["inferred_kept"] = m.kept
    out["inferred_dropped"] = m.dropped
    t = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        store = ox.Store(tmp)
        for graph, g in ((ONTOLOGY_GRAPH, ontology), (DATA_GRAPH, data), (INFERRED_GRAPH, m.inferred)):
            store.bulk_load(g.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES,
                            to_graph=ox.NamedNode(str(graph)))
        store.flush()
        out["load_s"] = time.perf_counter() - t
        del store
    out["total_s"] = sum(v for k, v in out.items() if k.endswith("_s"))
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("root", type=Path)
    ap.add_argument("--engine", default="owlrl", choices=reasoning.ENGINES)
    ap.add_argument("--validate", action="store_true")
    args = ap.parse_args(argv)
    json.dump(build(args.root, args.engine, args.validate), sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
