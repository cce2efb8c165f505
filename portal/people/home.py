"""A carer's household and the children living with them now, as their home page shows them.

The home page is the page carers open most, so these are two Core statements built once (the carer and the day are
bound parameters) that read only the columns shown, instead of loading the household, its members, their accounts,
its supervising social worker and each placement's child as ORM objects. The summaries carry the fields
`portal.people.attention.household_attention` reads, under the models' names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, select

from portal.auth.models import User
from portal.core.db import db
from portal.people.models import (
    CARER_TYPE_LABELS,
    PLACEMENT_TYPE_LABELS,
    CarerType,
    Child,
    Household,
    HouseholdMember,
    Locality,
    Placement,
    PlacementType,
)
from portal.people.queries import current_placement_clause


@dataclass(frozen=True)
class HouseholdSummary:
    id: int
    name: str
    reference: str
    carer_type: str
    approval_date: date | None
    status: str
    locality_name: str
    ssw_name: str | None  # None: no supervising social worker allocated yet
    carer_names: tuple[str, ...]  # in the order they joined the household

    @property
    def carer_type_label(self) -> str:
        return CARER_TYPE_LABELS[CarerType(self.carer_type)]


@dataclass(frozen=True)
class ChildSummary:
    id: int
    first_name: str
    preferred_name: str | None
    last_name: str
    date_of_birth: date

    @property
    def known_as(self) -> str:
        return self.preferred_name or self.first_name


@dataclass(frozen=True)
class PlacementSummary:
    child_id: int
    start_date: date
    placement_type: str
    child: ChildSummary

    @property
    def type_label(self) -> str:
        return PLACEMENT_TYPE_LABELS[PlacementType(self.placement_type)]


def _household_stmt():
    households, localities = Household.__table__.c, Locality.__table__.c
    own = HouseholdMember.__table__.alias("own")
    members = HouseholdMember.__table__.alias("members")
    carers, ssw = User.__table__.alias("carers"), User.__table__.alias("ssw")
    # One row per carer of the household (one or two), each with the household's own columns.
    return (
        select(
            households.id,
            households.name,
            households.reference,
            households.carer_type,
            households.approval_date,
            households.status,
            localities.name,
            ssw.c.full_name,
            carers.c.full_name,
        )
        .select_from(own)
        .join(Household.__table__, households.id == own.c.household_id)
        .join(Locality.__table__, localities.id == households.locality_id)
        .outerjoin(ssw, ssw.c.id == households.ssw_id)
        .join(members, members.c.household_id == households.id)
        .join(carers, carers.c.id == members.c.user_id)
        .where(own.c.user_id == bindparam("user_id"))
        .order_by(members.c.id)
    )


def _placements_stmt():
    placements, children = Placement.__table__.c, Child.__table__.c
    return (
        select(
            placements.child_id,
            placements.start_date,
            placements.placement_type,
            children.first_name,
            children.preferred_name,
            children.last_name,
            children.date_of_birth,
        )
        .join_from(Placement.__table__, Child.__table__, children.id == placements.child_id)
        .where(
            placements.household_id == bindparam("household_id"), current_placement_clause(bindparam("on"), placements)
        )
        .order_by(placements.start_date)
    )


_HOUSEHOLD = _household_stmt()
_PLACEMENTS = _placements_stmt()


def carer_household(user: User) -> HouseholdSummary | None:
    """The household the carer belongs to (a carer belongs to at most one), or None (one query)."""
    rows = db.session.execute(_HOUSEHOLD, {"user_id": user.id}).all()
    if not rows:
        return None
    household_id, name, reference, carer_type, approval_date, status, locality, ssw, _ = rows[0]
    return HouseholdSummary(
        household_id,
        name,
        reference,
        carer_type,
        approval_date,
        status,
        locality,
        ssw,
        tuple(row[-1] for row in rows),
    )


def placements_now(household_id: int, on: date) -> list[PlacementSummary]:
    """The household's placements running on `on`, earliest first, each with its child's names and birthday (one
    query however many)."""
    return [
        PlacementSummary(
            child_id, start_date, placement_type, ChildSummary(child_id, first_name, preferred, last_name, born)
        )
        for child_id, start_date, placement_type, first_name, preferred, last_name, born in db.session.execute(
            _PLACEMENTS, {"household_id": household_id, "on": on}
        )
    ]
