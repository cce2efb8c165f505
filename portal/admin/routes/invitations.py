"""Admin pages for invitations still waiting to be accepted: list, resend, withdraw."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.admin import queries, services
from portal.admin.forms import ConfirmForm
from portal.admin.policy import load_invitation
from portal.admin.routes import bp
from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core.db import utcnow
from portal.core.pagination import page_number, paginate


@bp.route("/invitations")
@requires_role(Role.ADMIN)
def list_invitations():
    page = paginate(queries.pending_invitations(current_user), page_number(request.args))
    inviters = queries.names_for({i.invited_by_id for i in page.items if i.invited_by_id})
    pager = page.govuk(lambda n: url_for("admin.list_invitations", page=n))
    return render_template("admin/list_invitations.html", page=page, pager=pager, inviters=inviters, now=utcnow())


@bp.route("/invitations/<int:invitation_id>/resend", methods=["POST"])
@requires_role(Role.ADMIN)
def resend_invitation(invitation_id: int):
    invitation = load_invitation(current_user, invitation_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.resend_invitation(current_user._get_current_object(), invitation)
        except services.NotAllowed as exc:
            flash(f"{exc}.", "important")
        else:
            flash(f"A new invitation has been sent to {invitation.email}. The earlier link no longer works.", "success")
    return redirect(url_for("admin.list_invitations"))


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
@requires_role(Role.ADMIN)
def revoke_invitation(invitation_id: int):
    invitation = load_invitation(current_user, invitation_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.revoke_invitation(current_user._get_current_object(), invitation)
        except services.NotAllowed as exc:
            flash(f"{exc}.", "important")
        else:
            flash(f"The invitation to {invitation.email} has been withdrawn.", "success")
    return redirect(url_for("admin.list_invitations"))
