"""Households and children: lists scoped to the viewer, and detail pages through the policy loaders."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.people.models import Child, Household
from portal.people.policy import load_child, load_household
from portal.people.queries import children_visible_to, current_placements, households_visible_to

bp = Blueprint("people", __name__)

HOUSEHOLD_READERS = (Role.ADMIN, Role.SSW, Role.CHILD_SW, Role.BUSINESS_SUPPORT, Role.CARER)
CHILD_READERS = (Role.ADMIN, Role.SSW, Role.CHILD_SW, Role.CARER)


@bp.route("/households")
@requires_role(Role.ADMIN, Role.SSW, Role.CHILD_SW, Role.BUSINESS_SUPPORT)
def list_households():
    households = db.session.scalars(households_visible_to(current_user).order_by(Household.name)).all()
    return render_template("people/list_households.html", households=households)


@bp.route("/households/<int:household_id>")
@requires_role(*HOUSEHOLD_READERS)
def show_household(household_id: int):
    household = load_household(current_user, household_id)
    return render_template("people/show_household.html", household=household,
                           placements=current_placements(household), today=today())


@bp.route("/children")
@requires_role(Role.ADMIN, Role.SSW, Role.CHILD_SW)
def list_children():
    children = db.session.scalars(children_visible_to(current_user).order_by(Child.first_name, Child.last_name)).all()
    return render_template("people/list_children.html", children=children, today=today())


@bp.route("/children/<int:child_id>")
@requires_role(*CHILD_READERS)
def show_child(child_id: int):
    child = load_child(current_user, child_id)
    return render_template("people/show_child.html", child=child, today=today())
