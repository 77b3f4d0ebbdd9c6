"""Answers shared by every serving process: a small SQLite file beside the store.

The in-process table of :mod:`.cache` is fast but each serving process would fill its own;
this file is the second level all of them read and write, so a question answered by one
process is an answer for all.  It lives in the store's own directory, which is named by the
data version: a new version has a new, empty file, and pruning an old store removes its
answers with it.  :func:`warm` fills it with the competency questions when ``serve`` starts.

The cache never fails a request: any SQLite error (a read-only folder, a busy file) is
logged once and the answer is computed as if nothing were cached.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from pathlib import Path

from ..execution.worker import QueryOutcome

log = logging.getLogger(__name__)

FILE_NAME = "answers.sqlite"
#: Seconds a reader or writer waits for another process's write before giving up on the cache.
BUSY_TIMEOUT = 0.05
#: Share of the oldest answers dropped when the file grows past its byte bound.
TRIM_SHARE = 0.25

_SCHEMA = ("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, kind TEXT NOT NULL, "
           "media_type TEXT NOT NULL, body BLOB NOT NULL, size INTEGER NOT NULL, at REAL NOT NULL)")


class SharedAnswers:
    """Answers by request key in ``directory``/answers.sqlite, bounded by ``max_bytes``."""

    def __init__(self, directory: Path | str, max_bytes: int):
        self.path = Path(directory) / FILE_NAME
        self.max_bytes = int(max_bytes)
        self._local = threading.local()
        self._size: int | None = None
        self._failed = False

    def _conn(self) -> sqlite3.Connection | None:
        if self._failed:
            return None
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None,
                                       check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=OFF")  # a lost answer is computed again
                conn.execute(_SCHEMA)
            except sqlite3.Error as exc:
                self._give_up(exc)
                return None
            self._local.conn = conn
        return conn

    def _give_up(self, exc: Exception) -> None:
        if not self._failed:
            log.warning("answers are not shared between serving processes (%s: %s)", self.path, exc)
        self._failed = True

    def get(self, key: str) -> QueryOutcome | None:
        conn = self._conn()
        if conn is None:
            return None
        try:
            row = conn.execute("SELECT kind, body, media_type FROM answers WHERE key = ?",
                               (key,)).fetchone()
        except sqlite3.OperationalError:  # busy: not cached, this time
            return None
        return QueryOutcome(kind=row[0], body=bytes(row[1]), media_type=row[2]) if row else None

    def put(self, key: str, outcome: QueryOutcome) -> None:
        size = len(outcome.body)
        if size > self.max_bytes * TRIM_SHARE:
            return
        conn = self._conn()
        if conn is None:
            return
        try:
            conn.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?)",
                         (key, outcome.kind, outcome.media_type, outcome.body, size, time.time()))
            if self._size is None:
                self._size = conn.execute("SELECT COALESCE(SUM(size), 0) FROM answers").fetchone()[0]
            else:
                self._size += size
            if self._size > self.max_bytes:
                self._trim(conn)
        except sqlite3.OperationalError:
            pass

    def _trim(self, conn: sqlite3.Connection) -> None:
        count = conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0]
        conn.execute("DELETE FROM answers WHERE key IN (SELECT key FROM answers ORDER BY at "
                     "LIMIT ?)", (max(1, int(count * TRIM_SHARE)),))
        self._size = conn.execute("SELECT COALESCE(SUM(size), 0) FROM answers").fetchone()[0]

    def __len__(self) -> int:
        conn = self._conn()
        return conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0] if conn else 0
