"""Business support: the queue, decisions on a claim, and payment batches (create, export, mark paid)."""

from __future__ import annotations

from flask import current_app, flash, get_template_attribute, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.claims import batches as batch_services
from portal.claims import decisions
from portal.claims.forms import BatchForm, DecisionForm, EmptyForm, MarkPaidForm, QueueFilterForm
from portal.claims.models import ClaimStatus
from portal.claims.policy import CLAIMS_STAFF, load_batch, load_claim
from portal.claims.queries import batch_claims, batch_summary, batches, ticked_summary, waiting_page
from portal.claims.queue import queue_counts, queue_rows
from portal.claims.routes import bp
from portal.claims.routes.carer import _render_claim
from portal.claims.rules import settings
from portal.claims.services import ClaimConflict, ClaimRefused
from portal.core import csv_export
from portal.core.clock import today
from portal.core.inputs import id_or_none
from portal.core.pagination import page_number, paginate
from portal.people.queries import locality_choices


@bp.route("/claims/queue")
@requires_role(*CLAIMS_STAFF)
def list_claim_queue():
    s = settings()
    filters, form, drawn = _queue_filters()
    counts = queue_counts(current_user)
    page = queue_rows(current_user, s, page_number(request.args), counts=counts, **filters)
    pager = None
    if page.pages > 1:
        # Page links differ only in the number, which url_for writes first: one url_for for them all.
        args = {k: v for k, v in request.args.items() if k != "page"}
        before, _, after = url_for("claims.list_claim_queue", page=0, **args).partition("?page=0")
        pager = page.govuk(lambda n: f"{before}?page={n}{after}")
    return render_template(
        "claims/list_claim_queue.html",
        filters=drawn,
        form=form,  # the layout's title says "Error:" when it has errors
        page=page,
        pager=pager,
        target=s.target_working_days,
        counts=counts,
        is_admin=current_user.has_role(Role.ADMIN),
        # A claim's link is this and its id: one url_for for the page, not one a row.
        claim_href=url_for("claims.show_claim", claim_id=0).removesuffix("0"),
    )


# Filter fields: a request naming none of them shows the filters as they are with nothing chosen.
_FILTER_FIELDS = frozenset(name for name, value in vars(QueueFilterForm).items() if hasattr(value, "_formfield"))
# That markup, for the queue's address and the localities it was drawn with (one entry, drawn again when either
# changes): drawing it (a form and six fields) cost more than the rest of the page's own content.
_unfiltered: dict[tuple, Markup] = {}


def _queue_filters() -> tuple[dict, QueueFilterForm | None, Markup]:
    """The filters the request asks for (keywords of queue_rows; none unless they are valid), the form when it names
    any, and the filter form's HTML."""
    action = url_for("claims.list_claim_queue")
    localities = [("", "Any locality"), *locality_choices()]
    if _FILTER_FIELDS.isdisjoint(request.args):
        key = (action, *localities)
        drawn = _unfiltered.get(key)
        if drawn is None:
            drawn = _draw_filters(_filter_form(localities), action)
            if not current_app.jinja_env.auto_reload:  # a template edited while the app runs shows at once
                _unfiltered.clear()
                _unfiltered[key] = drawn
        return {}, None, drawn
    form = _filter_form(localities)
    filters = {}
    if form.validate():
        filters = dict(
            status=form.status.data or "",
            kind=form.kind.data or "",
            locality_id=id_or_none(form.locality.data),
            household=(form.household.data or "").strip(),
            age=form.age.data or "",
            search=(form.q.data or "").strip(),
        )
    return filters, form, _draw_filters(form, action)


def _filter_form(localities: list[tuple[str, str]]) -> QueueFilterForm:
    form = QueueFilterForm(request.args)
    form.locality.choices = localities
    return form


def _draw_filters(form: QueueFilterForm, action: str) -> Markup:
    return get_template_attribute("claims/_queue_filters.html", "queue_filters")(form, action)


@bp.route("/claims/<int:claim_id>/decision", methods=["POST"])
@requires_role(*CLAIMS_STAFF)
def decide_claim(claim_id: int):
    claim = load_claim(current_user, claim_id)
    form = DecisionForm()
    # Every line's choice and reason is shown again as sent, whatever the error.
    rejected, line_errors = decisions.read_line_choices(claim, request.form)
    kept = dict(line_values=_posted_lines(claim), line_errors={})
    if not form.validate_on_submit():
        return _render_claim(claim, decision_form=form, status=422, **kept)
    version = id_or_none(form.version.data)
    version = -1 if version is None else version
    if form.decision.data == "approve" and line_errors:
        return _render_claim(claim, decision_form=form, status=422, **{**kept, "line_errors": line_errors})
    try:
        if form.decision.data == "approve":
            new_status = decisions.approve_claim(
                current_user, claim, version=version, rejected_lines=rejected, s=settings()
            )
            flash(
                f"Claim {claim.number} approved."
                if new_status == ClaimStatus.APPROVED
                else f"Claim {claim.number} needs a second approval from a colleague, as it is over the limit.",
                "success",
            )
        elif form.decision.data == "reject":
            decisions.reject_claim(current_user, claim, version=version, reason=form.reason.data or "")
            flash(f"Claim {claim.number} rejected. The carer has been told why.", "success")
        else:
            decisions.query_claim(current_user, claim, version=version, question=form.question.data or "")
            flash(f"Your question about claim {claim.number} has been sent to the carer.", "success")
    except ClaimConflict as exc:
        flash(str(exc), "important")
        return redirect(url_for("claims.show_claim", claim_id=claim_id))
    except ClaimRefused as exc:
        target = {"reason": form.reason, "question": form.question}.get(exc.field or "", form.decision)
        target.errors = list(target.errors or []) + [str(exc)]
        return _render_claim(claim, decision_form=form, status=422, **kept)
    return redirect(url_for("claims.list_claim_queue"))


def _posted_lines(claim) -> dict[int, tuple[str, str]]:
    return {
        ln.id: (request.form.get(f"line-{ln.id}") or "approve", request.form.get(f"reason-{ln.id}") or "")
        for ln in claim.lines
    }


@bp.route("/claims/<int:claim_id>/second-approval", methods=["POST"])
@requires_role(*CLAIMS_STAFF)
def confirm_claim_approval(claim_id: int):
    claim = load_claim(current_user, claim_id)
    form = DecisionForm()
    version = id_or_none(form.version.data)
    version = -1 if version is None else version
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("claims.show_claim", claim_id=claim_id))
    try:
        decisions.confirm_approval(current_user, claim, version=version)
    except (ClaimConflict, ClaimRefused) as exc:
        flash(str(exc), "important")
        return redirect(url_for("claims.show_claim", claim_id=claim_id))
    flash(f"Second approval given: claim {claim.number} is approved.", "success")
    return redirect(url_for("claims.list_claim_queue"))


@bp.route("/payment-batches")
@requires_role(*CLAIMS_STAFF)
def list_payment_batches():
    page = paginate(batches(), page_number(request.args))
    pager = page.govuk(lambda n: url_for("claims.list_payment_batches", page=n))
    return render_template("claims/list_payment_batches.html", page=page, pager=pager)


@bp.route("/payment-batches/new", methods=["GET", "POST"])
@requires_role(*CLAIMS_STAFF)
def create_payment_batch():
    """The batch form, 25 claims a page. Its page links are buttons that send the form (the ticks so far) and show
    another page; "Make the batch" makes it from every tick at once, in one transaction (portal.claims.batches)."""
    form = BatchForm()
    status = 200
    if request.method == "GET":
        form.scope.data = "selected"
        number = page_number(request.args)
    elif request.form.get("go"):  # a page link: nothing is made, the ticks come along
        number = page_number({"page": request.form["go"]})
    else:
        number = page_number(request.form)
        if form.validate_on_submit():
            ticked = form.ticked()
            try:
                batch = batch_services.create_batch(
                    current_user,
                    claim_ids=sorted(ticked) if form.scope.data == "selected" else None,
                    up_to=today() if form.scope.data == "all" else None,
                )
            except batch_services.BatchRefused as exc:
                form.scope.errors = [str(exc)]
            else:
                flash(_made_message(batch, len(ticked) if form.scope.data == "selected" else None), "success")
                return redirect(url_for("claims.show_payment_batch", batch_id=batch.id))
        status = 422
    waiting, waiting_pence = waiting_page(number)
    ticked = form.ticked()
    shown = {c.id for c in waiting.items}
    form.kept.data = " ".join(str(i) for i in sorted(ticked - shown))
    form.claim_ids.data = sorted(ticked & shown)
    pager = waiting.govuk(str)  # page numbers only: each link is a button sending the form
    return render_template(
        "claims/create_payment_batch.html",
        form=form,
        waiting=waiting,
        waiting_pence=waiting_pence,
        ticked=ticked_summary(ticked) if ticked else (0, 0),
        pager=pager,
    ), status


def _made_message(batch, ticked: int | None) -> str:
    made = f"Payment batch {batch.number} made with {batch.claim_count} claim{'' if batch.claim_count == 1 else 's'}."
    if ticked is not None and ticked > batch.claim_count:
        left = ticked - batch.claim_count
        made += f" {left} of the claims you ticked {'was' if left == 1 else 'were'} no longer waiting to be paid."
    return made


@bp.route("/payment-batches/<int:batch_id>")
@requires_role(*CLAIMS_STAFF)
def show_payment_batch(batch_id: int):
    batch = load_batch(current_user, batch_id)
    return _render_batch(batch, MarkPaidForm())


def _render_batch(batch, form, status: int = 200):
    if request.method == "GET" and form.paid_on.data is None and not any(form.paid_on.raw_parts()):
        form.paid_on.data = today()
    page = batch_claims(batch, page_number(request.args))
    pager = page.govuk(lambda n: url_for("claims.show_payment_batch", batch_id=batch.id, page=n) + "#claims")
    return (
        render_template(
            "claims/show_payment_batch.html",
            batch=batch,
            summary=batch_summary(batch),
            claims=page.items,
            page=page,
            pager=pager,
            form=form,
        ),
        status,
    )


@bp.route("/payment-batches/<int:batch_id>/export.csv", methods=["POST"])  # it records the export: never a GET
@requires_role(*CLAIMS_STAFF)
def export_payment_batch(batch_id: int):
    batch = load_batch(current_user, batch_id)
    text = batch_services.record_export(current_user, batch)
    return csv_export.download(text, f"{batch.number}.csv")


@bp.route("/payment-batches/<int:batch_id>/paid", methods=["POST"])
@requires_role(*CLAIMS_STAFF)
def mark_payment_batch_paid(batch_id: int):
    batch = load_batch(current_user, batch_id)
    form = MarkPaidForm()
    if not form.validate_on_submit():
        return _render_batch(batch, form, 422)
    try:
        batch_services.mark_batch_paid(current_user, batch, paid_on=form.paid_on.data, reference=form.reference.data)
    except batch_services.BatchRefused as exc:
        form.reference.errors = [str(exc)]
        return _render_batch(batch, form, 422)
    flash(f"Batch {batch.number} marked paid. The carers have been told.", "success")
    return redirect(url_for("claims.show_payment_batch", batch_id=batch.id))
