"""Home pages by role, help and contacts, and the accessibility statement."""

from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import login_only, public
from portal.auth.roles import Role
from portal.core.clock import LONDON, today
from portal.core.pagination import page_number
from portal.core.query_budget import query_budget
from portal.hub.needs import needs_for
from portal.people import queries as people
from portal.people.attention import household_attention
from portal.people.home import carer_home

bp = Blueprint("hub", __name__)


@bp.route("/")
@login_only
# Each role's parts cost a fixed number of queries, so the page stays flat as the service grows. The carer's home,
# the page opened most, takes five: the session, the header's badges, what needs them (every row source in one
# statement), their household with the children placed now, and their memories from this day. The supervising
# social worker's takes the most (13): their caseload, its TSD progress and the queues of logs and memories.
@query_budget(13)
def home():
    """One page per person, built from the parts for each role they hold (a carer may also be a mentor)."""
    on = today()
    me = current_user._get_current_object()  # the person, not the proxy: asked about a dozen times below
    context: dict = {"today": on, "needs": needs_for(me, on)}
    if me.has_role(Role.CARER):
        household, placements = carer_home(me, on)
        if household is not None:
            context.update(
                household=household, placements=placements, attention=household_attention(household, placements, on)
            )
    # Each list is paged on its own (a person may hold both roles): ?caseload-page= and ?children-page=.
    if me.has_role(Role.SSW):
        page = people.caseload_summary(me, on, _page("caseload-page"))
        context.update(caseload=page, caseload_pager=page.govuk(lambda n: _home_url("caseload-page", n)))
    if me.has_role(Role.CHILD_SW):
        page = people.allocated_children(me, on, _page("children-page"))
        context.update(allocated_children=page, children_pager=page.govuk(lambda n: _home_url("children-page", n)))
    if me.has_role(Role.ADMIN):
        context["counts"] = people.people_counts(on)
    context["links"] = {e: e in current_app.view_functions for e in OPTIONAL_LINKS}
    context["suggest_mfa"] = me.has_role(Role.CARER) and not me.has_second_factor
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
    """Everyone sees the teams' contacts; a signed-in carer also their own social workers'."""
    from portal.hub.queries import own_contacts, team_contacts

    signed_in = current_user.is_authenticated and not current_user.second_factor_owed
    mine = own_contacts(current_user) if signed_in and current_user.has_role(Role.CARER) else []
    return render_template(
        "hub/help_and_contacts.html",
        teams=team_contacts(),
        mine=mine,
        is_carer=signed_in and current_user.has_role(Role.CARER),
    )


@bp.route("/accessibility")
@public
def accessibility_statement():
    return render_template("hub/accessibility_statement.html")


def days_waiting(since: date | datetime, on: date) -> str:
    """ "3 days", "1 day" or "less than a day", counted in England's calendar days."""
    day = uk_day(since)
    days = (on - day).days
    if days <= 0:
        return "less than a day"
    return f"{days} day{'s' if days != 1 else ''}"


def uk_day(value: date | datetime) -> date:
    return value.astimezone(LONDON).date() if isinstance(value, datetime) else value


def register(app) -> None:
    from portal.core.search import SearchSource, register_search_source
    from portal.hub.navigation import navigation_items, unread_count

    register_search_source(SearchSource("hub", "Information"))
    register_search_source(SearchSource("newsletters", "Newsletter"))
    app.jinja_env.globals["navigation_items"] = navigation_items
    app.jinja_env.globals["unread_count"] = unread_count
    app.jinja_env.filters["days_waiting"] = days_waiting
    app.register_blueprint(bp)


from portal.hub import contact_routes, newsletter_routes, page_routes, search_routes  # noqa: E402,F401
