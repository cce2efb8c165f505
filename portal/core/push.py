"""Web push (RFC 8030, encrypted per RFC 8291, signed with VAPID per RFC 8292) through `pywebpush`.

Each device a person allows is a `PushSubscription` (the push service's endpoint and the browser's keys). What
is pushed is only a kind's `alert` and a link inside Hearth, never a name or a detail: the push service and a
locked phone's screen see it. A subscription the push service says is gone (404 or 410) is deleted.
"""

from __future__ import annotations

import json
import logging
from base64 import urlsafe_b64encode
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from flask import current_app
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush
from sqlalchemy import ForeignKey, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.db import Base, IdMixin, db, utcnow

log = logging.getLogger("hearth.push")
GONE = (404, 410)
TTL_SECONDS = 24 * 60 * 60  # a notice a day old is still worth showing; older ones are dropped by the service


class PushSubscription(IdMixin, Base):
    """One browser on one device that agreed to receive Hearth's notifications for this person."""

    __tablename__ = "push_subscriptions"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(100))
    device: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sent_at: Mapped[datetime | None]


class BadSubscription(ValueError):
    """The browser's subscription JSON lacks an https endpoint or its keys."""


def read_subscription(data: object) -> tuple[str, str, str]:
    """(endpoint, p256dh, auth) from a PushSubscription's JSON. Raises BadSubscription when it is not one."""
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        raise BadSubscription("not a push subscription")
    endpoint, keys = data.get("endpoint"), data["keys"]
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    if not isinstance(endpoint, str) or not (endpoint.startswith("https://") or _local_endpoint(endpoint)):
        raise BadSubscription("the endpoint must be an https address")
    if not all(isinstance(v, str) and 0 < len(v) <= 200 for v in (p256dh, auth)) or len(endpoint) > 1000:
        raise BadSubscription("the subscription's keys are missing or too long")
    return endpoint, p256dh, auth


def _local_endpoint(endpoint: str) -> bool:
    # Tests stand a push service up on the loopback interface; outside tests only https is accepted.
    return bool(current_app.config.get("TESTING")) and endpoint.startswith("http://127.0.0.1:")


def save_subscription(user_id: int, data: object, device: str = "") -> PushSubscription:
    """Add or take over the subscription (an endpoint belongs to one browser: the person now signed in on it), in
    the caller's transaction. Raises BadSubscription."""
    endpoint, p256dh, auth = read_subscription(data)
    sub = db.session.scalar(select(PushSubscription).where(PushSubscription.endpoint == endpoint))
    if sub is None:
        sub = PushSubscription(endpoint=endpoint)
        db.session.add(sub)
    sub.user_id, sub.p256dh, sub.auth, sub.device = user_id, p256dh, auth, device[:120]
    return sub


def forget_subscription(user_id: int, endpoint: str) -> int:
    """Remove this person's subscription for `endpoint` (turned off on the device), in the caller's transaction."""
    return db.session.execute(
        delete(PushSubscription).where(PushSubscription.user_id == user_id, PushSubscription.endpoint == endpoint)
    ).rowcount


def subscriptions_of(user_id: int) -> list[PushSubscription]:
    return list(db.session.scalars(select(PushSubscription).where(PushSubscription.user_id == user_id)))


def _vapid() -> Vapid02:
    app = current_app
    cached = app.extensions.get("hearth_vapid")
    if cached is None:
        key = app.config.get("VAPID_PRIVATE_KEY") or ""
        cached = Vapid02.from_file(key) if Path(key).is_file() else Vapid02.from_string(key)
        app.extensions["hearth_vapid"] = cached
    return cached


def push_enabled() -> bool:
    return bool(current_app.config.get("VAPID_PRIVATE_KEY"))


def vapid_public_key() -> str:
    """The applicationServerKey browsers subscribe with: the uncompressed P-256 point, base64url without padding."""
    raw = _vapid().public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return urlsafe_b64encode(raw).rstrip(b"=").decode()


def push_to(user_id: int, payload: dict) -> int:
    """Send `payload` (JSON: title, body, url, tag) to each of the person's devices; delete those the push service
    says are gone. Returns how many were delivered. Other failures raise, so the job retries."""
    subject = current_app.config.get("VAPID_SUBJECT") or f"mailto:{current_app.config['MAIL_FROM']}"
    sent, failure = 0, None
    for sub in subscriptions_of(user_id):
        info = {"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}}
        try:
            webpush(
                info,
                json.dumps(payload),
                vapid_private_key=_vapid(),
                vapid_claims={"sub": subject},
                ttl=TTL_SECONDS,
                timeout=10,
            )
        except WebPushException as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status in GONE:
                log.info("push subscription gone", extra={"event": "push_gone", "subscription": sub.id})
                db.session.delete(sub)
                continue
            failure = exc
            continue
        sub.last_sent_at = utcnow()
        sent += 1
    db.session.commit()
    if failure is not None and not sent:
        raise failure
    return sent
