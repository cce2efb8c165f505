"""Counting failures per key (an account, an address) in a sliding window: in memory, or in Redis when shared.

Sign-in uses it to slow attackers without locking real carers out for long: after a few failures each further
attempt waits longer, up to a cap of minutes, and a correct sign-in clears the account's count.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque


class MemoryCounter:
    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _trim(self, key: str, window: int, now: float) -> deque[float]:
        hits = self._hits[key]
        while hits and hits[0] <= now - window:
            hits.popleft()
        return hits

    def add(self, key: str, window: int) -> None:
        with self._lock:
            now = time.time()
            self._trim(key, window, now).append(now)

    def recent(self, key: str, window: int) -> tuple[int, float | None]:
        """(failures within the window, time of the latest failure)."""
        with self._lock:
            hits = self._trim(key, window, time.time())
            return len(hits), (hits[-1] if hits else None)

    def clear(self, key: str) -> None:
        with self._lock:
            self._hits.pop(key, None)

    def health(self) -> str:
        return "ok"


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
    return RedisCounter(config["REDIS_URL"]) if config.get("REDIS_URL") else MemoryCounter()
