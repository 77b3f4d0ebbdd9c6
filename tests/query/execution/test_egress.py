"""The egress calls an endpoint only when its URL is exactly on the list,
follows no redirect, and caps the answer."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from fuzzcorpus import RecordingEndpoint
from jichitai_kg.query.execution import egress
from loopback import Listener


@pytest.fixture()
def endpoint():
    ep = RecordingEndpoint()
    yield ep
    ep.close()


@pytest.fixture()
def canary():
    listener = Listener()
    yield listener
    listener.close()


def test_only_exact_allowlisted_urls_are_called(endpoint):
    gate = egress.Egress([endpoint.allowed], timeout=5)
    try:
        body = egress.call(gate.path, endpoint.allowed, "SELECT * WHERE { ?s ?p ?o }", timeout=5)
        assert b'"from /allowed"' in body
        near_misses = [endpoint.allowed + "/", endpoint.allowed + "?a=1", endpoint.allowed.upper(),
                       endpoint.allowed.replace("127.0.0.1", "localhost"),
                       endpoint.allowed + "#x", " " + endpoint.allowed]
        for url in near_misses:
            with pytest.raises(egress.EgressRefused, match="not on SERVICE_ALLOWLIST"):
                egress.call(gate.path, url, "ASK {}", timeout=5)
        header, _ = gate.answer(b"not json")
        assert header == {"ok": False, "message": "malformed egress request"}
    finally:
        gate.close()
    assert [p for _, p, _ in endpoint.requests] == ["/allowed"]
    assert endpoint.requests[0][2] == b"query=SELECT+%2A+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D"


def test_a_redirect_is_not_followed(canary):
    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self):
            self.send_response(307)
            self.send_header("Location", f"http://127.0.0.1:{canary.port}/ssrf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    try:
        with pytest.raises(egress.EgressRefused, match="answered 307 Temporary Redirect"):
            egress.fetch(url, "ASK {}", timeout=5, max_bytes=1000)
    finally:
        server.shutdown()
        server.server_close()
    assert canary.connections == 0


def test_an_answer_over_the_cap_is_refused(endpoint):
    with pytest.raises(egress.EgressRefused, match="longer than 10 bytes"):
        egress.fetch(endpoint.allowed, "ASK {}", timeout=5, max_bytes=10)
    with pytest.raises(egress.EgressRefused, match="not an http"):
        egress.fetch("file:///etc/passwd", "ASK {}", timeout=5, max_bytes=10)
