"""``jichitai-kg search WORDS [--type …] [--format json]``."""

from __future__ import annotations

import json

import pytest

ID = "https://w3id.org/jichitai-kg/id/"


@pytest.fixture()
def search(cli):
    return lambda *args: cli("search", *args)


def test_text_output(search):
    code, out, _ = search("鎌倉", "--limit", "2")
    lines = out.splitlines()
    assert code == 0 and lines[0].endswith("results for '鎌倉'")
    # 鎌倉市 is one of the case governments: its most specific type is jkg:CaseGovernment
    assert lines[1].split() == ["80", "鎌倉市", "(報告書が取り上げる自治体)", "[神奈川県]"]
    assert lines[2].strip() == ID + "gov/kamakura"


def test_json_output_with_type(search):
    code, out, _ = search("telework", "--type", "initiative", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["query"] == "telework"
    iris = {h["iri"] for h in data["results"]}
    assert {ID + "initiative/kamakura-telework", ID + "initiative/tokushima-telework"} <= iris
    assert {h["kind"] for h in data["results"]} == {"initiative"}
    assert data["results"][0]["url"] == data["results"][0]["iri"]


def test_several_words_must_all_occur(search):
    _, out, _ = search("promoting", "telework", "--format", "json")
    for hit in json.loads(out)["results"]:
        assert "promoting" in hit["snippet"].lower() and "telework" in hit["snippet"].lower()


def test_too_long_query_exits_2(search):
    code, out, err = search("x" * 201)
    assert code == 2 and out == "" and "1 to 200 characters" in err
