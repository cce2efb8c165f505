"""Who may read, add to, moderate, export and delete from a child's memory box; loaders 404 what is not theirs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import aliased

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.core.refusals import not_found
from portal.memories.models import MemoryExport, MemoryItem
from portal.memories.queries import ON, READER, box_roles, box_rule, boxes_visible_to
from portal.memories.timeline import reading_rule, rule_clause
from portal.people.models import Child, Household, HouseholdMember, Placement
from portal.people.queries import current_placement_clause, current_placement_of, own_household_ids


@dataclass(frozen=True)
class BoxRights:
    """What one person may do with one child's box, worked out once per request from today's facts."""

    is_carer: bool  # a carer of the child's current placement
    can_moderate: bool  # the child's social worker, the SSW of the current household, or an admin
    is_young_person: bool  # the child themself, with a grant: read-only
    is_childs_social_worker: bool
    is_admin: bool

    @property
    def can_add(self) -> bool:
        return self.is_carer or self.is_childs_social_worker or (self.can_moderate and not self.is_admin)

    @property
    def can_export(self) -> bool:
        return self.is_childs_social_worker or self.is_young_person

    @property
    def can_grant_access(self) -> bool:
        return self.is_childs_social_worker

    @property
    def sees_everything(self) -> bool:
        return self.can_moderate


@dataclass(frozen=True)
class BoxAccess(BoxRights):
    """BoxRights with the child and its current placement as models: for the pages that add to or change a box."""

    child: Child
    placement: Placement | None  # the child's current placement, if any


@dataclass(frozen=True, slots=True)
class BoxChild:
    """A child as the box's own page names them: plain columns, not the Child model."""

    id: int
    first_name: str
    last_name: str
    preferred_name: str | None
    social_worker_id: int | None
    young_person_user_id: int | None

    known_as = Child.known_as  # Child's own properties, so both name a child the same way
    full_name = Child.full_name


@dataclass(frozen=True)
class BoxReading(BoxRights):
    """BoxRights with the child as plain columns and the reading rule (portal.memories.timeline) of its items: what
    the box's timeline page needs, no more."""

    child: BoxChild
    rule: str


def box_access(user: User, child: Child) -> BoxAccess:
    placement = current_placement_of(child, today())
    own = bool(placement and user.has_role(Role.CARER) and placement.household_id in own_household_ids(user))
    ssw_id = placement.household.ssw_id if placement and user.has_role(Role.SSW) else None
    rights = _rights(user, child, placement is not None, in_own_household=own, household_ssw_id=ssw_id)
    return BoxAccess(child=child, placement=placement, **rights)


def _rights(user: User, child, placed: bool, *, in_own_household: bool, household_ssw_id: int | None) -> dict:
    """BoxRights' fields from facts already read: whether the child is placed today, whether that placement's
    household is the user's own, and that household's supervising social worker. `child` is a Child or a BoxChild."""
    roles = user.roles
    is_carer = bool(Role.CARER in roles and placed and in_own_household)
    is_sw = bool(Role.CHILD_SW in roles and child.social_worker_id == user.id)
    is_ssw = bool(Role.SSW in roles and placed and household_ssw_id == user.id)
    is_admin = Role.ADMIN in roles
    is_yp = bool(Role.YOUNG_PERSON in roles and child.young_person_user_id == user.id)
    return dict(
        is_carer=is_carer,
        can_moderate=is_sw or is_ssw or is_admin,
        is_young_person=is_yp and not (is_sw or is_ssw or is_admin or is_carer),
        is_childs_social_worker=is_sw,
        is_admin=is_admin,
    )


# Aliases, as the visibility clauses have subqueries on placements and households of their own. Every statement
# below is built once for each set of roles, with the reader, the day and the child bound when it runs.
_CURRENT = Placement.__table__.alias("current_placement")
_ITS_HOUSEHOLD = Household.__table__.alias("its_household")
_CURRENT_PLACEMENT = aliased(Placement, _CURRENT)  # the same alias, read as a Placement
_children, _members = Child.__table__.c, HouseholdMember.__table__.c


def _facts(child: tuple, placement, roles: frozenset[Role]):
    """The child `child_id` (as the columns or entity `child`) if the reader may open its box, with its current
    placement (`placement`: _CURRENT_PLACEMENT or a column of _CURRENT), whether that placement's household is the
    reader's own and the household's supervising social worker: one row or none."""
    stmt = select(*child)
    rule = box_rule(roles)
    if rule is not None:
        stmt = stmt.where(rule)
    current, household = _CURRENT.c, _ITS_HOUSEHOLD.c
    own = current.household_id.in_(select(_members.household_id).where(_members.user_id == READER))
    return (
        stmt.where(_children.id == bindparam("child_id"))
        .outerjoin(_CURRENT, and_(current.child_id == _children.id, current_placement_clause(ON, current)))
        .outerjoin(_ITS_HOUSEHOLD, household.id == current.household_id)
        .add_columns(placement, own, household.ssw_id)
        .order_by(current.start_date.desc())
        .limit(1)
    )


@cache
def _models_stmt(roles: frozenset[Role]):
    return _facts((Child,), _CURRENT_PLACEMENT, roles)


@cache
def _columns_stmt(roles: frozenset[Role]):
    c = _children
    columns = (c.id, c.first_name, c.last_name, c.preferred_name, c.social_worker_id, c.young_person_user_id)
    return _facts(columns, _CURRENT.c.id, roles)


def load_box(user: User, child_id: int) -> BoxAccess:
    """A box the user may open, or 404: never reveal that another child (or their box) exists.

    One statement (built once for each set of roles): the child, its current placement (if any), whether that
    placement's household is the user's own and the household's supervising social worker."""
    params = {"reader_id": user.id, "on": today(), "child_id": child_id}
    row = db.session.execute(_models_stmt(box_roles(user)), params).first()
    if row is None:
        not_found(user, "memory_box", child_id)
    child, placement, own, ssw_id = row
    rights = _rights(user, child, placement is not None, in_own_household=bool(own), household_ssw_id=ssw_id)
    return BoxAccess(child=child, placement=placement, **rights)


def read_box(user: User, child_id: int) -> BoxReading:
    """load_box for the box's timeline page: the same rule and the same 404, read as plain columns (BoxReading)."""
    params = {"reader_id": user.id, "on": today(), "child_id": child_id}
    row = db.session.execute(_columns_stmt(box_roles(user)), params).first()
    if row is None:
        not_found(user, "memory_box", child_id)
    child = BoxChild(*row[:6])
    placement_id, own, ssw_id = row[6:]
    placed = placement_id is not None
    rights = _rights(user, child, placed, in_own_household=bool(own), household_ssw_id=ssw_id)
    rule = reading_rule(user, child.young_person_user_id, sees_everything=rights["can_moderate"])
    return BoxReading(child=child, rule=rule, **rights)


def load_item(user: User, item_id: int) -> tuple[MemoryItem, BoxAccess]:
    # Whether the item's own child's box is one the user sees (correlated to the item): one child tested, where
    # `child_id IN (boxes)` had the database list every box the user sees first (a caseload's worth of children).
    its_box = (
        boxes_visible_to(user).with_only_columns(Child.id).where(Child.id == MemoryItem.child_id).correlate(MemoryItem)
    )
    item = db.session.scalar(select(MemoryItem).where(MemoryItem.id == item_id, its_box.exists()))
    if item is None:
        not_found(user, "memory_item", item_id)
    access = box_access(user, item.child)
    rule = reading_rule(user, item.child.young_person_user_id, sees_everything=access.sees_everything)
    visible = db.session.scalar(
        select(MemoryItem.id).where(MemoryItem.id == item.id, rule_clause(rule)), {"reader_id": user.id}
    )
    if visible is None:
        not_found(user, "memory_item", item_id)
    return item, access


def can_change_item(user: User, item: MemoryItem, access: BoxAccess) -> bool:
    """The person who added it may correct it until it is approved; moderators at any time. Never the young person."""
    if access.is_young_person:
        return False
    if access.can_moderate:
        return True
    return access.can_add and item.added_by_id == user.id and not item.is_approved and not item.is_hidden


def load_export(user: User, export_id: int) -> MemoryExport:
    export = db.session.get(MemoryExport, export_id)
    if export is None:
        not_found(user, "memory_export", export_id)
    access = load_box(user, export.child_id)
    if not access.can_export:
        not_found(user, "memory_export", export_id)
    return export
