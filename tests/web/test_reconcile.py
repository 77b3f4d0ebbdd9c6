"""Reconciliation: the request sequence OpenRefine 3.x sends, against a register excerpt.

OpenRefine first GETs the manifest, then POSTs batches as a form field ``queries`` (JSON,
keys q0…), uses the suggest services while the user edits, and loads the preview in a frame.
The expected IRIs come from the excerpt (japancode register): names, prefectures, 団体コード.
"""

from __future__ import annotations

import json

import pytest

from search_fixtures import GOV, register_app, register_client, register_root, register_store  # noqa: F401

LG = "https://w3id.org/jichitai-kg/ontology#LocalGovernment"

#: 20 municipality names as a spreadsheet would hold them → the IRI auto-matched (None: no match).
NAMES = {
    "鎌倉市": GOV + "kamakura", "横浜市": GOV + "yokohama", "つくば市": GOV + "tsukuba",
    "港区": None, "名古屋市": GOV + "nagoya", "大阪市": GOV + "osaka-city", "府中市": None,
    "伊達市": None, "札幌市": GOV + "sapporo", "福島市": GOV + "fukushima-city",
    "広島市": GOV + "hiroshima-city", "豊田市": GOV + "toyota", "堺市": GOV + "sakai",
    "八王子市": GOV + "hachioji", "町田市": GOV + "machida", "岡崎市": GOV + "okazaki",
    "豊中市": GOV + "toyonaka", "函館市": GOV + "hakodate", "東京都港区": GOV + "minato",
    "かまくらし": GOV + "kamakura",
}

#: The same kind of batch with the prefecture column: (name, prefecture) → IRI.
WITH_PREFECTURE = {
    ("港区", "東京都"): GOV + "minato", ("港区", "愛知県"): GOV + "nagoya-minato",
    ("港区", "Osaka"): GOV + "osaka-minato", ("府中市", "広島県"): GOV + "fuchu-hiroshima",
    ("府中市", "東京"): GOV + "fuchu-tokyo", ("伊達市", "北海道"): GOV + "date-hokkaido",
    ("伊達市", "福島県"): GOV + "date-fukushima", ("鎌倉市", "神奈川県"): GOV + "kamakura",
}


def _batch(client, queries: dict, method: str = "post") -> dict:
    payload = {"queries": json.dumps(queries, ensure_ascii=False)}
    r = client.post("/reconcile", data=payload) if method == "post" else client.get("/reconcile", query_string=payload)
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()


def _matched(answer: dict) -> str | None:
    matches = [c["id"] for c in answer["result"] if c["match"]]
    assert len(matches) <= 1
    return matches[0] if matches else None


def test_manifest(register_client):
    m = register_client.get("/reconcile").get_json()
    assert m["versions"] == ["0.1", "0.2"]
    assert m["identifierSpace"] == "https://w3id.org/jichitai-kg/id/"
    assert m["schemaSpace"] == "https://w3id.org/jichitai-kg/ontology#"
    assert m["defaultTypes"] == [{"id": LG, "name": "地方公共団体 (local government)"}]
    assert m["view"]["url"] == "http://localhost/reconcile/view?id={{id}}"
    assert m["preview"]["url"] == "http://localhost/reconcile/preview?id={{id}}"
    assert {k: v["service_path"] for k, v in m["suggest"].items()} == {
        "entity": "/suggest/entity", "type": "/suggest/type", "property": "/suggest/property"}


def test_batch_of_twenty_names_without_prefecture(register_client):
    keys = {f"q{i}": name for i, name in enumerate(NAMES)}
    answers = _batch(register_client, {k: {"query": n, "type": LG, "type_strict": "should"} for k, n in keys.items()})
    assert set(answers) == set(keys)
    chosen = {keys[k]: _matched(a) for k, a in answers.items()}
    assert chosen == NAMES


def test_minato_alone_lists_all_three_with_scores(register_client):
    answer = _batch(register_client, {"q0": {"query": "港区", "type": LG, "limit": 5}})["q0"]["result"]
    top = [c for c in answer if c["score"] == 100.0]
    assert {c["id"] for c in top} == {GOV + "minato", GOV + "nagoya-minato", GOV + "osaka-minato"}
    assert not any(c["match"] for c in answer)
    assert {c["name"] for c in top} == {"港区", "名古屋市港区", "大阪市港区"}
    assert all(any(t["id"] == LG for t in c["type"]) or c["id"] != GOV + "minato" for c in top)


def test_batch_with_prefecture_property(register_client):
    keys = {f"q{i}": pair for i, pair in enumerate(WITH_PREFECTURE)}
    queries = {k: {"query": n, "type": LG, "properties": [{"pid": "prefecture", "v": p}]}
               for k, (n, p) in keys.items()}
    answers = _batch(register_client, queries, method="get")
    assert {keys[k]: _matched(a) for k, a in answers.items()} == WITH_PREFECTURE
    minato_tokyo = answers["q0"]["result"]
    scores = {c["id"]: c["score"] for c in minato_tokyo}
    assert scores[GOV + "minato"] == 100.0
    assert scores[GOV + "nagoya-minato"] == scores[GOV + "osaka-minato"] == 50.0
    assert minato_tokyo[0]["id"] == GOV + "minato"


def test_dantai_code_property(register_client):
    answers = _batch(register_client, {
        "q0": {"query": "", "properties": [{"pid": "dantaiCode", "v": "231118"}]},
        "q1": {"query": "港区", "properties": [{"pid": "https://w3id.org/jichitai-kg/ontology#dantaiCode", "v": 27107}]},
        "q2": {"query": "港区", "type": LG, "properties": [{"pid": "dantaiCode", "v": "999999"}]},
    })
    assert _matched(answers["q0"]) == GOV + "nagoya-minato"
    assert _matched(answers["q1"]) == GOV + "osaka-minato"
    assert _matched(answers["q2"]) is None
    assert {c["score"] for c in answers["q2"]["result"] if c["id"].endswith("minato")} == {50.0}


def test_single_query_and_limit(register_client):
    r = register_client.get("/reconcile", query_string={"query": "府中市"})
    ids = [c["id"] for c in r.get_json()["result"]]
    assert set(ids[:2]) == {GOV + "fuchu-tokyo", GOV + "fuchu-hiroshima"}
    limited = _batch(register_client, {"q0": {"query": "港区", "limit": 1}})["q0"]["result"]
    assert len(limited) == 1


def test_suggest_services(register_client):
    entity = register_client.get("/reconcile/suggest/entity", query_string={"prefix": "名古屋"}).get_json()
    names = [r["name"] for r in entity["result"]]
    assert names[:2] == ["名古屋市", "名古屋市港区"]
    assert entity["result"][1]["description"].endswith("愛知県")
    types = register_client.get("/reconcile/suggest/type", query_string={"prefix": "地方"}).get_json()
    assert types["result"][0] == {"id": LG, "name": "地方公共団体", "description": "Local government"}
    props = register_client.get("/reconcile/suggest/property", query_string={"prefix": "pref"}).get_json()
    assert [p["id"] for p in props["result"]] == ["prefecture"]
    codes = register_client.get("/reconcile/suggest/property", query_string={"prefix": "団体"}).get_json()
    assert [p["id"] for p in codes["result"]] == ["dantaiCode"]


def test_preview_and_view(register_client):
    r = register_client.get("/reconcile/preview", query_string={"id": GOV + "nagoya-minato"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and r.mimetype == "text/html"
    # OpenRefine shows the preview in a frame of its own page
    assert "frame-ancestors *" in r.headers["Content-Security-Policy"] and "X-Frame-Options" not in r.headers
    for text in ("名古屋市港区", "なごやし みなとく", "愛知県", "231118", 'href="/id/gov/nagoya-minato"'):
        assert text in page
    assert register_client.get("/reconcile/preview", query_string={"id": GOV + "nowhere"}).status_code == 404
    view = register_client.get("/reconcile/view", query_string={"id": GOV + "kamakura"})
    assert view.status_code == 303 and view.headers["Location"].endswith("/id/gov/kamakura")


@pytest.mark.parametrize("payload, message", [
    ({"queries": "{not json"}, "'queries' is not valid JSON"),
    ({"queries": "[1, 2]"}, "'queries' must be a JSON object"),
    ({"queries": json.dumps({"q0": {"query": "港区", "properties": [{"pid": "mayor", "v": "x"}]}})},
     "unknown property 'mayor'"),
    ({"queries": json.dumps({"q0": {"query": "港区", "limit": "many"}})}, "'limit' must be an integer"),
    ({"queries": json.dumps({"q0": {}})}, "a query needs 'query' text or 'properties'"),
    ({"queries": json.dumps({"q0": {"query": "港" * 201}})}, "at most 200 are accepted"),
    ({"queries": json.dumps({f"q{i}": {"query": "港区"} for i in range(101)})}, "at most 100 queries per batch"),
])
def test_bad_requests_get_400_with_a_message(register_client, payload, message):
    r = register_client.post("/reconcile", data=payload)
    assert r.status_code == 400 and r.mimetype == "text/plain"
    assert message in r.get_data(as_text=True)
