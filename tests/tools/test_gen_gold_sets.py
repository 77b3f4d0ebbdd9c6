"""The committed gold sets are what their seeded generators write from the current data: a
change to the register or the case data that would change the expected answers fails here
until the files are regenerated (`make reconcile-gold`, `python tools/gen_search_gold.py`)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("tool", ["gen_reconcile_gold", "gen_search_gold"])
def test_committed_gold_set_is_what_the_generator_writes(tool):
    module = _tool(tool)
    committed = json.loads(module.OUT.read_text(encoding="utf-8"))
    assert module.generate() == committed
    assert all(item["expected"] for item in committed["items"])  # every name means some body
