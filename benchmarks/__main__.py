"""Run every benchmark in one go and write docs/benchmarks.md.

All figures of a report come from one run on one machine, so their *ratios*
are meaningful even on a shared, noisy host; absolute times are reported with
their min and max for that reason.  Nothing here is asserted by the tests
except that a tiny smoke run completes and writes its tables.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from importlib import metadata
from pathlib import Path

from . import loadgen, profile, servers, synth

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
CLI = str(Path(PY).with_name("jichitai-kg"))
JSON_RESULTS = "application/sparql-results+json"
THIS = "jichitai-kg"


# --------------------------------------------------------------------------- helpers

def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def fmt(s: dict | None, unit: str = "s", scale: float = 1.0, digits: int = 3) -> str:
    if not s:
        return "–"
    m, lo, hi = s["median"] * scale, s["min"] * scale, s["max"] * scale
    return f"{m:.{digits}g} {unit} ({lo:.{digits}g}–{hi:.{digits}g})"


def geomean(values: list[float]) -> float:
    vals = [v for v in values if v > 0]
    return math.exp(sum(math.log(v) for v in vals) / len(vals)) if vals else float("nan")


def catalog(root: Path) -> list[tuple[str, str]]:
    """(id, text) of the competency questions that run without a required parameter."""
    from jichitai_kg.cq import load_catalog

    return [(q.id, q.text) for q in load_catalog(root / "queries")
            if not any(p.required for p in q.params)]


def versions() -> dict:
    out = {"python": platform.python_version(), "machine": f"{platform.machine()}, {os.cpu_count()} cores",
           "platform": platform.platform()}
    for pkg in ("pyoxigraph", "rdflib", "owlrl", "flask", "waitress", "pyshacl"):
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
    from jichitai_kg.query.worker import open_for_queries

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
    """Each question's solutions as a sorted list of rows (values only), to compare servers."""
    out = {}
    for cq_id, text in cqs:
        req = urllib.request.Request(base + urllib.parse.quote(text), headers={"Accept": JSON_RESULTS})
        with urllib.request.urlopen(req, timeout=loadgen.CLIENT_TIMEOUT * 5) as r:
            data = json.load(r)
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


# --------------------------------------------------------------------------- report

def plots(results: dict, img_dir: Path) -> list[str]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return []
    img_dir.mkdir(parents=True, exist_ok=True)
    made = []
    build = results.get("build", {})
    if build:
        fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4))
        for engine in ("owlrl", "native"):
            xs = [int(s) for s in build if engine in build[s]]
            if xs:
                a1.plot(xs, [build[str(x)][engine]["total_s"]["median"] for x in xs], "o-", label=engine)
                a2.plot(xs, [build[str(x)][engine]["peak_rss_mib"]["median"] for x in xs], "o-", label=engine)
        for a, y in ((a1, "build time (s)"), (a2, "peak memory (MiB)")):
            a.set_xscale("log"); a.set_yscale("log"); a.set_xlabel("governments"); a.set_ylabel(y); a.legend()
        fig.tight_layout(); fig.savefig(img_dir / "bench-build.png", dpi=90); plt.close(fig)
        made.append("bench-build.png")
    tp = results.get("throughput", {})
    if tp:
        fig, ax = plt.subplots(figsize=(6, 4))
        for name, by_c in tp.items():
            cs = sorted(int(c) for c in by_c)
            ax.plot(cs, [geomean([r["rps"] for r in by_c[c if c in by_c else str(c)].values()]) for c in cs], "o-", label=name)
        ax.set_xscale("log"); ax.set_yscale("log"); ax.set_xlabel("concurrency"); ax.set_ylabel("requests/s (geomean over CQs)")
        ax.legend(); fig.tight_layout(); fig.savefig(img_dir / "bench-throughput.png", dpi=90); plt.close(fig)
        made.append("bench-throughput.png")
    return made


def _ms_cell(value: float, digits: int = 1) -> str:
    """A latency cell; '–' where the load generator's output could not be read."""
    return "–" if value != value else f"{value:.{digits}f}"


def report(results: dict, cmdline: str, img_rel: str, images: list[str]) -> str:
    v = results["versions"]
    lines = ["# Benchmarks", "",
             "Generated by " + " then ".join(f"`{c}`" for c in results.get("commands", [cmdline]))
             + " on one machine; each table comes from one run; each figure is the median of the runs with "
             "(min–max). Ratios between rows of one table are the meaningful numbers: the machine is shared and noisy.", "",
             "Machine and versions: " + ", ".join(f"{k} {val}" for k, val in v.items()), ""]
    build = results.get("build", {})
    if build:
        lines += ["## Build (parse + reason + load + search index; SHACL validation apart)", "",
                  "| governments | engine | asserted | inferred kept | parse | validate | reason | load | search index | total | peak RSS |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for size, by_engine in build.items():
            for engine, r in by_engine.items():
                lines.append(f"| {size} | {engine} | {r['asserted_triples']:,} | {r['inferred_kept']:,} | {fmt(r.get('parse_s'))} | "
                             f"{fmt(r.get('validate_s'))} | {fmt(r.get('reason_s'))} | {fmt(r.get('load_s'))} | "
                             f"{fmt(r.get('index_s')) if 'index_s' in r else '(in load)'} | {fmt(r.get('total_s'))} | {fmt(r.get('peak_rss_mib'), 'MiB', digits=4)} |")
            for a, b in (("owlrl", "native"),):
                if a in by_engine and b in by_engine:
                    ratio = by_engine[a]["reason_s"]["median"] / by_engine[b]["reason_s"]["median"]
                    lines.append(f"| {size} | {a} ÷ {b} (reasoning) | | | | | **{ratio:.1f}×** | | | | |")
        lines.append("")
    st = results.get("startup", {})
    if st:
        lines += ["## Start-up: `serve` to first answered query", "", "| governments | cold cache | warm cache |", "|---|---|---|"]
        for size, r in st.items():
            lines.append(f"| {size} | {fmt(r['cold'])} | {fmt(r['warm'])} |")
        lines.append("")
    lat = results.get("latency", {})
    if lat:
        lines += ["## Query latency per competency question (real graph)", "",
                  "| question | in-process pyoxigraph | HTTP `/sparql` | HTTP − in-process | CLI `cq run` |", "|---|---|---|---|---|"]
        for cq_id, r in lat.items():
            gap = (r["http"]["median"] - r["inprocess"]["median"]) * 1000
            lines.append(f"| {cq_id} | {fmt(r['inprocess'], 'ms', 1000)} | {fmt(r['http'], 'ms', 1000)} | {gap:.2f} ms | {fmt(r['cli'], 's')} |")
        lines.append("")
    floor = results.get("floor")
    if floor:
        lines += ["## Per-request floor: `ASK {}` over HTTP (answer cache off)", "",
                  "| server | p50 at concurrency 1 | requests/s at concurrency 1 | requests/s at concurrency 8 | p50 at concurrency 8 |",
                  "|---|---|---|---|---|"]
        for name, by_c in floor.items():
            one, eight = by_c.get(1) or by_c.get("1"), by_c.get(8) or by_c.get("8")
            lines.append(f"| {name} | {_ms_cell(one['p50_ms'], 2)} ms | {one['rps']:,.0f} | "
                         f"{eight['rps']:,.0f} | {_ms_cell(eight['p50_ms'], 2)} ms |")
        lines.append("")
    tp = results.get("throughput", {})
    if tp:
        names = list(tp)
        peers = [n for n in names if n != THIS]
        lines += ["## HTTP throughput (requests/s, geometric mean over the competency questions)", "",
                  "| concurrency | " + " | ".join(names) + " | "
                  + " | ".join(f"this ÷ {p}" for p in peers) + " |",
                  "|---|" + "---|" * (len(names) + len(peers))]
        for c in sorted({int(c) for n in names for c in tp[n]}):
            # Every figure is measured: the load generator waits for answers in flight, so a
            # slow server gets its true (small) rate, never a bound.
            g = {n: geomean([r["rps"] for r in tp[n][c].values()]) for n in names}
            this = g.get(THIS, float("nan"))

            def ratio(peer):
                return f"{this / g[peer]:.2f}×" if g.get(peer, 0) > 0 else "–"
            lines.append(f"| {c} | " + " | ".join(f"{g[n]:,.1f}" for n in names) + " | "
                         + " | ".join(ratio(p) for p in peers) + " |")
        cached = results.get("cached")
        if cached:
            c = int(cached["concurrency"])
            g_cached = geomean(list(cached["rps"].values()))
            g_uncached = geomean([r["rps"] for r in tp[THIS][c].values()]) if c in tp[THIS] else float("nan")
            lines += ["", f"With its answer cache on (`RESULT_CACHE_BYTES`, every question asked before), "
                      f"this service answers {g_cached:,.1f} requests/s (geometric mean, concurrency {c}): "
                      f"{g_cached / g_uncached:.2f}× its uncached rate. The targets and the table above "
                      "are uncached."]
        behind = []  # the per-question target: at least as fast as the Oxigraph server
        for peer in (p for p in peers if p.startswith("oxigraph")):
            for c in sorted(c for c in tp[THIS] if c in tp[peer]):
                slower = [q for q, r in tp[THIS][c].items()
                          if q in tp[peer][c] and r["rps"] < tp[peer][c][q]["rps"]]
                behind.append(f"- concurrency {c}, {peer}: this service is slower on {len(slower)} of "
                              f"{len(tp[THIS][c])} questions" + (f" ({', '.join(slower)})" if slower else ""))
        if behind:
            lines += ["", *behind]
        timeouts = sum(r.get("timeouts", 0) for n in names for rows in tp[n].values() for r in rows.values())
        lines += ["", f"Requests that timed out (client time-out {loadgen.CLIENT_TIMEOUT:g} s): {timeouts}."]
        agree = results.get("answers_agree")
        if agree:
            differ = [q for q, same in agree.items() if not same]
            lines.append("All servers returned the same rows on every question." if not differ else
                         "Rows differ between servers on: " + ", ".join(differ) + ".")
        unread = any(r["p50_ms"] != r["p50_ms"] or r["p99_ms"] != r["p99_ms"]
                     for n in names for rows in tp[n].values() for r in rows.values())
        lines += ["", "Per question, concurrency 8 (requests/s, p50 ms, p99 ms"
                  + ("; – where the load generator's output could not be read" if unread else "") + "):", "",
                  "| question | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
        c8 = 8 if all(8 in tp[n] for n in names) else min(tp[names[0]])
        for cq_id in tp[names[0]][c8]:
            cells = []
            for n in names:
                r = tp[n][c8].get(cq_id)
                cells.append(f"{r['rps']:,.1f} / {_ms_cell(r['p50_ms'])} / {_ms_cell(r['p99_ms'])}"
                             + (f" ({r['errors']} err)" if r["errors"] else "")
                             + (f" ({r['timeouts']} timed out)" if r.get("timeouts") else "") if r else "–")
            lines.append(f"| {cq_id} | " + " | ".join(cells) + " |")
        lines.append("")
    lines += profile_section(results.get("profile"))
    for note in results.get("notes", []):
        lines.append(f"- {note}")
    for img in images:
        lines += ["", f"![{img}]({img_rel}/{img})"]
    lines += search_section(ROOT / "docs" / SEARCH_PAGE)
    analysis = ROOT / "benchmarks" / "analysis.md"
    if analysis.exists():  # the hand-written reading of these tables against the targets
        lines += ["", analysis.read_text(encoding="utf-8").rstrip()]
    return "\n".join(lines) + "\n"


def profile_section(prof: dict | None) -> list[str]:
    """CPU per request by process kind, and where the serving process's own time goes."""
    if not prof:
        return []
    c = prof["concurrency"]
    rows = prof["cpu_ms_per_request"]
    lines = [f"## Where the time goes (concurrency {c}, answer cache off)", "",
             "CPU milliseconds per answered request, read from /proc while the load ran "
             "(`benchmarks/profile.py`):", "",
             "| question | requests/s | serving processes | query workers | helpers | load generator |",
             "|---|---|---|---|---|---|"]
    for q, r in rows.items():
        lines.append(f"| {q} | {r['requests/s']:,.0f} | {r['serving']:.3f} | {r['workers']:.3f} | "
                     f"{r['helpers']:.3f} | {r['load generator']:.3f} |")
    gil = prof.get("gil")
    if gil and gil["shares"]:
        lines += ["", f"Samples of the thread holding the interpreter lock in one serving process "
                  f"(py-spy `--gil`, question `{gil['question']}`), by the library of the innermost frame:",
                  "", "| part | share |", "|---|---|"]
        lines += [f"| {part} | {share:.0%} |" for part, share in gil["shares"].items()]
    return lines + [""]


#: Written by ``python -m benchmarks.search_latency``, never by this report (which it would lose).
SEARCH_PAGE = "benchmarks-search.md"


def search_section(page: Path) -> list[str]:
    """A pointer to the search latency page, with its summary line."""
    if not page.exists():
        return []
    lines = page.read_text(encoding="utf-8").splitlines()
    summary_line = next((line for line in lines if line.startswith("Median over")), "")
    return ["## Search latency", "", f"Measured on its own by `python -m benchmarks.search_latency`: "
            f"[{page.name}]({page.name}). {summary_line}", ""]


# --------------------------------------------------------------------------- main

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


if __name__ == "__main__":
    raise SystemExit(main())
