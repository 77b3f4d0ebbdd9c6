"""``make soak``: hostile fuzzing and a runaway-heavy load mix against a real server.

Everything runs on 127.0.0.1 and is bounded (request count, duration).  Steps:

1. start ``jichitai-kg serve`` on a free loopback port; note RSS and process count;
2. send ``--fuzz`` generated requests (``tests/fuzzcorpus.py``) at concurrency 8; a
   loopback listener counts connections the SERVICE spellings might make;
3. run a load mix of ordinary queries and runaways for ``--duration`` s at ``--concurrency``:
   ``--runaway-share`` of requests are cartesian products that hit the time limit,
   the rest are the project's competency-question queries; then the same mix with huge
   reconciliation batches (``--batch-size`` register names each) in place of the runaways;
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
from http.client import HTTPConnection, HTTPException
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from benchmarks import slow_clients  # noqa: E402
from benchmarks.profile import roles  # noqa: E402
from soak_report import write_report  # noqa: E402

from fuzzcorpus import acceptable, generate  # noqa: E402
from loopback import Listener, ServerDidNotStart, alive, descendants, start_server  # noqa: E402

CRASHED = b"worker crashed"  # the 503 message of a worker that died under a query
MEMORY_CAP = b"(QUERY_MEMORY_LIMIT)"  # the 503 message of a worker replaced at its memory cap
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def normal_questions() -> list[tuple[str, str]]:
    """(id, query text) of every competency question that needs no parameter: the normal mix."""
    from jichitai_kg.cq.catalog import load_catalog

    return [(q.id, q.text) for q in load_catalog(ROOT / "queries")
            if not any(p.required for p in q.params)]


def send(base: str, method: str, path: str, source: str, *, body: bytes | None = None,
         headers: dict | None = None, timeout: float = 60) -> tuple[int, bytes]:
    """One request from the loopback address ``source`` (each simulated client has its own,
    as real clients do: the server's per-client limits see them apart); (-1, b"") when the
    connection fails."""
    parsed = urllib.parse.urlsplit(base)
    conn = HTTPConnection(parsed.hostname, parsed.port, timeout=timeout, source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    except (OSError, HTTPException):
        return -1, b""
    finally:
        conn.close()


def ask(base: str, query: str, source: str) -> tuple[int, bytes]:
    """GET /sparql from the loopback address ``source``."""
    return send(base, "GET", "/sparql?" + urllib.parse.urlencode({"query": query}), source,
                headers={"Accept": "application/sparql-results+json"})


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
    except (OSError, HTTPException) as exc:
        return -1, repr(exc).encode()


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


def reconcile_batch(names: list[str], size: int, rng: random.Random) -> bytes:
    """A form body for /reconcile: ``size`` register names in one batch, as a spreadsheet holds them."""
    queries = {f"q{i}": {"query": rng.choice(names)} for i in range(size)}
    return urllib.parse.urlencode({"queries": json.dumps(queries, ensure_ascii=False)}).encode()


def register_names() -> list[str]:
    """The Japanese names of the register's bodies (read from data/register/*.ttl)."""
    import re

    text = "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "data" / "register").glob("*.ttl")))
    return sorted(set(re.findall(r'rdfs:label "([^"]+)"@ja', text)))


def post_reconcile(base: str, body: bytes, source: str) -> tuple[int, bytes]:
    """POST a reconciliation batch from the loopback address ``source``."""
    return send(base, "POST", "/reconcile", source, body=body,
                headers={"Content-Type": "application/x-www-form-urlencoded"})


def load_mix(base: str, args, *, heavy: str = "runaway") -> dict:
    """Normal questions from ``args.concurrency`` clients, with ``args.runaway_share`` of heavy
    requests: runaway queries (``heavy="runaway"``) or huge reconciliation batches
    (``heavy="reconcile"``, ``args.batch_size`` names each)."""
    normal = [text for _, text in normal_questions()]
    names = register_names() if heavy == "reconcile" else []
    rng = random.Random(args.seed)
    lock = threading.Lock()
    lat: list[float] = []
    by_status: dict[str, Counter] = {"normal": Counter(), "runaway": Counter()}
    stop_at = time.monotonic() + args.duration
    lost = [0]
    why: Counter = Counter()  # the messages normal queries were refused with

    def client(k: int):
        r = random.Random(rng.random() + k)
        source = f"127.0.0.{2 + k % 250}"
        while time.monotonic() < stop_at:
            runaway = r.random() < args.runaway_share
            t = time.monotonic()
            if runaway and heavy == "reconcile":
                status, body = post_reconcile(base, reconcile_batch(names, args.batch_size, r), source)
            else:
                status, body = ask(base, RUNAWAY if runaway else r.choice(normal), source)
            lost[0] += status == 503 and CRASHED in body
            dt = time.monotonic() - t
            if status != 200 and not runaway:
                with lock:
                    why[body[:70].decode("utf-8", "replace").strip()] += 1
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
    return {"duration_s": args.duration, "concurrency": args.concurrency, "heavy": heavy,
            "batch_size": args.batch_size if heavy == "reconcile" else None,
            "runaway_share": args.runaway_share, "normal_ok": len(lat),
            "questions": [qid for qid, _ in normal_questions()],
            "normal_req_per_s": round(len(lat) / args.duration, 1),
            "normal_p50_s": round(q[49], 3), "normal_p99_s": round(q[98], 3),
            "statuses": {k: dict(sorted(v.items())) for k, v in by_status.items()},
            "normal_refusals": dict(why.most_common(5)), "worker_lost": lost[0]}


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
    p.add_argument("--batch-size", type=int, default=100,
                   help="names in each reconciliation batch of the second mix (default: the most /reconcile accepts; 0: no second mix)")
    p.add_argument("--slow-clients", type=int, default=2100,
                   help="connections drip-feeding a header, one byte every 5 s (0: none)")
    p.add_argument("--slow-seconds", type=float, default=30)
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
                               f"{args.workers} quick-lane query workers in all, one long-lane "
                               "worker in each and one long-lane ticket for the whole server, "
                               f"{args.threads} threads each, "
                               f"{args.timeout:g} s time limit, "
                               "default memory cap and sandbox, answer cache "
                               + ("on" if args.cache else "off"),
                     "seed": args.seed, "rss_before_mib": rss_mib(tree),
                     "procs_before": len(tree)}
        print(f"fuzzing with {args.fuzz} requests ...", file=sys.stderr, flush=True)
        fig["fuzz"] = fuzz(base, args.fuzz, args.seed, listener)
        print(f"load mix for {args.duration:g} s ...", file=sys.stderr, flush=True)
        fig["load"] = load_mix(base, args)
        if args.batch_size:
            print(f"load mix with reconciliation batches for {args.duration:g} s ...", file=sys.stderr, flush=True)
            fig["load_reconcile"] = load_mix(base, args, heavy="reconcile")
        if args.slow_clients:
            print(f"{args.slow_clients} slow clients for {args.slow_seconds:g} s ...",
                  file=sys.stderr, flush=True)
            fig["slow"] = slow_clients.run(base, connections=args.slow_clients, interval=5.0,
                                           seconds=args.slow_seconds,
                                           warmup=min(5.0, args.slow_seconds / 3))
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
    fig["worker_deaths"] = (fig["fuzz"].pop("worker_lost") + fig["load"].pop("worker_lost")
                            + fig.get("load_reconcile", {}).pop("worker_lost", 0))
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
