"""Slow clients against a server: many connections that drip a request header, one byte at a
time, while a normal client keeps asking and timing its answers.

Each drip connection sends one byte every ``interval`` seconds and never finishes its
header; a connection the server closes is opened again at once, so the pressure stays.
One thread drives every drip connection (non-blocking sockets and a selector); the normal
client is another thread.  ``python -m benchmarks.slow_clients URL`` runs it from the shell.
"""

from __future__ import annotations

import argparse
import errno
import json
import selectors
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable

#: A header that never ends: after the request line, header bytes forever.
_DRIP = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 4096


class _Drip:
    __slots__ = ("sock", "sent", "due")

    def __init__(self, sock: socket.socket, due: float):
        self.sock, self.sent, self.due = sock, 0, due


def _connect(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setblocking(False)
    err = sock.connect_ex((host, port))
    if err not in (0, errno.EINPROGRESS):
        sock.close()
        raise OSError(err, "connect failed")
    return sock


def drip(host: str, port: int, connections: int, interval: float, seconds: float,
         stop: threading.Event) -> dict:
    """Keep ``connections`` drip connections open for ``seconds``; count what the server did."""
    sel = selectors.DefaultSelector()
    start = time.monotonic()
    end = start + seconds
    opened = closed_by_server = refused = 0
    drips: dict[int, _Drip] = {}

    def open_one(due: float) -> None:
        nonlocal opened, refused
        try:
            sock = _connect(host, port)
        except OSError:
            refused += 1
            return
        opened += 1
        d = _Drip(sock, due)
        drips[sock.fileno()] = d
        sel.register(sock, selectors.EVENT_READ, d)

    def drop(d: _Drip) -> None:
        drips.pop(d.sock.fileno(), None)
        sel.unregister(d.sock)
        d.sock.close()

    for k in range(connections):  # staggered over one interval, as real slow clients are
        open_one(start + interval * k / connections)
    most_open = len(drips)
    while time.monotonic() < end and not stop.is_set():
        now = time.monotonic()
        for key, _ in sel.select(timeout=0.05):  # readable: the server answered or closed
            d = key.data
            try:
                data = d.sock.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:
                closed_by_server += 1
                drop(d)
                open_one(now + interval)
        for d in [d for d in drips.values() if d.due <= now]:
            try:
                d.sock.send(_DRIP[d.sent % len(_DRIP):][:1])
                d.sent += 1
                d.due = now + interval
            except (BlockingIOError, InterruptedError):
                d.due = now + 0.1
            except OSError:  # reset by the server
                closed_by_server += 1
                drop(d)
                open_one(now + interval)
        most_open = max(most_open, len(drips))
    for d in list(drips.values()):
        drop(d)
    sel.close()
    return {"connections": connections, "interval_s": interval, "seconds": seconds,
            "opened": opened, "closed_by_server": closed_by_server, "connect_failed": refused,
            "most_open": most_open}


def normal_client(url: str, seconds: float, stop: threading.Event, *, every: float = 0.25,
                  timeout: float = 60.0, check: Callable[[bytes], bool] = bool) -> dict:
    """Ask ``url`` every ``every`` seconds for ``seconds``; time each answer."""
    latencies: list[float] = []
    failures: list[str] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end and not stop.is_set():
        t0 = time.monotonic()
        try:
            with urllib.request.urlopen(url, timeout=timeout) as resp:
                body = resp.read()
            if not check(body):
                failures.append(f"unexpected answer: {body[:80]!r}")
        except (OSError, urllib.error.URLError) as exc:
            failures.append(f"{type(exc).__name__}: {exc}")
        elapsed = time.monotonic() - t0
        latencies.append(elapsed)
        stop.wait(max(0.0, every - elapsed))
    latencies.sort()

    def pct(q: float) -> float | None:
        return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 3) if latencies else None
    return {"requests": len(latencies), "failures": len(failures), "first_failures": failures[:3],
            "p50_s": pct(0.5), "p99_s": pct(0.99), "max_s": round(latencies[-1], 3) if latencies else None}


def run(base: str, *, connections: int = 2100, interval: float = 5.0, seconds: float = 30.0,
        path: str = "/sparql?query=ASK%7B%7D", check: Callable[[bytes], bool] = lambda b: b"boolean" in b,
        warmup: float = 0.0) -> dict:
    """Drip ``connections`` for ``seconds`` and measure a normal client meanwhile (started after
    ``warmup`` seconds, once the drip connections are open)."""
    parsed = urllib.parse.urlsplit(base)
    stop = threading.Event()
    result: dict = {}
    dripper = threading.Thread(target=lambda: result.update(drip=drip(
        parsed.hostname or "127.0.0.1", parsed.port or 80, connections, interval, seconds, stop)),
        daemon=True)
    dripper.start()
    try:
        stop.wait(warmup)
        result["normal"] = normal_client(base.rstrip("/") + path, seconds - warmup, stop, check=check)
    finally:
        stop.set()
        dripper.join(30)
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("base", help="server base URL, e.g. http://127.0.0.1:8000")
    p.add_argument("--connections", type=int, default=2100)
    p.add_argument("--interval", type=float, default=5.0)
    p.add_argument("--seconds", type=float, default=30.0)
    p.add_argument("--path", default="/sparql?query=ASK%7B%7D")
    args = p.parse_args(argv)
    print(json.dumps(run(args.base, connections=args.connections, interval=args.interval,
                         seconds=args.seconds, path=args.path, check=bool), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
