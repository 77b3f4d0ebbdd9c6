"""Answers shared by the serving processes (query/caching/shared_answers.py) behind the in-process cache."""

from __future__ import annotations

import os
import stat

from jichitai_kg.query.caching.cache import CachingExecutor
from jichitai_kg.query.caching.shared_answers import SharedAnswers
from jichitai_kg.query.execution.worker import QueryOutcome

JSON = "application/sparql-results+json"


class Counting:
    """An executor that answers every query with its text, and counts what it evaluated."""

    def __init__(self):
        self.ran: list[str] = []

    def run(self, query, *, result_format, timeout=None, **kw):
        self.ran.append(query)
        return QueryOutcome(kind="solutions", body=query.encode() * 10, media_type=result_format)


def test_an_answer_of_one_process_is_an_answer_for_the_others(tmp_path):
    first, second = Counting(), Counting()
    a = CachingExecutor(first, 1 << 20, SharedAnswers(tmp_path, 1 << 20))
    b = CachingExecutor(second, 1 << 20, SharedAnswers(tmp_path, 1 << 20))
    pid = os.fork()
    if pid == 0:  # another serving process answers first
        a.run("ASK {}", result_format=JSON)
        os._exit(0)
    os.waitpid(pid, 0)
    out = b.run("ASK {}", result_format=JSON)
    assert (out.kind, out.body, out.media_type) == ("solutions", b"ASK {}" * 10, JSON)
    assert second.ran == [] and b.hits == 1
    b.run("ASK {}", result_format="text/csv")  # another format is another answer
    assert second.ran == ["ASK {}"]


def test_another_data_version_has_its_own_answers(tmp_path):
    (tmp_path / "store-v1").mkdir()
    (tmp_path / "store-v2").mkdir()
    CachingExecutor(Counting(), 1 << 20, SharedAnswers(tmp_path / "store-v1", 1 << 20)).run(
        "ASK {}", result_format=JSON)
    later = Counting()
    CachingExecutor(later, 1 << 20, SharedAnswers(tmp_path / "store-v2", 1 << 20)).run(
        "ASK {}", result_format=JSON)
    assert later.ran == ["ASK {}"]


def test_the_file_is_bounded_by_bytes(tmp_path):
    shared = SharedAnswers(tmp_path, 1000)
    for k in range(40):
        shared.put(f"k{k}", QueryOutcome(kind="boolean", body=b"x" * 100, media_type=JSON))
    assert len(shared) <= 10
    assert shared.get("k39") is not None and shared.get("k0") is None  # the oldest went first
    shared.put("big", QueryOutcome(kind="boolean", body=b"x" * 300, media_type=JSON))
    assert shared.get("big") is None  # over a quarter of the bound: not kept


def test_a_read_only_folder_only_turns_sharing_off(tmp_path, caplog):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(folder, os.W_OK):  # root writes anyway: make the path unusable instead
            folder.chmod(0o700)
            folder = folder / "missing" / "deeper"
        executor = Counting()
        cache = CachingExecutor(executor, 1 << 20, SharedAnswers(folder, 1 << 20))
        assert cache.run("ASK {}", result_format=JSON).body == b"ASK {}" * 10
        assert cache.run("ASK {}", result_format=JSON).body == b"ASK {}" * 10  # from memory
        assert executor.ran == ["ASK {}"]
        assert "answers are not shared between serving processes" in caplog.text
    finally:
        (tmp_path / "ro").chmod(0o700)
