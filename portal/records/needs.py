"""What needs a social worker about logs: entries they have not read, and significant events among them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, true

from portal.auth.roles import Role
from portal.core.db import db
from portal.core.links import path_to
from portal.hub.needs import Need, register_need_source
from portal.records.models import LogEntry
from portal.records.queries import logs_visible_to, unread_clause

UNREAD_CAP = 100  # unread entries counted; past it the need says "100 or more"


def unread_log_needs(user, on: date) -> list[Need]:
    """Unread entries about the person's caseload or children, and how many of them are significant, each counted
    up to UNREAD_CAP (one query of two LIMITed subqueries: a caseload's entries are never all read to count them).

    Below the cap the counts are exact and the oldest unread entry's date is given; at the cap the count is a floor
    (`Need.more`) and the oldest is not known without reading them all, so the need is dated today."""
    unread = logs_visible_to(user, on).where(unread_clause(user)).with_only_columns(LogEntry.created_at)
    significant = unread.where((LogEntry.is_significant.is_(True)) | (LogEntry.category == "incident"))
    every, urgent = (_capped(stmt) for stmt in (unread, significant))
    count, oldest, urgent_count, urgent_oldest = db.session.execute(
        select(every.c.n, every.c.oldest, urgent.c.n, urgent.c.oldest).select_from(every.join(urgent, true()))
    ).one()
    needs = []
    if urgent_count:
        needs.append(
            _need(
                "significant_logs",
                "Significant events or incidents logged that you have not read",
                urgent_count,
                urgent_oldest,
                on,
            )
        )
    if count:
        needs.append(_need("unread_logs", "Log entries you have not read", count, oldest, on))
    return needs


def _capped(stmt):
    """(n, oldest) of the first UNREAD_CAP rows of `stmt`, as a one-row subquery."""
    first = stmt.limit(UNREAD_CAP).subquery()
    return select(func.count().label("n"), func.min(first.c.created_at).label("oldest")).subquery()


def _need(kind: str, text: str, count: int, oldest, on: date) -> Need:
    more = count >= UNREAD_CAP
    return Need(
        kind=kind,
        text=text,
        href=path_to("records.list_log_entries", unread="y"),
        at=on if more else (oldest or on),
        count=count,
        oldest=None if more else oldest,
        more=more,
    )


register_need_source([Role.SSW, Role.CHILD_SW], unread_log_needs)
