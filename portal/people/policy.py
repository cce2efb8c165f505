"""Who may see or change a household, child or placement; loaders answer 404 for anything a user may not see."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core.db import db
from portal.core.refusals import not_found
from portal.people.models import Child, Household, HouseholdMember
from portal.people.queries import children_visible_to, households_visible_to


def can_manage_people(user: User) -> bool:
    return user.has_role(Role.ADMIN)


def can_see_placement_history(user: User) -> bool:
    """Staff who may see a household or child also see its past placements; carers see only what is current."""
    return user.is_staff


def can_see_status_reason(user: User, household: Household) -> bool:
    # Why a household is on hold (often an allegation) is for the fostering team, not business support or carers.
    return user.has_role(Role.ADMIN) or (user.has_role(Role.SSW) and household.ssw_id == user.id)


def load_household(user: User, household_id: int) -> Household:
    household = db.session.scalar(households_visible_to(user).where(Household.id == household_id))
    if household is None:
        not_found(user, "household", household_id)  # never reveal that another household exists
    return household


def load_child(user: User, child_id: int) -> Child:
    child = db.session.scalar(children_visible_to(user).where(Child.id == child_id))
    if child is None:
        not_found(user, "child", child_id)
    return child


def load_for_admin(model, object_id: int):
    """Admin edit pages: the gate already requires the admin role; a missing id is still a 404."""
    obj = db.session.scalar(select(model).where(model.id == object_id))
    if obj is None:
        abort(404)
    return obj


def can_reset_carer_second_factor(user: User, household: Household) -> bool:
    """A carer who lost their phone is helped back in by their own supervising social worker, or an admin."""
    return user.has_role(Role.ADMIN) or (user.has_role(Role.SSW) and household.ssw_id == user.id)


def load_supervised_carer(user: User, carer_id: int) -> tuple[User, Household]:
    """A carer whose second factor `user` may reset, with their household; 404 for anyone else."""
    member = db.session.scalar(select(HouseholdMember).where(HouseholdMember.user_id == carer_id))
    if member is None or not can_reset_carer_second_factor(user, member.household):
        not_found(user, "carer", carer_id)
    return member.user, member.household
