"""Memory bounded by bytes, not by a count of entries.

:class:`BytesLRU` is the one least-recently-used table of the package: the answer cache
(``cache.py``) keeps serialized answers in it, and :func:`memoize_text` keeps the query
scans (``guard.sniff``) in it.  Bounded by entries, the scan memo kept 600 distinct
1 MiB queries, 600 MiB, alive; here the memoized texts count by their size.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, TypeVar

R = TypeVar("R")

#: Entries larger than this share of the table are not kept (one would evict everything).
LARGEST_SHARE = 0.25
#: The scan memo: 8 MiB of query text in all, no text over 64 KiB.
TEXT_MEMO_BYTES = 8 * 1024 * 1024
TEXT_MEMO_ENTRY_BYTES = 64 * 1024


class BytesLRU:
    """A thread-safe least-recently-used mapping whose values are bounded by total size."""

    def __init__(self, max_bytes: int, max_entry_bytes: int | None = None):
        self.max_bytes = int(max_bytes)
        self.max_entry_bytes = (self.max_bytes * LARGEST_SHARE if max_entry_bytes is None
                                else min(int(max_entry_bytes), self.max_bytes))
        self._items: OrderedDict[str, tuple[int, Any]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    @property
    def size(self) -> int:
        return self._size

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: str) -> Any | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[1]

    def put(self, key: str, value: Any, size: int) -> None:
        if size > self.max_entry_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= old[0]
            self._items[key] = (size, value)
            self._size += size
            while self._size > self.max_bytes:
                _, (evicted, _) = self._items.popitem(last=False)
                self._size -= evicted

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0


class TextMemo(Generic[R]):
    """Memoize a one-argument function of a ``str`` (never returning ``None``) in a BytesLRU.

    An entry's size is the UTF-8 length of its text: the text is what the memo keeps alive.
    """

    def __init__(self, func: Callable[[str], R], max_bytes: int = TEXT_MEMO_BYTES,
                 max_entry_bytes: int = TEXT_MEMO_ENTRY_BYTES):
        self.func = func
        self.cache = BytesLRU(max_bytes, max_entry_bytes)
        functools.update_wrapper(self, func)

    @property
    def size_bytes(self) -> int:
        return self.cache.size

    def __len__(self) -> int:
        return len(self.cache)

    def __call__(self, text: str) -> R:
        hit = self.cache.get(text)
        if hit is not None:
            return hit
        value = self.func(text)
        self.cache.put(text, value, len(text.encode("utf-8", "surrogatepass")))
        return value


def memoize_text(max_bytes: int = TEXT_MEMO_BYTES,
                 max_entry_bytes: int = TEXT_MEMO_ENTRY_BYTES) -> Callable[[Callable[[str], R]], TextMemo[R]]:
    """Decorator form of :class:`TextMemo`."""
    return lambda func: TextMemo(func, max_bytes, max_entry_bytes)
