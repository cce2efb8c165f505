"""Which children a claim line may name: a line about a child names them, and only on a day they lived with the
household (a journey a month before a child was placed, or after they left, is not theirs to claim)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from portal.claims.models import ClaimKind
from portal.core.db import db
from portal.core.templating import uk_date
from portal.people.models import Child, Placement

# Purposes and categories that are about a child: the line must say which child. Journeys for the carer's own
# training or mentoring (and "other") concern no child.
CHILD_PURPOSES = {
    ClaimKind.MILEAGE: frozenset({"family_time", "health", "education", "court", "placement_meeting"}),
    ClaimKind.EXPENSE: frozenset({"clothing", "school", "activities"}),
}


def needs_child(kind: str, category: str) -> bool:
    return category in CHILD_PURPOSES.get(ClaimKind(kind), frozenset())


def placement_problem(name: str, on: date, spans: list[tuple[date, date | None]]) -> str | None:
    """Why a line dated `on` cannot be for the child called `name`, given their placements with the household as
    (start, end) pairs (end: the day they moved out, or None while they live there); None when `on` is inside one.
    The move-out day counts: a journey that day takes the child to their next home."""
    if any(start <= on and (end is None or on <= end) for start, end in spans):
        return None
    if not spans:
        return f"{name} was not placed with you, so this cannot be claimed for them"
    described = "; ".join(
        f"from {uk_date(start)}" + (f" until {uk_date(end)}" if end else "") for start, end in sorted(spans)
    )
    return (
        f"{name} was placed with you {described}, so {uk_date(on)} is outside the placement. "
        "Check the date, or the child it was for"
    )


def _spans(child_ids: Iterable[int], household_id: int) -> dict[int, list[tuple[date, date | None]]]:
    rows = db.session.execute(
        select(Placement.child_id, Placement.start_date, Placement.end_date).where(
            Placement.child_id.in_(list(child_ids)), Placement.household_id == household_id
        )
    )
    out: dict[int, list[tuple[date, date | None]]] = {}
    for child_id, start, end in rows:
        out.setdefault(child_id, []).append((start, end))
    return out


def line_children_problem(
    kind: str, category: str, on: date, child_ids: Iterable[int], household_id: int
) -> str | None:
    """The first reason the line's children do not fit it, or None: a child is needed and none was named, or a
    named child did not live with the household on `on`."""
    child_ids = list(dict.fromkeys(child_ids))
    if not child_ids:
        return "Select the child this was for" if needs_child(kind, category) else None
    children = list(db.session.scalars(select(Child).where(Child.id.in_(child_ids)).order_by(Child.first_name)))
    if len(children) != len(child_ids):
        return "Select from the children placed with you"
    spans = _spans(child_ids, household_id)
    for child in children:
        problem = placement_problem(child.known_as, on, spans.get(child.id, []))
        if problem:
            return problem
    return None
