"""Counting failures per key (an account, an address) in a sliding window: in memory, or in Redis when shared.

Sign-in and second-factor checks use it to slow attackers without locking real carers out for long: after a few
failures each further attempt waits longer, up to a cap of minutes, and a success clears the count.
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
    return RedisCounter(config["REDIS_URL"]) if config.get("REDIS_URL") else MemoryCounter()
