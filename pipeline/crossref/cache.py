"""The SQLite response cache of the Crossref stage.

Consumes request keys and successful response bodies; produces the stored body of a key
while it is younger than the TTL (a row that is no longer JSON is dropped, and `delete`
drops one the client can no longer read). Only successful answers are stored (a work, a search
result, or a DOI that Crossref says is not registered); errors, timeouts and rate-limit
answers never are. Two runs may share the file: SQLite's WAL mode and a busy timeout
serialise their writes. A corrupted or truncated file is detected when opened, moved
aside with a warning, and rebuilt empty; a cache that cannot be opened at all is skipped
with a warning (`open_cache`).
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import sqlite3
import threading
import time
from pathlib import Path

from pipeline.messages import say

log = logging.getLogger("pipeline")

SCHEMA = "CREATE TABLE IF NOT EXISTS responses (key TEXT PRIMARY KEY, body TEXT NOT NULL, stored REAL NOT NULL)"


class ResponseCache:
    def __init__(self, path: Path, ttl_days: float = 30.0, clock=time.time):
        self.path = Path(path)
        self.ttl_seconds = ttl_days * 86400
        self.clock = clock
        self.lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.connection = self._open()

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
        connection.execute("PRAGMA busy_timeout = 30000")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute(SCHEMA)
        if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("integrity check failed")
        return connection

    def _open(self) -> sqlite3.Connection:
        """Connect, check, and rebuild a damaged file, all under one exclusive file lock.

        The lock covers the whole open, not only the rebuild: a run that opened the file
        while another moved it (and its -wal and -shm) aside would find its connection's
        files gone under it ("disk I/O error"). Held only while opening; runs that already
        have the file open go on writing to it under SQLite's own locking."""
        with open(self.path.with_name(f"{self.path.name}.rebuild-lock"), "a") as guard:
            fcntl.flock(guard, fcntl.LOCK_EX)  # released when the file is closed, or the process dies
            for _ in range(50):
                try:
                    return self._connect()
                except sqlite3.OperationalError as error:
                    if "locked" not in str(error) and "busy" not in str(error):
                        raise
                    time.sleep(0.1)  # another run is writing the file: wait, it is not corrupt
                except sqlite3.DatabaseError as error:
                    return self._rebuild(error)
            return self._connect()

    def _rebuild(self, error: Exception) -> sqlite3.Connection:
        """Move a corrupted file (and its WAL) aside, with a warning, and start an empty cache.

        Called with the open lock held, so a second run that found the same damaged file
        connects only after this one has rebuilt it, and finds the fresh cache whole."""
        aside = self.path.with_name(f"{self.path.name}.corrupt-{int(self.clock())}-{os.getpid()}")
        log.warning("%s", say("cache_rebuilt", path=self.path, error=error, aside=aside.name))
        for suffix in ("", "-wal", "-shm"):
            try:
                Path(f"{self.path}{suffix}").replace(Path(f"{aside}{suffix}"))
            except FileNotFoundError:
                pass
        return self._connect()

    def get(self, key: str):
        """The stored JSON value of `key`, or None when absent or older than the TTL."""
        with self.lock:
            try:
                row = self.connection.execute("SELECT body, stored FROM responses WHERE key = ?", (key,)).fetchone()
            except sqlite3.DatabaseError as error:
                log.warning("%s", say("cache_read_failed", error=error))
                row = None
        if row is None or self.clock() - row[1] > self.ttl_seconds:
            return None
        try:
            return json.loads(row[0])
        except ValueError:  # a row damaged on disk: a miss, dropped so that the answer is fetched again
            log.warning("%s", say("cache_row_dropped", row=key[:80]))
            self.delete(key)
            return None

    def put(self, key: str, value) -> None:
        body = json.dumps(value, ensure_ascii=False, sort_keys=True)
        with self.lock:
            try:
                self.connection.execute("INSERT OR REPLACE INTO responses (key, body, stored) VALUES (?, ?, ?)",
                                        (key, body, self.clock()))
            except sqlite3.DatabaseError as error:
                log.warning("%s", say("cache_write_failed", error=error))

    def delete(self, key: str) -> None:
        """Forget `key` (an answer that no longer fits what the client reads)."""
        with self.lock:
            try:
                self.connection.execute("DELETE FROM responses WHERE key = ?", (key,))
            except sqlite3.DatabaseError as error:
                log.warning("%s", say("cache_delete_failed", error=error))

    def close(self) -> None:
        with self.lock:
            self.connection.close()


def open_cache(path: Path, ttl_days: float = 30.0) -> ResponseCache | None:
    """The cache at `path`, or None with a warning when it cannot be used at all (its folder
    is a file, or read-only): the run then goes on asking Crossref without keeping answers."""
    try:
        return ResponseCache(path, ttl_days=ttl_days)
    except (OSError, sqlite3.Error) as error:
        log.warning("%s", say("cache_unusable", path=path, error=error))
        return None
