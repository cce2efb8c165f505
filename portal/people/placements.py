"""Admin use cases for placements: place a child with a household, correct a placement, record its end."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.auth.models import User
from portal.core import audit
from portal.core.clock import today
from portal.core.db import db
from portal.core.templating import uk_date
from portal.core.unit_of_work import transactional
from portal.people.models import Child, Household, HouseholdStatus, Placement, PlacementType
from portal.people.queries import clashing_placements
from portal.people.services import PeopleRuleError, changed_fields, require_admin, row_by_id


def _lock_child(child: Child) -> None:
    # Two admins placing the same child at once: on PostgreSQL the second waits, then sees the first placement.
    db.session.execute(select(Child.id).where(Child.id == child.id).with_for_update())


def _describe(p: Placement) -> str:
    until = f"until {uk_date(p.end_date)}" if p.end_date else "with no end date"
    return f"{p.household.name} ({p.household.reference}) from {uk_date(p.start_date)} {until}"


def _check_placement(
    child: Child,
    household_id: int,
    start: date | None,
    end: date | None,
    placement_type: str,
    *,
    placement: Placement | None,
) -> Household:
    household = row_by_id(Household, household_id)
    if household is None:
        raise PeopleRuleError("household_id", "Choose the household the child lives with")
    if placement_type not in set(PlacementType):
        raise PeopleRuleError("placement_type", "Choose the type of placement")
    if start is None:
        raise PeopleRuleError("start_date", "Enter the start date")
    if start < child.date_of_birth:
        raise PeopleRuleError(
            "start_date",
            f"The start date must be on or after the child's date of birth, {uk_date(child.date_of_birth)}",
        )
    if end is not None and end <= start:
        raise PeopleRuleError("end_date", "The end date must be after the start date")
    moving_in = placement is None or placement.household_id != household.id
    if moving_in and household.status != HouseholdStatus.ACTIVE and (end is None or end > today()):
        raise PeopleRuleError(
            "household_id", f"{household.name} is {household.status_label.lower()}: children cannot be placed there now"
        )
    _lock_child(child)
    clashes = clashing_placements(child.id, start, end, exclude_id=placement.id if placement else None)
    if clashes:
        raise PeopleRuleError(
            "start_date",
            f"{child.full_name} is already placed with {_describe(clashes[0])}. "
            "End that placement first, or choose dates that do not overlap",
        )
    return household


@transactional
def add_placement(
    actor: User, child: Child, *, household_id: int, start_date: date | None, end_date: date | None, placement_type: str
) -> Placement:
    require_admin(actor)
    household = _check_placement(child, household_id, start_date, end_date, placement_type, placement=None)
    placement = Placement(
        child=child, household=household, start_date=start_date, end_date=end_date, placement_type=str(placement_type)
    )
    db.session.add(placement)
    db.session.flush()
    audit.record(
        db.session,
        "placement_created",
        actor_id=actor.id,
        object_type="placement",
        object_id=placement.id,
        child_id=child.id,
        household_id=household.id,
    )
    return placement


@transactional
def change_placement(
    actor: User,
    placement: Placement,
    *,
    household_id: int,
    start_date: date | None,
    end_date: date | None,
    placement_type: str,
) -> list[str]:
    require_admin(actor)
    household = _check_placement(
        placement.child, household_id, start_date, end_date, placement_type, placement=placement
    )
    changed = changed_fields(
        placement,
        {
            "household_id": household.id,
            "start_date": start_date,
            "end_date": end_date,
            "placement_type": str(placement_type),
        },
    )
    if not changed:
        return []
    placement.household = household
    audit.record(
        db.session,
        "placement_changed",
        actor_id=actor.id,
        object_type="placement",
        object_id=placement.id,
        fields=sorted(changed),
    )
    return sorted(changed)


@transactional
def end_placement(actor: User, placement: Placement, end_date: date | None) -> Placement:
    """Record the day the child moved out: from that day the carers no longer see the child."""
    require_admin(actor)
    on = today()
    if placement.end_date is not None and placement.end_date <= on:
        raise PeopleRuleError("end_date", f"This placement already ended on {uk_date(placement.end_date)}")
    if end_date is None:
        raise PeopleRuleError("end_date", "Enter the date the child moved out")
    if end_date > on:
        raise PeopleRuleError("end_date", "The date the child moved out must be today or in the past")
    if end_date <= placement.start_date:
        raise PeopleRuleError(
            "end_date",
            f"The date the child moved out must be after the placement started on {uk_date(placement.start_date)}",
        )
    placement.end_date = end_date
    audit.record(
        db.session,
        "placement_ended",
        actor_id=actor.id,
        object_type="placement",
        object_id=placement.id,
        child_id=placement.child_id,
        household_id=placement.household_id,
    )
    return placement
