"""Admins: payment settings, the effective-dated rate table (with warnings) and each household's payment terms."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.core.db import db
from portal.core.inputs import id_or_none
from portal.core.money import format_pounds
from portal.payments import setup
from portal.payments.forms import EndTermForm, RateForm, SettingsForm, TermForm
from portal.payments.inputs import all_rates, settings_row
from portal.payments.models import PaymentRate
from portal.payments.policy import load_household_for_terms, load_rate, load_term
from portal.payments.queries import rate_warnings, terms_of
from portal.payments.routes import bp
from portal.people.lookups import NoSuchHousehold, find_households, resolve_household
from portal.people.models import Child, Placement


@bp.route("/payment-rates")
@requires_role(Role.ADMIN)
def list_payment_rates():
    # A household's terms are found by typing its name or reference: one exact match opens its page.
    typed = (request.args.get("household") or "").strip()
    problem, matches = None, []
    if typed:
        try:
            household = resolve_household(current_user, typed)
        except NoSuchHousehold as exc:
            problem, matches = str(exc), find_households(current_user, typed)
        else:
            return redirect(url_for("payments.show_payment_terms", household_id=household.id))
    rates = all_rates()
    kinds: dict[str, list[PaymentRate]] = {}
    for r in rates:
        kinds.setdefault(r.kind_label, []).append(r)
    return render_template(
        "payments/list_payment_rates.html",
        kinds=kinds,
        warnings=rate_warnings(),
        settings=settings_row(),
        typed=typed,
        problem=problem,
        matches=matches,
    )


@bp.route("/payment-rates/new", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def add_payment_rate():
    return _rate_page(None)


@bp.route("/payment-rates/<int:rate_id>/edit", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def change_payment_rate(rate_id: int):
    return _rate_page(load_rate(current_user, rate_id))


def _rate_page(rate: PaymentRate | None):
    form = RateForm(obj=rate)
    if request.method == "GET" and rate is not None:
        form.amount.data = format_pounds(rate.amount_pence, plain=True)
        form.allowance_weeks.data = f"{rate.allowance_weeks_pct / 100:g}" if rate.allowance_weeks_pct else ""
        form.region.data = rate.region or ""
    if form.validate_on_submit():
        pct = form.weeks_pct()
        try:
            setup.save_rate(
                current_user,
                rate,
                kind=form.kind.data,
                code=form.code.data,
                region=form.region.data or None,
                label=form.label.data or "",
                basis=form.basis.data,
                amount_pence=form.amount.pence,
                allowance_weeks_pct=pct,
                due_month=form.due_month.month,
                due_day=form.due_day.data,
                effective_from=form.effective_from.data,
                effective_to=form.effective_to.data,
                source=form.source.data,
            )
        except setup.SetupRefused as exc:
            target = {"allowance_weeks": form.allowance_weeks}.get(
                exc.field or "", getattr(form, exc.field or "code", form.code)
            )
            target.errors = list(target.errors or []) + [str(exc)]
        else:
            flash("The rate is saved. Pay runs from now on use it.", "success")
            return redirect(url_for("payments.list_payment_rates"))
    return render_template(
        "payments/edit_payment_rate.html", form=form, rate=rate
    ), 422 if request.method == "POST" else 200


@bp.route("/payment-settings", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def change_payment_settings():
    row = settings_row()
    form = SettingsForm(obj=row)
    if request.method == "GET" and row is None:
        form.lookback_days.data, form.pay_lag_days.data = 182, 5
    if form.validate_on_submit():
        try:
            setup.save_settings(
                current_user,
                region=form.region.data,
                frequency=form.frequency.data,
                first_period_start=form.first_period_start.data,
                band_rule=form.band_rule.data,
                staying_put=form.staying_put.data,
                pay_lag_days=form.pay_lag_days.data,
                lookback_days=form.lookback_days.data,
            )
        except setup.SetupRefused as exc:
            getattr(form, exc.field or "frequency").errors = [str(exc)]
        else:
            flash("The payment settings are saved.", "success")
            return redirect(url_for("payments.list_payment_rates"))
    return render_template("payments/change_payment_settings.html", form=form), 422 if request.method == "POST" else 200


def _term_page(household, form=None, status=200):
    children = list(
        db.session.scalars(
            select(Child)
            .join(Placement, Placement.child_id == Child.id)
            .where(Placement.household_id == household.id)
            .distinct()
            .order_by(Child.first_name)
        )
    )
    form = form or TermForm()
    codes = db.session.execute(
        select(PaymentRate.kind, PaymentRate.code, PaymentRate.label)
        .where(PaymentRate.kind.in_(("fee", "supplement", "retainer", "extra")))
        .distinct()
    ).all()
    form.code.choices = [("", "Choose a rate")] + sorted(
        {
            (c, f"{label or c} ({'festival' if k == 'extra' else k})")
            for k, c, label in codes
            if k != "extra" or c.startswith("festival")
        }
    )
    form.child_id.choices = [("", "Not for one child")] + [(str(c.id), c.full_name) for c in children]
    return render_template(
        "payments/show_payment_terms.html",
        household=household,
        form=form,
        end_form=EndTermForm(),
        terms=terms_of(household.id, [c.id for c in children]),
    ), status


@bp.route("/households/<int:household_id>/payment-terms", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def show_payment_terms(household_id: int):
    household = load_household_for_terms(current_user, household_id)
    if request.method == "GET":
        return _term_page(household)
    form = TermForm()
    if form.validate_on_submit():
        child = id_or_none(form.child_id.data)
        try:
            setup.add_term(
                current_user,
                household,
                kind=form.kind.data,
                code=form.code.data or "",
                child_id=child,
                effective_from=form.effective_from.data,
                effective_to=form.effective_to.data,
                note=form.note.data or "",
            )
        except setup.SetupRefused as exc:
            getattr(form, exc.field or "code").errors = [str(exc)]
        else:
            flash("Added. The next pay run uses it, and adjusts earlier periods where it reaches back.", "success")
            return redirect(url_for("payments.show_payment_terms", household_id=household.id))
    return _term_page(household, form=form, status=422)


@bp.route("/payment-terms/<int:term_id>/end", methods=["POST"])
@requires_role(Role.ADMIN)
def end_payment_term(term_id: int):
    term = load_term(current_user, term_id)
    household = load_household_for_terms(current_user, term.household_id)
    form = EndTermForm()
    problem = None
    if form.validate_on_submit():
        try:
            setup.end_term(current_user, term, form.ends_on.data)
        except setup.SetupRefused as exc:
            problem = str(exc)
        else:
            flash("The end date is saved.", "success")
            return redirect(url_for("payments.show_payment_terms", household_id=household.id))
    else:
        problem = next(iter(form.ends_on.errors or []), "Enter the last day")
    # One small form per row: the message is shown at the top of the page, over the list.
    flash(f"The term was not ended: {problem}.", "important")
    return redirect(url_for("payments.show_payment_terms", household_id=household.id))
