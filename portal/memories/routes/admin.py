"""Admin acts on memory boxes: deleting a memory (with a reason, never under a legal hold) and legal holds."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core.clock import today
from portal.memories import services
from portal.memories.forms import DeleteForm, LegalHoldForm
from portal.memories.policy import load_box, load_item
from portal.memories.routes import bp


@bp.route("/memory-box/items/<int:item_id>/delete", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def delete_item(item_id: int):
    item, _access = load_item(current_user, item_id)
    held = services.box_settings(item.child).legal_hold
    form = DeleteForm()
    status = 200
    if held and request.method == "POST":
        status = 409  # the page says why: nothing in a box under a legal hold can be deleted
    elif form.validate_on_submit():
        child_id = item.child_id
        try:
            services.delete_item(current_user, item, reason=form.reason.data)
        except services.MemoryRefused as exc:
            form.reason.errors = [str(exc)]
            status = 409
        else:
            flash("The memory has been deleted. The reason is in the audit log.", "success")
            return redirect(url_for("memories.show_box", child_id=child_id))
    elif request.method == "POST":
        status = 422
    return render_template(
        "memories/delete_item.html", item=item, form=form, held=held, early=item.retain_until > today()
    ), status


@bp.route("/memory-box/<int:child_id>/legal-hold", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def change_legal_hold(child_id: int):
    access = load_box(current_user, child_id)
    box = services.box_settings(access.child)
    form = LegalHoldForm()
    status = 200
    if form.validate_on_submit():
        services.set_legal_hold(current_user, access.child, on=not box.legal_hold, reason=form.reason.data)
        flash("The legal hold has been " + ("placed." if box.legal_hold else "lifted."), "success")
        return redirect(url_for("memories.show_box", child_id=child_id))
    if request.method == "POST":
        status = 422
    return render_template("memories/change_legal_hold.html", child=access.child, box=box, form=form), status
