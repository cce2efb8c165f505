"""Counting events per key (an account, an address, an uploader) in a sliding window, shared by every process:
in Redis when REDIS_URL is set, else in a SQLite file in VAR_DIR (the embedded default, one machine).

Sign-in uses it to slow attackers without locking real carers out for long: after a few failures each further
attempt waits longer, up to a cap of minutes, and a correct sign-in clears the account's count.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class SqliteCounter:
    """Failures in a SQLite file beside the app (VAR_DIR/throttle.db), shared by every process on the machine: the
    embedded default runs web servers and workers as separate processes, and a wait must not reset on another."""

    KEEP = 24 * 60 * 60  # longer than any window

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("CREATE TABLE IF NOT EXISTS hits (key TEXT NOT NULL, at REAL NOT NULL)")
            conn.execute("CREATE INDEX IF NOT EXISTS hits_key_at ON hits (key, at)")
            conn.execute("CREATE INDEX IF NOT EXISTS hits_at ON hits (at)")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # A connection per call: cheap for SQLite, and safe across threads and forked processes.
        conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            yield conn
        finally:
            conn.close()

    def add(self, key: str, window: int) -> None:
        now = time.time()
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM hits WHERE key = ? AND at <= ?", (key, now - window))
            conn.execute("DELETE FROM hits WHERE at <= ?", (now - self.KEEP,))  # keys nobody uses any more
            conn.execute("INSERT INTO hits (key, at) VALUES (?, ?)", (key, now))
            conn.execute("COMMIT")

    def recent(self, key: str, window: int) -> tuple[int, float | None]:
        """(failures within the window, time of the latest failure)."""
        with self._connect() as conn:
            count, latest = conn.execute(
                "SELECT count(*), max(at) FROM hits WHERE key = ? AND at > ?", (key, time.time() - window)
            ).fetchone()
        return count, latest

    def clear(self, key: str) -> None:
        with self._connect() as conn:
            conn.execute("DELETE FROM hits WHERE key = ?", (key,))

    def health(self) -> str:
        try:
            with self._connect() as conn:
                conn.execute("SELECT 1 FROM hits LIMIT 1")
            return "ok"
        except sqlite3.Error:
            return "unavailable"


class RedisCounter:
    def __init__(self, url: str) -> None:
        import redis

        self.redis = redis.Redis.from_url(url)

    def add(self, key: str, window: int) -> None:
        now = time.time()
        k = f"hearth:throttle:{key}"
        pipe = self.redis.pipeline()
        pipe.zadd(k, {repr(now): now})
        pipe.zremrangebyscore(k, 0, now - window)
        pipe.expire(k, window)
        pipe.execute()

    def recent(self, key: str, window: int) -> tuple[int, float | None]:
        k = f"hearth:throttle:{key}"
        now = time.time()
        self.redis.zremrangebyscore(k, 0, now - window)
        latest = self.redis.zrange(k, -1, -1, withscores=True)
        return self.redis.zcard(k), (latest[0][1] if latest else None)

    def clear(self, key: str) -> None:
        self.redis.delete(f"hearth:throttle:{key}")

    def health(self) -> str:
        try:
            self.redis.ping()
            return "ok"
        except Exception:
            return "unavailable"


class SignInThrottle:
    """Free attempts, then a doubling wait (30 s, 1 min, 2 min ... capped at 15 min) per account and per address."""

    WINDOW = 60 * 60
    FREE_PER_ACCOUNT = 5
    FREE_PER_ADDRESS = 30  # a shared council or family network may hold many carers
    FIRST_WAIT = 30
    MAX_WAIT = 15 * 60

    def __init__(self, counter) -> None:
        self.counter = counter

    def _wait(self, key: str, free: int) -> int:
        count, latest = self.counter.recent(key, self.WINDOW)
        if count < free or latest is None:
            return 0
        wait = min(self.FIRST_WAIT * 2 ** (count - free), self.MAX_WAIT)
        return max(0, int(latest + wait - time.time()) + 1)

    def seconds_to_wait(self, email: str, address: str | None) -> int:
        waits = [self._wait(f"account:{email.lower()}", self.FREE_PER_ACCOUNT)]
        if address:
            waits.append(self._wait(f"address:{address}", self.FREE_PER_ADDRESS))
        return max(waits)

    def failed(self, email: str, address: str | None) -> None:
        self.counter.add(f"account:{email.lower()}", self.WINDOW)
        if address:
            self.counter.add(f"address:{address}", self.WINDOW)

    def succeeded(self, email: str) -> None:
        self.counter.clear(f"account:{email.lower()}")


def counter_from_config(config):
    """RedisCounter with REDIS_URL, else SqliteCounter at VAR_DIR/throttle.db."""
    if config.get("REDIS_URL"):
        return RedisCounter(config["REDIS_URL"])
    return SqliteCounter(Path(config["VAR_DIR"]) / "throttle.db")
