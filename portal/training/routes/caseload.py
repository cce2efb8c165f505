"""Supervising social workers: the training and TSD progress of their caseload's households, and signing off a
standard. Training staff read every household's record here too."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core import clock
from portal.core.pagination import page_number, paginate
from portal.core.refusals import not_found
from portal.people.models import Household
from portal.training import learning
from portal.training.forms import SignOffForm
from portal.training.policy import can_sign_off_tsd, load_training_household
from portal.training.queries import certificates_of, training_households_visible_to
from portal.training.routes import bp
from portal.training.rules import TSD_STANDARDS, standards_for

READERS = (Role.SSW, Role.TRAINING_COORDINATOR, Role.ADMIN)


@bp.route("/training/households")
@requires_role(*READERS)
def list_training_households():
    """Households with their TSD progress, those behind first on each page (sorted within the page)."""
    on = clock.today()
    page = paginate(training_households_visible_to(current_user).order_by(Household.name), page_number(request.args))
    pager = page.govuk(lambda n: url_for("training.list_training_households", page=n))
    progress = learning.tsd_progress_of(page.items, on, records={})  # the list shows sign-offs, not evidence
    rows = [(h, progress[h.id]) for h in page.items]
    rows.sort(key=lambda row: (not row[1].is_behind, row[0].name))
    return render_template("training/list_training_households.html", rows=rows, page=page, pager=pager)


@bp.route("/training/households/<int:household_id>")
@requires_role(*READERS)
def show_household_training(household_id: int):
    household = load_training_household(current_user, household_id)
    summary = learning.household_record(household, household.carers, clock.today())
    return render_template(
        "training/show_household_training.html",
        household=household,
        summary=summary,
        certificates=certificates_of([c.id for c in household.carers]),
        can_sign=can_sign_off_tsd(current_user, household),
        form=SignOffForm(),
    )


@bp.route("/training/households/<int:household_id>/tsd/<int:standard>/sign-off", methods=["GET", "POST"])
@requires_role(Role.SSW, Role.ADMIN)
def sign_off_standard(household_id: int, standard: int):
    household = load_training_household(current_user, household_id)
    if standard not in standards_for(household.carer_type):
        not_found(current_user, "tsd_standard", f"{household.id}/{standard}")
    if not can_sign_off_tsd(current_user, household):
        flash("Only the household's supervising social worker can sign off its standards", "error")
        return redirect(url_for("training.show_household_training", household_id=household.id))
    form = SignOffForm()
    status = 200
    if form.validate_on_submit():
        try:
            learning.sign_off_standard(current_user, household, standard, form.note.data)
        except learning.SignOffRefused as exc:
            form.note.errors = [str(exc)]
            status = 422
        else:
            flash(f"Standard {standard} signed off", "success")
            return redirect(url_for("training.show_household_training", household_id=household.id))
    elif request.method == "POST":
        status = 422
    return render_template(
        "training/sign_off_standard.html",
        form=form,
        household=household,
        standard=standard,
        title=TSD_STANDARDS.get(standard, ""),
    ), status
