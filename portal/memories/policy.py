"""Who may read, add to, moderate, export and delete from a child's memory box; loaders 404 what is not theirs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.core.refusals import not_found
from portal.memories.models import MemoryExport, MemoryItem
from portal.memories.queries import boxes_visible_to, items_clause
from portal.people.models import Child, Placement
from portal.people.queries import current_placement_of, own_household_ids


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
    is_carer = bool(user.has_role(Role.CARER) and placement and placement.household_id in own_household_ids(user))
    is_sw = bool(user.has_role(Role.CHILD_SW) and child.social_worker_id == user.id)
    is_ssw = bool(user.has_role(Role.SSW) and placement and placement.household.ssw_id == user.id)
    is_admin = user.has_role(Role.ADMIN)
    is_yp = bool(user.has_role(Role.YOUNG_PERSON) and child.young_person_user_id == user.id)
    return BoxAccess(
        child=child,
        placement=placement,
        is_carer=is_carer,
        can_moderate=is_sw or is_ssw or is_admin,
        is_young_person=is_yp and not (is_sw or is_ssw or is_admin or is_carer),
        is_childs_social_worker=is_sw,
        is_admin=is_admin,
    )


def load_box(user: User, child_id: int) -> BoxAccess:
    """A box the user may open, or 404: never reveal that another child (or their box) exists."""
    child = db.session.scalar(boxes_visible_to(user).where(Child.id == child_id))
    if child is None:
        not_found(user, "memory_box", child_id)
    return box_access(user, child)


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
