"""A real ``jichitai-kg serve`` process for the tests (a plain module, not a conftest: the
browser tests have a conftest of their own, and ``from conftest import`` would find either).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from loopback import ServerDidNotStart, free_port, start_server

__all__ = ["LIVE_TIMEOUT", "LiveServer", "free_port", "serve", "stop"]

#: Timeout of the shared server: small, so the runaway-query test is quick.
LIVE_TIMEOUT = 2.0


class LiveServer:
    """A running ``jichitai-kg serve``: its base URL and the file its output goes to."""

    def __init__(self, url: str, log: Path):
        self.url = url
        self.log = log


def serve(root: Path, graphs, log: Path, extra_args=()):
    """Start ``jichitai-kg serve`` on a free loopback port and wait for /healthz."""
    options = ["--workers", "2", "--threads", "8", "--timeout", str(LIVE_TIMEOUT)]
    for iri, path in graphs:
        options += ["--graph", f"{iri}={path}"]
    options += list(extra_args)
    try:
        proc, base = start_server(root, log, options)
    except ServerDidNotStart as exc:
        pytest.fail(str(exc))
    return proc, LiveServer(base, log)


def stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
