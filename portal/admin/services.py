"""Admin use cases: invite, resend and revoke invitations, change roles, disable and enable, reset security codes."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from portal.admin.policy import can_disable_user, can_remove_role
from portal.auth.invitations import AlreadyHasAccount, issue_invitation  # noqa: F401  (AlreadyHasAccount re-exported)
from portal.auth.models import Invitation, User, UserRole
from portal.auth.recovery import reset_second_factor
from portal.auth.roles import STAFF_ROLES, Role
from portal.auth.sessions import revoke_sessions
from portal.core import audit
from portal.core.db import db, utcnow
from portal.core.links import url_to
from portal.core.notify import send_email
from portal.core.security import new_token, token_hash
from portal.core.templating import uk_date
from portal.core.unit_of_work import transactional


class NotAllowed(ValueError):
    """The change is refused; the message says why, in words for the admin."""


def _invitation_days() -> int:
    return current_app.config["INVITATION_DAYS"]


def _send_invitation(invitation: Invitation, token: str, inviter: str | None) -> str:
    link = url_to("auth.accept_invitation", token=token)
    send_email(
        invitation.email,
        f"You are invited to {current_app.config['SERVICE_NAME']}",
        "invitation",
        name=invitation.full_name,
        link=link,
        inviter=inviter,
        expires_on=uk_date(invitation.expires_at),
    )
    return link


@transactional
def invite_person(actor: User, email: str, full_name: str, roles: list[Role]) -> Invitation:
    """Raises AlreadyHasAccount if the address is already someone's sign-in."""
    if not roles:
        raise NotAllowed("Select at least one role")
    invitation, token = issue_invitation(actor.id, email, full_name, roles, _invitation_days())
    audit.record(
        db.session,
        "invitation_sent",
        actor_id=actor.id,
        object_type="invitation",
        object_id=invitation.id,
        roles=invitation.roles,
    )
    _send_invitation(invitation, token, actor.full_name)
    return invitation


@transactional
def invite_first_admin(email: str, name: str) -> str:
    """For `flask create-admin`: an admin invitation whose link is returned (and emailed)."""
    invitation, token = issue_invitation(None, email, name, [Role.ADMIN], _invitation_days())
    audit.record(
        db.session,
        "invitation_sent",
        actor_id=None,
        object_type="invitation",
        object_id=invitation.id,
        roles=invitation.roles,
        via="command_line",
    )
    return _send_invitation(invitation, token, None)


@transactional
def resend_invitation(actor: User, invitation: Invitation) -> None:
    """A new link with a fresh expiry; the old link stops working (only the hash of the newest is kept)."""
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise NotAllowed("This invitation has already been accepted or withdrawn")
    token = new_token()
    invitation.token_hash = token_hash(token)
    invitation.expires_at = utcnow() + timedelta(days=_invitation_days())
    audit.record(db.session, "invitation_resent", actor_id=actor.id, object_type="invitation", object_id=invitation.id)
    _send_invitation(invitation, token, actor.full_name)


@transactional
def revoke_invitation(actor: User, invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise NotAllowed("This invitation has already been accepted")
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        audit.record(
            db.session, "invitation_revoked", actor_id=actor.id, object_type="invitation", object_id=invitation.id
        )


@transactional
def change_roles(actor: User, target: User, roles: set[Role]) -> tuple[set[Role], set[Role]]:
    """Set the target's roles; returns (granted, removed). Their sessions end when access shrinks or MFA becomes due."""
    if not roles:
        raise NotAllowed("Select at least one role. To stop someone signing in, disable their account instead")
    current = set(target.roles)
    granted, removed = roles - current, current - roles
    for role in removed:
        if not can_remove_role(actor, target, role):
            raise NotAllowed("You cannot remove your own admin role. Ask another admin to do it")
    target.role_rows = [row for row in target.role_rows if Role(row.role) not in removed]
    target.role_rows.extend(UserRole(role=r.value) for r in sorted(granted))
    for role in sorted(granted):
        audit.record(
            db.session, "role_granted", actor_id=actor.id, object_type="user", object_id=target.id, role=role.value
        )
    for role in sorted(removed):
        audit.record(
            db.session, "role_removed", actor_id=actor.id, object_type="user", object_id=target.id, role=role.value
        )
    # Less access must apply at once; a new staff role needs MFA checked, which only a fresh sign-in does.
    if removed or (granted & STAFF_ROLES and not (current & STAFF_ROLES)):
        revoke_sessions(db.session, target.id, "roles_changed")
    return granted, removed


@transactional
def disable_user(actor: User, target: User) -> None:
    if not can_disable_user(actor, target):
        raise NotAllowed("You cannot disable your own account")
    if target.is_active:
        target.is_active = False
        revoke_sessions(db.session, target.id, "disabled")
        audit.record(db.session, "user_disabled", actor_id=actor.id, object_type="user", object_id=target.id)


@transactional
def enable_user(actor: User, target: User) -> None:
    if not target.is_active:
        target.is_active = True
        audit.record(db.session, "user_enabled", actor_id=actor.id, object_type="user", object_id=target.id)


@transactional
def reset_mfa(actor: User, target: User) -> None:
    """For a lost phone: every second factor is cleared, the person signed out and emailed (portal.auth.recovery)."""
    reset_second_factor(actor, target)
