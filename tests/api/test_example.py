"""docs/python-api.md's worked example, run on the embedded dataset and on a server: same rows."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "python-api.md"
#: What the example leaves behind that both runs must agree on.
OUTPUTS = ("codes", "names", "kamakura_en", "initiatives", "kamakura_code", "hit_iris", "match",
           "asserted", "inferred", "problem")


def example_blocks() -> list[str]:
    text = DOC.read_text(encoding="utf-8").split("## Worked example", 1)[1]
    return re.findall(r"```python\n(.*?)```", text, re.DOTALL)


def run_example(open_line: str | None = None) -> dict:
    blocks = example_blocks()
    assert "jichitai_kg.open()" in blocks[0]
    if open_line:
        blocks[0] = blocks[0].replace("jichitai_kg.open()", open_line, 1)
    namespace: dict = {"__name__": "example"}
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), namespace)  # our own documentation, run as written
    namespace["rows"] = namespace["governments"].values()
    namespace["frame_rows"] = namespace["frame"].to_dict("records")
    return namespace


@pytest.fixture(scope="module")
def embedded(service_store) -> dict:
    return run_example()


def test_example_on_the_embedded_dataset(embedded):
    assert len(embedded["codes"]) == 8 and "142042" in embedded["codes"]
    assert {"code": "142042", "name": "鎌倉市",
            "gov": "https://w3id.org/jichitai-kg/id/gov/kamakura"} in embedded["rows"]
    assert embedded["frame_rows"] == embedded["rows"]
    assert embedded["kamakura_en"] == ["Kamakura City"]
    assert embedded["kamakura_code"] == "142042"
    assert embedded["initiatives"] and all(i.startswith("https://w3id.org/jichitai-kg/id/") for i in embedded["initiatives"])
    assert embedded["match"]["id"] == "https://w3id.org/jichitai-kg/id/gov/kamakura" and embedded["match"]["match"]
    assert embedded["hit_iris"] and isinstance(embedded["asserted"], int)
    assert embedded["problem"] == (1, 21, "foo:")
    assert not isinstance(embedded["asserted"], Decimal)


@pytest.mark.server
def test_example_on_a_server_gives_the_same_rows(embedded, live_server):
    remote = run_example(f'jichitai_kg.connect("{live_server.url}")')
    for name in (*OUTPUTS, "rows", "frame_rows"):
        assert remote[name] == embedded[name], name
