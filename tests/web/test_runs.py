"""web/runs.py: cancel by query id, and short permalinks stored by content hash."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit


def test_short_link_is_content_addressed_and_redirects_to_the_long_one(client):
    state = {"question": "government-profile", "params": {"gov": "kamakura"}, "lang": "en",
             "view": "table", "infer": False}
    first = client.post("/q", json=state).get_json()
    again = client.post("/q", json={**state, "ignored": 1}).get_json()
    assert first["url"] == again["url"] == f"/q/{first['hash']}" and len(first["hash"]) == 12
    resp = client.get(first["url"])
    assert resp.status_code == 302
    params = parse_qs(urlsplit(resp.headers["Location"]).query)
    assert params == {"question": ["government-profile"], "gov": ["kamakura"], "infer": ["false"],
                      "lang": ["en"]}
    query = client.post("/q", json={"query": "ASK {}", "view": "bar", "lang": "ja"}).get_json()
    assert query["hash"] != first["hash"]
    assert parse_qs(urlsplit(client.get(query["url"]).headers["Location"]).query)["query"] == ["ASK {}"]


def test_short_link_refusals(client):
    assert client.post("/q", data=b"not json").status_code == 400
    resp = client.post("/q", json={"view": "table"})
    assert resp.status_code == 400 and b"query or a question" in resp.data
    assert client.post("/q", json={"query": 3}).status_code == 400
    assert client.get("/q/0123456789ab").status_code == 404
    assert client.get("/q/../../etc").status_code == 404


def test_cancel_by_id(client):
    resp = client.post("/cancel/" + "a" * 32)
    assert resp.get_json() == {"id": "a" * 32, "cancelled": False}  # nothing runs under that id
    bad = client.post("/cancel/short")
    assert bad.status_code == 400 and b"16 to 64" in bad.data



def test_check_parses_without_running(client):
    ok = client.post("/check", data={"query": "ASK { ?s ?p ?o }"})
    assert ok.get_json() == {"ok": True, "form": "ASK"}
    bad = client.post("/check", data={"query": "SELECT * WHERE { ?s ?p "})
    assert bad.status_code == 400 and b"at 1:" in bad.data
    assert client.post("/check", data={}).status_code == 400


def test_check_gives_the_sentence_and_the_token_to_json_clients(client):
    bad = client.post("/check", data={"query": "SELECT * WHERE { ?s foo:bar ?o }"},
                      headers={"Accept": "application/json"})
    body = bad.get_json()
    assert bad.status_code == 400
    assert body["line"] == 1 and body["token"] == "foo:" and "PREFIX foo:" in body["detail"]
    assert "Unknown prefix" in body["detail"] and len(body["detail"]) < 200
