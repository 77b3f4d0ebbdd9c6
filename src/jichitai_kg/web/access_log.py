"""The access log, kept off the request path.

A request only appends a tuple of plain values to a queue; a background thread formats
the line and hands it to the ``jichitai_kg.access`` logger.  When that logger would
drop INFO records (``serve --quiet``), nothing is queued at all.
"""

from __future__ import annotations

import logging
import queue
import threading

LOGGER = logging.getLogger("jichitai_kg.access")
#: Long paths (queries in the URL) would drown the log; their start identifies them.
MAX_PATH = 300

_lines: queue.SimpleQueue[tuple] = queue.SimpleQueue()
_writer: threading.Thread | None = None
_writer_lock = threading.Lock()


def enabled() -> bool:
    """Whether lines are written (not with ``serve --quiet``)."""
    return LOGGER.isEnabledFor(logging.INFO)


def record(remote: str | None, method: str, path: str, status: int, size: int | None,
           elapsed_ms: float) -> None:
    """Queue one request's line (cheap: no formatting here)."""
    if not LOGGER.isEnabledFor(logging.INFO):
        return
    _ensure_writer()
    _lines.put((remote or "-", method, path, status, size, elapsed_ms))


def _ensure_writer() -> None:
    global _writer
    if _writer is None:
        with _writer_lock:
            if _writer is None:
                _writer = threading.Thread(target=_write_forever, daemon=True,
                                           name="jichitai-kg-access-log")
                _writer.start()


def _write_forever() -> None:
    while True:
        remote, method, path, status, size, elapsed = _lines.get()
        if len(path) > MAX_PATH:
            path = path[:MAX_PATH] + "…"
        LOGGER.info('%s "%s %s" %s %s %.1fms', remote, method, path, status, size or "-", elapsed)

