"""``make soak``: hostile fuzzing and a runaway-heavy load mix against a real server (issue #12).

Everything runs on 127.0.0.1 and is bounded (request count, duration).  Steps:

1. start ``jichitai-kg serve`` on a free loopback port; note RSS and process count;
2. send ``--fuzz`` generated requests (``tests/fuzzcorpus.py``) at concurrency 8; a
   loopback listener counts connections the SERVICE spellings might make;
3. run the load mix of issue #12 item 3 for ``--duration`` s at ``--concurrency``:
   ``--runaway-share`` of requests are cartesian products that hit the time limit,
   the rest are the project's competency-question queries;
4. note RSS and processes again, stop the server with SIGTERM, check nothing is left;
5. write the figures to ``docs/reliability.md`` (and ``docs/reliability.json``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from benchmarks.profile import roles  # noqa: E402

from fuzzcorpus import acceptable, generate  # noqa: E402
from loopback import Listener, ServerDidNotStart, alive, descendants, start_server  # noqa: E402

CRASHED = b"worker crashed"  # the 503 message of a worker that died under a query
MEMORY_CAP = b"(QUERY_MEMORY_LIMIT)"  # the 503 message of a worker replaced at its memory cap
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
NORMAL_QUERIES = ["governments", "initiatives-by-category", "category-matrix", "cdo", "telework",
                  "figures", "partners"]


def rss_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return round(total / 1024, 1)


def http(base: str, req, timeout: float = 60) -> tuple[int, bytes]:
    query = urllib.parse.urlencode(req.params, errors="surrogatepass")
    url = base + req.path
    data = None
    headers = dict(req.headers)
    if req.method == "GET" or req.body is not None:
        url += ("?" + query) if query else ""
        data = req.body
    else:
        data = query.encode("ascii")
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    r = urllib.request.Request(url, data=data, headers=headers, method=req.method)
    try:
        with urllib.request.urlopen(r, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (OSError, http_client_errors()) as exc:
        return -1, repr(exc).encode()


def http_client_errors():
    import http.client

    return http.client.HTTPException


def serve(args) -> tuple[subprocess.Popen, str]:
    options = ["--workers", str(args.workers), "--threads", str(args.threads),
               "--timeout", str(args.timeout), "--quiet"]
    if args.processes:
        options += ["--processes", str(args.processes)]
    try:
        # The answer cache is off: repeated questions must be evaluated, as in the benchmarks.
        return start_server(ROOT, Path(args.log), options,
                            settings={} if args.cache else {"RESULT_CACHE_BYTES": "0"})
    except ServerDidNotStart as exc:
        raise SystemExit(str(exc)) from None


def fuzz(base: str, count: int, seed: int, listener: Listener) -> dict:
    statuses: Counter = Counter()
    bad: list = []
    lost, capped = [0], [0]
    lock = threading.Lock()

    def one(req):
        status, body = http(base, req)
        with lock:
            statuses[status] += 1
            lost[0] += CRASHED in body
            capped[0] += MEMORY_CAP in body
            if not acceptable(status, body) and len(bad) < 20:
                bad.append({"status": status, "path": req.path, "body": body[:160].decode(
                    "utf-8", "replace")})
    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, generate(seed, count, ROOT / "queries", listener.port)))
    return {"requests": count, "seconds": round(time.monotonic() - started, 1),
            "statuses": dict(sorted(statuses.items())), "unacceptable": bad,
            "outbound_connections": listener.connections, "worker_lost": lost[0],
            "memory_cap": capped[0]}


def load_mix(base: str, args) -> dict:
    normal = [(ROOT / "queries" / f"{n}.rq").read_text(encoding="utf-8") for n in NORMAL_QUERIES]
    rng = random.Random(args.seed)
    lock = threading.Lock()
    lat: list[float] = []
    by_status: dict[str, Counter] = {"normal": Counter(), "runaway": Counter()}
    stop_at = time.monotonic() + args.duration
    lost = [0]

    def client(k: int):
        r = random.Random(rng.random() + k)
        while time.monotonic() < stop_at:
            runaway = r.random() < args.runaway_share
            q = RUNAWAY if runaway else r.choice(normal)
            url = base + "/sparql?" + urllib.parse.urlencode({"query": q})
            t = time.monotonic()
            try:
                with urllib.request.urlopen(urllib.request.Request(
                        url, headers={"Accept": "application/sparql-results+json"}),
                        timeout=60) as resp:
                    resp.read()
                    status = resp.status
            except urllib.error.HTTPError as exc:
                status = exc.code
                lost[0] += CRASHED in exc.read()
            except OSError:
                status = -1
            dt = time.monotonic() - t
            with lock:
                by_status["runaway" if runaway else "normal"][status] += 1
                if not runaway and status == 200:
                    lat.append(dt)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(args.concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lat.sort()
    q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else [float("nan")] * 99
    return {"duration_s": args.duration, "concurrency": args.concurrency,
            "runaway_share": args.runaway_share, "normal_ok": len(lat),
            "normal_req_per_s": round(len(lat) / args.duration, 1),
            "normal_p50_s": round(q[49], 3), "normal_p99_s": round(q[98], 3),
            "statuses": {k: dict(sorted(v.items())) for k, v in by_status.items()},
            "worker_lost": lost[0]}


PROTECTIONS = """## What protects the service

| risk | protection | setting (default) |
|---|---|---|
| request forgery through `SERVICE`, by any spelling | every query worker installs a seccomp filter when it starts: `socket()` fails for every family except `AF_UNIX`, `io_uring_setup()` fails, foreign system-call ABIs fail (`jichitai_kg/query/sandbox.py`, Linux x86_64 and aarch64). The engine's `SERVICE` call then fails inside the worker and the client gets 403. The lexer guard still answers the plain spellings with 403 first. | `QUERY_SANDBOX` (on unless `SERVICE_ALLOWLIST` is set) |
| no sandbox possible (other OS, seccomp off, or `QUERY_SANDBOX=false`) | the decision is the engine's own parse: every `service` in the text is changed into a non-keyword and pyoxigraph parses the result; if that parse fails, the query uses `SERVICE` and is refused, unless the lexer saw a `SERVICE` keyword at every occurrence of the word and every target is on the allowlist (`query/engine_guard.py`) | |
| `SERVICE_ALLOWLIST` | sandboxed workers cannot call any endpoint, so the allowlist is **unavailable in sandboxed mode**: setting it turns the sandbox off (unless `QUERY_SANDBOX=true` is set explicitly, in which case allowed endpoints fail with 403) and the engine-parse rule above applies | `SERVICE_ALLOWLIST` ([]) |
| parser stack overflow (5,000 nested parentheses, 1,000 nested `FILTER EXISTS`, 10,000-item chains) | queries nesting ( { [ deeper than 128 levels (a `{` after `EXISTS` counts twice) or longer than 25,000 tokens get 400 before any worker sees them; workers parse and evaluate on a 64 MiB stack, which survives chains of 30,000 items (`query/nesting.py`) | `nesting.MAX_NESTING`, `MAX_TOKENS` |
| one query taking all memory | each worker's address space is capped (`RLIMIT_AS`); a query over it answers 503 with a plain message and the worker is replaced | `QUERY_MEMORY_LIMIT` (2 GiB; 0 = no cap) |
| orphaned workers, dropped requests on stop | SIGTERM/SIGINT: the listening socket closes, requests in flight get up to the grace period, then every worker is killed and reaped and the forkserver and resource tracker stop; workers also die with their parent (`PR_SET_PDEATHSIG`) | `serve --grace` (15 s) |
| runaway queries starving the others | two lanes of workers in each serving process: a query still running after the quick budget is remembered as long and its worker trades places with an idle long-lane worker (with none idle, the query is stopped and re-run in the long lane); a text known to be long goes there directly, and copies of it already waiting in the quick lane follow (`query/executor.py`) | `QUERY_WORKERS` (2 in all), `LONG_QUERY_WORKERS` (1 per serving process), `QUICK_BUDGET` (1 s) |
| memory held by the query-scan memo | bounded by bytes of query text (8 MiB total; queries over 64 KiB are not kept), in the same byte-bounded table as the answer cache (`query/memo.py`) | |

""".splitlines()


def target_met(load: dict) -> bool:
    """Issue #12 item 3: normal queries keep p99 under 1 s and lose no request."""
    return load["normal_p99_s"] < 1.0 and set(load["statuses"]["normal"]) <= {"200", 200}


def write_report(path: Path, fig: dict) -> None:
    f, m = fig["fuzz"], fig["load"]
    lines = [
        "# Reliability: fuzzing and load with runaway queries",
        "",
        "Measured by `make soak` (`tools/soak.py`) against `jichitai-kg serve` on 127.0.0.1, "
        f"on {fig['when']} ({fig['machine']}). Server: {fig['server']}.",
        "Re-run `make soak` to refresh this page; the raw figures are in `docs/reliability.json`.",
        "",
        *PROTECTIONS,
        "## Fuzzing",
        "",
        f"{f['requests']:,} generated requests (seed {fig['seed']}; `tests/fuzzcorpus.py`: mutated "
        "competency-question queries, SERVICE in escaped and odd spellings aimed at a loopback "
        "listener, 5,000-deep nesting, 1,000 nested FILTER EXISTS, bad graph IRIs, formats and "
        "Accept headers) across `/sparql`, `/cq/*`, `/id/*` and `/download/*`, 8 at a time, "
        f"in {f['seconds']} s.",
        "",
        "| status | requests |", "|---|---|",
        *[f"| {s} | {n} |" for s, n in f["statuses"].items()],
        "",
        f"- 5xx other than deliberate 503 (time limit, all workers busy, memory cap): **{len(f['unacceptable'])}**",
        f"- connections reaching the loopback listener (request forgery): **{f['outbound_connections']}**",
        f"- worker processes that crashed: **{fig['worker_deaths']}**; workers replaced on purpose "
        f"at the memory cap (503, `QUERY_MEMORY_LIMIT`): {f.get('memory_cap', 0)} (workers killed on purpose at "
        "the time limit are replaced and not counted)",
        "",
        "## Load mix (issue #12, item 3)",
        "",
        f"{m['duration_s']} s at concurrency {m['concurrency']}; {m['runaway_share']:.0%} of "
        "requests are cartesian products stopped at the time limit, the rest competency-question "
        f"queries ({', '.join(NORMAL_QUERIES)}). The client is Python (urllib) on the same machine.",
        "",
        "| measure | value |", "|---|---|",
        f"| normal queries answered | {m['normal_ok']} |",
        f"| normal throughput | {m['normal_req_per_s']} req/s |",
        f"| normal latency p50 | {m['normal_p50_s']} s |",
        f"| normal latency p99 | {m['normal_p99_s']} s |",
        f"| normal queries by status | {m['statuses']['normal']} |",
        f"| runaway queries by status | {m['statuses']['runaway']} |",
        "",
        "## Processes and memory",
        "",
        "| measure | before | after fuzzing and load |", "|---|---|---|",
        f"| RSS of server and its processes (MiB) | {fig['rss_before_mib']} | {fig['rss_after_mib']} |",
        f"| processes (server, forkserver, resource tracker, workers) | {fig['procs_before']} | "
        f"{fig['procs_after']} |",
        "",
        f"After SIGTERM the server exited with code {fig['exit_code']} in {fig['stop_seconds']} s; "
        f"processes left afterwards: **{fig['procs_left']}**.",
        "",
        "## Reading these figures",
        "",
        "The fuzzing and process figures are the guarantees of issue #12 (items 1, 2, 4, 5 and 9): "
        "no unexpected 5xx, no request leaving the machine, no dead worker, nothing left after a stop. "
        "The load-mix figures show fairness under runaways (item 3): every query starts in the "
        "quick lane (`QUERY_WORKERS`); one still running after `QUICK_BUDGET` (1 s) is remembered "
        "as long and goes on in the long lane (`LONG_QUERY_WORKERS`), so runaways queue behind "
        "each other instead of holding the workers ordinary questions need. "
        f"The issue's target (normal p99 under 1 s, no normal request lost) is "
        f"**{'met' if target_met(m) else 'not met'}** in this run.",
        "",
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--fuzz", type=int, default=10_000)
    p.add_argument("--duration", type=float, default=60)
    p.add_argument("--concurrency", type=int, default=32)
    p.add_argument("--runaway-share", type=float, default=0.05)
    p.add_argument("--timeout", type=float, default=3)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=32, help="threads per serving process")
    p.add_argument("--processes", type=int, default=0,
                   help="serving processes (default: the server's, one per core up to 4)")
    p.add_argument("--seed", type=int, default=12)
    p.add_argument("--cache", action="store_true",
                   help="keep the answer cache on (off by default, so every query is evaluated)")
    p.add_argument("--log", default=str(ROOT / ".cache" / "soak-server.log"))
    p.add_argument("--out", default=str(ROOT / "docs" / "reliability.md"))
    p.add_argument("--render", action="store_true",
                   help="only re-render the page from the JSON of the last run")
    args = p.parse_args(argv)
    if args.render:
        fig = json.loads(Path(args.out).with_suffix(".json").read_text(encoding="utf-8"))
        write_report(Path(args.out), fig)
        return 0
    Path(args.log).parent.mkdir(parents=True, exist_ok=True)
    proc, base = serve(args)
    listener = Listener()
    try:
        tree = [proc.pid, *descendants(proc.pid)]
        fig: dict = {"when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                     "machine": f"{os.cpu_count()} CPUs, load average "
                                f"{os.getloadavg()[0]:.1f} when the run began",
                     "server": f"{len(roles(proc.pid)['serving'])} serving processes, "
                               f"{args.workers} quick-lane query workers in all and the default "
                               f"long lane in each, {args.threads} threads each, "
                               f"{args.timeout:g} s time limit, "
                               "default memory cap and sandbox, answer cache "
                               + ("on" if args.cache else "off"),
                     "seed": args.seed, "rss_before_mib": rss_mib(tree),
                     "procs_before": len(tree)}
        print(f"fuzzing with {args.fuzz} requests ...", file=sys.stderr, flush=True)
        fig["fuzz"] = fuzz(base, args.fuzz, args.seed, listener)
        print(f"load mix for {args.duration:g} s ...", file=sys.stderr, flush=True)
        fig["load"] = load_mix(base, args)
        after = [proc.pid, *descendants(proc.pid)]
        fig["rss_after_mib"], fig["procs_after"] = rss_mib(after), len(after)
    finally:
        listener.close()
        everything = set([proc.pid, *descendants(proc.pid)])
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait()
        stop_s = round(time.monotonic() - started, 1)
        time.sleep(0.5)
    fig["worker_deaths"] = fig["fuzz"].pop("worker_lost") + fig["load"].pop("worker_lost")
    fig.update(exit_code=code, stop_seconds=stop_s,
               procs_left=len([p for p in everything if alive(p)]))
    Path(args.out).with_suffix(".json").write_text(json.dumps(fig, indent=2, ensure_ascii=False)
                                                   + "\n", encoding="utf-8")
    write_report(Path(args.out), fig)
    print(json.dumps({k: fig[k] for k in ("procs_left", "worker_deaths")} |
                     {"unacceptable": len(fig["fuzz"]["unacceptable"]),
                      "outbound": fig["fuzz"]["outbound_connections"],
                      "normal_p99_s": fig["load"]["normal_p99_s"]}), flush=True)
    return 0 if not fig["fuzz"]["unacceptable"] and not fig["procs_left"] else 1


if __name__ == "__main__":
    sys.exit(main())
