"""Two builds of this service and the in-memory Oxigraph server, measured in one run.

For a change to the request path on a shared machine: both builds serve the same content
(answer cache off) at the same time on loopback, and every (question, concurrency) is
measured for each server in turn, in alternating order over several rounds, so a busy
neighbour slows all of them alike and the *ratios* stay meaningful::

    python -m benchmarks.side_by_side --before /work/main/.venv --after .venv \\
        --root . --oxigraph .venv-bench/bin/oxigraph --rounds 3

prints, per question, the best requests/s of each server at concurrency 8 and the
``ASK {}`` p50 at concurrency 1, and the ratios after/before and after/Oxigraph.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import sys
import tempfile
import urllib.parse
from pathlib import Path

from . import loadgen, servers

ASK = "ASK {}"
JSON_RESULTS = "application/sparql-results+json"


def _service(venv: Path, root: Path, cache: Path, port: int):
    cmd = [str(venv / "bin" / "jichitai-kg"), "--root", str(root), "serve", "--host", "127.0.0.1",
           "--port", str(port), "--quiet"]
    env = {"JICHITAI_KG_CACHE_DIR": str(cache), "JICHITAI_KG_RESULT_CACHE_BYTES": "0"}
    return servers.running(cmd, f"http://127.0.0.1:{port}/healthz", env=env)


def _geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", type=Path, required=True, help="venv of the build to compare with")
    ap.add_argument("--after", type=Path, default=Path(sys.executable).parents[1])
    ap.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1])
    ap.add_argument("--oxigraph", type=Path, help="the oxigraph server binary (in-memory peer)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=float, default=2.0)
    ap.add_argument("--questions", default="", help="comma-separated question ids (default: all)")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(args.root / "src"))
    from jichitai_kg.cq import load_catalog

    wanted = {q for q in args.questions.split(",") if q}
    questions = {"ASK {}": ASK} | {q.id: q.text for q in load_catalog(args.root / "queries")
                                   if not any(p.required for p in q.params)
                                   and (not wanted or q.id in wanted)}
    with tempfile.TemporaryDirectory(prefix="jkg-sbs-") as tmp, contextlib.ExitStack() as stack:
        bases: dict[str, str] = {}
        for name, venv in (("before", args.before), ("after", args.after)):
            port = servers.free_port()
            stack.enter_context(_service(venv, args.root, Path(tmp) / name, port))
            bases[name] = f"http://127.0.0.1:{port}/sparql?query="
        if args.oxigraph:
            import pyoxigraph as ox

            from jichitai_kg import store

            dump = Path(tmp) / "all.nq"
            built = store.prepare(store.Inputs.from_root(args.root), Path(tmp) / "after")
            dump.write_bytes(store.open_read_only(built).dump(format=ox.RdfFormat.N_QUADS))
            port = servers.free_port()
            stack.enter_context(servers.oxigraph_in_memory(args.oxigraph.parents[1], dump, port))
            bases["oxigraph"] = f"http://127.0.0.1:{port}/query?query="
        rps: dict[str, dict[str, float]] = {n: {} for n in bases}
        p50: dict[str, float] = {}
        refused: set[str] = set()  # answered with errors somewhere: left out of the ratios
        names = list(bases)
        for r in range(args.rounds):
            order = names if r % 2 == 0 else names[::-1]
            for server in order:
                res = loadgen.load(bases[server] + urllib.parse.quote(ASK), {"Accept": JSON_RESULTS},
                                   1, args.duration, "auto")
                p50[server] = min(p50.get(server, math.inf), res.p50_ms)
            for qid, text in questions.items():
                for server in order:
                    res = loadgen.load(bases[server] + urllib.parse.quote(text),
                                       {"Accept": JSON_RESULTS}, 8, args.duration, "auto")
                    if res.errors or res.timeouts:
                        print(f"{server} {qid}: {res.errors} errors, {res.timeouts} time-outs",
                              file=sys.stderr)
                        refused.add(qid)
                    rps[server][qid] = max(rps[server].get(qid, 0.0), res.rps)
    out: dict = {"ask_p50_ms_c1": p50, "rps_c8": rps}
    print(f"{'question':28} " + " ".join(f"{n:>10}" for n in names) + "  after/before  after/oxigraph")
    for qid in questions:
        row = [rps[n][qid] for n in names]
        ratio_b = rps["after"][qid] / rps["before"][qid]
        ratio_o = rps["after"][qid] / rps["oxigraph"][qid] if "oxigraph" in rps else float("nan")
        print(f"{qid:28} " + " ".join(f"{v:10.0f}" for v in row) + f"  {ratio_b:12.2f}  {ratio_o:14.2f}")
    cqs = [q for q in questions if q != "ASK {}" and q not in refused]
    out["left_out_for_errors"] = sorted(refused)
    for name in names:
        out.setdefault("geomean_rps_c8", {})[name] = _geomean([rps[name][q] for q in cqs])
    if "oxigraph" in rps:
        out["after_vs_oxigraph"] = _geomean([rps["after"][q] / rps["oxigraph"][q] for q in cqs])
        out["lowest_after_vs_oxigraph"] = min((rps["after"][q] / rps["oxigraph"][q], q) for q in cqs)
        out["before_vs_oxigraph"] = _geomean([rps["before"][q] / rps["oxigraph"][q] for q in cqs])
    print(json.dumps({k: v for k, v in out.items() if k != "rps_c8"}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
