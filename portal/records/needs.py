"""What needs a social worker about logs: entries they have not read, and significant events among them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.auth.roles import Role
from portal.core.db import db
from portal.core.links import path_to
from portal.hub.needs import Need, register_need_source
from portal.records.queries import logs_visible_to, unread_clause


def unread_log_needs(user, on: date) -> list[Need]:
    """Unread entries about the person's caseload or children, and how many of them are significant (one query)."""
    entries = logs_visible_to(user, on).where(unread_clause(user)).subquery()
    significant = (entries.c.is_significant.is_(True)) | (entries.c.category == "incident")
    count, oldest, urgent, urgent_oldest = db.session.execute(
        select(
            func.count(),
            func.min(entries.c.created_at),
            func.count().filter(significant),
            func.min(entries.c.created_at).filter(significant),
        ).select_from(entries)
    ).one()
    needs = []
    if urgent:
        needs.append(
            Need(
                kind="significant_logs",
                text="Significant events or incidents logged that you have not read",
                href=path_to("records.list_log_entries", unread="y"),
                at=urgent_oldest or on,
                count=urgent,
                oldest=urgent_oldest,
            )
        )
    if count:
        needs.append(
            Need(
                kind="unread_logs",
                text="Log entries you have not read",
                href=path_to("records.list_log_entries", unread="y"),
                at=oldest or on,
                count=count,
                oldest=oldest,
            )
        )
    return needs


register_need_source([Role.SSW, Role.CHILD_SW], unread_log_needs)
