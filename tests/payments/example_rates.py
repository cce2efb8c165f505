"""Example council allowance rates, shared by the payments tests and the pay-run benchmark."""

from __future__ import annotations

from datetime import date

from portal.core.db import db
from portal.payments.models import PaymentRate

# Weekly allowance per child by age band, in pounds: an example council's rates above the national minimum.
EXAMPLE_ALLOWANCES = {"0-2": 175, "3-4": 181, "5-10": 200, "11-15": 227, "16-17": 266}


def add_example_allowances(on: date, source: str) -> None:
    """Add EXAMPLE_ALLOWANCES for the rate year (1 April to 31 March) holding `on`, in
    the session's transaction (flushed, not committed)."""
    year = on.year if on >= date(on.year, 4, 1) else on.year - 1
    for band, pounds in EXAMPLE_ALLOWANCES.items():
        db.session.add(
            PaymentRate(
                kind="allowance",
                code=band,
                region="rest_of_england",
                amount_pence=pounds * 100,
                effective_from=date(year, 4, 1),
                effective_to=date(year + 1, 3, 31),
                source=source,
            )
        )
    db.session.flush()
