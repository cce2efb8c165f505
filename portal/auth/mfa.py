"""TOTP second factor: secrets, QR codes for enrolment, and code checks that refuse replays."""

from __future__ import annotations

import io
import time

import pyotp
import segno

from portal.auth.models import User

STEP = 30


def new_secret() -> str:
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, email: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """An inline SVG (no external request, allowed by the CSP) of the otpauth:// link."""
    out = io.BytesIO()
    segno.make(uri, error="m").save(
        out, kind="svg", scale=5, border=2, xmldecl=False, svgns=True, title="QR code for your authenticator app"
    )
    return out.getvalue().decode()


def matching_step(secret: str, code: str, *, at: float | None = None) -> int | None:
    """The time-step the code belongs to (allowing one step of clock drift either way), or None."""
    code = "".join(code.split())
    if not code.isdigit() or len(code) != 6:
        return None
    now = at if at is not None else time.time()
    totp = pyotp.TOTP(secret)
    for drift in (0, -1, 1):
        step = int(now // STEP) + drift
        if pyotp.utils.strings_equal(totp.at(step * STEP), code):
            return step
    return None


def check_code(user: User, code: str) -> bool:
    """True for a valid code not used before; records its step so the same code cannot be used twice."""
    if not user.totp_secret:
        return False
    step = matching_step(user.totp_secret, code)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    return True
