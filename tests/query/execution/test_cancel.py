"""query/execution/cancel.py: the registry of running queries that any serving process can stop."""

from __future__ import annotations

import subprocess
import sys

from jichitai_kg.query.execution import cancel


def test_ids_are_checked_before_the_file_system():
    assert cancel.valid_id("0123456789abcdef")
    for bad in ("", "short", "../../etc/passwd-0123456789", "a" * 65, "abc def 0123456789ab"):
        assert not cancel.valid_id(bad)
        assert cancel.cancel("/store", bad) is False


def test_cancel_kills_the_registered_worker_once(tmp_path, monkeypatch):
    monkeypatch.setattr(cancel.tempfile, "gettempdir", lambda: str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        entry = cancel.Registration("/some/store", "q" * 20, proc.pid)
        assert (cancel.registry_dir("/some/store") / ("q" * 20)).read_text() == str(proc.pid)
        assert cancel.cancel("/other/store", "q" * 20) is False  # another store's registry
        assert cancel.cancel("/some/store", "q" * 20) is True
        assert proc.wait(5) == -9
        assert cancel.was_cancelled("/some/store", "q" * 20)
        assert cancel.cancel("/some/store", "q" * 20) is False  # claimed already
        entry.close()
        assert list(cancel.registry_dir("/some/store").iterdir()) == []
    finally:
        proc.kill()
        proc.wait()


def test_unregistered_queries_leave_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(cancel.tempfile, "gettempdir", lambda: str(tmp_path))
    entry = cancel.Registration("/s", None, 123)
    entry.close()
    assert list(tmp_path.iterdir()) == []
    assert cancel.cancel("/s", "z" * 16) is False
