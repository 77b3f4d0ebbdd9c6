"""Start and stop the three SPARQL servers compared by the benchmarks, on loopback only.

- this service: ``jichitai-kg serve`` (granian + Flask + query worker processes)
- the Python peer: ``rdflib-endpoint serve`` (RDFLib + FastAPI/uvicorn), from the bench venv
- the Rust peer: ``oxigraph serve-read-only`` over the very store this service built
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None) -> float:
    """Poll until ``url`` answers 200; return the seconds it took."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return time.perf_counter() - t0
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


@contextlib.contextmanager
def running(cmd: list[str], probe_url: str, *, env=None, timeout: float = 600, log: Path | None = None):
    out = open(log, "wb") if log else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT)
    try:
        started = wait_http(probe_url, timeout, proc)
        yield proc, started
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log:
            out.close()


def this_service(root: Path, cache_dir: Path, port: int, log=None,
                 cache_answers: bool = False, extra_args: tuple[str, ...] = ()):
    """The service with its default settings (processes, threads, workers), by default with
    its answer cache off: a benchmark repeats each question, and the peers have no such
    cache, so the headline figures are uncached.
    ``extra_args``: more ``serve`` options (``--query-endpoint URL`` for remote mode)."""
    exe = Path(sys.executable).with_name("jichitai-kg")
    cmd = [str(exe), "--root", str(root), "serve", "--host", "127.0.0.1", "--port", str(port),
           "--quiet", *extra_args]
    env = {"JICHITAI_KG_CACHE_DIR": str(cache_dir),
           "JICHITAI_KG_RESULT_CACHE_BYTES": str(64 * 1024 * 1024 if cache_answers else 0)}
    return running(cmd, f"http://127.0.0.1:{port}/healthz", env=env, log=log)


def rdflib_endpoint(bench_venv: Path, dump: Path, port: int, log=None):
    cmd = [str(bench_venv / "bin" / "rdflib-endpoint"), "serve", "--host", "127.0.0.1", "--port", str(port), str(dump)]
    return running(cmd, f"http://127.0.0.1:{port}/?query=ASK%7B%7D", timeout=300, log=log)


@contextlib.contextmanager
def oxigraph_in_memory(bench_venv: Path, dump: Path, port: int, log=None):
    """``oxigraph serve`` with no location (an in-memory store), filled with the N-Quads dump
    over the Graph Store Protocol: the same advantage this service's workers take."""
    cmd = [str(bench_venv / "bin" / "oxigraph"), "serve", "--bind", f"127.0.0.1:{port}",
           "--union-default-graph"]
    with running(cmd, f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", log=log) as (proc, started):
        t0 = time.perf_counter()
        req = urllib.request.Request(f"http://127.0.0.1:{port}/store", data=dump.read_bytes(),
                                     method="POST", headers={"Content-Type": "application/n-quads"})
        with urllib.request.urlopen(req, timeout=600) as r:
            r.read()
        yield proc, started + time.perf_counter() - t0


def oxigraph_server(bench_venv: Path, store_dir: Path, port: int, log=None):
    cmd = [str(bench_venv / "bin" / "oxigraph"), "serve-read-only", "--location", str(store_dir),
           "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    return running(cmd, f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", log=log)
