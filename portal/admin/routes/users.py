"""Admin pages for accounts: list and search, detail, invite, roles, disable and enable, reset security codes."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.admin import queries, services
from portal.admin.forms import ConfirmForm, InviteForm, RolesForm, UserFilterForm
from portal.admin.policy import can_disable_user, load_user
from portal.admin.routes import bp
from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core.pagination import page_number, paginate


def _me():
    return current_user._get_current_object()


@bp.route("/users")
@requires_role(Role.ADMIN)
def list_users():
    form = UserFilterForm(formdata=request.args)
    form.validate()
    role = Role(form.role.data) if form.role.data and not form.role.errors else None
    page = paginate(queries.search_users(_me(), form.q.data or "", role), page_number(request.args))
    filters = {k: v for k, v in {"q": (form.q.data or "").strip(), "role": role.value if role else ""}.items() if v}
    pager = page.govuk(lambda n: url_for("admin.list_users", page=n, **filters))
    return render_template("admin/list_users.html", form=form, page=page, pager=pager, filtered=bool(filters))


@bp.route("/users/<int:user_id>")
@requires_role(Role.ADMIN)
def show_user(user_id: int):
    user = load_user(_me(), user_id)
    return render_template(
        "admin/show_user.html",
        user=user,
        roles=sorted(r.label for r in user.roles),
        confirm=ConfirmForm(),
        can_disable=can_disable_user(_me(), user),
    )


@bp.route("/users/invite", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def invite_user():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitation = services.invite_person(_me(), form.email.data, form.full_name.data, sorted(form.roles.roles))
        except services.AlreadyHasAccount:
            form.email.errors.append(
                "This email address already has an account. Find the person in the list of users to change their roles"
            )
        else:
            flash(f"An invitation has been sent to {invitation.email}.", "success")
            return redirect(url_for("admin.list_invitations"))
    return render_template("admin/invite_user.html", form=form)


@bp.route("/users/<int:user_id>/roles", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def change_roles(user_id: int):
    user = load_user(_me(), user_id)
    form = RolesForm(data={"roles": sorted(r.value for r in user.roles)})
    if form.validate_on_submit():
        try:
            granted, removed = services.change_roles(_me(), user, form.roles.roles)
        except services.NotAllowed as exc:
            form.roles.errors.append(str(exc))
        else:
            if granted or removed:
                flash(f"{user.full_name}'s roles have been changed.", "success")
            return redirect(url_for("admin.show_user", user_id=user.id))
    return render_template("admin/change_roles.html", form=form, user=user)


@bp.route("/users/<int:user_id>/disable", methods=["POST"])
@requires_role(Role.ADMIN)
def disable_user(user_id: int):
    user = load_user(_me(), user_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.disable_user(_me(), user)
        except services.NotAllowed as exc:
            flash(f"{exc}.", "important")
        else:
            flash(f"{user.full_name}'s account is disabled. They have been signed out and cannot sign in.", "success")
    return redirect(url_for("admin.show_user", user_id=user.id))


@bp.route("/users/<int:user_id>/enable", methods=["POST"])
@requires_role(Role.ADMIN)
def enable_user(user_id: int):
    user = load_user(_me(), user_id)
    if ConfirmForm().validate_on_submit():
        services.enable_user(_me(), user)
        flash(f"{user.full_name}'s account is enabled. They can sign in again.", "success")
    return redirect(url_for("admin.show_user", user_id=user.id))


@bp.route("/users/<int:user_id>/reset-security-codes", methods=["POST"])
@requires_role(Role.ADMIN)
def reset_mfa(user_id: int):
    user = load_user(_me(), user_id)
    if ConfirmForm().validate_on_submit():
        services.reset_mfa(_me(), user)
        flash(
            f"{user.full_name}'s security codes have been reset. They will set them up again when they next sign in.",
            "success",
        )
    return redirect(url_for("admin.show_user", user_id=user.id))
