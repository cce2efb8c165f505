"""Notices that ask nothing of a queue but still need the person's eye (a reply to a log, a payment made or held, a
message): shown among what needs them until read, and gone as soon as the thing they are about is resolved."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import bindparam, select

from portal.auth.roles import Role
from portal.core.db import db, fixed_in, utcnow
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


# Asked on every visit to anyone's home page: a Core statement built once (the user and the time are bound
# parameters), reading only the columns an item shows.
_notices = Notification.__table__.c
_RECENT = (
    select(_notices.kind, _notices.text, _notices.link, _notices.created_at)
    .where(
        _notices.user_id == bindparam("user_id"),
        fixed_in(_notices.kind, sorted(KINDS)),
        _notices.read_at.is_(None),
        open_notices(_notices),
        _notices.created_at >= bindparam("since"),
    )
    .order_by(_notices.created_at.desc(), _notices.id.desc())
    .limit(SHOWN)
)


def notice_needs(user, on: date) -> list[Need]:
    """The newest few unread, open notices of the kinds above from the last RECENT_DAYS (one query)."""
    since = utcnow() - timedelta(days=RECENT_DAYS)
    return [
        Need(kind=kind, text=text, href=link or "/notifications", at=created_at)
        for kind, text, link, created_at in db.session.execute(_RECENT, {"user_id": user.id, "since": since})
    ]


register_need_source(list(Role), notice_needs)
