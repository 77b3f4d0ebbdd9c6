"""The byte-bounded text memo (query/memo.py)."""

from __future__ import annotations

from jichitai_kg.query.memo import TextMemo


def test_memo_is_bounded_by_bytes():
    calls = []
    memo = TextMemo(lambda t: calls.append(t) or len(t), max_bytes=10_000, max_entry_bytes=4_000)
    for i in range(50):
        assert memo(f"{i:04d}" + "x" * 996) == 1000
    assert memo.size_bytes <= 10_000 and len(memo) == 10
    memo("0049" + "x" * 996)  # most recent: a hit
    assert len(calls) == 50
    memo("y" * 5000)  # over the per-entry cap: computed, never kept
    assert len(memo) == 10 and memo.size_bytes <= 10_000
