"""The app's own URL (414) and header (431) caps, through the test client; against the real
front (granian) in test_server.py."""

from __future__ import annotations

import json
import time

from jichitai_kg.web import request_limits


def _assert_security_headers(resp) -> None:
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Frame-Options"] == "DENY"


def test_a_url_over_the_cap_is_414_with_a_message_for_every_route(client):
    query = "q=" + "x" * (40 * 1024)
    for path in ("/sparql", "/search", "/no-such-page"):  # before the view, before the 404
        resp = client.get(f"{path}?{query}", headers={"Accept": "application/json"})
        assert resp.status_code == 414 and resp.headers["Content-Type"] == "application/problem+json"
        problem = json.loads(resp.data)
        assert problem["error"] == "RequestTooLarge" and problem["title"] == "Request URI Too Long"
        assert problem["detail"] == ("The URL is longer than 32768 bytes (MAX_URL_BYTES); "
                                     "send long queries with POST.")
        _assert_security_headers(resp)
    resp = client.get(f"/sparql?{query}")  # a browser: the message in plain text
    assert resp.status_code == 414 and resp.mimetype == "text/plain"
    assert b"send long queries with POST" in resp.data
    _assert_security_headers(resp)


def test_a_url_at_the_cap_is_served(client):
    path = "/healthz?x="
    resp = client.get(path + "a" * (32 * 1024 - len(path)))
    assert resp.status_code == 200 and resp.get_json()["status"] == "ok"


def test_header_fields_over_the_cap_are_431(client):
    resp = client.get("/healthz", headers={f"X-Cookie-{i}": "c" * 8000 for i in range(5)})
    assert resp.status_code == 431 and resp.mimetype == "text/plain"
    assert resp.data.decode().startswith(
        "The request's header fields are larger than 32768 bytes (MAX_HEADER_BYTES)")
    _assert_security_headers(resp)
    resp = client.get("/healthz", headers={"X-Cookie": "c" * 30_000})
    assert resp.status_code == 200 and resp.get_json()["status"] == "ok"


def test_header_bytes_counts_the_fields_as_sent():
    fields = {"Host": "example.org", "X-Long-Name": "v" * 100, "Accept": "*/*"}
    environ = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in fields.items()}
    environ |= {"CONTENT_TYPE": "text/plain", "CONTENT_LENGTH": "12", "PATH_INFO": "/x" * 50,
                "wsgi.input": object()}
    sent = "".join(f"{k}: {v}\r\n" for k, v in fields.items()) + "Content-Type: text/plain\r\nContent-Length: 12\r\n"
    assert request_limits.header_bytes(environ) == len(sent)


def test_url_bytes_counts_path_and_query_string():
    assert request_limits.url_bytes({"SCRIPT_NAME": "/kg", "PATH_INFO": "/sparql", "QUERY_STRING": "q=1"}) == 14
    assert request_limits.url_bytes({"PATH_INFO": "/", "QUERY_STRING": ""}) == 1


def test_the_checks_are_linear_and_cheap():
    """A header of MAX_HEADER_BYTES in 100 fields (hyper's most) and a 64 KiB query string:
    both measured in well under a millisecond."""
    environ = {f"HTTP_X_{i}": "v" * 320 for i in range(100)} | {"QUERY_STRING": "q" * 65_534}
    started = time.perf_counter()
    for _ in range(100):
        request_limits.header_bytes(environ), request_limits.url_bytes(environ)
    assert (time.perf_counter() - started) / 100 < 0.001
