"""A real ``jichitai-kg serve`` process for the tests (a plain module, not a conftest: the
browser tests have a conftest of their own, and ``from conftest import`` would find either).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

#: Timeout of the shared server: small, so the runaway-query test is quick.
LIVE_TIMEOUT = 2.0


class LiveServer:
    """A running ``jichitai-kg serve``: its base URL and the file its output goes to."""

    def __init__(self, url: str, log: Path):
        self.url = url
        self.log = log


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(root: Path, graphs, log: Path, extra_args=()):
    """Start ``jichitai-kg serve`` on a free loopback port and wait for /healthz."""
    port = free_port()
    cmd = [sys.executable, "-m", "jichitai_kg", "--root", str(root), "serve",
           "--host", "127.0.0.1", "--port", str(port), "--workers", "2", "--threads", "8",
           "--timeout", str(LIVE_TIMEOUT)]
    for iri, path in graphs:
        cmd += ["--graph", f"{iri}={path}"]
    cmd += list(extra_args)
    env = {k: v for k, v in os.environ.items() if not k.startswith("JICHITAI_KG_")}
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while True:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as resp:
                if resp.status == 200:
                    return proc, LiveServer(base, log)
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop(proc)
            pytest.fail(f"server did not become healthy:\n{log.read_text()}")
        time.sleep(0.2)


def stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
