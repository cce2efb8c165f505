"""Suggestions for type-ahead inputs (static/js/lookup.js): a few labels as JSON, scoped to what the person sees."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core.inputs import id_or_none
from portal.people.lookups import (
    PERSON_KINDS,
    child_label,
    find_children,
    find_households,
    find_people,
    household_label,
    person_label,
)
from portal.people.routes import bp


@bp.route("/lookups/households")
@requires_role(Role.ADMIN, Role.BUSINESS_SUPPORT)
def suggest_households():
    """["Okafor household (FH-1001)", ...]: at most ten households matching ?q=, by name."""
    found = find_households(current_user, request.args.get("q", ""))
    response = jsonify([household_label(h) for h in found])
    response.headers["Cache-Control"] = "no-store"  # names of households: never kept by a shared device
    return response


@bp.route("/lookups/children")
@requires_role(Role.ADMIN, Role.SSW, Role.CHILD_SW, Role.CARER)
def suggest_children():
    """["Millie Stone (LAC-20401)", ...]: at most ten of the children the person may see matching ?q=."""
    found = find_children(current_user, request.args.get("q", ""))
    response = jsonify([child_label(c) for c in found])
    response.headers["Cache-Control"] = "no-store"  # children's names: never kept by a shared device
    return response


@bp.route(f"/lookups/people/<any({', '.join(repr(k) for k in PERSON_KINDS)}):kind>")
@requires_role(Role.ADMIN)
def suggest_people(kind: str):
    """["Jo Bloggs (jo@example.org)", ...]: candidates of a kind (PERSON_KINDS) for ?household= or ?child=."""
    scope = {
        "household_id": id_or_none(request.args.get("household")),
        "child_id": id_or_none(request.args.get("child")),
    }
    found = find_people(kind, request.args.get("q", ""), **scope)
    response = jsonify([person_label(u) for u in found])
    response.headers["Cache-Control"] = "no-store"
    return response
