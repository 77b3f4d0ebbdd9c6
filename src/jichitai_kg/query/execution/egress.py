"""The only way a query's SERVICE call leaves the machine: a small egress the server controls.

Query workers run under the network sandbox in every mode (``sandbox.py``: no socket but
``AF_UNIX``).  When ``SERVICE_ALLOWLIST`` is set, each serving process starts one
:class:`Egress`: a thread listening on a Unix socket in a private (0700) directory.  A
worker that must call an allowlisted endpoint (``services.py``) connects to it and sends
one line of JSON, ``{"endpoint": …, "query": …}``; the egress

* compares ``endpoint`` *exactly* (string equality) with the allowlist, and refuses
  anything else, so no reading of the query can make it call another address;
* POSTs the query (``application/x-www-form-urlencoded``) with the remote-store client
  (``remote/http.py``): no redirect followed, no proxy, a deadline for the whole exchange
  and a cap on the answer;
* answers one line of JSON (``{"ok": true}`` or ``{"ok": false, "message": …}``) and then
  the endpoint's ``application/sparql-results+json`` body.

So the allowlist is enforced by a process the query cannot reach into, below any parser.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Sequence

#: Answers of remote endpoints larger than this are refused (bytes).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: Longest request line a worker may send (the query text is bounded by MAX_REQUEST_BYTES).
MAX_REQUEST_LINE = 8 * 1024 * 1024
#: Remote calls in flight at once, per egress.
MAX_CONCURRENT = 8
RESULTS_JSON = "application/sparql-results+json"


class EgressRefused(Exception):
    """The endpoint is not on the allowlist, or the remote call failed (the message says which)."""


def fetch(endpoint: str, query: str, *, timeout: float, max_bytes: int) -> bytes:
    """POST ``query`` to ``endpoint`` and return its SPARQL JSON results.

    The remote-store client (``remote/http.py``) without credentials: ``http.client``, no
    proxy, no redirect followed (any status from 300 up is an error), one deadline for the
    whole exchange and a cap on the answer.
    """
    from ...remote.http import Client, RemoteError, form_body

    try:
        return Client().request("POST", endpoint, body=form_body([("query", query)]), headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": RESULTS_JSON},
            timeout=timeout, max_bytes=max_bytes).body
    except RemoteError as exc:
        raise EgressRefused(f"<{endpoint}>: {exc}") from None


class Egress:
    """The egress of one serving process: allowlist, Unix socket, accept thread."""

    def __init__(self, allowlist: Sequence[str], *, timeout: float = 10.0,
                 max_bytes: int = DEFAULT_MAX_BYTES):
        self.allowlist = frozenset(a.strip() for a in allowlist)
        self.timeout = float(timeout)
        self.max_bytes = int(max_bytes)
        self.calls: list[str] = []  # endpoints called, newest last (bounded)
        self._dir = tempfile.mkdtemp(prefix="jichitai-kg-egress-")  # mode 0700
        self.path = os.path.join(self._dir, "egress.sock")
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock.bind(self.path)
        self._sock.listen(64)
        self._slots = threading.BoundedSemaphore(MAX_CONCURRENT)
        self._closed = False
        threading.Thread(target=self._accept, name="jichitai-kg-egress", daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                if self._closed:
                    return
                continue
            threading.Thread(target=self._handle, args=(conn,), daemon=True,
                             name="jichitai-kg-egress-call").start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(self.timeout)
            try:
                header, body = self.answer(_read_line(conn))
                conn.sendall(json.dumps(header).encode() + b"\n" + body)
            except OSError:
                pass

    def answer(self, line: bytes) -> tuple[dict, bytes]:
        """The reply to one request line: ``({"ok": …}, body)``."""
        try:
            request = json.loads(line)
            endpoint, query = str(request["endpoint"]), str(request["query"])
        except (ValueError, KeyError, TypeError):
            return {"ok": False, "message": "malformed egress request"}, b""
        if endpoint not in self.allowlist:
            return {"ok": False, "message": f"<{endpoint}> is not on SERVICE_ALLOWLIST"}, b""
        with self._slots:
            self.calls = [*self.calls[-99:], endpoint]
            try:
                return {"ok": True}, fetch(endpoint, query, timeout=self.timeout,
                                           max_bytes=self.max_bytes)
            except EgressRefused as exc:
                return {"ok": False, "message": str(exc)}, b""

    def close(self) -> None:
        self._closed = True
        try:
            self._sock.close()
        finally:
            shutil.rmtree(self._dir, ignore_errors=True)


def _read_line(conn: socket.socket) -> bytes:
    buf = bytearray()
    while b"\n" not in buf:
        chunk = conn.recv(65536)
        if not chunk:
            break
        buf += chunk
        if len(buf) > MAX_REQUEST_LINE:
            break
    return bytes(buf.split(b"\n", 1)[0])


_started: dict[tuple, Egress] = {}
_started_lock = threading.Lock()


def egress_for(allowlist: Sequence[str], *, timeout: float = 10.0,
               max_bytes: int = DEFAULT_MAX_BYTES) -> Egress:
    """This process's egress for ``allowlist`` (started on first use, closed at exit)."""
    key = (os.getpid(), tuple(sorted(a.strip() for a in allowlist)), float(timeout), int(max_bytes))
    with _started_lock:
        if key not in _started:
            egress = Egress(allowlist, timeout=timeout, max_bytes=max_bytes)
            atexit.register(egress.close)
            _started[key] = egress
        return _started[key]


def call(path: str, endpoint: str, query: str, *, timeout: float) -> bytes:
    """From a worker: ask the egress at ``path`` to run ``query`` at ``endpoint``."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        try:
            sock.connect(path)
            sock.sendall(json.dumps({"endpoint": endpoint, "query": query}).encode() + b"\n")
            sock.shutdown(socket.SHUT_WR)
            chunks = []
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except OSError as exc:
            raise EgressRefused(f"the SERVICE egress could not be reached: {exc}") from None
    header, _, body = b"".join(chunks).partition(b"\n")
    try:
        reply = json.loads(header)
    except ValueError:
        raise EgressRefused("the SERVICE egress gave no answer") from None
    if not reply.get("ok"):
        raise EgressRefused(str(reply.get("message")))
    return body
