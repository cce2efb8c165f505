"""Who may read, add to, moderate, export and delete from a child's memory box; loaders 404 what is not theirs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import aliased

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.core.refusals import not_found
from portal.memories.models import MemoryExport, MemoryItem
from portal.memories.queries import boxes_visible_to, items_clause
from portal.people.models import Child, Household, Placement
from portal.people.queries import (
    current_placement_clause,
    current_placement_of,
    household_ids_of_carer,
    own_household_ids,
)


@dataclass(frozen=True)
class BoxAccess:
    """What one person may do with one child's box, worked out once per request from today's facts."""

    child: Child
    placement: Placement | None  # the child's current placement, if any
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


def box_access(user: User, child: Child) -> BoxAccess:
    placement = current_placement_of(child, today())
    own = bool(placement and user.has_role(Role.CARER) and placement.household_id in own_household_ids(user))
    ssw_id = placement.household.ssw_id if placement and user.has_role(Role.SSW) else None
    return _access(user, child, placement, in_own_household=own, household_ssw_id=ssw_id)


def _access(
    user: User, child: Child, placement: Placement | None, *, in_own_household: bool, household_ssw_id: int | None
) -> BoxAccess:
    """BoxAccess from facts already read: the current placement, whether its household is the user's own, and that
    household's supervising social worker."""
    roles = user.roles
    is_carer = bool(Role.CARER in roles and placement and in_own_household)
    is_sw = bool(Role.CHILD_SW in roles and child.social_worker_id == user.id)
    is_ssw = bool(Role.SSW in roles and placement and household_ssw_id == user.id)
    is_admin = Role.ADMIN in roles
    is_yp = bool(Role.YOUNG_PERSON in roles and child.young_person_user_id == user.id)
    return BoxAccess(
        child=child,
        placement=placement,
        is_carer=is_carer,
        can_moderate=is_sw or is_ssw or is_admin,
        is_young_person=is_yp and not (is_sw or is_ssw or is_admin or is_carer),
        is_childs_social_worker=is_sw,
        is_admin=is_admin,
    )


# Aliases, as the visibility clauses have subqueries on placements and households of their own; made once, as an
# alias adapts every column it is asked for (and remembers them).
_CURRENT_PLACEMENT = aliased(Placement, name="current_placement")
_ITS_HOUSEHOLD = aliased(Household, name="its_household")


def load_box(user: User, child_id: int) -> BoxAccess:
    """A box the user may open, or 404: never reveal that another child (or their box) exists.

    One statement: the child, its current placement (if any), whether that placement's household is the user's own
    and the household's supervising social worker."""
    on = today()
    current, household = _CURRENT_PLACEMENT, _ITS_HOUSEHOLD
    row = db.session.execute(
        boxes_visible_to(user, on)
        .where(Child.id == child_id)
        .outerjoin(current, and_(current.child_id == Child.id, current_placement_clause(on, current)))
        .outerjoin(household, household.id == current.household_id)
        .add_columns(current, current.household_id.in_(household_ids_of_carer(user)), household.ssw_id)
        .order_by(current.start_date.desc())
        .limit(1)
    ).first()
    if row is None:
        not_found(user, "memory_box", child_id)
    child, placement, own, ssw_id = row
    return _access(user, child, placement, in_own_household=bool(own), household_ssw_id=ssw_id)


def load_item(user: User, item_id: int) -> tuple[MemoryItem, BoxAccess]:
    boxes = boxes_visible_to(user).with_only_columns(Child.id)
    item = db.session.scalar(select(MemoryItem).where(MemoryItem.id == item_id, MemoryItem.child_id.in_(boxes)))
    if item is None:
        not_found(user, "memory_item", item_id)
    access = box_access(user, item.child)
    visible = db.session.scalar(
        select(MemoryItem.id).where(
            MemoryItem.id == item.id, items_clause(user, item.child, sees_everything=access.sees_everything)
        )
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
