"""Households and children to read: lists scoped to the viewer, detail pages through the policy loaders."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.pagination import page_number, paginate
from portal.people.forms import ChildSearchForm, HouseholdFilterForm
from portal.people.models import Child, Household, Placement
from portal.people.policy import (
    can_manage_people,
    can_reset_carer_second_factor,
    can_see_placement_history,
    can_see_status_reason,
    load_child,
    load_household,
)
from portal.people.queries import (
    all_localities,
    children_visible_to,
    current_placement_of,
    current_placements,
    filter_children,
    filter_households,
    households_visible_to,
    own_household_ids,
    past_placements,
    visible_child_ids,
    visible_household_ids,
)
from portal.people.routes import bp

HOUSEHOLD_READERS = (Role.ADMIN, Role.SSW, Role.CHILD_SW, Role.BUSINESS_SUPPORT, Role.CARER)
CHILD_READERS = (Role.ADMIN, Role.SSW, Role.CHILD_SW, Role.CARER)


def _valid(field):
    # A filter typed by hand that makes no sense is shown as an error and left out, rather than failing the page.
    return None if field.errors else field.data


def _page_href(endpoint: str, params: dict):
    kept = {k: v for k, v in params.items() if v not in (None, "")}
    return lambda n: url_for(endpoint, **kept, page=n)


@bp.route("/households")
@requires_role(Role.ADMIN, Role.SSW, Role.CHILD_SW, Role.BUSINESS_SUPPORT)
def list_households():
    form = HouseholdFilterForm(formdata=request.args)
    form.locality.choices = [("", "Any area"), *((loc.id, loc.name) for loc in all_localities())]
    form.validate()
    search = (_valid(form.q) or "").strip()
    narrowed = dict(
        search=search,
        locality_id=_valid(form.locality),
        status=_valid(form.status) or "",
        carer_type=_valid(form.carer_type) or "",
    )
    stmt = filter_households(households_visible_to(current_user), **narrowed)
    page = paginate(
        stmt.order_by(Household.name, Household.id),
        page_number(request.args),
        count_of=filter_households(households_visible_to(current_user, counting=True), **narrowed),
    )
    params = {
        "q": search,
        "locality": _valid(form.locality),
        "status": _valid(form.status),
        "carer_type": _valid(form.carer_type),
    }
    return render_template(
        "people/list_households.html",
        form=form,
        page=page,
        filtered=any(params.values()),
        pagination=page.govuk(_page_href("people.list_households", params)),
        can_manage=can_manage_people(current_user),
    )


@bp.route("/households/<int:household_id>")
@requires_role(*HOUSEHOLD_READERS)
def show_household(household_id: int):
    household = load_household(current_user, household_id)
    on = today()
    current = current_placements(household, on)
    past = past_placements(household, on) if can_see_placement_history(current_user) else []
    visible = visible_child_ids(current_user, {p.child_id for p in (*current, *past)})
    return render_template(
        "people/show_household.html",
        household=household,
        today=on,
        visible=visible,
        current=[p for p in current if p.child_id in visible],
        unnamed_current=sum(p.child_id not in visible for p in current),
        past=past,
        show_history=can_see_placement_history(current_user),
        show_reason=can_see_status_reason(current_user, household),
        can_manage=can_manage_people(current_user),
        can_reset_codes=can_reset_carer_second_factor(current_user, household),
        is_own=household.id in own_household_ids(current_user),
    )


@bp.route("/children")
@requires_role(Role.ADMIN, Role.SSW, Role.CHILD_SW)
def list_children():
    form = ChildSearchForm(formdata=request.args)
    form.validate()
    search = (_valid(form.q) or "").strip()
    listed = filter_children(children_visible_to(current_user, listing=True), search=search)
    page = paginate(
        listed.options(selectinload(Child.placements).joinedload(Placement.household)).order_by(
            Child.first_name, Child.last_name, Child.id
        ),
        page_number(request.args),
        count_of=listed.with_only_columns(Child.id),
    )
    on = today()
    rows = [(child, current_placement_of(child, on)) for child in page.items]
    return render_template(
        "people/list_children.html",
        form=form,
        page=page,
        rows=rows,
        today=on,
        filtered=bool(search),
        pagination=page.govuk(_page_href("people.list_children", {"q": search})),
        can_manage=can_manage_people(current_user),
    )


@bp.route("/children/<int:child_id>")
@requires_role(*CHILD_READERS)
def show_child(child_id: int):
    child = load_child(current_user, child_id)
    on = today()
    current = current_placement_of(child, on)
    staff_view = can_see_placement_history(current_user)
    if not staff_view and current is not None and current.household_id not in own_household_ids(current_user):
        current = None  # a carer sees the child's placement with them, and nothing about any other household
    history = [p for p in child.placements if p is not current] if staff_view else []
    visible_households = (
        visible_household_ids(current_user, {p.household_id for p in child.placements}) if staff_view else set()
    )
    return render_template(
        "people/show_child.html",
        child=child,
        today=on,
        current=current,
        history=history,
        staff_view=staff_view,
        visible_households=visible_households,
        can_manage=can_manage_people(current_user),
    )
