"""Coordinators: mentees and their funnel, ranked mentors for a mentee, the match lifecycle, approval, neighbours."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.core.inputs import coerce_id
from portal.core.pagination import page_number
from portal.core.refusals import not_found
from portal.mentoring import lifecycle, matching, queries, services
from portal.mentoring.forms import (
    AgreementForm,
    ApprovalForm,
    EndForm,
    MenteeForm,
    NeighboursForm,
    OfferForm,
    ProposeForm,
    ResponseForm,
    WithdrawForm,
)
from portal.mentoring.models import (
    MATCH_STATUS_LABELS,
    OFFER_HOW_LABELS,
    RESPONSE_LABELS,
    STAGE_LABELS,
    WITHDREW_STEP_LABELS,
    Mentee,
    split,
)
from portal.mentoring.policy import APPROVERS, COORDINATORS, load_match_for_coordinator, load_mentee
from portal.mentoring.routes import bp
from portal.people.lookups import NoSuchHousehold, household_label, resolve_household
from portal.people.models import Household, Locality

SHORT_LIST = 20  # households in the approval form's select; more than this and the household is typed instead


def _localities(form) -> None:
    form.locality_id.choices = [(loc.id, loc.name) for loc in queries.localities()]


def _languages(text: str | None) -> tuple[str, ...]:
    return tuple(w.strip().lower() for w in (text or "").split(",") if w.strip()) or ("english",)


@bp.route("/mentoring/mentees")
@requires_role(*COORDINATORS)
def list_mentees():
    stage = request.args.get("stage") if request.args.get("stage") in STAGE_LABELS else None
    page = queries.mentees_page(page_number(request.args), stage=stage)
    matches = queries.matches_by_mentee([m.id for m in page.items])
    return render_template(
        "mentoring/list_mentees.html",
        page=page,
        matches=matches,
        stage=stage,
        stages=STAGE_LABELS,
        waiting=len(queries.waiting_mentees(limit=500)),
        pagination=page.govuk(lambda n: url_for("mentoring.list_mentees", page=n, stage=stage)),
    )


def _details(form) -> services.MenteeDetails:
    return services.MenteeDetails(
        full_name=form.full_name.data,
        email=form.email.data,
        locality_id=form.locality_id.data,
        fostering_type=form.fostering_type.data,
        stage=form.stage.data,
        assessing_worker=form.assessing_worker.data,
        age_groups=tuple(form.age_groups.data or ()),
        languages=_languages(form.languages.data),
        availability=tuple(form.availability.data or ()),
        ways=tuple(form.ways.data or ()),
    )


@bp.route("/mentoring/mentees/invite", methods=["GET", "POST"])
@requires_role(*APPROVERS)
def invite_applicant():
    form = MenteeForm()
    _localities(form)
    if form.validate_on_submit():
        try:
            mentee = services.invite_applicant(current_user, _details(form))
        except services.MentoringRefused as exc:
            getattr(form, exc.field or "email").errors = [str(exc)]
        else:
            flash(f"{mentee.full_name} has been invited to Hearth as an applicant.", "success")
            return redirect(url_for("mentoring.show_mentee", mentee_id=mentee.id))
    return render_template("mentoring/invite_applicant.html", form=form), 422 if request.method == "POST" else 200


@bp.route("/mentoring/mentees/<int:mentee_id>/edit", methods=["GET", "POST"])
@requires_role(*COORDINATORS)
def change_mentee(mentee_id: int):
    mentee = load_mentee(current_user, mentee_id)
    data = None
    if request.method == "GET":
        data = {
            "full_name": mentee.full_name,
            "email": mentee.email,
            "assessing_worker": mentee.assessing_worker,
            "stage": mentee.stage,
            "locality_id": mentee.locality_id,
            "fostering_type": mentee.fostering_type,
            "age_groups": split(mentee.age_groups),
            "availability": split(mentee.availability),
            "ways": split(mentee.ways),
            "languages": ", ".join(w.title() for w in split(mentee.languages)),
        }
    form = MenteeForm(data=data)
    _localities(form)
    if form.validate_on_submit():
        try:
            services.change_mentee(current_user, mentee, _details(form))
        except services.MentoringRefused as exc:
            getattr(form, exc.field or "full_name").errors = [str(exc)]
        else:
            flash("Their details have been saved.", "success")
            return redirect(url_for("mentoring.show_mentee", mentee_id=mentee.id))
    return render_template("mentoring/change_mentee.html", form=form, mentee=mentee), (
        422 if request.method == "POST" else 200
    )


def _mentee_page(mentee: Mentee, status: int = 200, **forms):
    on = today()
    matches = queries.matches_by_mentee([mentee.id]).get(mentee.id, [])
    live = next((m for m in matches if m.is_live), None)
    fits = []
    offers = {}
    if live is None and mentee.is_waiting:
        mentors = queries.mentor_offers(on)
        offers = {o.id: o for o in mentors}
        fits = matching.rank(queries.needs_of(mentee), mentors, queries.neighbours_map(), queries.locality_names())
    names = {p.user_id: p.user.full_name for p in queries.mentor_profiles()}
    history = queries.match_history([m.id for m in matches])
    context = dict(
        mentee=mentee,
        matches=matches,
        live=live,
        fits=fits,
        offers=offers,
        names=names,
        history=history,
        offer_form=forms.get("offer_form") or OfferForm(formdata=None),
        response_form=forms.get("response_form") or ResponseForm(formdata=None),
        withdraw_form=forms.get("withdraw_form") or WithdrawForm(formdata=None),
        end_form=forms.get("end_form") or EndForm(formdata=None),
        agreement_form=forms.get("agreement_form") or AgreementForm(formdata=None),
        propose_error=forms.get("propose_error"),
        labels=dict(
            stage=STAGE_LABELS,
            response=RESPONSE_LABELS,
            how=OFFER_HOW_LABELS,
            step=WITHDREW_STEP_LABELS,
            status=MATCH_STATUS_LABELS,
        ),
        today=on,
    )
    return render_template("mentoring/show_mentee.html", **context), status


@bp.route("/mentoring/mentees/<int:mentee_id>")
@requires_role(*COORDINATORS)
def show_mentee(mentee_id: int):
    return _mentee_page(load_mentee(current_user, mentee_id))


@bp.route("/mentoring/mentees/<int:mentee_id>/offer", methods=["POST"])
@requires_role(*COORDINATORS)
def record_offer(mentee_id: int):
    mentee = load_mentee(current_user, mentee_id)
    form = OfferForm()
    if form.validate_on_submit():
        try:
            services.record_offer(current_user, mentee, form.offered_on.data, form.offered_how.data)
            flash("The offer has been recorded.", "success")
            return redirect(url_for("mentoring.show_mentee", mentee_id=mentee.id))
        except services.MentoringRefused as exc:
            form.offered_on.errors = [str(exc)]
    return _mentee_page(mentee, 422, offer_form=form)


@bp.route("/mentoring/mentees/<int:mentee_id>/response", methods=["POST"])
@requires_role(*COORDINATORS)
def record_response(mentee_id: int):
    mentee = load_mentee(current_user, mentee_id)
    form = ResponseForm()
    if form.validate_on_submit():
        try:
            services.record_response(current_user, mentee, form.response.data, form.responded_on.data)
            flash("Their answer has been recorded.", "success")
            return redirect(url_for("mentoring.show_mentee", mentee_id=mentee.id))
        except services.MentoringRefused as exc:
            form.responded_on.errors = [str(exc)]
    return _mentee_page(mentee, 422, response_form=form)


@bp.route("/mentoring/mentees/<int:mentee_id>/withdrawal", methods=["POST"])
@requires_role(*COORDINATORS)
def record_withdrawal(mentee_id: int):
    mentee = load_mentee(current_user, mentee_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        services.record_withdrawal(current_user, mentee, form.withdrew_on.data, form.step.data)
        flash("The withdrawal has been recorded.", "success")
        return redirect(url_for("mentoring.show_mentee", mentee_id=mentee.id))
    return _mentee_page(mentee, 422, withdraw_form=form)


@bp.route("/mentoring/mentees/<int:mentee_id>/matches", methods=["POST"])
@requires_role(*COORDINATORS)
def propose_match(mentee_id: int):
    mentee = load_mentee(current_user, mentee_id)
    form = ProposeForm()
    if form.validate_on_submit():
        try:
            match = lifecycle.propose_match(current_user, mentee, coerce_id(form.mentor_id.data))
        except lifecycle.MatchRefused as exc:
            return _mentee_page(mentee, 409, propose_error=str(exc))
        flash(
            f"{match.mentor.full_name} has been asked: they have until {match.respond_by:%-d %B %Y} to answer.",
            "success",
        )
        return redirect(url_for("mentoring.show_mentee", mentee_id=mentee.id))
    return _mentee_page(mentee, 422, propose_error="Choose a mentor")


def _match_action(match_id: int, action):
    match = load_match_for_coordinator(current_user, match_id)
    try:
        message = action(match)
    except lifecycle.MatchRefused as exc:
        flash(str(exc), "error")
    else:
        flash(message, "success")
    return redirect(url_for("mentoring.show_mentee", mentee_id=match.mentee_id))


@bp.route("/mentoring/matches/<int:match_id>/introduce", methods=["POST"])
@requires_role(*COORDINATORS)
def introduce_match(match_id: int):
    return _match_action(
        match_id,
        lambda m: (lifecycle.introduce(current_user, m), "They have been introduced and can now message each other.")[
            1
        ],
    )


@bp.route("/mentoring/matches/<int:match_id>/end", methods=["POST"])
@requires_role(*COORDINATORS)
def end_match(match_id: int):
    form = EndForm()
    if not form.validate_on_submit():
        match = load_match_for_coordinator(current_user, match_id)
        return _mentee_page(match.mentee, 422, end_form=form)
    return _match_action(
        match_id, lambda m: (lifecycle.end_match(current_user, m, form.reason.data), "The match has ended.")[1]
    )


@bp.route("/mentoring/matches/<int:match_id>/agreement-meeting", methods=["POST"])
@requires_role(*COORDINATORS)
def record_agreement_meeting(match_id: int):
    form = AgreementForm()
    if not form.validate_on_submit():
        match = load_match_for_coordinator(current_user, match_id)
        return _mentee_page(match.mentee, 422, agreement_form=form)
    return _match_action(
        match_id,
        lambda m: (
            lifecycle.record_agreement_meeting(current_user, m, form.meeting_on.data, form.held.data),
            "The agreement meeting has been recorded.",
        )[1],
    )


@bp.route("/mentoring/mentees/<int:mentee_id>/approval", methods=["GET", "POST"])
@requires_role(*APPROVERS)
def record_approval(mentee_id: int):
    mentee = load_mentee(current_user, mentee_id)
    form = ApprovalForm(fostering_type=mentee.fostering_type)
    # Any household may be joined: a select while there are few, typed (and read back) once there are many.
    few = db.session.scalars(select(Household).order_by(Household.name, Household.id).limit(SHORT_LIST + 1)).all()
    field = form.household_id
    field.typed = len(few) > SHORT_LIST
    field.choices = [("", "Create a new household")] + [(str(h.id), household_label(h)) for h in few[:SHORT_LIST]]
    field.lookup_url = url_for("people.suggest_households") if current_user.has_role(Role.ADMIN) else ""
    if form.validate_on_submit() and _read_household(field):
        try:
            household = services.record_approval(
                current_user,
                mentee,
                approved_on=form.approved_on.data,
                fostering_type=form.fostering_type.data,
                household_id=field.resolved,
                new_household_name=form.new_household_name.data,
                new_household_reference=form.new_household_reference.data,
                temporary=form.temporary.data,
                extended=form.extended.data,
            )
        except services.MentoringRefused as exc:
            getattr(form, exc.field or "approved_on").errors = [str(exc)]
        else:
            flash(f"{mentee.full_name} is approved and is now a carer in the {household.name}.", "success")
            return redirect(url_for("mentoring.show_mentee", mentee_id=mentee.id))
    return render_template("mentoring/record_approval.html", form=form, mentee=mentee), (
        422 if request.method == "POST" else 200
    )


def _read_household(field) -> bool:
    """The typed or chosen household into `field.resolved` (None: create a new one); False with a message if unclear."""
    field.resolved = None
    if not (field.data or "").strip():
        return True
    try:
        household = resolve_household(current_user, field.data, among=select(Household))
    except NoSuchHousehold as exc:
        field.errors = [*field.errors, str(exc)]
        return False
    field.resolved = household.id
    field.data = household_label(household) if field.typed else str(household.id)
    return True


@bp.route("/mentoring/localities/<int:locality_id>", methods=["GET", "POST"])
@requires_role(Role.ADMIN, *COORDINATORS)
def edit_neighbours(locality_id: int):
    locality = db.session.get(Locality, locality_id)
    if locality is None:
        not_found(current_user, "locality", locality_id)
    current = sorted(queries.neighbours_map().get(locality.id, frozenset()))
    form = NeighboursForm(data={"neighbours": current} if request.method == "GET" else None)
    form.neighbours.choices = [(loc.id, loc.name) for loc in queries.localities() if loc.id != locality.id]
    if form.validate_on_submit():
        services.set_neighbours(current_user, locality, form.neighbours.data or [])
        flash(f"The neighbours of {locality.name} have been saved.", "success")
        return redirect(url_for("mentoring.list_localities"))
    return render_template("mentoring/edit_neighbours.html", form=form, locality=locality)


@bp.route("/mentoring/localities")
@requires_role(Role.ADMIN, *COORDINATORS)
def list_localities():
    return render_template(
        "mentoring/list_localities.html",
        localities=queries.localities(),
        neighbours=queries.neighbours_map(),
        names=queries.locality_names(),
    )
