"""A small run of ``make soak`` (tools/soak.py): the report it writes holds measured figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.server
def test_soak_smoke_run_writes_its_figures(tmp_path):
    out = tmp_path / "reliability.md"
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "soak.py"), "--fuzz", "40", "--duration", "3",
         "--concurrency", "4", "--runaway-share", "0.2", "--timeout", "1.5",
         "--slow-clients", "50", "--slow-seconds", "3", "--batch-size", "100",
         "--log", str(tmp_path / "server.log"), "--out", str(out)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    fig = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert sum(fig["fuzz"]["statuses"].values()) == 40
    assert fig["fuzz"]["unacceptable"] == [] and fig["fuzz"]["outbound_connections"] == 0
    load = fig["load"]
    assert load["normal_ok"] > 0 and load["statuses"]["normal"].get("200") == load["normal_ok"]
    assert load["normal_p50_s"] <= load["normal_p99_s"]
    assert fig["procs_left"] == 0 and fig["worker_deaths"] == 0 and fig["exit_code"] == 0
    page = out.read_text(encoding="utf-8")
    assert f"| normal queries answered | {load['normal_ok']} |" in page
    assert "processes left afterwards: **0**" in page
    assert len(load["questions"]) == 19 and "cdo" in load["questions"]
    rec = fig["load_reconcile"]
    assert rec["heavy"] == "reconcile" and rec["batch_size"] == 100 and rec["normal_ok"] > 0
    assert set(rec["statuses"]["runaway"]) <= {"200", "503"}  # answered, or refused at the limit
    assert "## Load mix with huge reconciliation batches" in page
    by_status = {int(k): n for k, n in rec["statuses"]["runaway"].items()}  # JSON made the keys text
    assert f"| reconciliation batches by status | {by_status} |" in page
    slow = fig["slow"]
    assert slow["drip"]["most_open"] == 50 and slow["normal"]["failures"] == 0
    assert f"| drip connections open at most | {slow['drip']['most_open']} |" in page
