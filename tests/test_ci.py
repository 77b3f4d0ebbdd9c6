"""tests/ci.py: a missing input skips on a developer's machine and fails in CI."""

from __future__ import annotations

import pytest

from ci import missing, require_module


def test_missing_skips_outside_ci_and_fails_in_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no report"):
        missing("no report")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"no report \(CI must run this test\)"):
        missing("no report")
    with pytest.raises(pytest.fail.Exception, match="not installed"):
        require_module("jichitai_kg_no_such_module", "not installed")
    assert require_module("json", "stdlib").dumps([1]) == "[1]"
