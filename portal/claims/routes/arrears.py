"""Business support: what carers are owed after a backdated mileage rate, approved once into the next payment."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.claims import arrears
from portal.claims.arrears_models import PENDING
from portal.claims.forms import EmptyForm
from portal.claims.policy import CLAIMS_STAFF, load_rate_change
from portal.claims.routes import bp
from portal.core.db import db
from portal.core.money import format_pounds
from portal.core.pagination import page_number, paginate


@bp.route("/claims/mileage-arrears")
@requires_role(*CLAIMS_STAFF)
def list_mileage_arrears():
    page = paginate(arrears.changes(), page_number(request.args))
    pager = page.govuk(lambda n: url_for("claims.list_mileage_arrears", page=n))
    return render_template("claims/list_mileage_arrears.html", page=page, pager=pager)


@bp.route("/claims/mileage-arrears/<int:change_id>")
@requires_role(*CLAIMS_STAFF)
def show_mileage_arrears(change_id: int):
    return _render(load_rate_change(current_user, change_id))


def _render(change, refused: str | None = None, status: int = 200):
    page = paginate(arrears.carers_owed(change), page_number(request.args))
    pager = page.govuk(lambda n: url_for("claims.show_mileage_arrears", change_id=change.id, page=n))
    return render_template(
        "claims/show_mileage_arrears.html",
        change=change,
        page=page,
        pager=pager,
        form=EmptyForm(),
        refused=refused,
        can_approve=change.status == PENDING,
    ), status


@bp.route("/claims/mileage-arrears/<int:change_id>/approve", methods=["POST"])
@requires_role(*CLAIMS_STAFF)
def approve_mileage_arrears(change_id: int):
    change = load_rate_change(current_user, change_id)
    if not EmptyForm().validate_on_submit():
        return _render(change, "The form had expired: approve again", 422)
    try:
        paid = arrears.approve(current_user, change)
    except arrears.ArrearsRefused as exc:
        return _render(db.session.get(type(change), change_id), str(exc), 422)
    flash(
        f"Approved: {format_pounds(paid)} will be paid to {change.carer_count} carers with the next payment batch or pay run.",
        "success",
    )
    return redirect(url_for("claims.show_mileage_arrears", change_id=change_id))


@bp.route("/claims/mileage-arrears/<int:change_id>/again", methods=["POST"])
@requires_role(*CLAIMS_STAFF)
def work_out_mileage_arrears_again(change_id: int):
    change = load_rate_change(current_user, change_id)
    if not EmptyForm().validate_on_submit():
        return _render(change, "The form had expired: try again", 422)
    try:
        fresh = arrears.work_out_again(current_user, change)
    except arrears.ArrearsRefused as exc:
        return _render(change, str(exc), 422)
    if fresh is None:
        flash("Nothing more is owed: every journey since then has been paid at the rate in the table.", "success")
        return redirect(url_for("claims.show_mileage_arrears", change_id=change_id))
    flash("Worked out again. A colleague in business support checks the list and approves it.", "success")
    return redirect(url_for("claims.show_mileage_arrears", change_id=fresh.id))
