"""Counting events per key (an account, an address, an uploader) in a sliding window, shared by every process:
in Redis when REDIS_URL is set, else in a SQLite file in VAR_DIR (the embedded default, one machine).

Sign-in and second-factor checks use it to slow attackers without locking real carers out for long: after a few
failures each further attempt waits longer, up to a cap of minutes, and a success clears the count.
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


def doubling_wait(counter, key: str, window: int, free: int, first: int, cap: int) -> int:
    """Seconds still to wait for `key`: none for the first `free` failures in the window, then first, 2×first, … up
    to cap, counted from the latest failure."""
    count, latest = counter.recent(key, window)
    if count < free or latest is None:
        return 0
    wait = min(first * 2 ** (count - free), cap)
    return max(0, int(latest + wait - time.time()) + 1)


class SignInThrottle:
    """Free attempts, then a doubling wait (30 s, 1 min, 2 min ... capped at 15 min).

    A stranger must not be able to lock a carer out by typing wrong passwords at their email, so (OWASP's "device
    cookie") a browser that signed in to the account before is counted on its own key: the storm slows unknown
    devices only. Per address the allowance is far higher than per account, as a council office or a family shares
    one address behind NAT, and failures from known devices do not count against it.
    """

    WINDOW = 60 * 60
    FREE_PER_ACCOUNT = 5
    FREE_PER_DEVICE = 5
    FREE_PER_ADDRESS = 100
    FIRST_WAIT = 30
    MAX_WAIT = 15 * 60

    def __init__(self, counter) -> None:
        self.counter = counter

    def _wait(self, key: str, free: int) -> int:
        return doubling_wait(self.counter, key, self.WINDOW, free, self.FIRST_WAIT, self.MAX_WAIT)

    def seconds_to_wait(self, email: str, address: str | None, device: str | None = None) -> int:
        """`device`: the id from a valid device cookie issued for this email, or None for an unknown device."""
        if device:
            return self._wait(f"device:{device}", self.FREE_PER_DEVICE)
        waits = [self._wait(f"account:{email.lower()}", self.FREE_PER_ACCOUNT)]
        if address:
            waits.append(self._wait(f"address:{address}", self.FREE_PER_ADDRESS))
        return max(waits)

    def failed(self, email: str, address: str | None, device: str | None = None) -> None:
        if device:
            self.counter.add(f"device:{device}", self.WINDOW)
            return
        self.counter.add(f"account:{email.lower()}", self.WINDOW)
        if address:
            self.counter.add(f"address:{address}", self.WINDOW)

    def succeeded(self, email: str, device: str | None = None) -> None:
        self.counter.clear(f"account:{email.lower()}")
        if device:
            self.counter.clear(f"device:{device}")


class SecondFactorThrottle:
    """Wrong security or recovery codes, per account and per session: a few free, then doubling waits.

    The account key stops an attacker spreading guesses over many sessions; the session key slows one session
    sooner. `failed` returns the account's count so the caller can tell the person after repeated failures.
    """

    WINDOW = 60 * 60
    FREE_PER_ACCOUNT = 5
    FREE_PER_SESSION = 3
    FIRST_WAIT = 30
    MAX_WAIT = 15 * 60

    def __init__(self, counter) -> None:
        self.counter = counter

    def seconds_to_wait(self, user_id: int, session_id: str | None) -> int:
        waits = [
            doubling_wait(
                self.counter,
                f"mfa-account:{user_id}",
                self.WINDOW,
                self.FREE_PER_ACCOUNT,
                self.FIRST_WAIT,
                self.MAX_WAIT,
            )
        ]
        if session_id:
            waits.append(
                doubling_wait(
                    self.counter,
                    f"mfa-session:{session_id}",
                    self.WINDOW,
                    self.FREE_PER_SESSION,
                    self.FIRST_WAIT,
                    self.MAX_WAIT,
                )
            )
        return max(waits)

    def failed(self, user_id: int, session_id: str | None) -> int:
        self.counter.add(f"mfa-account:{user_id}", self.WINDOW)
        if session_id:
            self.counter.add(f"mfa-session:{session_id}", self.WINDOW)
        return self.counter.recent(f"mfa-account:{user_id}", self.WINDOW)[0]

    def succeeded(self, user_id: int, session_id: str | None) -> None:
        self.counter.clear(f"mfa-account:{user_id}")
        if session_id:
            self.counter.clear(f"mfa-session:{session_id}")


def counter_from_config(config):
    """RedisCounter with REDIS_URL, else SqliteCounter at VAR_DIR/throttle.db."""
    if config.get("REDIS_URL"):
        return RedisCounter(config["REDIS_URL"])
    return SqliteCounter(Path(config["VAR_DIR"]) / "throttle.db")
