"""Moderation (queue, approve, hide), young-person access decisions, and copies of the box to take away."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core.db import db
from portal.core.pagination import page_number, paginate
from portal.core.refusals import not_found
from portal.core.uploads import send_rendition
from portal.memories import export as exports
from portal.memories import services, young_person_access
from portal.memories.forms import ActionForm, GrantAccessForm, HideForm, RevokeAccessForm
from portal.memories.models import MemoryBoxAccess
from portal.memories.policy import load_box, load_export, load_item
from portal.memories.queries import access_decisions, active_access, exports_of
from portal.memories.queries import moderation_queue as queue_of
from portal.memories.routes import MODERATORS, bp


@bp.route("/memory-box/moderation")
@requires_role(*MODERATORS)
def moderation_queue():
    page = paginate(queue_of(current_user), page_number(request.args), per_page=20)
    return render_template(
        "memories/moderation_queue.html",
        page=page,
        form=ActionForm(),
        href=lambda n: url_for("memories.moderation_queue", page=n),
    )


def _back(item) -> str:
    target = request.form.get("next", "")
    return url_for("memories.moderation_queue") if target == "queue" else url_for("memories.show_item", item_id=item.id)


@bp.route("/memory-box/items/<int:item_id>/approve", methods=["POST"])
@requires_role(*MODERATORS)
def approve_item(item_id: int):
    item, access = load_item(current_user, item_id)
    if not access.can_moderate:
        abort(403)
    if ActionForm().validate_on_submit():
        try:
            services.approve_item(current_user, item, access)
        except services.MemoryRefused as exc:
            flash(str(exc), "important")
        else:
            flash(f"“{item.title}” is now in {item.child.known_as}'s memory box.", "success")
    return redirect(_back(item))


@bp.route("/memory-box/items/<int:item_id>/hide", methods=["GET", "POST"])
@requires_role(*MODERATORS)
def hide_item(item_id: int):
    item, access = load_item(current_user, item_id)
    if not access.can_moderate:
        abort(403)
    form = HideForm()
    status = 200
    if form.validate_on_submit():
        services.hide_item(current_user, item, access, form.reason.data)
        flash("The memory is hidden. It is kept, and you can show it again.", "success")
        return redirect(url_for("memories.show_item", item_id=item.id))
    if request.method == "POST":
        status = 422
    return render_template("memories/hide_item.html", item=item, form=form), status


@bp.route("/memory-box/items/<int:item_id>/unhide", methods=["POST"])
@requires_role(*MODERATORS)
def unhide_item(item_id: int):
    item, access = load_item(current_user, item_id)
    if not access.can_moderate:
        abort(403)
    if ActionForm().validate_on_submit():
        services.unhide_item(current_user, item, access)
        flash("The memory is shown again.", "success")
    return redirect(url_for("memories.show_item", item_id=item.id))


@bp.route("/memory-box/<int:child_id>/access", methods=["GET", "POST"])
@requires_role(Role.CHILD_SW)
def manage_access(child_id: int):
    access = load_box(current_user, child_id)
    if not access.can_grant_access:
        abort(403)
    current = active_access(access.child)
    if request.method == "POST" and (current or not access.child.young_person_user_id):
        # The form is not on the page in these states (a second tab, an old page): say what is true now.
        flash(
            f"{access.child.known_as} can already read their memory box."
            if current
            else f"{access.child.known_as} has no account of their own yet.",
            "important",
        )
        return redirect(url_for("memories.manage_access", child_id=child_id))
    form = GrantAccessForm()
    status = 200
    if form.validate_on_submit():
        try:
            young_person_access.grant_access(
                current_user, access, decided_on=form.decided_on.data, reason=form.reason.data
            )
        except services.MemoryRefused as exc:
            form.reason.errors = [str(exc)]
            status = 422
        else:
            flash(f"{access.child.known_as} can now read their memory box.", "success")
            return redirect(url_for("memories.manage_access", child_id=child_id))
    elif request.method == "POST":
        status = 422
    return render_template(
        "memories/manage_access.html",
        child=access.child,
        form=form,
        decisions=access_decisions(access.child),
        current=current,
    ), status


@bp.route("/memory-box/<int:child_id>/access/<int:access_id>/withdraw", methods=["GET", "POST"])
@requires_role(Role.CHILD_SW)
def withdraw_access(child_id: int, access_id: int):
    access = load_box(current_user, child_id)
    if not access.can_grant_access:
        abort(403)
    grant = db.session.scalar(
        select(MemoryBoxAccess).where(MemoryBoxAccess.id == access_id, MemoryBoxAccess.child_id == child_id)
    )
    if grant is None or not grant.is_active:
        not_found(current_user, "memory_box_access", access_id)
    form = RevokeAccessForm()
    status = 200
    if form.validate_on_submit():
        young_person_access.revoke_access(current_user, access, grant, reason=form.reason.data)
        flash(f"{access.child.known_as} can no longer open their memory box.", "success")
        return redirect(url_for("memories.manage_access", child_id=child_id))
    if request.method == "POST":
        status = 422
    return render_template("memories/withdraw_access.html", child=access.child, grant=grant, form=form), status


@bp.route("/memory-box/<int:child_id>/copies")
@requires_role(Role.CHILD_SW, Role.YOUNG_PERSON)
def show_exports(child_id: int):
    access = load_box(current_user, child_id)
    if not access.can_export:
        not_found(current_user, "memory_box", child_id)
    return render_template(
        "memories/show_exports.html",
        child=access.child,
        access=access,
        form=ActionForm(),
        exports=exports_of(access.child),
        downloadable=exports.is_downloadable,
        download_url=exports.download_url,
    )


@bp.route("/memory-box/<int:child_id>/copies", methods=["POST"])
@requires_role(Role.CHILD_SW)
def request_export(child_id: int):
    access = load_box(current_user, child_id)
    if not access.can_export:
        not_found(current_user, "memory_box", child_id)
    if ActionForm().validate_on_submit():
        export = exports.request_export(current_user, access)
        if export.status == "ready":
            flash("The copy is ready to download.", "success")
        else:
            flash("The copy is being prepared. You will get a notification when it is ready.", "success")
    return redirect(url_for("memories.show_exports", child_id=child_id))


@bp.route("/memory-box/copies/<int:export_id>/<any(zip, pdf):kind>")
@requires_role(Role.CHILD_SW, Role.YOUNG_PERSON)
def download_export(export_id: int, kind: str):
    export = load_export(current_user, export_id)
    if not exports.token_is_valid(export, kind, request.args.get("token")):
        abort(404)  # expired, withdrawn or a hand-made link: nothing to say about which
    exports.record_download(current_user, export, kind)
    return send_rendition(export.zip_file if kind == "zip" else export.pdf_file, "master", as_attachment=True)
