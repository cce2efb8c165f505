"""Home pages by role, help and contacts, and the accessibility statement."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from portal.auth.gates import login_only, public
from portal.auth.roles import Role
from portal.core.clock import today
from portal.people import queries as people
from portal.people.attention import annual_review_due, household_attention

bp = Blueprint("hub", __name__)


@bp.route("/")
@login_only
def home():
    on = today()
    context: dict = {"today": on}
    if current_user.has_role(Role.CARER):
        household = people.household_of(current_user)
        if household is not None:
            placements = people.current_placements(household, on)
            context.update(household=household, placements=placements,
                           attention=household_attention(household, placements, on))
    if current_user.has_role(Role.SSW):
        caseload = people.caseload(current_user)
        context["caseload"] = [
            {"household": h, "children": len(people.current_placements(h, on)), "review_due": annual_review_due(h, on)}
            for h in caseload
        ]
    if current_user.has_role(Role.CHILD_SW):
        context["allocated_children"] = people.allocated_children(current_user, on)
    context["suggest_mfa"] = current_user.has_role(Role.CARER) and not current_user.mfa_enabled
    return render_template("hub/home.html", **context)


@bp.route("/help")
@public
def help_and_contacts():
    return render_template("hub/help_and_contacts.html")


@bp.route("/accessibility")
@public
def accessibility_statement():
    return render_template("hub/accessibility_statement.html")


def register(app) -> None:
    from portal.hub.navigation import navigation_items

    app.jinja_env.globals["navigation_items"] = navigation_items
    app.register_blueprint(bp)
