"""The breaks the hostile test found in /reconcile and /search, against a real server: each is
now a 4xx with a message (problem details for these JSON clients), answered at once, and the
reconciliation view redirects only to this server's own pages."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from email.message import Message

import pytest

pytestmark = pytest.mark.server


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def http(url: str, data: bytes | None = None) -> tuple[int, Message, bytes]:
    """(status, headers, body), following no redirect and raising on nothing."""
    opener = urllib.request.build_opener(NoRedirect)
    req = urllib.request.Request(url, data=data, headers={"Accept": "application/json"})
    try:
        with opener.open(req, timeout=60) as resp:
            return resp.status, resp.headers, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def form(**fields: str) -> bytes:
    return urllib.parse.urlencode(fields).encode()


@pytest.mark.parametrize("name, data, message", [
    ("nested JSON", form(queries="[" * 900 + "]" * 900), "nested deeper than"),
    ("value nested 900 deep", form(queries='{"q0": {"query": "鎌倉市", "properties": [{"pid": "p", "v": '
                                     + "[" * 900 + "]" * 900 + "}]}}"), "nested deeper than"),
    ("properties not a list", form(queries=json.dumps({"q0": {"query": "鎌倉市", "properties": 5}})),
     "properties"),
    ("limit Infinity", form(queries='{"q0": {"query": "鎌倉市", "limit": Infinity}}'), "not valid JSON"),
    ("lone surrogate", form(queries='{"q0": {"query": "\\ud800"}}'), "surrogate"),
    ("15,000 codes in one batch (0.8 MB)", form(queries=json.dumps(
        {f"q{i}": {"query": f"{i:06d}"} for i in range(15_000)})), "at most 100"),
])
def test_bad_reconciliation_input_is_4xx_at_once(live_server, name, data, message):
    started = time.monotonic()
    status, headers, body = http(live_server.url + "/reconcile", data)
    assert 400 <= status < 500, (status, body[:300])
    assert time.monotonic() - started < 10
    problem = json.loads(body)
    assert headers.get("Content-Type", "").startswith("application/problem+json")
    assert problem["status"] == status and message in problem["detail"], problem


@pytest.mark.parametrize("query, message", [
    ("q=%00abc", "control character"),
    ("q=RPA&limit=%C2%B2", "limit"),
])
def test_bad_search_input_is_400_with_a_message(live_server, query, message):
    status, headers, body = http(live_server.url + "/search?" + query + "&format=json")
    problem = json.loads(body)
    assert status == 400 and message in problem["detail"].lower(), problem


def test_reconcile_view_redirects_only_to_this_server(live_server):
    evil = "https://w3id.org/jichitai-kg//evil.example/x"
    status, headers, _ = http(live_server.url + "/reconcile/view?" + urllib.parse.urlencode({"id": evil}))
    assert status == 404 and "Location" not in headers
    kamakura = "https://w3id.org/jichitai-kg/id/gov/kamakura"
    status, headers, _ = http(live_server.url + "/reconcile/view?" + urllib.parse.urlencode({"id": kamakura}))
    assert status in (302, 303) and headers["Location"].endswith("/id/gov/kamakura")
    assert not headers["Location"].startswith("//")
