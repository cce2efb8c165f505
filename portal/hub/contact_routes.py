"""Team contacts (kept by admins) and staff's own contact details (kept by each member of staff)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.auth.roles import STAFF_ROLES, Role
from portal.hub import queries, services
from portal.hub.forms import MyContactForm, TeamContactForm
from portal.hub.policy import load_team_contact
from portal.hub.routes import bp


@bp.route("/information/contacts")
@requires_role(Role.ADMIN)
def list_team_contacts():
    return render_template("hub/list_team_contacts.html", contacts=queries.team_contacts())


def _save_contact(contact=None):
    form = TeamContactForm(obj=contact if request.method == "GET" else None)
    if form.validate_on_submit():
        details = services.ContactDetails(
            form.name.data, form.description.data or "", form.phone.data or "", form.email.data or "",
            form.hours.data or "", form.position.data or 0,
        )  # fmt: skip
        try:
            services.save_team_contact(current_user, contact, details)
        except services.HubRuleError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            flash("The contact is saved")
            return redirect(url_for("hub.list_team_contacts"))
    status = 422 if request.method == "POST" else 200
    return render_template("hub/edit_team_contact.html", form=form, contact=contact), status


@bp.route("/information/contacts/new", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def create_team_contact():
    return _save_contact()


@bp.route("/information/contacts/<int:contact_id>", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def edit_team_contact(contact_id: int):
    return _save_contact(load_team_contact(current_user, contact_id))


@bp.route("/account/contact-details", methods=["GET", "POST"])
@requires_role(*STAFF_ROLES)
def change_my_contact_details():
    form = MyContactForm(obj=queries.my_contact_details(current_user) if request.method == "GET" else None)
    if form.validate_on_submit():
        services.save_my_contact_details(
            current_user, form.job_title.data or "", form.phone.data or "", form.email.data or "", form.hours.data or ""
        )
        flash("Your contact details are saved")
        return redirect(url_for("account.show_account"))
    status = 422 if request.method == "POST" else 200
    return render_template("hub/change_my_contact_details.html", form=form), status
