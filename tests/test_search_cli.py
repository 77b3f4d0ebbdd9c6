"""``jichitai-kg search WORDS [--type …] [--format json]``."""

from __future__ import annotations

import json
import os

import pytest

from jichitai_kg.cli import main

ID = "https://w3id.org/jichitai-kg/id/"


@pytest.fixture()
def cli(project_root, service_store, monkeypatch, capsys):
    for key in list(os.environ):
        if key.startswith("JICHITAI_KG_"):
            monkeypatch.delenv(key)

    def run(*args):
        code = main(["--root", str(project_root), "search", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_text_output(cli):
    code, out, _ = cli("鎌倉", "--limit", "2")
    lines = out.splitlines()
    assert code == 0 and lines[0].endswith("results for '鎌倉'")
    assert lines[1].split() == ["80", "鎌倉市", "(地方公共団体)", "[神奈川県]"]
    assert lines[2].strip() == ID + "gov/kamakura"


def test_json_output_with_type(cli):
    code, out, _ = cli("telework", "--type", "initiative", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["query"] == "telework"
    iris = {h["iri"] for h in data["results"]}
    assert {ID + "initiative/kamakura-telework", ID + "initiative/tokushima-telework"} <= iris
    assert {h["kind"] for h in data["results"]} == {"initiative"}
    assert data["results"][0]["url"] == data["results"][0]["iri"]


def test_several_words_must_all_occur(cli):
    _, out, _ = cli("promoting", "telework", "--format", "json")
    for hit in json.loads(out)["results"]:
        assert "promoting" in hit["snippet"].lower() and "telework" in hit["snippet"].lower()


def test_too_long_query_exits_2(cli):
    code, out, err = cli("x" * 201)
    assert code == 2 and out == "" and "1 to 200 characters" in err
