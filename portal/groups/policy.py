"""Who may find, follow and run support groups; loaders answer 404 for a group a person may not see."""

from __future__ import annotations

from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core.db import db
from portal.core.refusals import not_found
from portal.groups.models import SupportGroup

# Everyone but young people: groups are for carers, their families and applicants; staff point people to them.
READERS = tuple(role for role in Role if role != Role.YOUNG_PERSON)
# Those who may follow a group, say they are coming and subscribe to a feed.
MEMBERS = (Role.CARER, Role.APPLICANT, Role.MENTOR, Role.GROUP_COORDINATOR)
COORDINATORS = (Role.GROUP_COORDINATOR, Role.ADMIN)


def can_edit_group(user: User, group: SupportGroup) -> bool:
    """Admins edit any group; a group coordinator only the groups they coordinate."""
    if user.has_role(Role.ADMIN):
        return True
    return user.has_role(Role.GROUP_COORDINATOR) and group.coordinated_by(user.id)


def can_see_online_link(user: User) -> bool:
    """The joining link of an online group is for signed-in carers (and applicants) and the people who run it."""
    return user.has_role(*MEMBERS, Role.ADMIN)


def load_group(user: User, group_id: int) -> SupportGroup:
    """A listed group (an admin also sees withdrawn ones)."""
    stmt = select(SupportGroup).where(SupportGroup.id == group_id)
    if not user.has_role(Role.ADMIN):
        stmt = stmt.where(SupportGroup.is_active.is_(True))
    group = db.session.scalar(stmt)
    if group is None:
        not_found(user, "support_group", group_id)
    return group


def load_editable_group(user: User, group_id: int) -> SupportGroup:
    """A group this person coordinates (or any, for an admin). Another coordinator's group is, for changing, as
    good as missing: 404, audited, the same as an id that does not exist."""
    group = load_group(user, group_id)
    if not can_edit_group(user, group):
        not_found(user, "support_group_to_change", group_id)
    return group
