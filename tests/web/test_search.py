"""``/search`` as HTML and JSON, its 400s, and the search box in the header of every page."""

from __future__ import annotations

import pytest

ID = "https://w3id.org/jichitai-kg/id/"


def test_json_by_format_parameter(client):
    r = client.get("/search", query_string={"q": "鎌倉", "format": "json"})
    assert r.status_code == 200 and r.mimetype == "application/json"
    data = r.get_json()
    assert data["query"] == "鎌倉" and data["total"] >= 10
    first = data["results"][0]
    assert first["iri"] == ID + "gov/kamakura" and first["url"] == "/id/gov/kamakura"
    assert first["label"] == {"ja": "鎌倉市", "en": "Kamakura City"}
    assert first["kind"] == "government" and first["match"] == "prefix" and first["score"] == 80.0
    assert first["code"] == "142042"
    assert first["prefecture"] == {"iri": ID + "gov/kanagawa", "label": "神奈川県", "url": "/id/gov/kanagawa"}
    assert first["snippet_html"] == "<mark>鎌倉</mark>市"
    assert first["types"][0]["label"] == "報告書が取り上げる自治体"  # jkg:CaseGovernment


def test_json_by_accept_header_and_facets(client):
    r = client.get("/search", query_string={"q": "テレワーク"}, headers={"Accept": "application/json"})
    data = r.get_json()
    assert r.headers["Vary"] == "Accept"
    types = {f["value"]: f["count"] for f in data["facets"]["type"]}
    assert sum(types.values()) == data["total"]
    govs = {f["value"]: f["label"] for f in data["facets"]["government"]}
    assert govs[ID + "gov/kamakura"] == "鎌倉市" and govs[ID + "gov/tokushima"] == "徳島県"
    narrowed = client.get("/search", query_string={"q": "テレワーク", "type": "initiative", "format": "json"}).get_json()
    assert narrowed["total"] == types["initiative"]
    assert {h["kind"] for h in narrowed["results"]} == {"initiative"}
    assert ID + "initiative/kamakura-telework" in {h["iri"] for h in narrowed["results"]}


def test_html_results_link_to_local_pages(client):
    r = client.get("/search", query_string={"q": "情報政策課"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert 'href="/id/unit/kyoto-information-policy-division"' in page
    assert "<mark>情報政策課</mark>" in page
    assert 'value="情報政策課"' in page  # the query stays in the box
    english = client.get("/search", query_string={"q": "情報政策課", "lang": "en"}).get_data(as_text=True)
    assert "Information Policy Division" in english


def test_html_escapes_the_query(client):
    page = client.get("/search", query_string={"q": "<script>x</script>"}).get_data(as_text=True)
    assert "<script>x</script>" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize("q, message", [
    ("", "Give a search word in 'q'"),
    ("   ", "Give a search word in 'q'"),
    ("あ" * 201, "at most 200 are accepted"),
    ("\x00abc", "control character"),
])
def test_bad_query_is_400_with_a_message(client, q, message):
    r = client.get("/search", query_string={"q": q, "format": "json"})
    assert r.status_code == 400 and r.mimetype == "application/problem+json"  # JSON clients get JSON
    assert message in r.get_json()["detail"]
    page = client.get("/search", query_string={"q": q}, headers={"Accept": "text/html"})
    assert page.status_code == 400 and page.mimetype == "text/html"
    error = page.get_data(as_text=True).replace("&#39;", "'").split('<p class="error">', 1)[1].split("</p>")[0]
    assert message in error


def test_200_characters_are_accepted_and_bad_limit_is_400(client):
    assert client.get("/search", query_string={"q": "あ" * 200, "format": "json"}).get_json()["total"] == 0
    for limit in ("ten", "²", "１０", "9" * 4000):
        r = client.get("/search", query_string={"q": "RPA", "limit": limit, "format": "json"})
        assert r.status_code == 400 and "'limit' must be a whole number" in r.get_json()["detail"]
    raw = client.get("/search?q=%00abc", headers={"Accept": "application/json"})
    assert raw.status_code == 400 and "control character" in raw.get_json()["detail"]
    surrogate = client.get("/search?q=a%ED%A0%80&format=json")  # a lone surrogate in UTF-8 bytes
    assert surrogate.status_code == 200 and surrogate.get_json()["query"].startswith("a")
    assert surrogate.get_json()["did_you_mean"] is None
    paged = client.get("/search", query_string={"q": "RPA", "limit": 3, "offset": 3, "format": "json"}).get_json()
    everything = client.get("/search", query_string={"q": "RPA", "limit": 6, "format": "json"}).get_json()
    assert [h["iri"] for h in paged["results"]] == [h["iri"] for h in everything["results"][3:6]]


@pytest.mark.parametrize("path", ["/", "/sparql", "/search?q=RPA"])
def test_search_box_in_the_header(client, path):
    page = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
    header = page.split("<header", 1)[1].split("</header>", 1)[0]
    assert '<form class="search" action="/search" method="get" role="search">' in header
    assert 'name="q"' in header


def test_unbuildable_index_is_503_not_500(client, app, monkeypatch):
    from jichitai_kg.web import search as search_view

    def fail(path):
        raise PermissionError("read-only cache directory")

    monkeypatch.setattr(search_view, "ensure_index", fail)
    r = client.get("/search", query_string={"q": "RPA"})
    assert r.status_code == 503 and r.headers["Retry-After"] == "5"
    assert "search index is not available: read-only cache directory" in r.get_data(as_text=True)


def test_remote_mode_builds_the_index_from_the_content_files(client, app, monkeypatch):
    """Remote mode (``serve --query-endpoint``): no local store, yet /search and /reconcile
    answer from an index built from this server's content files, never 503."""
    from jichitai_kg.dataset import Dataset
    from jichitai_kg.web.state import get_dataset

    dataset = get_dataset(app)
    monkeypatch.setattr(Dataset, "executor", property(lambda self: object()))
    monkeypatch.setattr(dataset, "store_path", None)
    monkeypatch.setitem(dataset.settings, "STORE_QUERY_ENDPOINT", "http://127.0.0.1:9/sparql")
    found = client.get("/search", query_string={"q": "鎌倉", "format": "json"}).get_json()
    assert found["results"][0]["iri"] == "https://w3id.org/jichitai-kg/id/gov/kamakura"
    matched = client.get("/reconcile", query_string={"query": "神奈川県鎌倉市"}).get_json()["result"]
    assert matched[0]["id"] == "https://w3id.org/jichitai-kg/id/gov/kamakura" and matched[0]["match"]


def test_facet_links_keep_the_other_filters(client):
    page = client.get("/search", query_string={"q": "テレワーク", "type": "initiative"},
                      headers={"Accept": "text/html"}).get_data(as_text=True)
    facets = page.split('<aside class="facets">', 1)[1].split("</aside>", 1)[0]
    assert "type=initiative&amp;government=https://w3id.org/jichitai-kg/id/gov/kamakura" in facets
    assert 'type=initiative" class="current">取組</a>' in facets


@pytest.mark.parametrize("typo, meant, expected", [
    ("telewrok", "telework", "https://w3id.org/jichitai-kg/id/initiative/kamakura-telework"),
    ("鎌蔵市", "鎌倉市", "https://w3id.org/jichitai-kg/id/gov/kamakura"),
    ("糸嶋市", "糸島市", "https://w3id.org/jichitai-kg/id/gov/itoshima"),
])
def test_did_you_mean_when_nothing_is_found(client, typo, meant, expected):
    data = client.get("/search", query_string={"q": typo, "format": "json", "limit": 100}).get_json()
    assert data["query"] == typo and data["did_you_mean"] == meant
    assert expected in [h["iri"] for h in data["results"]]
    page = client.get("/search", query_string={"q": typo}).get_data(as_text=True)
    assert "もしかして" in page and f">{meant}</a>" in page and f"（{meant}の検索結果を表示しています。）" in page
    page = client.get("/search", query_string={"q": typo, "lang": "en"}).get_data(as_text=True)
    assert "Did you mean" in page and f"(Showing the results for {meant}.)" in page


def test_rows_show_type_labels_and_one_rpa_concept_and_report_locations_last(client):
    data = client.get("/search", query_string={"q": "RPA", "format": "json", "limit": 100}).get_json()
    iris = [h["iri"] for h in data["results"]]
    # the glossary's RPA and the kind RPA are one concept (skos:exactMatch): shown once
    assert ("https://w3id.org/jichitai-kg/id/glossary/rpa" in iris) != ("https://w3id.org/jichitai-kg/id/kind/rpa" in iris)
    assert all(not h["kind_label"].startswith("http") for h in data["results"])
    assert all(t["label"] and not t["label"].startswith("http") for h in data["results"] for t in h["types"])
    kinds = [h["kind"] for h in data["results"]]
    assert "source" not in kinds or kinds[kinds.index("source"):] == ["source"] * (len(kinds) - kinds.index("source"))
    page = client.get("/search", query_string={"q": "鎌倉"}).get_data(as_text=True)
    assert '<span class="kind">http' not in page
