"""Time travel for the shared throttle counter in tests."""

from __future__ import annotations

import sqlite3


def age_failures(counter, seconds: float) -> None:
    """Age every failure `counter` (a portal.core.throttle.SqliteCounter) recorded, as if `seconds` had passed: the
    counter keeps plain timestamps."""
    with sqlite3.connect(counter.path) as conn:
        conn.execute("UPDATE hits SET at = at - ?", (seconds,))
