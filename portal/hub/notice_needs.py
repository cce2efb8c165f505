"""Notices that ask nothing of a queue but still need the person's eye (a reply to a log, a payment made or held, a
message): shown among what needs them until read, and gone as soon as the thing they are about is resolved."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.db import db, utcnow
from portal.core.notice_kinds import (
    CLAIMS_PAID,
    LOG_REPLY,
    MEMORY_DATE_NEEDED,
    MESSAGE,
    PAYMENT_HELD,
    PAYMENT_MADE,
)
from portal.core.notify import Notification, open_notices
from portal.hub.needs import Need, register_need_source

KINDS = frozenset(k.name for k in (LOG_REPLY, PAYMENT_MADE, PAYMENT_HELD, CLAIMS_PAID, MESSAGE, MEMORY_DATE_NEEDED))
RECENT_DAYS = 30  # older unread notices stay in the inbox, not on the home page
SHOWN = 5


def notice_needs(user, on: date) -> list[Need]:
    """The newest few unread, open notices of the kinds above from the last RECENT_DAYS (one query)."""
    since = utcnow() - timedelta(days=RECENT_DAYS)
    rows = db.session.scalars(
        select(Notification)
        .where(
            Notification.user_id == user.id,
            Notification.kind.in_(KINDS),
            Notification.read_at.is_(None),
            open_notices(),
            Notification.created_at >= since,
        )
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(SHOWN)
    )
    return [Need(kind=n.kind, text=n.text, href=n.link or "/notifications", at=n.created_at) for n in rows]


register_need_source(list(Role), notice_needs)
