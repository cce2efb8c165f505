"""Information pages: the index by section, a page (and its copy for reading offline), and the admin's editing."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import login_only, requires_role
from portal.auth.roles import Role
from portal.core.clock import today
from portal.hub import queries, services
from portal.hub.forms import EmptyForm, PageForm
from portal.hub.live_sections import available_sections, live_sections
from portal.hub.policy import PAGE_OWNERS, load_page, load_page_to_review
from portal.hub.routes import bp
from portal.people.routes.choosing import offer_people, valid_with_people

# The service worker keeps a page's offline copy only when the answer says it is one (static/js/service-worker-hub.js).
OFFLINE_COPY_HEADER = "X-Hearth-Offline-Copy"


def _index_context() -> dict:
    return {"sections": queries.pages_by_section()}


@bp.route("/information")
@login_only
def list_information():
    return render_template("hub/list_information.html", **_index_context())


@bp.route("/information/offline-copy")
@login_only
def list_information_offline_copy():
    return _offline(render_template("hub/list_information.html", offline_copy=True, **_index_context()))


def _page_context(page) -> dict:
    return {"page": page, "live": live_sections(page.live_section_keys, today())}


@bp.route("/information/<int:page_id>")
@login_only
def show_page(page_id: int):
    page = load_page(current_user, page_id)
    reviewer = current_user.has_role(Role.ADMIN) or page.owner_id == current_user.id
    return render_template("hub/show_page.html", reviewer=reviewer, form=EmptyForm(), **_page_context(page))


@bp.route("/information/<int:page_id>/offline-copy")
@login_only
def show_page_offline_copy(page_id: int):
    """The same page without the person's name, menu, badges or anything of theirs: the copy the service worker
    keeps for reading offline (hub pages hold no personal data; the layout around them does)."""
    page = load_page(current_user, page_id)
    return _offline(render_template("hub/show_page.html", offline_copy=True, **_page_context(page)))


def _offline(html: str):
    response = make_response(html)
    response.headers[OFFLINE_COPY_HEADER] = "1"
    response.headers["Cache-Control"] = "no-store"
    return response


def _page_form(page=None) -> PageForm:
    form = PageForm()
    form.live_sections.choices = available_sections()
    if request.method == "GET":
        if page is not None:
            form.section.data, form.title.data, form.summary.data = page.section, page.title, page.summary
            form.body_markdown.data, form.position.data = page.body_markdown, page.position
            form.live_sections.data = page.live_section_keys
            form.owner_id.data = page.owner_id
            form.last_reviewed_on.data = page.last_reviewed_on
            months = (
                (page.review_due_on.year - page.last_reviewed_on.year) * 12
                + page.review_due_on.month
                - page.last_reviewed_on.month
            )
            form.review_every_months.data = months or 12
        else:
            form.last_reviewed_on.data = today()
            form.owner_id.data = current_user.id
    # A select of the service's staff while there are few, a type-ahead once there are many (a regional service's
    # hundreds of social workers): the page costs the same either way.
    offer_people(form.owner_id, "staff", "Nobody")
    return form


def _details(form: PageForm) -> services.PageDetails:
    return services.PageDetails(
        section=form.section.data,
        title=form.title.data,
        summary=form.summary.data or "",
        body_markdown=form.body_markdown.data or "",
        position=form.position.data or 0,
        live_sections=tuple(form.live_sections.data or ()),
        owner_id=form.owner_id.resolved,
        last_reviewed_on=form.last_reviewed_on.data,
        review_every_months=form.review_every_months.data,
    )


@bp.route("/information/manage")
@requires_role(Role.ADMIN)
def manage_information():
    return render_template("hub/manage_information.html", today=today(), **_index_context())


@bp.route("/information/new", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def create_page():
    form = _page_form()
    if valid_with_people(form, [(form.owner_id, "staff")]):
        try:
            page = services.save_page(current_user, None, _details(form))
        except services.HubRuleError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            flash("The page is published")
            return redirect(url_for("hub.show_page", page_id=page.id))
    return render_template("hub/edit_page.html", form=form, page=None), 422 if request.method == "POST" else 200


@bp.route("/information/<int:page_id>/edit", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def edit_page(page_id: int):
    page = load_page(current_user, page_id)
    form = _page_form(page)
    if valid_with_people(form, [(form.owner_id, "staff")]):
        try:
            services.save_page(current_user, page, _details(form))
        except services.HubRuleError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            flash("The page is saved")
            return redirect(url_for("hub.show_page", page_id=page.id))
    return render_template("hub/edit_page.html", form=form, page=page), 422 if request.method == "POST" else 200


@bp.route("/information/<int:page_id>/reviewed", methods=["POST"])
@requires_role(*PAGE_OWNERS)
def mark_page_reviewed(page_id: int):
    page = load_page_to_review(current_user, page_id)
    if EmptyForm().validate_on_submit():
        services.mark_reviewed(current_user, page, today())
        flash("The page is marked as reviewed today")
    return redirect(url_for("hub.show_page", page_id=page.id))
