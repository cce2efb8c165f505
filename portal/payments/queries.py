"""Reads about payments scoped to a user, pay-run lists, and the admin warnings about rate tables."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, false, or_, select

from portal.auth.models import User
from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.core.money import format_pounds
from portal.core.pagination import Page, paginate
from portal.payments.defaults import rate_year
from portal.payments.inputs import settings_row
from portal.payments.models import HouseholdPayment, PayLine, PaymentRate, PaymentTerm, PayRun
from portal.payments.terms import BANDS, day_text
from portal.people.queries import household_ids_of_carer

PAY_STAFF = (Role.BUSINESS_SUPPORT, Role.ADMIN)


def payments_visible_to(user: User) -> Select[tuple[HouseholdPayment]]:
    """Carers: their household's payments from confirmed runs. Business support and admins: every confirmed payment."""
    stmt = select(HouseholdPayment).join(PayRun, PayRun.id == HouseholdPayment.run_id).where(PayRun.status != "draft")
    clauses = []
    if user.has_role(*PAY_STAFF):
        return stmt
    if user.has_role(Role.CARER):
        clauses.append(HouseholdPayment.household_id.in_(household_ids_of_carer(user)))
    return stmt.where(or_(*clauses) if clauses else false())


def household_payments(user: User, household_id: int) -> Select[tuple[HouseholdPayment]]:
    """Newest first; the caller pages through it (years of fortnightly payments make a long list)."""
    return (
        payments_visible_to(user)
        .where(HouseholdPayment.household_id == household_id)
        .order_by(PayRun.period_start.desc(), HouseholdPayment.id.desc())
    )


def payment_lines(payment: HouseholdPayment) -> list[PayLine]:
    return list(
        db.session.scalars(
            select(PayLine)
            .where(PayLine.payment_id == payment.id)
            .order_by(PayLine.is_held, PayLine.child_id, PayLine.kind, PayLine.start_date, PayLine.id)
        )
    )


def pay_runs() -> Select[tuple[PayRun]]:
    return select(PayRun).order_by(PayRun.period_start.desc())


def run_payments(run: PayRun) -> list[HouseholdPayment]:
    return list(
        db.session.scalars(
            select(HouseholdPayment).where(HouseholdPayment.run_id == run.id).order_by(HouseholdPayment.household_id)
        )
    )


def run_payments_page(run: PayRun, page: int, per_page: int = 50) -> Page[HouseholdPayment]:
    """One page of a confirmed run's payments by household (a run may pay tens of thousands)."""
    stmt = select(HouseholdPayment).where(HouseholdPayment.run_id == run.id)
    return paginate(stmt.order_by(HouseholdPayment.household_id, HouseholdPayment.id), page, per_page)


def run_lines(run: PayRun) -> list[PayLine]:
    return list(
        db.session.scalars(select(PayLine).where(PayLine.run_id == run.id).order_by(PayLine.household_id, PayLine.id))
    )


def terms_of(household_id: int, child_ids: list[int]) -> list[PaymentTerm]:
    return list(
        db.session.scalars(
            select(PaymentTerm)
            .where(or_(PaymentTerm.household_id == household_id, PaymentTerm.child_id.in_(child_ids)))
            .order_by(PaymentTerm.kind, PaymentTerm.effective_from)
        )
    )


def rate_warnings(on: date | None = None) -> list[str]:
    """What an admin must know: a rate year without allowance rates, or a council rate below the national minimum."""
    row = settings_row()
    if row is None:
        return ["Payments are not set up: choose the payment settings (the region decides the national minimum)."]
    on = on or today()
    rates = list(db.session.scalars(select(PaymentRate).where(PaymentRate.kind.in_(("allowance", "nma")))))
    warnings = []
    this_year = on.year if on >= date(on.year, 4, 1) else on.year - 1
    for year in (this_year, this_year + 1):
        start, _ = rate_year(year)
        missing = [
            band
            for band, _, _ in BANDS
            if not any(
                r.kind == "allowance"
                and r.code == band
                and r.region == row.region
                and r.effective_from <= start
                and (r.effective_to is None or r.effective_to >= start)
                for r in rates
            )
        ]
        if missing:
            when = "this rate year" if year == this_year else "the coming rate year"
            warnings.append(
                f"There are no allowance rates for {when}, from {day_text(start)}, for the "
                f"{', '.join(missing)} band{'s' if len(missing) > 1 else ''}: pay runs from that date "
                f"cannot be made until they are added."
            )
        if not any(
            r.kind == "nma"
            and r.region == row.region
            and r.effective_from <= start
            and (r.effective_to is None or r.effective_to >= start)
            for r in rates
        ):
            warnings.append(
                f"The national minimum allowance from {day_text(start)} is not entered, so Hearth "
                "cannot check that the council's rates are at least the minimum."
            )
    for r in rates:
        if r.kind != "allowance" or r.region != row.region or r.amount_pence is None:
            continue
        for n in rates:
            if (
                n.kind == "nma"
                and n.code == r.code
                and n.region == r.region
                and n.amount_pence is not None
                and n.amount_pence > r.amount_pence
                and _overlaps(r, n)
            ):
                warnings.append(
                    f"The {r.code} allowance from {day_text(r.effective_from)} ({format_pounds(r.amount_pence)}) "
                    f"is below the national minimum of {format_pounds(n.amount_pence)} a week."
                )
    return warnings


def _overlaps(a: PaymentRate, b: PaymentRate) -> bool:
    far = date(9999, 12, 31)
    return a.effective_from <= (b.effective_to or far) and b.effective_from <= (a.effective_to or far)
