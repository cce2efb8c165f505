"""Home pages by role, help and contacts, and the accessibility statement."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import login_only, public
from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.pagination import page_number
from portal.core.query_budget import query_budget
from portal.people import queries as people
from portal.people.attention import household_attention

bp = Blueprint("hub", __name__)


@bp.route("/")
@login_only
@query_budget(16)
def home():
    """One page per person, built from the parts for each role they hold (a carer may also be a mentor)."""
    on = today()
    context: dict = {"today": on}
    if current_user.has_role(Role.CARER):
        household = people.household_of(current_user)
        if household is not None:
            placements = people.current_placements(household, on)
            context.update(
                household=household, placements=placements, attention=household_attention(household, placements, on)
            )
    # Each list is paged on its own (a person may hold both roles): ?caseload-page= and ?children-page=.
    if current_user.has_role(Role.SSW):
        page = people.caseload_summary(current_user, on, _page("caseload-page"))
        context.update(caseload=page, caseload_pager=page.govuk(lambda n: _home_url("caseload-page", n)))
    if current_user.has_role(Role.CHILD_SW):
        page = people.allocated_children(current_user, on, _page("children-page"))
        context.update(allocated_children=page, children_pager=page.govuk(lambda n: _home_url("children-page", n)))
    if current_user.has_role(Role.ADMIN):
        context["counts"] = people.people_counts(on)
    context["links"] = {e: e in current_app.view_functions for e in OPTIONAL_LINKS}
    context["suggest_mfa"] = current_user.has_role(Role.CARER) and not current_user.has_second_factor
    return render_template("hub/home.html", **context)


def _page(arg: str) -> int:
    return page_number({"page": request.args.get(arg, "")})


def _home_url(arg: str, number: int) -> str:
    args = {k: v for k, v in request.args.items() if k.endswith("-page")}
    args[arg] = str(number)
    return url_for("hub.home", **args)


# Pages of features that may not be installed yet: the home page links to them only when they exist.
OPTIONAL_LINKS = ("admin.list_users", "admin.audit_log", "account.show_account")


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
