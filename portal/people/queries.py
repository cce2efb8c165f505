"""Households, children and placements a given user may see. Every list in Hearth about people starts here."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Select, and_, exists, false, or_, select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.people.models import Child, Household, HouseholdMember, Placement


def current_placement_clause(on: date):
    return and_(Placement.start_date <= on, or_(Placement.end_date.is_(None), Placement.end_date > on))


def household_ids_of_carer(user: User):
    return select(HouseholdMember.household_id).where(HouseholdMember.user_id == user.id)


def households_visible_to(user: User) -> Select[tuple[Household]]:
    stmt = select(Household)
    if user.has_role(Role.ADMIN, Role.BUSINESS_SUPPORT):
        return stmt
    on = today()
    clauses = []
    if user.has_role(Role.CARER):
        clauses.append(Household.id.in_(household_ids_of_carer(user)))
    if user.has_role(Role.SSW):
        clauses.append(Household.ssw_id == user.id)
    if user.has_role(Role.CHILD_SW):
        clauses.append(
            exists().where(
                Placement.household_id == Household.id,
                current_placement_clause(on),
                Placement.child_id.in_(select(Child.id).where(Child.social_worker_id == user.id)),
            )
        )
    return stmt.where(or_(*clauses) if clauses else false())


def children_visible_to(user: User, on: date | None = None) -> Select[tuple[Child]]:
    """Children whose records the user may read: by current placement, caseload or allocation — never by history."""
    stmt = select(Child)
    if user.has_role(Role.ADMIN):
        return stmt
    on = on or today()
    clauses = []
    placed_in = lambda households: exists().where(  # noqa: E731
        Placement.child_id == Child.id, current_placement_clause(on), Placement.household_id.in_(households)
    )
    if user.has_role(Role.CARER):
        clauses.append(placed_in(household_ids_of_carer(user)))
    if user.has_role(Role.SSW):
        clauses.append(placed_in(select(Household.id).where(Household.ssw_id == user.id)))
    if user.has_role(Role.CHILD_SW):
        clauses.append(Child.social_worker_id == user.id)
    if user.has_role(Role.YOUNG_PERSON):
        clauses.append(Child.young_person_user_id == user.id)
    return stmt.where(or_(*clauses) if clauses else false())


def household_of(user: User) -> Household | None:
    return db.session.scalar(
        select(Household).join(HouseholdMember).where(HouseholdMember.user_id == user.id)
    )


def current_placements(household: Household, on: date | None = None) -> list[Placement]:
    on = on or today()
    return list(
        db.session.scalars(
            select(Placement)
            .where(Placement.household_id == household.id, current_placement_clause(on))
            .order_by(Placement.start_date)
        )
    )


def caseload(user: User) -> list[Household]:
    return list(db.session.scalars(select(Household).where(Household.ssw_id == user.id).order_by(Household.name)))



def allocated_children(user: User, on: date | None = None) -> list[tuple[Child, Placement | None]]:
    """A child's social worker's children, each with their current placement (or None)."""
    on = on or today()
    children = db.session.scalars(select(Child).where(Child.social_worker_id == user.id).order_by(Child.first_name))
    out = []
    for child in children:
        current = next((p for p in child.placements if p.is_current(on)), None)
        out.append((child, current))
    return out
