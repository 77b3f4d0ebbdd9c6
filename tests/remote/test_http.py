"""The remote store's HTTP client: credentials, error messages, deadline, body cap."""

from __future__ import annotations

import base64
import http.server
import threading

import pytest

from jichitai_kg.errors import BadRequest
from jichitai_kg.remote.http import Client, Credentials, RemoteError, RemoteTimeout, RemoteTooLarge, short_url

USER, PASSWORD = "kg-writer", "s3cret:with:colons"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # http.server's naming
        expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        if self.path.startswith("/big"):
            self._answer(200, b"x" * 50_000)
        elif self.headers.get("Authorization") != expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="store"')
            self.send_header("Content-Length", "19")
            self.end_headers()
            self.wfile.write(b"credentials needed\n")
        else:
            self._answer(200, b"hello")

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_basic_credentials_are_sent(server):
    resp = Client(Credentials(USER, PASSWORD)).request("GET", server + "/query")
    assert (resp.status, resp.body) == (200, b"hello")


def test_missing_credentials_give_the_status_and_the_store_message(server):
    with pytest.raises(RemoteError) as err:
        Client().request("GET", server + "/query?query=SECRET")
    assert err.value.status == 401
    assert "401" in str(err.value) and "credentials needed" in str(err.value)
    assert "SECRET" not in str(err.value)  # the query string stays out of messages


def test_body_cap(server):
    with pytest.raises(RemoteTooLarge):
        Client().request("GET", server + "/big", max_bytes=10_000)
    assert len(Client().request("GET", server + "/big", max_bytes=60_000).body) == 50_000


def test_unreachable_and_silent_stores():
    import socket

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        with pytest.raises(RemoteTimeout):
            Client().request("GET", f"http://127.0.0.1:{port}/query", timeout=0.5)
    with pytest.raises(RemoteError, match="cannot reach|failed"):
        Client().request("GET", f"http://127.0.0.1:{port}/query", timeout=2)


def test_password_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("JKG_TEST_STORE_PASSWORD", PASSWORD)
    assert Credentials.from_env(USER, "JKG_TEST_STORE_PASSWORD") == Credentials(USER, PASSWORD)
    assert Credentials.from_env(None, "JKG_TEST_STORE_PASSWORD") is None
    monkeypatch.delenv("JKG_TEST_STORE_PASSWORD")
    with pytest.raises(BadRequest, match="JKG_TEST_STORE_PASSWORD"):
        Credentials.from_env(USER, "JKG_TEST_STORE_PASSWORD")


def test_short_url_drops_user_info_and_query():
    assert short_url("http://u:p@store:8890/sparql?query=x") == "http://store:8890/sparql"
