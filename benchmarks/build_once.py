"""Build one synthetic tree exactly as the server does, and print the timings as JSON.

Runs in its own process so that the peak resident memory it reports
(``ru_maxrss``) belongs to that build alone.  The build is ``store.prepare``
itself (parse → reason → load, timed per stage in its ``build.json``);
SHACL validation, when asked for, runs afterwards and is reported apart
because pyshacl needs an rdflib graph of everything.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from jichitai_kg import store
from jichitai_kg.store.text_index import ensure_index


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(root: Path, engine: str, validate: bool) -> dict:
    inputs = store.Inputs.from_root(root)
    with tempfile.TemporaryDirectory() as cache:
        t = time.perf_counter()
        path = store.prepare(inputs, Path(cache), engine=engine, force=True)
        t_index = time.perf_counter()
        ensure_index(path)  # built after the store, on first use by /search or /reconcile
        index_s = time.perf_counter() - t_index
        total = time.perf_counter() - t
        report = store.read_report(path)
    timings = report["timings"]
    out = {
        "engine": report["engine"],
        "parse_s": timings["parse"],
        "reason_s": timings["reason"],
        "load_s": timings["load"],
        "index_s": index_s,
        "total_s": total,
        "peak_rss_mib": _peak_mib(),
        "asserted_triples": report["asserted"],
        "inferred_kept": report["inferred_kept"],
        "inferred_dropped": report["inferred_dropped"],
    }
    if validate:
        from jichitai_kg import reasoning, validation

        t = time.perf_counter()
        quads = [q for f in inputs.ontology_files + inputs.data_files for q in store.parse_file(f)]
        shapes = reasoning.quads_to_graph(store.parse_file(root / "ontology" / "shapes" / "shapes.ttl"))
        validation.run_shacl(reasoning.quads_to_graph(quads), shapes)
        out["validate_s"] = time.perf_counter() - t
        out["peak_rss_with_shacl_mib"] = _peak_mib()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("root", type=Path)
    ap.add_argument("--engine", default="native")
    ap.add_argument("--validate", action="store_true")
    args = ap.parse_args(argv)
    json.dump(build(args.root, args.engine, args.validate), sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
