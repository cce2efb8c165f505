"""A carer's household and the children living with them now, as their home page shows them.

The home page is the page carers open most, so this is one Core statement built once (the carer and the day are
bound parameters) that reads only the columns shown, instead of loading the household, its members, their accounts,
its supervising social worker and each placement's child as ORM objects. The summaries carry the fields
`portal.people.attention.household_attention` reads, under the models' names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, bindparam, select

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


def _home_stmt():
    households, localities = Household.__table__.c, Locality.__table__.c
    placements, children = Placement.__table__.c, Child.__table__.c
    own = HouseholdMember.__table__.alias("own")
    members = HouseholdMember.__table__.alias("members")
    carers, ssw = User.__table__.alias("carers"), User.__table__.alias("ssw")
    # One row per carer of the household (one or two) and child placed there now (any number, or none), each with
    # the household's own columns: a household has few of either, so the repeats cost less than a second query.
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
            members.c.id,
            carers.c.full_name,
            placements.id,
            placements.child_id,
            placements.start_date,
            placements.placement_type,
            children.first_name,
            children.preferred_name,
            children.last_name,
            children.date_of_birth,
        )
        .select_from(own)
        .join(Household.__table__, households.id == own.c.household_id)
        .join(Locality.__table__, localities.id == households.locality_id)
        .outerjoin(ssw, ssw.c.id == households.ssw_id)
        .join(members, members.c.household_id == households.id)
        .join(carers, carers.c.id == members.c.user_id)
        .outerjoin(
            Placement.__table__,
            and_(placements.household_id == households.id, current_placement_clause(bindparam("on"), placements)),
        )
        .outerjoin(Child.__table__, children.id == placements.child_id)
        .where(own.c.user_id == bindparam("user_id"))
        .order_by(members.c.id, placements.start_date, placements.id)
    )


_HOME = _home_stmt()


def carer_home(user: User, on: date) -> tuple[HouseholdSummary | None, list[PlacementSummary]]:
    """The household the carer belongs to (a carer belongs to at most one), or None, and its placements running on
    `on`, earliest first, each with its child's names and birthday (one query however many)."""
    rows = db.session.execute(_HOME, {"user_id": user.id, "on": on}).all()
    if not rows:
        return None, []
    carer_names: dict[int, str] = {}
    placements: dict[int, PlacementSummary] = {}
    for row in rows:
        carer_names.setdefault(row[8], row[9])
        placement_id, child_id, start, kind, first_name, preferred, last_name, born = row[10:]
        if placement_id is not None and placement_id not in placements:
            placements[placement_id] = PlacementSummary(
                child_id, start, kind, ChildSummary(child_id, first_name, preferred, last_name, born)
            )
    household = HouseholdSummary(*rows[0][:8], tuple(carer_names.values()))
    return household, sorted(placements.values(), key=lambda p: p.start_date)
