"""Throughput of the service in remote mode, beside embedded mode and the store queried directly.

    .venv/bin/python -m benchmarks.remote [--duration 2] [--concurrency 1,8]

Same run, same queries (the competency questions without a required parameter), same data:

- ``embedded``: ``jichitai-kg serve`` on its own pyoxigraph store (two query workers);
  both services run with their answer cache off, as in the main benchmark;
- ``remote``: ``jichitai-kg serve --query-endpoint`` in front of an Oxigraph server that
  ``jichitai-kg push`` filled;
- ``oxigraph-direct``: that Oxigraph server queried directly (``--union-default-graph``),
  i.e. the price of the store alone.

Everything listens on 127.0.0.1 and every load run is bounded by ``--duration``.  The JSON
goes to docs/benchmarks-remote.json and the table replaces the "Remote store" section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import servers
from benchmarks.__main__ import CLI, bench_throughput, catalog, geomean, versions

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
OUT = ROOT / "docs" / "benchmarks-remote.json"
SECTION = "## Throughput through a remote store (`serve --query-endpoint`)"
NAMES = ("embedded", "remote", "oxigraph-direct")


def measure(duration: float, concurrencies: list[int], tool: str, logs: Path | None = None) -> dict:
    cqs = catalog(ROOT)
    oxigraph = str(Path(sys.executable).with_name("oxigraph"))
    with tempfile.TemporaryDirectory(prefix="jkg-bench-remote-") as tmp:
        tmp_path = Path(tmp)
        ox_port, emb_port, rem_port = (servers.free_port() for _ in range(3))
        ox_base = f"http://127.0.0.1:{ox_port}"
        ox_cmd = [oxigraph, "serve", "--location", str(tmp_path / "db"), "--bind",
                  f"127.0.0.1:{ox_port}", "--union-default-graph"]
        def log(name: str) -> Path | None:
            return logs / f"{name}.log" if logs else None

        with servers.running(ox_cmd, ox_base + "/query?query=ASK%7B%7D", log=log("oxigraph")):
            subprocess.run([CLI, "--root", str(ROOT), "push", "--query-endpoint", ox_base + "/query",
                            "--update-endpoint", ox_base + "/update", "--gsp-endpoint",
                            ox_base + "/store"], check=True, stdout=subprocess.DEVNULL)
            # Both with the answer cache off (servers.this_service), like the peers.
            with servers.this_service(ROOT, ROOT / ".cache", emb_port,
                                      log=log("embedded")), \
                 servers.this_service(ROOT, tmp_path / "remote-cache", rem_port, log=log("remote"),
                                      extra_args=("--query-endpoint", ox_base + "/query")):
                bases = {"embedded": f"http://127.0.0.1:{emb_port}/sparql?query=",
                         "remote": f"http://127.0.0.1:{rem_port}/sparql?query=",
                         "oxigraph-direct": ox_base + "/query?query="}
                # Interleaved per question, so that the three see the same machine load.
                out: dict = {n: {c: {} for c in concurrencies} for n in NAMES}
                for c in concurrencies:
                    for question in cqs:
                        for name in NAMES:
                            rows = bench_throughput({name: bases[name]}, [question], [c],
                                                    duration, tool)[name][c]
                            out[name][c].update(rows)
    return {"throughput": out, "duration": duration, "tool": tool,
            "versions": versions(), "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def table(results: dict) -> str:
    tp = results["throughput"]
    lines = [SECTION, "",
             "Requests/s, geometric mean over the competency questions without a required "
             "parameter; the three columns were measured in the same run, interleaved question by question, with "
             f"`{results['tool']}` for {results['duration']:g} s per question "
             "(`python -m benchmarks.remote`). `remote` is `serve --query-endpoint` in front "
             "of an Oxigraph server filled by `push`; `oxigraph-direct` is that server queried "
             "directly. Both services run with their answer cache off.", "",
             "| concurrency | embedded | remote | oxigraph-direct | remote ÷ embedded | "
             "remote ÷ oxigraph-direct |", "|---|---|---|---|---|---|"]
    for c in sorted(tp["embedded"], key=int):
        g = {n: geomean([r["rps"] for r in tp[n][c].values()]) for n in NAMES}
        errors = sum(r["errors"] for n in NAMES for r in tp[n][c].values())
        lines.append(f"| {c} | {g['embedded']:.1f} | {g['remote']:.1f} | "
                     f"{g['oxigraph-direct']:.1f} | {g['remote'] / g['embedded']:.2f}× | "
                     f"{g['remote'] / g['oxigraph-direct']:.2f}×"
                     + (f" ({errors} errors)" if errors else "") + " |")
    return "\n".join(lines) + "\n"


def write_section(text: str) -> None:
    doc = DOC.read_text(encoding="utf-8")
    start = doc.find(SECTION)
    if start >= 0:
        end = doc.find("\n## ", start + len(SECTION))
        doc = doc[:start] + text + ("\n" + doc[end + 1:] if end >= 0 else "")
    else:
        marker = doc.find("## Reading the tables against the targets")
        doc = doc[:marker] + text + "\n" + doc[marker:] if marker >= 0 else doc + "\n" + text
    DOC.write_text(doc, encoding="utf-8")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.remote", description=__doc__.split("\n")[0])
    ap.add_argument("--duration", type=float, default=2.0, help="seconds per question and server")
    ap.add_argument("--concurrency", default="1,8", help="comma-separated connection counts")
    ap.add_argument("--load-tool", default="auto", choices=("auto", "wrk", "python"))
    ap.add_argument("--logs", type=Path, help="directory for the servers' output")
    args = ap.parse_args(argv)
    conc = [int(c) for c in args.concurrency.split(",") if c]
    tool = args.load_tool if args.load_tool != "auto" else ("wrk" if shutil.which("wrk") else "python")
    results = measure(args.duration, conc, tool, args.logs)
    OUT.write_text(json.dumps(results, indent=1), encoding="utf-8")
    write_section(table(results))
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
