"""A supervising social worker (or an admin) resets the second factor of a carer who has lost their phone."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.auth.recovery import reset_second_factor
from portal.auth.roles import Role
from portal.core.forms import BaseForm
from portal.people.policy import load_supervised_carer
from portal.people.routes import bp


class ConfirmForm(BaseForm):
    """A button that changes something: CSRF only."""


@bp.route("/carers/<int:carer_id>/reset-security-codes", methods=["POST"])
@requires_role(Role.SSW, Role.ADMIN)
def reset_carer_security_codes(carer_id: int):
    me = current_user._get_current_object()
    carer, household = load_supervised_carer(me, carer_id)
    if ConfirmForm().validate_on_submit():
        reset_second_factor(me, carer)
        flash(
            f"{carer.full_name}'s security codes have been reset and they have been signed out. "
            "They have been sent an email about it.",
            "success",
        )
    return redirect(url_for("people.show_household", household_id=household.id))
