"""Payments test set-up: the default rate tables and settings, as the `seed-payment-rates` command adds them."""

from __future__ import annotations

from datetime import date, timedelta

from portal.core.clock import today
from portal.core.db import db
from portal.payments.defaults import seed_payment_rates
from portal.payments.models import PaymentRate


def set_up_payments(first_period_start: date | None = None) -> date:
    """Weekly runs from a Monday some weeks ago, with example council rates for the current rate year."""
    on = today()
    start = first_period_start or on - timedelta(days=on.weekday() + 7 * 4)
    seed_payment_rates("rest_of_england", start, "weekly")
    year = on.year if on >= date(on.year, 4, 1) else on.year - 1
    for band, amount in zip(("0-2", "3-4", "5-10", "11-15", "16-17"), (175, 181, 200, 227, 266)):
        db.session.add(
            PaymentRate(
                kind="allowance",
                code=band,
                region="rest_of_england",
                amount_pence=amount * 100,
                effective_from=date(year, 4, 1),
                effective_to=date(year + 1, 3, 31),
                source="Test council rates",
            )
        )
    db.session.commit()
    return start
