"""Rows for groups tests: a listed group with its coordinators, made directly (the services are tested on their own)."""

from __future__ import annotations

from datetime import date, time

from portal.core.db import db
from portal.groups.models import GroupCoordinator, SupportGroup
from portal.groups.services import index_group


def make_group(
    locality,
    *coordinators,
    name: str = "Tuesday coffee morning",
    audience: str = "all_carers",
    rrule: str = "FREQ=MONTHLY;BYDAY=+2TU",
    first_meeting: date = date(2026, 1, 13),
    starts_at: time = time(10),
    ends_at: time = time(12),
    online: bool = False,
) -> SupportGroup:
    group = SupportGroup(
        name=name,
        audience=audience,
        locality_id=locality.id,
        description="Coffee, cake and people who understand.",
        is_online=online,
        venue_name="" if online else "Riverside Family Centre",
        venue_address="" if online else "12 Mill Lane, Ashford",
        online_link="https://meet.example.org/group-secret" if online else "",
        rrule=rrule,
        first_meeting=first_meeting,
        starts_at=starts_at,
        ends_at=ends_at,
    )
    group.coordinators = [GroupCoordinator(user_id=c.id) for c in coordinators]
    db.session.add(group)
    db.session.flush()
    index_group(group)
    db.session.commit()
    return group
