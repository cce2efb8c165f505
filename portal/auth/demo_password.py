"""The demo's one password, hashed once a process: every demo account signs in with it (README), and hashing it
again for each of the demo's ~50 accounts (Argon2 at production strength, ~0.1 s each) was most of the time
`flask demo-data` took."""

from __future__ import annotations

from functools import cache

from portal.core.security import hash_password

DEMO_PASSWORD = "hearth-demo-2026"


@cache
def demo_password_hash() -> str:
    """An Argon2 hash of DEMO_PASSWORD (one salt for every demo account: they share a published password)."""
    return hash_password(DEMO_PASSWORD)
