"""Notices that ask nothing of a queue but still need the person's eye (a reply to a log, a payment made or held, a
message): shown among what needs them until read, and gone as soon as the thing they are about is resolved."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import bindparam, select

from portal.auth.roles import Role
from portal.core.db import UTC, fixed_in
from portal.core.need_rows import need_columns
from portal.core.notice_kinds import (
    CLAIMS_PAID,
    LOG_REPLY,
    MEMORY_DATE_NEEDED,
    MESSAGE,
    PAYMENT_HELD,
    PAYMENT_MADE,
)
from portal.core.notify import Notification, open_notices
from portal.hub.needs import Need, NeedRows, register_need_rows

KINDS = frozenset(k.name for k in (LOG_REPLY, PAYMENT_MADE, PAYMENT_HELD, CLAIMS_PAID, MESSAGE, MEMORY_DATE_NEEDED))
RECENT_DAYS = 30  # older unread notices stay in the inbox, not on the home page
SHOWN = 5


# Asked on every visit to anyone's home page: a row source (portal.hub.needs.NeedRows), read with the person's other
# items in one statement, selecting only the columns an item shows.
_notices = Notification.__table__.c
_RECENT = (
    select(*need_columns(kind=_notices.kind, label=_notices.text, link=_notices.link, at=_notices.created_at))
    .where(
        _notices.user_id == bindparam("user_id"),
        fixed_in(_notices.kind, sorted(KINDS)),
        _notices.read_at.is_(None),
        open_notices(_notices),
        _notices.created_at >= bindparam("notices_since", type_=UTC()),
    )
    .order_by(_notices.created_at.desc(), _notices.id.desc())
    .limit(SHOWN)
)


def notice_need(row) -> Need:
    """One of the newest few unread, open notices of the kinds above from the last RECENT_DAYS."""
    return Need(kind=row.kind, text=row.label, href=row.link or "/notifications", at=row.at)


register_need_rows(
    NeedRows(
        "notices",
        frozenset(Role),
        _RECENT,
        notice_need,
        lambda now, today: {"notices_since": now - timedelta(days=RECENT_DAYS)},
    )
)
