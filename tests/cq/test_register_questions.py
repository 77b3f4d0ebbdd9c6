"""The register questions: governments-in-context and register-lookup.

Expected values are the official counts of municipalities per prefecture (総務省, unchanged since
2018: 神奈川県 33, 京都府 26, 埼玉県 63, 徳島県 24, 茨城県 44, 東京都 62, 23 special wards included)
and the kinds and codes the report and the register give for the eight.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from jichitai_kg import cq
from jichitai_kg.query.execution.worker import parse_term
from jichitai_kg.store import open_read_only

ROOT = Path(__file__).resolve().parents[2]
GOV = "https://w3id.org/jichitai-kg/id/gov/"


@pytest.fixture(scope="module")
def ask(service_store):
    store = open_read_only(service_store)
    catalog = cq.load_catalog(ROOT / "queries")

    def run(qid: str, lang: str = "ja", **params) -> list[dict]:
        q = catalog.get(qid)
        binding = cq.bind(q, params, lang=lang)
        subs = {ox.Variable(k): parse_term(v) for k, v in binding.substitutions.items()}
        result = store.query(q.text, substitutions=subs, use_default_graph_as_union=True)
        names = [v.value for v in result.variables]
        return [{n: (None if s[n] is None else s[n].value) for n in names} for s in result]

    return run


def test_governments_in_context(ask) -> None:
    rows = ask("governments-in-context")
    got = [(r["gov"].removeprefix(GOV), r["kindLabel"], r["prefectureLabel"], int(r["municipalities"])) for r in rows]
    assert got == [  # report order
        ("kanagawa", "都道府県", "神奈川県", 33),
        ("kamakura", "市", "神奈川県", 33),
        ("kyoto", "都道府県", "京都府", 26),
        ("saitama", "都道府県", "埼玉県", 63),
        ("tsukuba", "市", "茨城県", 44),
        ("minato", "特別区", "東京都", 62),
        ("tokushima", "都道府県", "徳島県", 24),
        ("yokohama", "政令指定都市", "神奈川県", 33),
    ]


def test_governments_in_context_in_english(ask) -> None:
    rows = ask("governments-in-context", lang="en")
    minato = next(r for r in rows if r["gov"] == GOV + "minato")
    assert (minato["govLabel"], minato["prefectureLabel"]) == ("Minato City", "Tokyo Metropolis")


@pytest.mark.parametrize("q, code", [("鎌倉", "142042"), ("かまくら", "142042"), ("142042", "142042"), ("14204", "142042")])
def test_register_lookup_finds_kamakura(ask, q: str, code: str) -> None:
    rows = ask("register-lookup", q=q)
    assert [r["dantaiCode"] for r in rows] == [code]
    (row,) = rows
    assert (row["govLabel"], row["reading"], row["kindLabel"], row["prefectureLabel"], row["case"]) == (
        "鎌倉市", "かまくらし", "市", "神奈川県", "true")
    assert row["gov"] == GOV + "kamakura"


def test_register_lookup_fragment_matches_several(ask) -> None:
    rows = ask("register-lookup", q="府中")
    # 府中市 (東京都), 府中市 (広島県) and 府中町 (広島県).
    assert sorted((r["govLabel"], r["prefectureLabel"], r["kindLabel"]) for r in rows) == [
        ("府中市", "広島県", "市"), ("府中市", "東京都", "市"), ("府中町", "広島県", "町")]
    assert all(r["case"] == "false" for r in rows)


def test_register_lookup_prefecture_is_its_own_prefecture(ask) -> None:
    rows = ask("register-lookup", q="130001", lang="en")
    assert [(r["govLabel"], r["prefectureLabel"], r["kindLabel"]) for r in rows] == [
        ("Tokyo Metropolis", "Tokyo Metropolis", "Prefecture")]


def test_register_lookup_rejects_bad_text() -> None:
    q = cq.load_catalog(ROOT / "queries").get("register-lookup")
    with pytest.raises(cq.ParameterError):
        cq.bind(q, {"q": "x" * 51})
    with pytest.raises(cq.ParameterError):
        cq.bind(q, {"q": "a\nb"})
    with pytest.raises(cq.ParameterError):
        cq.bind(q, {})
    assert cq.bind(q, {"q": '鎌倉" . } #'}).substitutions["q"] == '"鎌倉\\" . } #"'


def test_register_lookup_through_the_web_view(client) -> None:
    resp = client.get("/cq/register-lookup", query_string={"q": "つくば", "format": "json"})
    assert resp.status_code == 200
    rows = [{k: v["value"] for k, v in b.items()} for b in resp.get_json()["results"]["bindings"]]
    # つくば市 (the case) and つくばみらい市, its neighbour, in 団体コード order.
    assert [(r["govLabel"], r["dantaiCode"], r["prefectureLabel"], r["case"]) for r in rows] == [
        ("つくば市", "082201", "茨城県", "true"), ("つくばみらい市", "082350", "茨城県", "false")]
    missing = client.get("/cq/register-lookup", query_string={"format": "json"})
    assert missing.status_code == 400 and "'q'" in missing.get_data(as_text=True)
    too_long = client.get("/cq/register-lookup", query_string={"q": "あ" * 51, "format": "json"})
    assert too_long.status_code == 400 and "at most 50 characters" in too_long.get_data(as_text=True)


def test_cq_list_shows_the_register_questions(capsys) -> None:
    from jichitai_kg.cli import main

    assert main(["--root", str(ROOT), "cq", "list", "--lang", "en"]) == 0
    ids = [line.split(None, 1)[0] for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert "governments-in-context" in ids and "register-lookup" in ids
