"""Who may act on which account; loaders 404 for what the viewer may not see."""

from __future__ import annotations

from portal.admin import queries
from portal.auth.models import Invitation, User
from portal.auth.roles import Role
from portal.core.refusals import not_found


def can_remove_role(actor: User, target: User, role: Role) -> bool:
    # An admin removing their own admin role could leave the service with nobody able to manage accounts.
    return not (actor.id == target.id and role is Role.ADMIN)


def can_disable_user(actor: User, target: User) -> bool:
    return actor.id != target.id


def load_user(viewer: User, user_id: int) -> User:
    user = queries.get_user(viewer, user_id)
    if user is None:
        not_found(viewer, "user", user_id)
    return user


def load_invitation(viewer: User, invitation_id: int) -> Invitation:
    invitation = queries.get_invitation(viewer, invitation_id)
    if invitation is None:
        not_found(viewer, "invitation", invitation_id)
    return invitation
