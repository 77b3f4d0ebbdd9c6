"""The home page (ja/en, counts, examples, editor, download links) and /healthz."""

from __future__ import annotations

import json
import re

import pytest

from jichitai_kg.namespaces import DATA_GRAPH, ONTOLOGY_GRAPH


def test_home_japanese_by_default(client):
    resp = client.get("/")
    assert resp.status_code == 200
    html = resp.data.decode()
    assert '<html lang="ja">' in html
    assert "自治体ICT推進ナレッジグラフ" in html
    assert re.search(r'id="count-governments">8<', html)
    assert "8自治体と団体コード" in html  # example title in Japanese
    assert 'href="/?lang=en"' in html


def test_home_english(client):
    html = client.get("/?lang=en").data.decode()
    assert '<html lang="en">' in html
    assert "Local Government ICT Adoption Knowledge Graph" in html
    assert "The eight local governments and their local government codes" in html
    assert re.search(r'id="count-governments">8<', html)


def test_home_counts_match_the_endpoint(client):
    html = client.get("/").data.decode()
    initiatives = int(re.search(r'id="count-initiatives">(\d+)<', html).group(1))
    triples = int(re.search(r'id="count-triples">(\d+)<', html).group(1))
    query = ("SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE { ?i a ?c . ?c "
             "<http://www.w3.org/2000/01/rdf-schema#subClassOf>* "
             "<https://w3id.org/jichitai-kg/ontology#Initiative> }")
    n = json.loads(client.get("/sparql", query_string={"query": query}).data)
    assert initiatives == int(n["results"]["bindings"][0]["n"]["value"]) > 8
    health = client.get("/healthz").get_json()
    assert triples == health["triples"]


def workbench_config(html: str) -> dict:
    """The JSON the page hands its scripts (no inline script: the CSP forbids it)."""
    found = re.search(r'<script type="application/json" id="jkg-config">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_home_editor_examples_and_downloads(client):
    html = client.get("/").data.decode()
    assert '<textarea id="query" name="query"' in html
    # Example texts travel as JSON (script content is not entity-decoded by browsers).
    config = workbench_config(html)
    assert config["endpoint"] == "/sparql" and config["lang"] == "ja"
    assert config["prefixes"]["jkg"] == "https://w3id.org/jichitai-kg/ontology#"
    views = {q["id"]: q["view"].split()[0] for q in config["questions"]}
    assert views["category-matrix"] == "heatmap" and views["plans-timeline"] == "timeline"
    assert views["figures"] == "bar" and views["cdo"] == "table"
    examples = config["examples"]
    assert len(examples) >= 3
    assert all("<https://w3id.org/jichitai-kg/" in ex["query"] for ex in examples)
    assert "&lt;" not in json.dumps(examples)
    for fmt in ("json", "xml", "csv", "tsv", "turtle", "ntriples", "jsonld", "rdfxml"):
        assert f'data-format="{fmt}"' in html
    assert '<script type="module" src="/static/workbench/main.js">' in html


def test_workbench_government_choices_follow_the_page_language(client):
    """The question form's government picker (static/workbench/params.js) gets each name in
    the page's language and, in English, the Japanese one to show in brackets."""
    en = {g["slug"]: g for g in workbench_config(client.get("/?lang=en").data.decode())["governments"]}
    assert (en["kamakura"]["label"], en["kamakura"]["ja"]) == ("Kamakura City", "鎌倉市")
    assert (en["kanagawa"]["label"], en["kanagawa"]["ja"]) == ("Kanagawa Prefecture", "神奈川県")
    assert len(en) == 8 and all(g["label"].isascii() and g["ja"] for g in en.values())
    ja = {g["slug"]: g for g in workbench_config(client.get("/?lang=ja").data.decode())["governments"]}
    assert (ja["kamakura"]["label"], ja["kamakura"]["ja"]) == ("鎌倉市", None)
    assert len(ja) == 8 and not any(g["ja"] for g in ja.values())


def test_home_examples_run_on_the_endpoint(client, project_root):
    from jichitai_kg.web.home import example_queries

    examples = example_queries("ja")
    assert examples
    for ex in examples:
        resp = client.post("/sparql", data={"query": ex["query"]})
        assert resp.status_code == 200, (ex["id"], resp.data)
        assert len(resp.data) > 40


def test_home_prefills_query_parameter(client):
    html = client.get("/", query_string={"query": "ASK { ?s ?p 'x<y' }"}).data.decode()
    assert "ASK { ?s ?p &#39;x&lt;y&#39; }" in html  # escaped, not injected
    workbench_config(html)  # still valid JSON; the script runs a query given in the address


def test_static_files(client):
    assert b"fetch(" in client.get("/static/workbench/main.js").data
    assert b"EditorView" in client.get("/static/vendor/codemirror/codemirror.js").data
    assert client.get("/static/style.css").status_code == 200


def test_healthz(client):
    resp = client.get("/healthz")
    data = resp.get_json()
    assert resp.status_code == 200 and data["status"] == "ok"
    assert data["graphs"][str(DATA_GRAPH)] > 1000
    assert data["graphs"][str(ONTOLOGY_GRAPH)] > 100
    assert data["triples"] == sum(data["graphs"].values())
    assert data["store"].startswith("store-")


def test_every_page_has_security_headers_and_no_inline_script(client):
    for path in ("/", "/cq", "/id/gov/kanagawa.html", "/sparql?format=html", "/download/"):
        resp = client.get(path)
        assert resp.status_code == 200, path
        csp = resp.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.headers["X-Frame-Options"] == "DENY"
        assert resp.headers["Referrer-Policy"] == "same-origin"
        html = resp.data.decode()
        # every <script> either loads a file of this server or carries JSON data
        for tag in re.findall(r"<script[^>]*>", html):
            assert 'src="/static/' in tag or 'type="application/json"' in tag, (path, tag)
        assert " onclick=" not in html and " style=" not in html, path


def test_error_answers_are_not_sniffed(client):
    resp = client.get("/sparql", query_string={"query": "<script>alert(1)</script>"})
    assert resp.status_code == 400
    assert resp.headers["Content-Type"].startswith("text/plain")
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_healthz_asks_the_workers_and_says_503_when_they_cannot_answer(app, client, monkeypatch):
    from jichitai_kg.errors import QueryTimeout
    from jichitai_kg.web.state import get_dataset

    executor = get_dataset(app).executor
    asked = []
    real_run = executor.run

    def run(query, **kwargs):
        asked.append(query)
        return real_run(query, **kwargs)

    monkeypatch.setattr(executor, "run", run)
    ok = client.get("/healthz")
    assert ok.status_code == 200 and ok.json["status"] == "ok" and ok.json["version"]
    assert any("ASK" in q for q in asked)  # a real query, not counts cached at start-up

    def stuck(query, **kwargs):
        raise QueryTimeout("All query workers stayed busy for 5 s; try again later.")

    monkeypatch.setattr(executor, "run", stuck)
    down = client.get("/healthz")
    assert down.status_code == 503 and down.json["status"] == "error"
    assert "busy" in down.json["error"]


# --------------------------------------------------------------------------- a damaged or unbuildable index

@pytest.mark.server
def test_a_damaged_search_index_makes_healthz_503_and_search_a_503_with_a_message(
        service_store, tmp_path):
    """A real server on its own copy of the store: healthz is ok, then the index file is
    overwritten (all but its first page) and healthz says why it is not, /search answers 503."""
    import shutil
    import urllib.error
    import urllib.request

    from jichitai_kg.store.text_index import ensure_index, index_path
    from live_servers import stop
    from loopback import start_server

    cache = tmp_path / "cache"
    shutil.copytree(service_store, cache / service_store.name)
    ensure_index(cache / service_store.name)  # built on first use otherwise; sound at start
    root = service_store.parents[1]  # the checkout whose .cache holds the session's store
    proc, base = start_server(root, tmp_path / "server.log",
                              ["--processes", "1", "--workers", "1", "--timeout", "5"],
                              settings={"CACHE_DIR": str(cache)})

    def get(path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(base + path, timeout=30) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    try:
        status, body = get("/healthz")
        assert status == 200 and json.loads(body)["status"] == "ok"
        index = index_path(cache / service_store.name)
        size = index.stat().st_size
        with open(index, "r+b") as f:
            f.seek(4096)
            f.write(b"\xff" * (size - 4096))
        status, body = get("/healthz")
        health = json.loads(body)
        assert status == 503 and health["status"] == "error"
        assert f"the search index {index.name}" in health["error"], health
        status, body = get("/search?q=kamakura&format=json")
        assert status == 503, body
        assert b"search index" in body and b"Traceback" not in body
    finally:
        stop(proc)


def test_an_sqlite_error_on_a_sound_index_is_a_400_not_a_500(client, monkeypatch):
    """An FTS5 error the words cause (the index is sound) is the client's,
    whatever input check let it through."""
    import sqlite3

    from jichitai_kg.search import SearchIndex

    def fail(*args, **kwargs):
        raise sqlite3.OperationalError("fts5: syntax error near \"\"")

    monkeypatch.setattr(SearchIndex, "search", fail)
    resp = client.get("/search?q=kamakura&format=json")
    assert resp.status_code == 400
    assert resp.get_json()["detail"].startswith("The search words cannot be used: fts5: syntax error")
