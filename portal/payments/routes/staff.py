"""Business support: pay runs — create, preview every line, hold, adjust, confirm once, export, mark paid."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.auth.gates import requires_role
from portal.core import csv_export
from portal.core.db import db
from portal.core.money import format_pounds
from portal.core.pagination import page_number, paginate
from portal.payments import adjustments, export, runs
from portal.payments.engine import RateMissing
from portal.payments.forms import AdjustmentForm, ConfirmForm, EmptyForm, HoldForm, MarkPaidForm
from portal.payments.inputs import NotSetUp
from portal.payments.models import PayRunHold
from portal.payments.policy import load_run
from portal.payments.queries import PAY_STAFF, pay_runs, run_lines, run_payments, run_payments_page
from portal.payments.routes import bp
from portal.payments.routes.carer import claim_numbers
from portal.people.lookups import NoSuchHousehold, household_label, resolve_household
from portal.people.queries import households_by_id


@bp.route("/pay-runs")
@requires_role(*PAY_STAFF)
def list_pay_runs():
    page = paginate(pay_runs(), page_number(request.args))
    try:
        upcoming = runs.next_period()
    except NotSetUp:
        upcoming = None
    return render_template(
        "payments/list_pay_runs.html",
        page=page,
        upcoming=upcoming,
        form=EmptyForm(),
        pager=page.govuk(lambda n: url_for("payments.list_pay_runs", page=n)),
    )


@bp.route("/pay-runs", methods=["POST"])
@requires_role(*PAY_STAFF)
def create_pay_run():
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("payments.list_pay_runs"))
    try:
        run = runs.create_pay_run(current_user)
    except runs.RunRefused as exc:
        page = paginate(pay_runs(), page_number(request.args))
        try:
            upcoming = runs.next_period()
        except NotSetUp:
            upcoming = None
        return render_template(
            "payments/list_pay_runs.html",
            page=page,
            upcoming=upcoming,
            form=EmptyForm(),
            refused=exc,
            pager=page.govuk(lambda n: url_for("payments.list_pay_runs", page=n)),
        ), 422
    flash(f"Pay run {run.number} is ready to check. Nothing is paid until you confirm it.", "success")
    return redirect(url_for("payments.show_pay_run", run_id=run.id))


def _render_run(run, *, hold_form=None, adjustment_form=None, paid_form=None, refused=None, status=200):
    ctx = dict(
        run=run,
        refused=refused,
        hold_form=hold_form or HoldForm(),
        paid_form=paid_form or MarkPaidForm(),
        adjustment_form=adjustment_form or AdjustmentForm(),
        empty=EmptyForm(),
    )
    if run.is_draft:
        try:
            result = runs.preview(run)
        except RateMissing as exc:
            ctx.update(problems=exc.problems, result=None)
        else:
            run_adjustments = adjustments.run_adjustments(run)
            names = households_by_id(
                {ln.household_id for ln in result.lines} | {a.household_id for a in run_adjustments}
            )
            by_household: dict[int, list] = {}
            for ln in result.lines:
                by_household.setdefault(ln.household_id, []).append(ln)
            ctx.update(
                result=result,
                by_household=by_household,
                households=names,
                totals=result.household_totals(),
                confirm=ConfirmForm(seen=runs.fingerprint(result)),
                adjustments=run_adjustments,
                adjustment_limit=adjustments.approval_limit_pence(),
                holds={
                    h.line_key: h for h in db.session.scalars(select(PayRunHold).where(PayRunHold.run_id == run.id))
                },
            )
    else:
        page = run_payments_page(run, page_number(request.args))
        pager = page.govuk(lambda n: url_for("payments.show_pay_run", run_id=run.id, page=n) + "#payments")
        ctx.update(payments=page.items, page=page, pager=pager)
    return render_template("payments/show_pay_run.html", **ctx), status


def _settled(run):
    flash(f"Pay run {run.number} is confirmed and cannot change: make corrections in the next run.", "important")
    return redirect(url_for("payments.show_pay_run", run_id=run.id))


@bp.route("/pay-runs/<int:run_id>")
@requires_role(*PAY_STAFF)
def show_pay_run(run_id: int):
    return _render_run(load_run(current_user, run_id))


@bp.route("/pay-runs/<int:run_id>/holds", methods=["POST"])
@requires_role(*PAY_STAFF)
def hold_pay_line(run_id: int):
    run = load_run(current_user, run_id)
    if not run.is_draft:
        return _settled(run)
    form = HoldForm()
    if form.validate_on_submit():
        try:
            runs.hold_line(current_user, run, form.line_key.data or "", form.hold_reason.data or "")
        except runs.RunRefused as exc:
            form.hold_reason.errors = [str(exc)]
        else:
            flash("The line is held. It is not paid in this run, and comes back in the next run's preview.", "success")
            return redirect(url_for("payments.show_pay_run", run_id=run.id))
    return _render_run(run, hold_form=form, status=422)


@bp.route("/pay-runs/<int:run_id>/holds/<int:hold_id>/release", methods=["POST"])
@requires_role(*PAY_STAFF)
def release_pay_line(run_id: int, hold_id: int):
    run = load_run(current_user, run_id)
    if EmptyForm().validate_on_submit():
        try:
            runs.release_hold(current_user, run, hold_id)
            flash("The hold is released: the line will be paid in this run.", "success")
        except runs.RunRefused as exc:
            flash(str(exc), "important")
    return redirect(url_for("payments.show_pay_run", run_id=run.id))


@bp.route("/pay-runs/<int:run_id>/adjustments", methods=["POST"])
@requires_role(*PAY_STAFF)
def add_pay_adjustment(run_id: int):
    run = load_run(current_user, run_id)
    if not run.is_draft:
        return _settled(run)
    form = AdjustmentForm()
    valid = form.validate_on_submit()  # every problem is shown at once: the household's too
    try:
        household = resolve_household(current_user, form.household_id.data)
    except NoSuchHousehold as exc:
        form.household_id.errors = [*form.household_id.errors, str(exc)]
        valid = False
    if valid:
        hid = household.id
        form.household_id.data = household_label(household)
        try:
            adj = adjustments.add_adjustment(
                current_user, run, household_id=hid, amount_pence=form.amount.pence or 0, reason=form.reason.data or ""
            )
        except runs.RunRefused as exc:
            getattr(form, exc.field or "reason").errors = [str(exc)]
        else:
            flash(
                f"The adjustment of {format_pounds(adj.amount_pence)} is over "
                f"{format_pounds(adjustments.approval_limit_pence())}: it is not paid until a colleague approves it."
                if adj.is_waiting
                else "The adjustment is added to the run, with its reason.",
                "success",
            )
            return redirect(url_for("payments.show_pay_run", run_id=run.id))
    return _render_run(run, adjustment_form=form, status=422)


@bp.route("/pay-runs/<int:run_id>/adjustments/<int:adjustment_id>/approve", methods=["POST"])
@requires_role(*PAY_STAFF)
def approve_pay_adjustment(run_id: int, adjustment_id: int):
    return _change_adjustment(run_id, adjustment_id, adjustments.approve_adjustment, "The adjustment is approved.")


@bp.route("/pay-runs/<int:run_id>/adjustments/<int:adjustment_id>/remove", methods=["POST"])
@requires_role(*PAY_STAFF)
def remove_pay_adjustment(run_id: int, adjustment_id: int):
    return _change_adjustment(
        run_id, adjustment_id, adjustments.remove_adjustment, "The adjustment is removed from the run."
    )


def _change_adjustment(run_id: int, adjustment_id: int, action, done: str):
    run = load_run(current_user, run_id)
    if not run.is_draft:
        return _settled(run)
    if EmptyForm().validate_on_submit():
        try:
            action(current_user, run, adjustment_id)
            flash(done, "success")
        except runs.RunRefused as exc:
            db.session.rollback()
            flash(str(exc), "important")
    return redirect(url_for("payments.show_pay_run", run_id=run.id))


@bp.route("/pay-runs/<int:run_id>/confirm", methods=["POST"])
@requires_role(*PAY_STAFF)
def confirm_pay_run(run_id: int):
    run = load_run(current_user, run_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("payments.show_pay_run", run_id=run.id))
    try:
        runs.confirm_pay_run(current_user, run, form.seen.data or "")
    except runs.RunRefused as exc:
        db.session.refresh(run)
        return _render_run(run, refused=exc, status=409)
    flash(f"Pay run {run.number} is confirmed. Download the file for finance, then mark it paid.", "success")
    return redirect(url_for("payments.show_pay_run", run_id=run.id))


@bp.route("/pay-runs/<int:run_id>/discard", methods=["POST"])
@requires_role(*PAY_STAFF)
def discard_pay_run(run_id: int):
    run = load_run(current_user, run_id)
    if EmptyForm().validate_on_submit():
        try:
            runs.discard_pay_run(current_user, run)
        except runs.RunRefused as exc:
            flash(str(exc), "important")
            return redirect(url_for("payments.show_pay_run", run_id=run_id))
        flash("The draft run is discarded. Nothing was paid.", "success")
    return redirect(url_for("payments.list_pay_runs"))


@bp.route("/pay-runs/<int:run_id>/export", methods=["POST"])  # it records the export: never a GET
@requires_role(*PAY_STAFF)
def export_pay_run(run_id: int):
    run = load_run(current_user, run_id)
    try:
        runs.record_export(current_user, run)
    except runs.RunRefused as exc:
        flash(str(exc), "important")
        return redirect(url_for("payments.show_pay_run", run_id=run.id))
    lines = run_lines(run)
    body = export.run_csv(run, run_payments(run), lines, claim_numbers(lines))
    return csv_export.download(body, f"pay-run-{run.number}.csv")


@bp.route("/pay-runs/<int:run_id>/paid", methods=["POST"])
@requires_role(*PAY_STAFF)
def mark_pay_run_paid(run_id: int):
    run = load_run(current_user, run_id)
    if run.status != "confirmed":
        flash("Only a confirmed run that is not yet paid can be marked paid.", "important")
        return redirect(url_for("payments.show_pay_run", run_id=run.id))
    form = MarkPaidForm()
    if form.validate_on_submit():
        try:
            runs.mark_pay_run_paid(current_user, run, paid_on=form.paid_on.data, reference=form.reference.data or "")
        except runs.RunRefused as exc:
            getattr(form, exc.field or "reference").errors = [str(exc)]
        else:
            flash(f"Pay run {run.number} is marked paid. The carers have been told.", "success")
            return redirect(url_for("payments.show_pay_run", run_id=run.id))
    return _render_run(run, paid_form=form, status=422)
