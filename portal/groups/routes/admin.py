"""Admins list new groups and keep the council area's school holidays (for term-time groups)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core.inputs import id_or_none
from portal.groups import queries, services
from portal.groups.forms import EmptyForm, HolidayForm
from portal.groups.routes import bp
from portal.groups.routes.coordinator import details_from, group_form, refuse


@bp.route("/groups/new", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def create_group():
    form = group_form()
    if form.validate_on_submit():
        ids = [int(i) for i in form.coordinator_ids.data or [] if str(i).isdigit()]
        try:
            group = services.create_group(current_user, details_from(form), ids)
        except services.GroupRuleError as error:
            refuse(form, error)
        else:
            flash("The group is listed")
            return redirect(url_for("groups.show_group", group_id=group.id))
    status = 422 if request.method == "POST" else 200
    return render_template("groups/edit_group.html", form=form, group=None, is_admin=True), status


@bp.route("/groups/school-holidays", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def list_school_holidays():
    form = HolidayForm()
    if form.validate_on_submit():
        try:
            services.add_school_holiday(current_user, form.label.data, form.starts_on.data, form.ends_on.data)
        except services.GroupRuleError as error:
            refuse(form, error)
        else:
            flash("The holiday is added")
            return redirect(url_for("groups.list_school_holidays"))
    return render_template(
        "groups/list_school_holidays.html", form=form, holidays=queries.all_school_holidays(), remove=EmptyForm()
    ), (422 if request.method == "POST" else 200)


@bp.route("/groups/school-holidays/remove", methods=["POST"])
@requires_role(Role.ADMIN)
def remove_school_holiday():
    form = EmptyForm()
    holiday_id = id_or_none(request.form.get("holiday_id"))
    if form.validate_on_submit() and holiday_id is not None:
        services.remove_school_holiday(current_user, holiday_id)
        flash("The holiday is removed")
    return redirect(url_for("groups.list_school_holidays"))
