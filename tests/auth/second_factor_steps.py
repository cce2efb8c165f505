"""Steps shared by the second-factor tests: the password step alone, and codes from the demo authenticator."""

from __future__ import annotations

import time

import pyotp

from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

CODE_PAGE = "/sign-in/security-code"


def password_step(client, user, password: str = DEMO_PASSWORD):
    """Sign in with the password only: the person is half-signed-in if they have a second factor."""
    return client.submit("/sign-in", {"email": user.email, "password": password})


def code(steps_ahead: int = 0, secret: str = DEMO_TOTP_SECRET) -> str:
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def wrong_code() -> str:
    """A well-formed code that is not valid now (nor one step either side)."""
    valid = {code(n) for n in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)
