"""The "device cookie" from OWASP's authentication guidance: a signed cookie given to a browser that signed in to an
account, so that a wrong-password storm against that account slows unknown devices only.

It names the account by a hash of its email (never the address itself) and carries a random id that the sign-in
throttle counts on. Nothing is stored server-side; changing SECRET_KEY simply makes every device unknown again.
"""

from __future__ import annotations

import hashlib
import secrets

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "hearth_known_device"
MAX_AGE_DAYS = 365
_SALT = "hearth-device-cookie"


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=_SALT)


def _account_tag(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:24]


def issue(secret_key: str, email: str) -> str:
    """A new cookie value for a browser that just signed in to `email`."""
    return _serializer(secret_key).dumps({"a": _account_tag(email), "d": secrets.token_urlsafe(12)})


def device_id(secret_key: str, cookie: str | None, email: str) -> str | None:
    """The device's id if `cookie` is genuine, unexpired and was issued for `email`; otherwise None."""
    if not cookie:
        return None
    try:
        data = _serializer(secret_key).loads(cookie, max_age=MAX_AGE_DAYS * 86400)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != _account_tag(email) or not isinstance(data.get("d"), str):
        return None
    return data["d"]
