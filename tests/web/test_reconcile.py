"""Reconciliation on the real service and the shipped register: the request sequence
OpenRefine 3.x sends (manifest, batches in the ``queries`` form field, suggest, preview, view,
data extension).  The expected IRIs come from data/register/*.ttl; the whole gold set is
measured in tests/search/test_reconcile_gold.py.
"""

from __future__ import annotations

import json

import pytest

from search_fixtures import GOV, WARD

LG = "https://w3id.org/jichitai-kg/ontology#LocalGovernment"

#: Municipality names as a spreadsheet would hold them → the IRI auto-matched (None: no match).
NAMES = {
    "鎌倉市": GOV + "kamakura", "横浜市": GOV + "yokohama", "つくば市": GOV + "tsukuba",
    "港区": None, "中央区": None, "名古屋市": GOV + "nagoya", "大阪市": GOV + "osaka-city", "府中市": None,
    "伊達市": None, "神奈川県鎌倉市": GOV + "kamakura", "京都府 綾部市": GOV + "ayabe",
    "香川県\u3000東かがわ市": GOV + "higashikagawa", "糸嶋市": GOV + "itoshima", "睦澤町": GOV + "mutsuzawa",
    "新潟縣": GOV + "niigata", "Chofu-shi": GOV + "chofu", "KAMAKURA CITY": GOV + "kamakura",
    "Kamakura, Kanagawa": GOV + "kamakura", "ｶﾏｸﾗｼ": GOV + "kamakura", "東京都港区": GOV + "minato",
    "かまくらし": GOV + "kamakura", "名古屋市港区": WARD + "nagoya-minato", "名古屋 港区": WARD + "nagoya-minato",
    "鎌蔵市": None,
}

#: The same kind of batch with the prefecture column: (name, prefecture) → IRI.
WITH_PREFECTURE = {
    ("港区", "東京都"): GOV + "minato", ("港区", "愛知県"): WARD + "nagoya-minato",
    ("港区", "Osaka"): WARD + "osaka-minato", ("府中市", "広島県"): GOV + "fuchu-city-hiroshima",
    ("府中市", "東京"): GOV + "fuchu-city-tokyo", ("伊達市", "北海道"): GOV + "date-city-hokkaido",
    ("伊達市", "福島県"): GOV + "date-city-fukushima", ("鎌倉市", "神奈川県"): GOV + "kamakura",
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


def test_manifest(client):
    m = client.get("/reconcile").get_json()
    assert m["versions"] == ["0.1", "0.2"]
    assert m["identifierSpace"] == "https://w3id.org/jichitai-kg/id/"
    assert m["schemaSpace"] == "https://w3id.org/jichitai-kg/ontology#"
    assert m["defaultTypes"] == [{"id": LG, "name": "地方公共団体 (local government)"}]
    assert m["view"]["url"] == "http://localhost/reconcile/view?id={{id}}"
    assert m["preview"]["url"] == "http://localhost/reconcile/preview?id={{id}}"
    assert {k: v["service_path"] for k, v in m["suggest"].items()} == {
        "entity": "/suggest/entity", "type": "/suggest/type", "property": "/suggest/property"}


def test_batch_of_twenty_names_without_prefecture(client):
    keys = {f"q{i}": name for i, name in enumerate(NAMES)}
    answers = _batch(client, {k: {"query": n, "type": LG, "type_strict": "should"} for k, n in keys.items()})
    assert set(answers) == set(keys)
    chosen = {keys[k]: _matched(a) for k, a in answers.items()}
    assert chosen == NAMES


def test_minato_alone_lists_all_three_with_scores(client):
    answer = _batch(client, {"q0": {"query": "港区", "type": LG, "limit": 5}})["q0"]["result"]
    top = [c for c in answer if c["score"] == 100.0]
    assert [c["id"] for c in top] == [GOV + "minato", WARD + "nagoya-minato", WARD + "osaka-minato"]
    assert not any(c["match"] for c in answer)
    assert [c["name"] for c in top] == ["港区", "名古屋市港区", "大阪市港区"]
    # the wards of designated cities come before any record about 港区 (report locations)
    assert all("段落" not in c["name"] for c in answer)


def test_batch_with_prefecture_property(client):
    keys = {f"q{i}": pair for i, pair in enumerate(WITH_PREFECTURE)}
    queries = {k: {"query": n, "type": LG, "properties": [{"pid": "prefecture", "v": p}]}
               for k, (n, p) in keys.items()}
    answers = _batch(client, queries, method="get")
    assert {keys[k]: _matched(a) for k, a in answers.items()} == WITH_PREFECTURE
    minato_tokyo = answers["q0"]["result"]
    scores = {c["id"]: c["score"] for c in minato_tokyo}
    assert scores[GOV + "minato"] == 100.0
    assert scores[WARD + "nagoya-minato"] == scores[WARD + "osaka-minato"] == 50.0
    assert minato_tokyo[0]["id"] == GOV + "minato"


def test_dantai_code_property(client):
    answers = _batch(client, {
        "q0": {"query": "", "properties": [{"pid": "dantaiCode", "v": "231118"}]},
        "q1": {"query": "港区", "properties": [{"pid": "https://w3id.org/jichitai-kg/ontology#dantaiCode", "v": 27107}]},
        "q2": {"query": "港区", "type": LG, "properties": [{"pid": "dantaiCode", "v": "999999"}]},
    })
    assert _matched(answers["q0"]) == WARD + "nagoya-minato"
    assert _matched(answers["q1"]) == WARD + "osaka-minato"
    assert _matched(answers["q2"]) is None
    assert {c["score"] for c in answers["q2"]["result"] if c["id"].endswith("minato")} == {50.0}


def test_single_query_and_limit(client):
    r = client.get("/reconcile", query_string={"query": "府中市"})
    ids = [c["id"] for c in r.get_json()["result"]]
    assert set(ids[:2]) == {GOV + "fuchu-city-tokyo", GOV + "fuchu-city-hiroshima"}
    limited = _batch(client, {"q0": {"query": "港区", "limit": 1}})["q0"]["result"]
    assert len(limited) == 1


def test_suggest_services(client):
    entity = client.get("/reconcile/suggest/entity", query_string={"prefix": "名古屋", "limit": 20}).get_json()
    names = [r["name"] for r in entity["result"]]
    assert names[0] == "名古屋市" and "名古屋市港区" in names
    assert entity["result"][names.index("名古屋市港区")]["description"].endswith("愛知県")
    types = client.get("/reconcile/suggest/type", query_string={"prefix": "地方"}).get_json()
    assert types["result"][0] == {"id": LG, "name": "地方公共団体", "description": "Local government"}
    props = client.get("/reconcile/suggest/property", query_string={"prefix": "pref"}).get_json()
    assert [p["id"] for p in props["result"]] == ["prefecture"]
    codes = client.get("/reconcile/suggest/property", query_string={"prefix": "団体"}).get_json()
    assert [p["id"] for p in codes["result"]] == ["dantaiCode"]


def test_preview_and_view(client):
    r = client.get("/reconcile/preview", query_string={"id": WARD + "nagoya-minato"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and r.mimetype == "text/html"
    # OpenRefine shows the preview in a frame of its own page
    assert "frame-ancestors *" in r.headers["Content-Security-Policy"] and "X-Frame-Options" not in r.headers
    for text in ("名古屋市港区", "（なごやしみなとく）", "都道府県: 愛知県", "愛知県", "231118", 'href="/id/ward/nagoya-minato"'):
        assert text in page
    assert client.get("/reconcile/preview", query_string={"id": GOV + "nowhere"}).status_code == 404
    view = client.get("/reconcile/view", query_string={"id": GOV + "kamakura"})
    assert view.status_code == 303 and view.headers["Location"].endswith("/id/gov/kamakura")


@pytest.mark.parametrize("payload, message", [
    ({"queries": "{not json"}, "'queries' is not valid JSON"),
    ({"queries": "[1, 2]"}, "'queries' must be a JSON object"),
    ({"queries": json.dumps({"q0": {"query": "港区", "properties": [{"pid": "mayor", "v": "x"}]}})},
     "unknown property 'mayor'"),
    ({"queries": json.dumps({"q0": {"query": "港区", "limit": "many"}})}, "'limit' must be a whole number"),
    ({"queries": json.dumps({"q0": {}})}, "a query needs 'query' text or 'properties'"),
    ({"queries": json.dumps({"q0": {"query": "港" * 201}})}, "at most 200 are accepted"),
    ({"queries": json.dumps({f"q{i}": {"query": "港区"} for i in range(101)})}, "at most 100 are accepted"),
    ({"queries": json.dumps({f"q{i}": {"query": "港区"} for i in range(10_000)})}, "10000 queries in one batch"),
    ({"queries": "[" * 100_000 + "]" * 100_000}, "nested deeper than 8 levels"),
    ({"queries": '{"q0": {"query": "a", "properties": ' + "[" * 900 + "]" * 900 + "}}"}, "nested deeper"),
    ({"queries": json.dumps({"q0": {"query": "港区", "properties": 5}})}, "'properties' must be a list"),
    ({"queries": json.dumps({"q0": {"query": "港区", "properties": [{"pid": "prefecture", "v": [[[["x"]]]]}]}})},
     "nested more than 3 levels"),
    ({"queries": '{"q0": {"query": "港区", "limit": Infinity}}'}, "Infinity is not a JSON number"),
    ({"queries": '{"q0": {"query": "港区", "limit": 1e400}}'}, "'limit' must be a whole number"),
    ({"queries": '{"q0": {"query": "\\ud800"}}'}, "lone surrogate"),
    ({"queries": '{"q0": {"query": "a\\u0000b"}}'}, "control character"),
    ({"queries": json.dumps({"q0": {"query": "x" * 10_240}})}, "10240 characters long"),
    ({"extend": json.dumps({"ids": [GOV + "kamakura"], "properties": [{"id": "mayor"}]})}, "unknown property 'mayor'"),
    ({"extend": "[]"}, "'extend' must be a JSON object"),
])
def test_bad_requests_get_400_with_a_json_message(client, payload, message):
    r = client.post("/reconcile", data=payload)
    assert r.status_code == 400 and r.mimetype == "application/problem+json", r.get_data(as_text=True)[:300]
    assert message in r.get_json()["detail"]


@pytest.mark.parametrize("iri", [
    "https://w3id.org/jichitai-kg//evil.example/x", "https://w3id.org/jichitai-kg/id//evil.example/x",
    "https://w3id.org/jichitai-kg/id/gov/nowhere", "https://evil.example/", "https://w3id.org/jichitai-kg/\\evil.example",
])
def test_view_redirects_only_to_this_servers_pages(client, iri):
    r = client.get("/reconcile/view", query_string={"id": iri})
    assert r.status_code == 404 and "Location" not in r.headers
    assert "IRI of an entity of this dataset" in r.get_json()["detail"]


def test_manifest_offers_data_extension(client):
    m = client.get("/reconcile").get_json()
    assert m["extend"]["propose_properties"] == {"service_url": "http://localhost/reconcile",
                                                 "service_path": "/propose_properties"}
    proposed = client.get("/reconcile/propose_properties", query_string={"type": LG}).get_json()
    assert proposed["type"] == LG
    assert [p["id"] for p in proposed["properties"]] == [
        "dantaiCode", "prefecture", "kind", "reading", "nameEn", "latitude", "longitude", "cio", "cdo", "planCount"]


def test_extend_as_openrefine_calls_it(client):
    """OpenRefine POSTs ``extend`` as a form field after the user picks columns."""
    extend = {"ids": [GOV + "kamakura", GOV + "kanagawa", WARD + "nagoya-minato"],
              "properties": [{"id": p} for p in ("dantaiCode", "prefecture", "kind", "reading", "nameEn",
                                                 "latitude", "longitude", "cio", "cdo", "planCount")]}
    r = client.post("/reconcile", data={"extend": json.dumps(extend)})
    assert r.status_code == 200, r.get_data(as_text=True)
    data = r.get_json()
    assert [m["id"] for m in data["meta"]] == [p["id"] for p in extend["properties"]]
    kamakura, kanagawa, ward = (data["rows"][i] for i in extend["ids"])
    assert kamakura["dantaiCode"] == [{"str": "142042"}]
    assert kamakura["prefecture"] == [{"id": GOV + "kanagawa", "name": "神奈川県"}]
    assert kamakura["kind"][0]["id"] == "https://w3id.org/jichitai-kg/id/gov-type/city"
    assert kamakura["reading"] == [{"str": "かまくらし"}] and kamakura["nameEn"] == [{"str": "Kamakura City"}]
    assert 35.2 < kamakura["latitude"][0]["float"] < 35.4 and 139.4 < kamakura["longitude"][0]["float"] < 139.6
    assert kanagawa["cdo"] and kanagawa["cdo"][0]["name"] == "CDO" and kanagawa["cio"][0]["name"] == "CIO"
    assert kanagawa["planCount"][0]["int"] >= 1
    assert ward["prefecture"] == [{"id": GOV + "aichi", "name": "愛知県"}] and ward["dantaiCode"] == [{"str": "231118"}]
    assert ward["cio"] == [] and ward["planCount"] == []


def test_a_batch_past_the_time_limit_is_503_not_a_held_process(app, client, monkeypatch):
    """Each query is checked against the deadline; a batch that runs past QUERY_TIMEOUT stops."""
    monkeypatch.setitem(app.config, "QUERY_TIMEOUT", 1e-6)
    batch = {f"q{i}": {"query": "a " * 99} for i in range(100)}
    r = client.post("/reconcile", data={"queries": json.dumps(batch)})
    assert r.status_code == 503 and r.mimetype == "application/problem+json" and "took longer than" in r.get_json()["detail"]


def test_repeated_words_cost_one_word(client):
    """"a a a …" ranks the names once, not once per repeat (the batch answers within the limit)."""
    batch = {f"q{i}": {"query": "a " * 99} for i in range(100)}
    r = client.post("/reconcile", data={"queries": json.dumps(batch)})
    assert r.status_code == 200 and len(r.get_json()) == 100


def test_a_large_batch_waits_for_a_long_lane_ticket_shared_with_queries(app, client, monkeypatch):
    """More than LONG_BATCH queries are long work: while the server's one long-lane ticket is
    held (by a long SPARQL query, here taken by hand) a large batch is refused 503 at the
    limit, a small one is answered; once the ticket is free the large batch is answered too."""
    from jichitai_kg.query.execution import admission
    from jichitai_kg.web.reconcile import LONG_BATCH

    shared = admission.Admission(long_slots=1, per_client=2)
    monkeypatch.setattr(admission, "SHARED", shared)
    monkeypatch.setitem(app.config, "QUERY_TIMEOUT", 0.3)
    large = {f"q{i}": {"query": "鎌倉市"} for i in range(LONG_BATCH + 1)}
    ticket = shared.try_ticket("another client")
    assert ticket is not None
    try:
        r = client.post("/reconcile", data={"queries": json.dumps(large, ensure_ascii=False)})
        assert r.status_code == 503 and "long-query workers stayed busy" in r.get_json()["detail"]
        small = _batch(client, {"q0": {"query": "鎌倉市"}})
        assert _matched(small["q0"]) == GOV + "kamakura"
    finally:
        shared.release(ticket)
    monkeypatch.setitem(app.config, "QUERY_TIMEOUT", 20)
    answers = _batch(client, large)
    assert len(answers) == LONG_BATCH + 1 and {_matched(a) for a in answers.values()} == {GOV + "kamakura"}
    assert shared.running() == 0
