"""Admins: the effective-dated mileage rate table, and allowing a late claim with a recorded reason."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.gates import requires_role
from portal.auth.roles import Role
from portal.claims import services
from portal.claims.forms import OverrideForm, RateForm
from portal.claims.mileage_rate_admin import save_mileage_rate
from portal.claims.models import MileageRate
from portal.claims.policy import load_claim, load_rate
from portal.claims.queries import mileage_rates
from portal.claims.routes import bp
from portal.claims.routes.carer import _render_claim
from portal.core import audit
from portal.core.db import db


@bp.route("/claims/mileage-rates")
@requires_role(Role.ADMIN)
def list_mileage_rates():
    return render_template("claims/list_mileage_rates.html", rates=mileage_rates())


@bp.route("/claims/mileage-rates/new", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def add_mileage_rate():
    return _rate_page(None)


@bp.route("/claims/mileage-rates/<int:rate_id>/edit", methods=["GET", "POST"])
@requires_role(Role.ADMIN)
def edit_mileage_rate(rate_id: int):
    return _rate_page(load_rate(current_user, rate_id))


def _rate_page(rate: MileageRate | None):
    form = RateForm(obj=rate)
    if form.validate_on_submit():
        _rate, change = save_mileage_rate(
            current_user,
            rate,
            vehicle=form.vehicle.data,
            effective_from=form.effective_from.data,
            effective_to=form.effective_to.data,
            pence_per_mile=form.pence_per_mile.whole(),
            threshold_miles=form.threshold_miles.whole(),
            pence_after_threshold=form.pence_after_threshold.whole(),
            source=form.source.data,
            announced_on=form.announced_on.data,
        )
        flash("The mileage rate has been saved. Claims sent from now on use it.", "success")
        if change is not None:
            flash(
                "The rate starts before today, so Hearth has worked out what carers are owed for journeys already "
                "paid. A colleague in business support checks the list and approves it.",
                "success",
            )
            return redirect(url_for("claims.show_mileage_arrears", change_id=change.id))
        return redirect(url_for("claims.list_mileage_rates"))
    return render_template(
        "claims/edit_mileage_rate.html", form=form, rate=rate
    ), 422 if request.method == "POST" else 200


@bp.route("/claims/<int:claim_id>/override", methods=["POST"])
@requires_role(Role.ADMIN)
def override_claim_age_rule(claim_id: int):
    claim = load_claim(current_user, claim_id)
    form = OverrideForm()
    if not form.validate_on_submit():
        return _render_claim(claim, override_form=form, status=422)
    try:
        services.override_age_rule(current_user, claim, form.reason.data)
    except services.ClaimRefused as exc:
        form.reason.errors = [str(exc)]
        return _render_claim(claim, override_form=form, status=422)
    flash("The claim may now be sent, and the carer has been told.", "success")
    return redirect(url_for("claims.show_claim", claim_id=claim.id))


@bp.cli.command("seed-rates")
def seed_rates_command():
    """Load HMRC's approved mileage rates (`flask claims seed-rates`): all of them into an empty table, or the
    2026-27 car rate into a table still at 45p; then work out, once, what carers are owed since 6 April 2026."""
    import click

    from portal.claims.demo import seed_hmrc_rates, work_out_hmrc_2026_27_arrears

    added = seed_hmrc_rates()
    audit.record(db.session, "mileage_rates_seeded", actor_id=None, rows=added) if added else None
    change = work_out_hmrc_2026_27_arrears()
    db.session.commit()
    click.echo(f"Added {added} mileage rates." if added else "Mileage rates already present: nothing changed.")
    if change is not None:
        click.echo(
            f"Mileage arrears since 6 April 2026 worked out: {change.carer_count} carers owed, waiting for approval "
            f"at /claims/mileage-arrears/{change.id}."
        )
