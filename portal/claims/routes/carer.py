"""Carers' claim pages: start a claim, add lines, submit, answer queries; the claim page every reader shares."""

from __future__ import annotations

import uuid
from datetime import date

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.claims import rates as engine
from portal.claims import services
from portal.claims.carer_list import household_claim_rows
from portal.claims.forms import (
    AllowanceForm,
    ChooseKindForm,
    DecisionForm,
    EmptyForm,
    ExpenseForm,
    JourneyForm,
    OverrideForm,
    SubmitForm,
    parse_miles,
)
from portal.claims.models import ClaimKind, ClaimStatus
from portal.claims.policy import (
    can_edit_claim,
    can_override_age_rule,
    is_claims_staff,
    load_claim,
    load_own_claim,
    why_cannot_decide,
)
from portal.claims.queries import (
    claimable_children,
    prior_car_tenths,
    rate_table,
    warnings_for,
)
from portal.claims.routes import bp
from portal.claims.rules import add_working_days, settings
from portal.core.clock import LONDON, today
from portal.core.files import UploadRejected
from portal.core.inputs import id_or_none
from portal.core.money import format_pounds
from portal.core.outbox import answer_stored
from portal.core.pagination import page_number
from portal.core.refusals import not_found
from portal.core.uploads import TooManyUploads, send_rendition
from portal.people.queries import household_of

READERS = (Role.CARER, Role.BUSINESS_SUPPORT, Role.ADMIN)
FORMS = {ClaimKind.MILEAGE: JourneyForm, ClaimKind.EXPENSE: ExpenseForm, ClaimKind.ALLOWANCE: AllowanceForm}
FIELD_OF = {
    "line_date": "line_date",
    "category": "category",
    "miles": "miles",
    "amount": "amount",
    "receipt": "receipt",
    "vehicle": "vehicle",
    "children": "children",
}


PAYABLE = frozenset({ClaimStatus.SUBMITTED, ClaimStatus.SECOND_APPROVAL, ClaimStatus.APPROVED, ClaimStatus.BATCHED})


def expected_payment(claim, target_working_days: int | None = None, on: date | None = None) -> date | None:
    """When the carer can expect the money: the target turnaround from submission (working days), not before `on`
    (today). `claim` is a Claim or a ClaimRow; a list passes the target and the day, read once for all its rows."""
    if claim.status in PAYABLE and claim.submitted_at:
        if target_working_days is None:
            target_working_days = settings().target_working_days
        start = claim.submitted_at.astimezone(LONDON).date()
        return max(add_working_days(start, target_working_days), on or today())
    return None


# Outside these years there are no mileage rates to price a journey by (and the tax-year arithmetic runs out).
PLAUSIBLE_JOURNEY_YEARS = (2000, 2100)


@bp.route("/claims")
@requires_role(Role.CARER)
def list_claims():
    page = household_claim_rows(current_user, page_number(request.args))
    target, on = settings().target_working_days, today()
    expected = {c.id: expected_payment(c, target, on) for c in page.items}
    pager = page.govuk(lambda n: url_for("claims.list_claims", page=n))
    return render_template("claims/list_claims.html", page=page, pager=pager, expected=expected)


@bp.route("/claims/new")
@requires_role(Role.CARER)
def choose_claim_kind():
    form = ChooseKindForm(request.args)
    if request.args and form.validate():
        return redirect(url_for("claims.start_claim", kind=form.kind.data))
    return render_template("claims/choose_claim_kind.html", form=form), 422 if request.args else 200


def _line_form(kind: str, claim=None):
    form = FORMS[ClaimKind(kind)]()
    children = claimable_children(current_user)
    form.children.choices = [(str(c.id), f"{c.known_as} {c.last_name}") for c in children]
    if kind == ClaimKind.ALLOWANCE:
        form.category.choices = list(settings().allowance_categories)
    if claim is not None and hasattr(form, "vehicle"):
        del form.vehicle  # chosen once per claim
    if request.method == "GET":
        form.idempotency_key.data = uuid.uuid4().hex
        form.line_idempotency_key.data = uuid.uuid4().hex
        form.line_date.data = today()
        _prefill(form)
        if len(children) == 1:
            form.children.data = [str(children[0].id)]
    return form, children


def _prefill(form) -> None:
    """A journey started from elsewhere in Hearth (a training session attended) arrives with its date, destination,
    purpose and a note in the query string; anything unreadable is left for the carer to fill in."""
    try:
        on = date.fromisoformat(request.args.get("line_date", ""))
    except ValueError:
        on = None
    if on is not None and on <= today():
        form.line_date.data = on
    for name in ("to_place", "note", "category"):
        value = request.args.get(name, "")[:200]
        if value and name in form and (name != "category" or value in dict(form.category.choices)):
            form[name].data = value


def _line_input(form, kind: str) -> services.LineInput:
    receipt = None
    if kind == ClaimKind.EXPENSE and form.receipt.data and getattr(form.receipt.data, "filename", ""):
        receipt = services.Upload(form.receipt.data.stream, form.receipt.data.filename)
    return services.LineInput(
        line_date=form.line_date.data,
        category=form.category.data,
        idempotency_key=form.line_idempotency_key.data or uuid.uuid4().hex,
        amount_pence=form.amount.pence if hasattr(form, "amount") else None,
        note=form.note.data or "",
        child_ids=tuple(int(c) for c in form.children.data or []),
        from_place=getattr(form, "from_place", None) and form.from_place.data or "",
        to_place=getattr(form, "to_place", None) and form.to_place.data or "",
        miles_tenths=getattr(form, "miles_tenths", None),
        is_return=bool(getattr(form, "is_return", None) and form.is_return.data),
        passengers=(getattr(form, "passengers", None) and form.passengers.data) or 0,
        receipt=receipt,
    )


def _as_read(form) -> str:
    """' You typed 12,50: that is £12.50.' when what was typed has a comma (a decimal comma or thousands), so the
    person sees which way it was read; '' otherwise."""
    if "amount" in form and form.amount.pence is not None:
        typed, shown = (form.amount.data or "").strip(), format_pounds(form.amount.pence)
        if "," in typed:
            return f" You typed {typed}: that is {shown}."
    if "miles" in form and getattr(form, "miles_tenths", None):
        typed = (form.miles.data or "").strip().lower().removesuffix("miles").removesuffix("mi").strip()
        shown = f"{form.miles_tenths / 10:g}"
        if "," in typed:
            return f" You typed {typed} miles: that is {shown} miles."
    return ""


def _refused(form, exc: Exception) -> int:
    """Put a refusal on the right field; an upload refused keeps everything else typed (the file must be chosen again)."""
    if isinstance(exc, UploadRejected):
        form.receipt.errors = [f"{exc}. Everything else you typed is kept: choose the receipt again"]
        return 429 if isinstance(exc, TooManyUploads) else 422
    name = FIELD_OF.get(getattr(exc, "field", None) or "", "line_date")
    if name not in form:
        name = "line_date"
    form[name].errors = list(form[name].errors or []) + [str(exc)]
    form.note_files_not_kept()
    return 422


@bp.route("/claims/new/<any(mileage, expense, allowance):kind>", methods=["GET", "POST"])
@requires_role(Role.CARER)
def start_claim(kind: str):
    household = household_of(current_user)
    if household is None:
        abort(404)
    form, children = _line_form(kind)
    status = 200
    if form.validate_on_submit():
        try:
            claim, created = services.start_claim(
                current_user,
                household,
                kind=kind,
                idempotency_key=form.idempotency_key.data or uuid.uuid4().hex,
                line=_line_input(form, kind),
                s=settings(),
                vehicle=form.vehicle.data if "vehicle" in form else None,
            )
        except (UploadRejected, services.ClaimRefused) as exc:
            status = _refused(form, exc)
        else:
            flash(
                "Your claim has been saved as a draft. Add more, or check it and send it." + _as_read(form)
                if created
                else "This claim was already saved.",
                "success",
            )
            return answer_stored(url_for("claims.show_claim", claim_id=claim.id))
    elif request.method == "POST":
        status = 422
    return render_template(
        "claims/start_claim.html", form=form, kind=kind, children=children, claim=None, rates=_rates_for_page(kind)
    ), status


def _rates_for_page(kind: str) -> bool:
    return kind == ClaimKind.MILEAGE


@bp.route("/claims/<int:claim_id>/lines/new", methods=["GET", "POST"])
@requires_role(Role.CARER)
def add_claim_line(claim_id: int):
    claim = load_own_claim(current_user, claim_id)
    if not claim.is_editable:
        flash("This claim has been sent, so it cannot be changed.", "important")
        return redirect(url_for("claims.show_claim", claim_id=claim.id))
    form, children = _line_form(claim.kind, claim)
    status = 200
    if form.validate_on_submit():
        try:
            services.add_line(current_user, claim, _line_input(form, claim.kind), settings())
        except (UploadRejected, services.ClaimRefused) as exc:
            status = _refused(form, exc)
        else:
            flash(f"The {claim.line_noun} has been added." + _as_read(form), "success")
            return answer_stored(url_for("claims.show_claim", claim_id=claim.id))
    elif request.method == "POST":
        status = 422
    return render_template(
        "claims/start_claim.html",
        form=form,
        kind=claim.kind,
        children=children,
        claim=claim,
        rates=_rates_for_page(claim.kind),
    ), status


@bp.route("/claims/<int:claim_id>")
@requires_role(*READERS)
def show_claim(claim_id: int):
    claim = load_claim(current_user, claim_id)
    return _render_claim(claim)


def _render_claim(
    claim,
    *,
    submit_form=None,
    decision_form=None,
    override_form=None,
    status: int = 200,
    line_values: dict | None = None,
    line_errors: dict | None = None,
):
    s = settings()
    staff = is_claims_staff(current_user)
    editable = can_edit_claim(current_user, claim)
    context = dict(
        claim=claim,
        editable=editable,
        staff=staff,
        expected=expected_payment(claim),
        submit_form=submit_form or SubmitForm(),
        button_form=EmptyForm(),
        problems=services.submission_problems(claim, s) if editable else [],
        warnings=warnings_for(claim, s) if staff else [],
        decision_form=decision_form or DecisionForm(version=str(claim.version)),
        cannot_decide=why_cannot_decide(current_user, claim) if staff else None,
        override_form=override_form or OverrideForm(),
        may_override=can_override_age_rule(current_user) and claim.status in (ClaimStatus.DRAFT, ClaimStatus.QUERIED),
        settings=s,
        line_values=line_values or {},
        line_errors=line_errors or {},
        page_errors=status == 422,  # the page's forms are chosen in the template; its title still says "Error"
    )
    return render_template("claims/show_claim.html", **context), status


@bp.route("/claims/<int:claim_id>/submit", methods=["POST"])
@requires_role(Role.CARER)
def submit_claim(claim_id: int):
    claim = load_own_claim(current_user, claim_id)
    form = SubmitForm()
    if not form.validate_on_submit():
        return _render_claim(claim, submit_form=form, status=422)
    try:
        sent = services.submit_claim(current_user, claim, settings(), answer=form.answer.data)
    except services.ClaimRefused as exc:
        if claim.status != ClaimStatus.QUERIED:
            flash(f"The claim has not been sent. {exc}.", "important")
            return redirect(url_for("claims.show_claim", claim_id=claim.id))
        form.answer.errors = [str(exc)]
        return _render_claim(claim, submit_form=form, status=422)
    flash(
        f"Claim {claim.number} has been sent to business support." if sent else "This claim was already sent.",
        "success",
    )
    return redirect(url_for("claims.show_claim", claim_id=claim.id))


@bp.route("/claims/<int:claim_id>/lines/<int:line_id>/remove", methods=["POST"])
@requires_role(Role.CARER)
def remove_claim_line(claim_id: int, line_id: int):
    claim = load_own_claim(current_user, claim_id)
    if EmptyForm().validate_on_submit():
        try:
            services.remove_line(current_user, claim, line_id)
            flash(f"The {claim.line_noun} has been removed.", "success")
        except services.ClaimRefused as exc:
            flash(str(exc), "important")
    return redirect(url_for("claims.show_claim", claim_id=claim.id))


@bp.route("/claims/<int:claim_id>/delete", methods=["POST"])
@requires_role(Role.CARER)
def delete_claim_draft(claim_id: int):
    claim = load_own_claim(current_user, claim_id)
    if EmptyForm().validate_on_submit():
        try:
            services.delete_draft(current_user, claim)
        except services.ClaimRefused as exc:
            flash(str(exc), "important")
            return redirect(url_for("claims.show_claim", claim_id=claim.id))
        flash("Your draft claim has been deleted.", "success")
    return redirect(url_for("claims.list_claims"))


@bp.route("/claims/<int:claim_id>/lines/<int:line_id>/receipt/<any(thumb, display, original):rendition>")
@requires_role(*READERS)
def download_receipt(claim_id: int, line_id: int, rendition: str):
    claim = load_claim(current_user, claim_id)
    line = next((ln for ln in claim.lines if ln.id == line_id and ln.receipt is not None), None)
    if line is None:
        not_found(current_user, "claim_line", line_id)
    return send_rendition(
        line.receipt,
        "master" if rendition == "original" else rendition,
        as_attachment=rendition == "original" and line.receipt.family != "image",
    )


@bp.route("/claims/mileage-estimate")
@requires_role(Role.CARER)
def estimate_mileage():
    """What a journey will pay, as the carer types. A guide only: the server works it out again on saving."""
    args = request.args
    try:
        on = date.fromisoformat(args.get("date", ""))
        tenths = parse_miles(args.get("miles", ""))
        passengers = max(0, min(8, int(args.get("passengers") or 0)))
    except ValueError:
        return jsonify(ok=False), 200
    if not PLAUSIBLE_JOURNEY_YEARS[0] <= on.year <= PLAUSIBLE_JOURNEY_YEARS[1]:  # a hand-made date: no rates then
        return jsonify(ok=False), 200
    vehicle = args.get("vehicle") if args.get("vehicle") in engine.VEHICLE_LABELS else engine.CAR
    claim_id = args.get("claim", "")
    exclude = id_or_none(claim_id)
    if exclude is not None:
        claim = load_own_claim(current_user, exclude)
        vehicle = claim.vehicle or vehicle
    journey = engine.Journey(on, tenths, args.get("return") in ("y", "true", "on"), passengers)
    prior = prior_car_tenths(current_user.id, [on], None)
    try:
        (priced,) = engine.price_journeys([journey], rate_table(), vehicle, prior)
    except engine.NoRate as exc:
        return jsonify(ok=False, message=str(exc)), 200

    return jsonify(ok=True, pence=priced.amount_pence, text=format_pounds(priced.amount_pence), note=priced.note)
