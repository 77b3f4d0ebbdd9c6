"""tools/screenshots.py regenerates the images of docs/workbench.md: a smoke run of two views."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.server, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def test_screenshots_of_two_views(live_server, tmp_path):
    if not Path("/usr/bin/chromium").exists():
        pytest.fail("tools/screenshots.py needs /usr/bin/chromium (make chromium)")
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "screenshots.py"), "--base", live_server.url,
                          "--out", str(tmp_path), "--only", "timeline", "map"],
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["map.png", "timeline.png"]
    for p in tmp_path.iterdir():
        data = p.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    assert run.stdout.split() == [str(tmp_path / "timeline.png"), str(tmp_path / "map.png")]
