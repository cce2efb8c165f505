"""Demo payments: the default rate tables, example council rates for 2026-27, a few payment terms, and confirmed,
paid fortnightly runs from the start of the 2025-26 tax year, leaving the latest period for business support to run."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.auth.models import User
from portal.claims import batches as claims_batches
from portal.core.clock import today
from portal.core.db import db, utcnow
from portal.payments.defaults import NMA, rate_year, seed_payment_rates
from portal.payments.inputs import current_settings
from portal.payments.ledger import store_result
from portal.payments.models import PaymentRate, PaymentTerm, PayRun
from portal.payments.runs import preview
from portal.payments.terms import BANDS, pay_date, period_after
from portal.people.models import Child, Household

DEMO_SOURCE = (
    "Demo council's own rates for 2026-27 (example figures for the demo service; the national minimum "
    "for 2026-27 is not yet published)"
)


def _first_period_start(on: date) -> tuple[date, int]:
    """Fortnights ending on the last Sunday before today, reaching back to before 6 April 2025."""
    last_end = on - timedelta(days=on.weekday() + 1)
    count = ((last_end - date(2025, 4, 6)).days // 14) + 1
    return last_end - timedelta(days=14 * count - 1), count


def load_payments_demo() -> None:
    on = today()
    start, count = _first_period_start(on)
    seed_payment_rates("rest_of_england", start, "fortnightly")
    year_start, year_end = rate_year(2026)
    for (band, _, _), pounds in zip(BANDS, NMA[(2025, "rest_of_england")]):
        db.session.add(
            PaymentRate(
                kind="allowance",
                code=band,
                region="rest_of_england",
                label=f"Allowance, {band}",
                amount_pence=(pounds + 6) * 100,
                effective_from=year_start,
                effective_to=year_end,
                source=DEMO_SOURCE,
            )
        )
    households = {h.reference: h for h in db.session.scalars(select(Household))}
    millie = db.session.scalar(select(Child).where(Child.case_reference == "LAC-20401"))
    okafor = households["FH-1001"]
    db.session.add_all(
        [
            PaymentTerm(kind="fee", household_id=okafor.id, code="level_2", effective_from=start),
            PaymentTerm(kind="fee", household_id=households["FH-1003"].id, code="level_1", effective_from=start),
            PaymentTerm(
                kind="supplement",
                household_id=okafor.id,
                child_id=millie.id,
                code="enhanced",
                effective_from=start,
                note="Extra support after school",
            ),
            PaymentTerm(
                kind="festival",
                household_id=okafor.id,
                child_id=millie.id,
                code="festival_christmas",
                effective_from=start,
            ),
        ]
    )
    db.session.flush()
    support = db.session.scalar(select(User).where(User.email == "support@example.org"))
    last_end = None
    s = current_settings()
    for _ in range(count - 1):  # the latest complete period is left for business support to run
        p_start, p_end = period_after(s, last_end)
        run = PayRun(
            period_start=p_start,
            period_end=p_end,
            pay_date=pay_date(s, p_end),
            created_by_id=support.id,
            status="paid",
            confirmed_by_id=support.id,
            confirmed_at=utcnow(),
            paid_on=pay_date(s, p_end),
            payment_reference=f"BACS-{p_end:%Y%m%d}",
            paid_by_id=support.id,
            paid_at=utcnow(),
        )
        db.session.add(run)
        db.session.flush()
        run.status = "draft"
        result = preview(run)
        run.status = "paid"
        claim_ids = [ln.claim_id for ln in result.lines if ln.claim_id]
        batch_id = claims_batches.batch_claims_for_pay_run(support.id, claim_ids, run.number) if claim_ids else None
        store_result(run, result, batch_id)
        if batch_id:
            claims_batches.mark_claims_paid_by_pay_run(support.id, batch_id, run.paid_on, run.payment_reference)
        db.session.flush()
        last_end = p_end
