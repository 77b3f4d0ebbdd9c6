"""Helpers for tests and ``tools/soak.py``: a loopback listener, a served process, process trees."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path


class Listener:
    """A loopback TCP listener that counts every connection made to it (none may arrive)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


def descendants(pid: int) -> set[int]:
    """Every live descendant of ``pid`` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    """The process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerDidNotStart(RuntimeError):
    """``jichitai-kg serve`` exited or never answered ``/healthz``; the message holds its log."""


def start_server(root: Path, log: Path, options: list[str], *, wait: float = 300,
                 settings: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """Start ``jichitai-kg serve`` on a free loopback port and wait for ``/healthz`` to be 200.

    ``options`` are the ``serve`` options after ``--port``; ``JICHITAI_KG_*`` variables of
    this environment are left out, so the server sees the defaults, its options and
    ``settings`` (``{"RESULT_CACHE_BYTES": "0"}`` → ``JICHITAI_KG_RESULT_CACHE_BYTES=0``) only.
    Returns the process and its base URL.
    """
    port = free_port()
    cmd = [sys.executable, "-m", "jichitai_kg", "--root", str(root), "serve",
           "--host", "127.0.0.1", "--port", str(port), *options]
    env = {k: v for k, v in os.environ.items() if not k.startswith("JICHITAI_KG_")}
    env.update({f"JICHITAI_KG_{k}": v for k, v in (settings or {}).items()})
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait
    while True:
        if proc.poll() is not None:
            raise ServerDidNotStart(f"server exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as resp:
                if resp.status == 200:
                    return proc, base
        except OSError:
            pass
        if time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            raise ServerDidNotStart(f"server did not become healthy:\n{log.read_text()}")
        time.sleep(0.2)


def wait_until(condition, seconds: float) -> bool:
    """Poll ``condition`` until it is true or ``seconds`` have passed; whether it became true."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False
