"""A bounded HTTP load generator for loopback servers.

Uses ``wrk`` when it is installed (C, negligible client overhead); otherwise a
Python client with persistent connections spread over a few processes.  Every
run is bounded in time and only ever targets 127.0.0.1.
"""

from __future__ import annotations

import http.client
import multiprocessing as mp
import re
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class LoadResult:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float
    timeouts: int = 0
    tool: str = "wrk"

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _check_loopback(url: str) -> None:
    host = urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"load tests only target loopback, not {host!r}")


def _worker(url: str, headers: dict, threads: int, duration: float, out: mp.Queue) -> None:
    parts = urlsplit(url)
    path = parts.path + ("?" + parts.query if parts.query else "")
    lat: list[float] = []
    errors = [0, 0]
    lock = threading.Lock()
    deadline = time.perf_counter() + duration

    def run():
        # Requests started before the deadline are waited for (up to CLIENT_TIMEOUT): a slow
        # server's answers are counted, and the time they take is part of the measured time.
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=CLIENT_TIMEOUT)
        mine = []
        err = timeouts = 0
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                resp.read()
                if resp.status != 200:
                    err += 1
            except (OSError, http.client.HTTPException) as exc:
                if isinstance(exc, TimeoutError):
                    timeouts += 1
                else:
                    err += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=CLIENT_TIMEOUT)
                continue
            mine.append(time.perf_counter() - t0)
        conn.close()
        with lock:
            lat.extend(mine)
            errors[0] += err
            errors[1] += timeouts

    ts = [threading.Thread(target=run) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    out.put((lat, errors[0], errors[1]))


def python_load(url: str, headers: dict, concurrency: int, duration: float) -> LoadResult:
    _check_loopback(url)
    procs_n = max(1, min(concurrency, 4))
    per = [concurrency // procs_n + (1 if i < concurrency % procs_n else 0) for i in range(procs_n)]
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(url, headers, n, duration, q)) for n in per]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    lat: list[float] = []
    errors = timeouts = 0
    for _ in procs:
        part, err, tmo = q.get(timeout=duration + CLIENT_TIMEOUT + 60)
        lat.extend(part)
        errors += err
        timeouts += tmo
    elapsed = time.perf_counter() - t0  # including the wait for the last answers
    for p in procs:
        p.join(timeout=10)
    lat.sort()
    p50 = statistics.median(lat) * 1000 if lat else float("nan")
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else float("nan")
    return LoadResult(len(lat), errors, elapsed, p50, p99, timeouts, "python")


#: Seconds a client waits for one answer before counting it as a time-out.
CLIENT_TIMEOUT = 60.0

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s|m)", text)
    return float(m.group(1)) * _UNITS[m.group(2)] if m else float("nan")


def wrk_load(url: str, headers: dict, concurrency: int, duration: float) -> LoadResult:
    _check_loopback(url)
    # a generous per-request timeout: a slow server's answers count instead of becoming errors
    cmd = ["wrk", f"-t{min(concurrency, 2)}", f"-c{concurrency}", f"-d{max(1, int(duration))}s", "--latency",
           "--timeout", "60s"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    cmd[cmd.index("60s")] = f"{int(CLIENT_TIMEOUT)}s"
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=duration + 60).stdout
    reqs = int(re.search(r"(\d+) requests in", out).group(1))
    secs = re.search(r"requests in ([\d.]+)(ms|s|m)", out)
    seconds = float(secs.group(1)) * {"ms": 1e-3, "s": 1, "m": 60}[secs.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    counts = [int(g) for g in sock.groups()] if sock else [0, 0, 0, 0]
    errors = (int(non2xx.group(1)) if non2xx else 0) + sum(counts[:3])
    # anchored: the thread-stats lines also hold percentages ("78.50%") that are not percentiles
    p50 = _ms(re.search(r"^\s*50%\s+(\S+)", out, re.M).group(1))
    p99 = _ms(re.search(r"^\s*99%\s+(\S+)", out, re.M).group(1))
    return LoadResult(reqs, errors, seconds, p50, p99, counts[3], "wrk")


def load(url: str, headers: dict, concurrency: int, duration: float, tool: str = "auto") -> LoadResult:
    """Requests/s, latency, errors and time-outs of one URL at one concurrency.

    wrk stops at the end of its window and drops the requests still in flight, so a server
    slower than concurrency ÷ window would read as 0 req/s.  When wrk completes fewer than
    two requests per connection, the measurement is repeated with the Python client, which
    waits for the answers in flight and counts the time they take.
    """
    if tool == "wrk" or (tool == "auto" and shutil.which("wrk")):
        result = wrk_load(url, headers, concurrency, duration)
        if result.requests >= 2 * concurrency or tool == "wrk":
            return result
    return python_load(url, headers, concurrency, duration)
