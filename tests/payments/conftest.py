"""Payments test set-up: the default rate tables and settings, as the `seed-payment-rates` command adds them."""

from __future__ import annotations

from datetime import date, timedelta

from portal.core.clock import today
from portal.core.db import db
from portal.payments.defaults import seed_payment_rates
from tests.payments.example_rates import add_example_allowances


def set_up_payments(first_period_start: date | None = None) -> date:
    """Weekly runs from a Monday some weeks ago, with example council rates for the current rate year."""
    on = today()
    start = first_period_start or on - timedelta(days=on.weekday() + 7 * 4)
    seed_payment_rates("rest_of_england", start, "weekly")
    add_example_allowances(on, "Test council rates")
    db.session.commit()
    return start
