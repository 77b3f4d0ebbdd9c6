"""Run every benchmark in one go and write docs/benchmarks.md.

All figures of a report come from one run on one machine, so their *ratios*
are meaningful even on a shared, noisy host; absolute times are reported with
their min and max for that reason.  Nothing here is asserted by the tests
except that a tiny smoke run completes and writes its tables.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from importlib import metadata
from pathlib import Path

from . import loadgen, profile, servers, synth
from .report import THIS, plots, report, summary

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
CLI = str(Path(PY).with_name("jichitai-kg"))
JSON_RESULTS = "application/sparql-results+json"
#: The questions a ``--smoke`` run sends (every stage runs once per question; the full run asks all).
SMOKE_QUESTIONS = ("category-matrix", "cdo", "figures")


# --------------------------------------------------------------------------- helpers


def catalog(root: Path) -> list[tuple[str, str]]:
    """(id, text) of the competency questions that run without a required parameter."""
    from jichitai_kg.cq import load_catalog

    return [(q.id, q.text) for q in load_catalog(root / "queries")
            if not any(p.required for p in q.params)]


def versions() -> dict:
    out = {"python": platform.python_version(), "machine": f"{platform.machine()}, {os.cpu_count()} cores",
           "platform": platform.platform()}
    for pkg in ("pyoxigraph", "rdflib", "owlrl", "flask", "granian", "pyshacl"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    return out


# --------------------------------------------------------------------------- stages

def bench_build(tree: Path, engine: str, runs: int, validate: bool) -> dict:
    results = []
    for _ in range(runs):
        cmd = [PY, "-m", "benchmarks.build_once", str(tree), "--engine", engine] + (["--validate"] if validate else [])
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        if proc.returncode != 0:
            raise RuntimeError(f"build failed ({engine}, {tree}):\n{proc.stderr[-3000:]}")
        results.append(json.loads(proc.stdout))
    keys = [k for k in results[0] if k.endswith("_s") or k == "peak_rss_mib"]
    out = {k: summary([r[k] for r in results]) for k in keys}
    for k in ("asserted_triples", "inferred_kept", "inferred_dropped"):
        out[k] = results[0][k]
    return out


def bench_startup(tree: Path, runs: int, tmp: Path) -> dict:
    """Seconds from spawning ``serve`` to the first answered query, cold and warm cache."""
    cold, warm = [], []
    for i in range(runs):
        cache = tmp / f"startup-cache-{i}"
        for bucket in (cold, warm):  # first start builds the cache, the second reuses it
            port = servers.free_port()
            t0 = time.perf_counter()
            with servers.this_service(tree, cache, port):
                url = f"http://127.0.0.1:{port}/sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }")
                with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": JSON_RESULTS})) as r:
                    r.read()
                bucket.append(time.perf_counter() - t0)
        shutil.rmtree(cache, ignore_errors=True)
    return {"cold": summary(cold), "warm": summary(warm)}


def _time_http(url: str, n: int) -> list[float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": JSON_RESULTS})) as r:
            r.read()
        times.append(time.perf_counter() - t0)
    return times


def bench_latency(tree: Path, cache: Path, port: int, cqs, repeats: int) -> dict:
    """Per competency question: in-process pyoxigraph (the floor), CLI, HTTP."""
    import pyoxigraph as ox

    from jichitai_kg import store
    from jichitai_kg.query.execution.worker import open_for_queries

    path = store.prepare(store.Inputs.from_root(tree), cache)
    st = open_for_queries(path)  # the same kind of store the server's workers query
    out = {}
    for cq_id, text in cqs:
        inproc = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            res = st.query(text, use_default_graph_as_union=True)
            if hasattr(res, "serialize"):
                res.serialize(format=ox.QueryResultsFormat.JSON)
            inproc.append(time.perf_counter() - t0)
        cli = []
        for _ in range(max(1, repeats // 10)):
            t0 = time.perf_counter()
            subprocess.run([CLI, "--root", str(tree), "cq", "run", cq_id, "--format", "json"],
                           capture_output=True, check=True, env={**os.environ, "JICHITAI_KG_CACHE_DIR": str(cache)})
            cli.append(time.perf_counter() - t0)
        url = f"http://127.0.0.1:{port}/sparql?query=" + urllib.parse.quote(text)
        _time_http(url, 3)  # warm the workers
        http = _time_http(url, repeats)
        out[cq_id] = {"inprocess": summary(inproc), "cli": summary(cli), "http": summary(http)}
    del st
    return out


def same_answers_from(base: str, cqs) -> dict:
    """Each question's solutions as a sorted list of rows (values only), to compare servers;
    the status and message instead where the server refused the question."""
    out: dict = {}
    for cq_id, text in cqs:
        req = urllib.request.Request(base + urllib.parse.quote(text), headers={"Accept": JSON_RESULTS})
        try:
            with urllib.request.urlopen(req, timeout=loadgen.CLIENT_TIMEOUT * 5) as r:
                data = json.load(r)
        except urllib.error.HTTPError as exc:  # a peer that refuses a question: reported, not fatal
            out[cq_id] = f"HTTP {exc.code}: {' '.join(exc.read()[:300].decode('utf-8', 'replace').split())}"
            print(f"{base}: {cq_id} answered {out[cq_id]}", file=sys.stderr)
            continue
        out[cq_id] = sorted(json.dumps({k: v["value"] for k, v in b.items()}, sort_keys=True)
                            for b in data["results"]["bindings"])
    return out


def bench_floor(base: str, duration: float, tool: str) -> dict:
    """`ASK {}` (answer cache off): the cost of a request itself, at concurrency 1 and 8.
    ``base``: the server's query URL up to ``?query=``."""
    url = base + urllib.parse.quote("ASK {}")
    out = {}
    for c in (1, 8):
        r = loadgen.load(url, {"Accept": JSON_RESULTS}, c, duration, tool)
        out[c] = {"rps": r.rps, "p50_ms": r.p50_ms, "p99_ms": r.p99_ms, "errors": r.errors}
    return out


def bench_throughput(base_urls: dict, cqs, concurrencies, duration: float, tool: str) -> dict:
    """requests/s, p50, p99 per server, concurrency and question."""
    out: dict = {}
    for name, base in base_urls.items():
        out[name] = {}
        for c in concurrencies:
            rows = {}
            for cq_id, text in cqs:
                url = base + urllib.parse.quote(text)
                r = loadgen.load(url, {"Accept": JSON_RESULTS}, c, duration, tool)
                rows[cq_id] = {"rps": r.rps, "p50_ms": r.p50_ms, "p99_ms": r.p99_ms, "errors": r.errors,
                               "timeouts": r.timeouts, "tool": r.tool}
            out[name][c] = rows
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="8,100,1788", help="numbers of governments (comma-separated)")
    ap.add_argument("--runs", type=int, default=3, help="runs per build/start-up figure")
    ap.add_argument("--owlrl-max", type=int, default=100, help="largest size reasoned with owlrl (it is slow)")
    ap.add_argument("--validate-max", type=int, default=100, help="largest size run through SHACL")
    ap.add_argument("--concurrency", default="1,8,32")
    ap.add_argument("--duration", type=float, default=3.0, help="seconds of load per (server, question, concurrency)")
    ap.add_argument("--repeats", type=int, default=30, help="latency samples per question")
    ap.add_argument("--bench-venv", type=Path, default=ROOT / ".venv-bench", help="venv with rdflib-endpoint and oxigraph")
    ap.add_argument("--load-tool", default="auto", choices=("auto", "wrk", "python"))
    ap.add_argument("--only", default="build,startup,latency,throughput",
                    help="sections to measure; 'report' re-renders the report from --keep without measuring")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    ap.add_argument("--smoke", action="store_true", help="tiny sizes and durations, no peers: checks the harness runs")
    ap.add_argument("--keep", type=Path, help="results JSON of an earlier run whose sections not re-measured "
                    "now are kept (each table's ratios still come from one run)")
    args = ap.parse_args(argv)
    if args.smoke:
        args.sizes, args.runs, args.concurrency, args.duration, args.repeats = "9", 1, "1", 0.3, 2
        args.owlrl_max = args.validate_max = 0
    sizes = [int(s) for s in args.sizes.split(",")]
    only = set(args.only.split(","))
    conc = [int(c) for c in args.concurrency.split(",")]
    results: dict = {"versions": versions(), "notes": [], "duration": args.duration}
    if args.keep:
        kept = json.loads(args.keep.read_text(encoding="utf-8"))
        for section in ("build", "startup", "latency", "throughput"):
            if section in kept and section not in only:
                results[section] = kept[section]
        if "throughput" not in only:  # the figures measured with the throughput
            results.update({k: kept[k] for k in ("floor", "profile", "cached", "answers_agree", "refused")
                            if k in kept})
        if only == {"report"}:
            results["notes"] = kept.get("notes", [])
        if "throughput" in results:  # JSON turned the concurrency keys into strings
            results["throughput"] = {n: {int(c): rows for c, rows in by_c.items()}
                                     for n, by_c in results["throughput"].items()}
        results["commands"] = kept.get("commands", [kept.get("command", "")])
        if "throughput" not in only and "duration" in kept:
            results["duration"] = kept["duration"]
    work = Path(tempfile.mkdtemp(prefix="jkg-bench-"))
    try:
        trees = {}
        for size in sizes if only & {"build", "startup", "latency", "throughput"} else ():
            trees[size] = synth.generate(size, work / f"tree-{size}")
            print(f"generated {size} governments", file=sys.stderr)
        if "build" in only:
            results["build"] = {}
            for size in sizes:
                by_engine = {}
                for engine in ("owlrl", "native"):
                    if engine == "owlrl" and size > args.owlrl_max:
                        continue
                    validate = engine == "native" and size <= args.validate_max
                    by_engine[engine] = bench_build(trees[size], engine, args.runs, validate)
                    print(f"build {size} {engine}: {by_engine[engine]['total_s']['median']:.2f}s", file=sys.stderr)
                results["build"][str(size)] = by_engine
            if any(s > args.owlrl_max for s in sizes) and not args.smoke:
                results["notes"].append(f"owlrl was run up to {args.owlrl_max} governments; it grows super-linearly. "
                                        "The native engine's closure equals owlrl's filtered closure (tests/reasoning/test_reasoning.py).")
        if "startup" in only:
            results["startup"] = {str(s): bench_startup(trees[s], args.runs, work) for s in sizes}
        if not only & {"latency", "throughput"}:
            return _write(args, argv, results)
        small = trees[min(sizes)]
        cqs = catalog(ROOT)
        if args.smoke:  # a check that every stage runs, not a measurement: three questions do
            cqs = [(cq_id, text) for cq_id, text in cqs if cq_id in SMOKE_QUESTIONS]
        cache = work / "cache"
        port = servers.free_port()
        with servers.this_service(small, cache, port) as (server, _):
            if "latency" in only:
                results["latency"] = bench_latency(small, cache, port, cqs, args.repeats)
            if "throughput" in only:
                base = f"http://127.0.0.1:{port}/sparql?query="
                results["throughput"] = bench_throughput({THIS: base}, cqs, conc, args.duration, args.load_tool)
                results["floor"] = {THIS: bench_floor(base, args.duration, args.load_tool)}
                ours = same_answers_from(base, cqs)
                if not args.smoke:
                    texts = dict(cqs)
                    results["profile"] = profile.profile(
                        server.pid, base, {"ASK {}": "ASK {}", "cdo": texts["cdo"],
                                           "figures": texts["figures"]}, args.bench_venv)
        if "throughput" in only:
            c = 8 if 8 in conc else max(conc)
            with servers.this_service(small, cache, port, cache_answers=True):
                rows = bench_throughput({THIS: base}, cqs, [c], args.duration, args.load_tool)
            results["cached"] = {"concurrency": c, "rps": {q: r["rps"] for q, r in rows[THIS][c].items()}}
            if not args.smoke:
                _with_peers(args, small, cache, cqs, conc, results, ours)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return _write(args, argv, results)


def _write(args, argv, results: dict) -> int:
    """The report (Markdown, plots) and the raw results (JSON) beside it."""
    images = plots(results, args.out.parent / "img")
    cmdline = "python -m benchmarks " + " ".join(argv if argv is not None else sys.argv[1:])
    measured = set(args.only.split(",")) - {"report"}
    results["commands"] = [c for c in results.get("commands", []) if c] + ([cmdline.strip()] if measured else [])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report(results, cmdline.strip(), "img", images), encoding="utf-8")
    (args.out.with_suffix(".json")).write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


def _with_peers(args, tree: Path, cache: Path, cqs, conc, results: dict, ours: dict) -> None:
    """Throughput and floor of the peers on the same data, in the same run, into ``results``;
    and whether every server returned the rows this service did (``ours``)."""
    from jichitai_kg import store

    venv = args.bench_venv
    if not (venv / "bin" / "rdflib-endpoint").exists() or not (venv / "bin" / "oxigraph").exists():
        print(f"peers not installed in {venv} (run `make bench-setup`); measuring this service only", file=sys.stderr)
        return
    import pyoxigraph as ox

    store_dir = store.prepare(store.Inputs.from_root(tree), cache)
    dump = cache.parent / "all.nq"
    st = store.open_read_only(store_dir)
    # N-Quads: the named graphs stay named (questions such as `figures` use GRAPH <…/graph/data>)
    dump.write_bytes(st.dump(format=ox.RdfFormat.N_QUADS))
    del st
    answers = {THIS: ours}
    peers = [
        ("rdflib-endpoint", lambda port: servers.rdflib_endpoint(venv, dump, port), "/?query="),
        ("oxigraph", lambda port: servers.oxigraph_server(venv, store_dir, port), "/query?query="),
        ("oxigraph (in memory)", lambda port: servers.oxigraph_in_memory(venv, dump, port), "/query?query="),
    ]
    for name, start, path in peers:
        port = servers.free_port()
        with start(port) as (_, started):
            base = f"http://127.0.0.1:{port}{path}"
            answers[name] = same_answers_from(base, cqs)
            results["throughput"].update(bench_throughput({name: base}, cqs, conc, args.duration, args.load_tool))
            results["floor"][name] = bench_floor(base, args.duration, args.load_tool)
        results["notes"].append(f"{name} took {started:.1f} s to start (and load) this graph.")
    results["answers_agree"] = {cq_id: len({json.dumps(a[cq_id]) for a in answers.values()}) == 1
                                for cq_id, _ in cqs}
    results["refused"] = {name: {q: a for q, a in by_q.items() if isinstance(a, str)}
                          for name, by_q in answers.items() if any(isinstance(a, str) for a in by_q.values())}


if __name__ == "__main__":
    raise SystemExit(main())
