"""Matrix rows for the admin pages: users, invitations and the audit log (admins only; they see every account)."""

from portal.auth.invitations import issue_invitation
from portal.auth.roles import Role
from portal.core.db import db
from tests.security.matrix import MISSING_ID, Case

ADMIN = frozenset({Role.ADMIN})


def _user_url(suffix: str = ""):
    def url(w, which):
        target = {"own": w.users[Role.CARER].id, "other": w.carer_b.id, "missing": MISSING_ID}[which]
        return f"/admin/users/{target}{suffix}"

    return url


def _invitations(w) -> None:
    w.extra["invitation_a"], _ = issue_invitation(
        w.users[Role.ADMIN].id, "invited-a@matrix.test", "Invited A", [Role.CARER], 7
    )
    w.extra["invitation_b"], _ = issue_invitation(None, "invited-b@matrix.test", "Invited B", [Role.SSW], 7)
    db.session.commit()


def _invitation_url(suffix: str):
    def url(w, which):
        target = {"own": w.extra["invitation_a"].id, "other": w.extra["invitation_b"].id, "missing": MISSING_ID}[which]
        return f"/admin/invitations/{target}{suffix}"

    return url


def _user_case(endpoint, suffix="", method="GET", data=None):
    return Case(endpoint, _user_url(suffix), ADMIN, method=method, has_object=True, sees_other=ADMIN, data=data or {})


CASES = [
    Case("admin.list_users", lambda w, _: "/admin/users?q=person&role=carer", ADMIN),
    Case("admin.invite_user", lambda w, _: "/admin/users/invite", ADMIN),
    Case(
        "admin.invite_user",
        lambda w, _: "/admin/users/invite",
        ADMIN,
        method="POST",
        data={"full_name": "New Person", "email": "new-person@matrix.test", "roles": "carer"},
    ),
    _user_case("admin.show_user"),
    _user_case("admin.change_roles", "/roles"),
    _user_case("admin.change_roles", "/roles", "POST", {"roles": "carer"}),
    _user_case("admin.disable_user", "/disable", "POST"),
    _user_case("admin.enable_user", "/enable", "POST"),
    _user_case("admin.reset_mfa", "/reset-security-codes", "POST"),
    Case("admin.list_invitations", lambda w, _: "/admin/invitations", ADMIN, setup=_invitations),
    Case(
        "admin.resend_invitation",
        _invitation_url("/resend"),
        ADMIN,
        method="POST",
        has_object=True,
        sees_other=ADMIN,
        setup=_invitations,
    ),
    Case(
        "admin.revoke_invitation",
        _invitation_url("/revoke"),
        ADMIN,
        method="POST",
        has_object=True,
        sees_other=ADMIN,
        setup=_invitations,
    ),
    Case("admin.audit_log", lambda w, _: "/admin/audit-log?action=sign_in&user_id=1", ADMIN),
]
