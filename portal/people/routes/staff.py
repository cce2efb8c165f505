"""Admin pages that create and change areas, households, children and placements."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core.inputs import id_or_none
from portal.people import placements, services
from portal.people.forms import (
    ChangeHouseholdForm,
    ChildForm,
    EndPlacementForm,
    HouseholdForm,
    LocalityForm,
    PlacementForm,
)
from portal.people.lookups import NoSuchHousehold, household_label, resolve_household
from portal.people.models import Child, Household, Placement
from portal.people.policy import load_for_admin
from portal.people.queries import all_localities
from portal.people.routes import bp
from portal.people.routes.choosing import offer_people, valid_with_people


def _attempt(form, action) -> tuple[bool, object]:
    """Run a service: (True, its result), or (False, None) with the broken rule shown on its field."""
    try:
        return True, action()
    except services.PeopleRuleError as err:
        field = getattr(form, err.field, None)
        (field if field is not None else next(iter(form))).errors.append(err.message)
        return False, None


def _saved_message(fields: list[str], message: str) -> str:
    return message if fields else "No changes were made."


@bp.route("/localities")
@requires_role(Role.ADMIN)
def list_localities():
    return render_template("people/list_localities.html", localities=all_localities())


@bp.route("/localities/new", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def add_locality():
    form = LocalityForm()
    if form.validate_on_submit():
        ok, locality = _attempt(form, lambda: services.add_locality(current_user, form.name.data))
        if ok:
            flash(f"{locality.name} has been added.", "success")
            return redirect(url_for("people.list_localities"))
    return render_template("people/add_locality.html", form=form)


def _household_choices(form: HouseholdForm, household: Household | None = None) -> None:
    scope = {"household_id": household.id if household else None}
    offer_people(form.carer_1, "carers", "Choose a carer", **scope)
    offer_people(form.carer_2, "carers", "No second carer", **scope)
    form.locality_id.choices = [("", "Choose an area"), *((loc.id, loc.name) for loc in all_localities())]
    offer_people(form.ssw_id, "supervising-social-workers", "Not allocated yet")


def _household_valid(form: HouseholdForm, household: Household | None = None) -> bool:
    people = [(form.carer_1, "carers"), (form.carer_2, "carers"), (form.ssw_id, "supervising-social-workers")]
    return valid_with_people(form, people, household_id=household.id if household else None)


def _household_fields(form: HouseholdForm) -> dict:
    return {
        "name": form.name.data,
        "reference": form.reference.data,
        "carer_ids": form.carer_ids(),
        "carer_type": form.carer_type.data,
        "locality_id": form.locality_id.data,
        "approval_date": form.approval_date.data,
        "ssw_id": form.ssw_id.resolved,
    }


@bp.route("/households/new", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def add_household():
    form = HouseholdForm()
    _household_choices(form)
    if _household_valid(form):
        ok, household = _attempt(form, lambda: services.add_household(current_user, **_household_fields(form)))
        if ok:
            flash(f"{household.name} has been added.", "success")
            return redirect(url_for("people.show_household", household_id=household.id))
    return render_template("people/add_household.html", form=form, no_localities=not all_localities())


@bp.route("/households/<int:household_id>/edit", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def change_household(household_id: int):
    household = load_for_admin(Household, household_id)
    carers = [m.user_id for m in household.members]
    form = ChangeHouseholdForm(
        data={
            "name": household.name,
            "reference": household.reference,
            "carer_type": household.carer_type,
            "carer_1": carers[0] if carers else None,
            "carer_2": carers[1] if len(carers) > 1 else None,
            "locality_id": household.locality_id,
            "approval_date": household.approval_date,
            "ssw_id": household.ssw_id,
            "status": household.status,
            "status_reason": household.status_reason,
        }
    )
    _household_choices(form, household)
    if _household_valid(form, household):
        ok, fields = _attempt(
            form,
            lambda: services.change_household(
                current_user,
                household,
                **_household_fields(form),
                status=form.status.data,
                status_reason=form.status_reason.data,
            ),
        )
        if ok:
            flash(_saved_message(fields, f"{household.name} has been updated."), "success")
            return redirect(url_for("people.show_household", household_id=household.id))
    return render_template("people/change_household.html", form=form, household=household)


def _child_choices(form: ChildForm, child: Child | None = None) -> None:
    offer_people(form.social_worker_id, "childs-social-workers", "Not allocated yet")
    offer_people(form.young_person_user_id, "young-people", "No account linked", child_id=child.id if child else None)


def _child_valid(form: ChildForm, child: Child | None = None) -> bool:
    people = [(form.social_worker_id, "childs-social-workers"), (form.young_person_user_id, "young-people")]
    return valid_with_people(form, people, child_id=child.id if child else None)


def _child_fields(form: ChildForm) -> dict:
    return {
        "first_name": form.first_name.data,
        "last_name": form.last_name.data,
        "preferred_name": form.preferred_name.data,
        "date_of_birth": form.date_of_birth.data,
        "case_reference": form.case_reference.data,
        "social_worker_id": form.social_worker_id.resolved,
        "young_person_user_id": form.young_person_user_id.resolved,
    }


@bp.route("/children/new", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def add_child():
    form = ChildForm()
    _child_choices(form)
    if _child_valid(form):
        ok, child = _attempt(form, lambda: services.add_child(current_user, **_child_fields(form)))
        if ok:
            flash(
                f"{child.full_name} has been added. Add a placement when the child lives with a household.", "success"
            )
            return redirect(url_for("people.show_child", child_id=child.id))
    return render_template("people/add_child.html", form=form)


@bp.route("/children/<int:child_id>/edit", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def change_child(child_id: int):
    child = load_for_admin(Child, child_id)
    form = ChildForm(obj=child)
    _child_choices(form, child)
    if _child_valid(form, child):
        ok, fields = _attempt(form, lambda: services.change_child(current_user, child, **_child_fields(form)))
        if ok:
            flash(_saved_message(fields, f"{child.full_name}'s details have been updated."), "success")
            return redirect(url_for("people.show_child", child_id=child.id))
    return render_template("people/change_child.html", form=form, child=child)


def _placement_household(form: PlacementForm) -> bool:
    """Reads the typed household back into the field's data (a Household), or puts the problem beside it."""
    if form.household_id.errors:
        return False
    try:
        form.household = resolve_household(current_user, form.household_id.data)
    except NoSuchHousehold as exc:
        form.household_id.errors = [str(exc)]
        return False
    form.household_id.data = household_label(form.household)
    return True


def _placement_valid(form: PlacementForm) -> bool:
    """Submitted, every field valid, and the household found: all problems are shown together."""
    if not form.is_submitted():
        return False
    valid = form.validate()
    return _placement_household(form) and valid


def _placement_fields(form: PlacementForm) -> dict:
    return {
        "household_id": form.household.id,
        "start_date": form.start_date.data,
        "end_date": form.end_date.data,
        "placement_type": form.placement_type.data,
    }


@bp.route("/children/<int:child_id>/placements/new", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def add_placement(child_id: int):
    child = load_for_admin(Child, child_id)
    chosen = id_or_none(request.args.get("household_id"))
    form = PlacementForm(data={"household_id": str(chosen) if chosen else ""})
    if request.method == "GET" and chosen:
        _placement_household(form)  # arriving from a household's page: its name and reference filled in
        form.household_id.errors = []
    if _placement_valid(form):
        ok, placement = _attempt(form, lambda: placements.add_placement(current_user, child, **_placement_fields(form)))
        if ok:
            flash(f"{child.full_name} is placed with the {placement.household.name}.", "success")
            return redirect(url_for("people.show_child", child_id=child.id))
    return render_template("people/add_placement.html", form=form, child=child)


@bp.route("/placements/<int:placement_id>/edit", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def change_placement(placement_id: int):
    placement = load_for_admin(Placement, placement_id)
    form = PlacementForm(obj=placement)
    if request.method == "GET":
        form.household_id.data = household_label(placement.household)
    if _placement_valid(form):
        ok, fields = _attempt(
            form, lambda: placements.change_placement(current_user, placement, **_placement_fields(form))
        )
        if ok:
            flash(_saved_message(fields, "The placement has been updated."), "success")
            return redirect(url_for("people.show_child", child_id=placement.child_id))
    return render_template("people/change_placement.html", form=form, placement=placement)


@bp.route("/placements/<int:placement_id>/end", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def end_placement(placement_id: int):
    placement = load_for_admin(Placement, placement_id)
    form = EndPlacementForm()
    if (
        form.validate_on_submit()
        and _attempt(form, lambda: placements.end_placement(current_user, placement, form.end_date.data))[0]
    ):
        flash(
            f"The placement has ended. The {placement.household.name} no longer sees {placement.child.known_as}'s records.",
            "success",
        )
        return redirect(url_for("people.show_child", child_id=placement.child_id))
    return render_template("people/end_placement.html", form=form, placement=placement)
