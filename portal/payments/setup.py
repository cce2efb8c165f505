"""Admin use cases: payment settings, the effective-dated rate table, and households' and children's payment terms."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core import audit
from portal.core.db import db
from portal.core.unit_of_work import transactional
from portal.payments.inputs import settings_row
from portal.payments.models import PaymentRate, PaymentSettings, PaymentTerm, PayRun
from portal.payments.terms import day_text
from portal.people.models import Household, Placement


class SetupRefused(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _admin(actor: User) -> None:
    if not actor.has_role(Role.ADMIN):
        raise SetupRefused("Only an admin can change payment settings and rates")


@transactional
def save_settings(
    actor: User,
    *,
    region: str,
    frequency: str,
    first_period_start: date,
    band_rule: str,
    staying_put: bool,
    pay_lag_days: int,
    lookback_days: int,
) -> PaymentSettings:
    _admin(actor)
    row = settings_row()
    has_runs = db.session.scalar(select(PayRun.id).limit(1)) is not None
    if row is not None and has_runs and (frequency != row.frequency or first_period_start != row.first_period_start):
        raise SetupRefused(
            "The pay frequency and first period cannot change once pay runs have been made", field="frequency"
        )
    if row is None:
        row = PaymentSettings(id=1, first_period_start=first_period_start)
        db.session.add(row)
    before = {} if row.region is None else {"region": row.region, "frequency": row.frequency}
    row.region, row.frequency, row.first_period_start = region, frequency, first_period_start
    row.band_rule, row.staying_put, row.pay_lag_days, row.lookback_days = (
        band_rule,
        staying_put,
        pay_lag_days,
        lookback_days,
    )
    row.updated_by_id = actor.id
    audit.record(
        db.session,
        "payment_settings_changed",
        actor_id=actor.id,
        object_type="payment_settings",
        object_id=1,
        before=before or None,
        region=region,
        frequency=frequency,
        first_period_start=first_period_start.isoformat(),
        band_rule=band_rule,
        staying_put=staying_put,
        pay_lag_days=pay_lag_days,
        lookback_days=lookback_days,
    )
    return row


@transactional
def save_rate(
    actor: User,
    rate: PaymentRate | None,
    *,
    kind: str,
    code: str,
    region: str | None,
    label: str,
    basis: str,
    amount_pence: int | None,
    allowance_weeks_pct: int | None,
    due_month: int | None,
    due_day: int | None,
    effective_from: date,
    effective_to: date | None,
    source: str,
) -> PaymentRate:
    """Add or correct one row. Rows of the same kind, code and region may not overlap (the engine needs one)."""
    _admin(actor)
    code = code.strip()
    if effective_to is not None and effective_to < effective_from:
        raise SetupRefused("The end date must be on or after the start date", field="effective_to")
    if basis == "allowance_multiple" and not allowance_weeks_pct:
        raise SetupRefused("Enter how many weeks of allowance, like 1 or 2", field="allowance_weeks")
    if basis != "allowance_multiple" and amount_pence is None:
        raise SetupRefused("Enter the amount", field="amount")
    if kind in ("allowance", "nma") and not region:
        raise SetupRefused("Choose the region", field="region")
    if (due_month is None) != (due_day is None):
        raise SetupRefused("Enter both the day and the month the extra is due, or neither", field="due_day")
    if due_month is not None:
        try:
            date(2024, due_month, due_day)
        except ValueError:
            raise SetupRefused("Enter a real day and month", field="due_day") from None
    region = region if kind in ("allowance", "nma") else None
    clash = db.session.scalars(
        select(PaymentRate).where(
            PaymentRate.kind == kind,
            PaymentRate.code == code,
            PaymentRate.region.is_(None) if region is None else PaymentRate.region == region,
            PaymentRate.id != (rate.id if rate else -1),
        )
    )
    far = date(9999, 12, 31)
    for other in clash:
        if other.effective_from <= (effective_to or far) and effective_from <= (other.effective_to or far):
            if rate is None and other.effective_to is None and other.effective_from < effective_from:
                other.effective_to = effective_from - timedelta(days=1)  # a new rate ends the open-ended one
                continue
            raise SetupRefused(
                f"This overlaps the {other.code} rate from {day_text(other.effective_from)}: change its dates first",
                field="effective_from",
            )
    creating = rate is None
    rate = rate or PaymentRate()
    before = (
        None
        if creating
        else {
            "amount_pence": rate.amount_pence,
            "from": rate.effective_from.isoformat(),
            "to": rate.effective_to.isoformat() if rate.effective_to else None,
        }
    )
    rate.kind, rate.code, rate.region, rate.label, rate.basis = kind, code, region, label.strip(), basis
    rate.amount_pence = None if basis == "allowance_multiple" else amount_pence
    rate.allowance_weeks_pct = allowance_weeks_pct if basis == "allowance_multiple" else None
    rate.due_month, rate.due_day = due_month, due_day
    rate.effective_from, rate.effective_to, rate.source = effective_from, effective_to, source.strip()
    rate.updated_by_id = actor.id
    db.session.add(rate)
    db.session.flush()
    audit.record(
        db.session,
        "payment_rate_added" if creating else "payment_rate_changed",
        actor_id=actor.id,
        object_type="payment_rate",
        object_id=rate.id,
        kind=kind,
        code=code,
        region=region,
        amount_pence=rate.amount_pence,
        effective_from=effective_from.isoformat(),
        effective_to=effective_to.isoformat() if effective_to else None,
        before=before,
    )
    return rate


@transactional
def add_term(
    actor: User,
    household: Household,
    *,
    kind: str,
    code: str,
    child_id: int | None,
    effective_from: date,
    effective_to: date | None,
    note: str,
) -> PaymentTerm:
    _admin(actor)
    if effective_to is not None and effective_to < effective_from:
        raise SetupRefused("The end date must be on or after the start date", field="effective_to")
    needs_child = kind in ("supplement", "festival")
    if needs_child:
        placed = db.session.scalar(
            select(Placement.id).where(Placement.household_id == household.id, Placement.child_id == child_id).limit(1)
        )
        if child_id is None or placed is None:
            raise SetupRefused("Choose a child placed with this household", field="child_id")
    rate_kind = "extra" if kind == "festival" else kind
    if (
        db.session.scalar(
            select(PaymentRate.id).where(PaymentRate.kind == rate_kind, PaymentRate.code == code).limit(1)
        )
        is None
    ):
        raise SetupRefused("Choose one of the rates in the rate table", field="code")
    term = PaymentTerm(
        kind=kind,
        household_id=household.id,
        child_id=child_id if needs_child else None,
        code=code,
        effective_from=effective_from,
        effective_to=effective_to,
        note=(note or "").strip() or None,
        created_by_id=actor.id,
    )
    db.session.add(term)
    db.session.flush()
    audit.record(
        db.session,
        "payment_term_added",
        actor_id=actor.id,
        object_type="household",
        object_id=household.id,
        kind=kind,
        code=code,
        child_id=term.child_id,
        effective_from=effective_from.isoformat(),
        effective_to=effective_to.isoformat() if effective_to else None,
    )
    return term


@transactional
def end_term(actor: User, term: PaymentTerm, on: date) -> None:
    """End a term on a day (inclusive). Runs already confirmed are corrected by adjustments in the next run."""
    _admin(actor)
    if on < term.effective_from:
        raise SetupRefused("The last day must be on or after the day it started", field="ends_on")
    term.effective_to = on
    audit.record(
        db.session,
        "payment_term_ended",
        actor_id=actor.id,
        object_type="household",
        object_id=term.household_id,
        term_id=term.id,
        ends_on=on.isoformat(),
    )
