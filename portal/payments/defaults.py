"""The default rate tables (NMA England 2024-25 and 2025-26, Qualifying Care Relief, usual extras) and their seeding."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.core.db import db
from portal.payments.models import PaymentRate, PaymentSettings
from portal.payments.terms import BANDS

NMA_2024_SOURCE = (
    "National minimum allowance for foster carers 2024 to 2025, England (GOV.UK, Department for "
    "Education, 'Foster care: national minimum allowance')"
)
NMA_2025_SOURCE = (
    "National minimum allowance 2025 to 2026, England: a 3.55% rise on 2024 to 2025, figures from a "
    "sector source (to be confirmed against GOV.UK before relying on them)"
)
QCR_SOURCE = "HMRC, 'Qualifying care relief: foster carers, adult placement carers, kinship carers' (GOV.UK)"
EXTRA_SOURCE = "Council policy default (Hearth): change to match the council's payment policy"

# Weekly pounds by band 0-2, 3-4, 5-10, 11-15, 16-17 (shared/DOMAIN.md "Money rules").
NMA = {
    (2024, "london"): (191, 195, 217, 248, 289),
    (2024, "south_east"): (183, 189, 208, 238, 278),
    (2024, "rest_of_england"): (165, 170, 187, 213, 249),
    (2025, "london"): (198, 201, 225, 257, 299),
    (2025, "south_east"): (189, 196, 216, 247, 288),
    (2025, "rest_of_england"): (170, 176, 194, 220, 258),
}
# Tax year starting 6 April of the year: fixed amount per household, weekly per child under 11, weekly per child 11+.
QCR = {2024: (19_360, 405, 485), 2025: (19_690, 415, 495)}
QCR_CODES = ("fixed", "under_11", "11_plus")


def rate_year(year: int) -> tuple[date, date]:
    """Allowance years run from 1 April to 31 March."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def tax_year(year: int) -> tuple[date, date]:
    """Tax years run from 6 April to 5 April."""
    return date(year, 4, 6), date(year + 1, 4, 5)


def default_rates(region: str) -> list[PaymentRate]:
    rows = []
    for (year, reg), amounts in NMA.items():
        start, end = rate_year(year)
        source = NMA_2024_SOURCE if year == 2024 else NMA_2025_SOURCE
        for (band, _, _), pounds in zip(BANDS, amounts):
            rows.append(
                PaymentRate(
                    kind="nma",
                    code=band,
                    region=reg,
                    label=f"National minimum, {band}",
                    amount_pence=pounds * 100,
                    effective_from=start,
                    effective_to=end,
                    source=source,
                )
            )
            if reg == region:
                rows.append(
                    PaymentRate(
                        kind="allowance",
                        code=band,
                        region=reg,
                        label=f"Allowance, {band}",
                        amount_pence=pounds * 100,
                        effective_from=start,
                        effective_to=end,
                        source=f"Set at the national minimum. {source}",
                    )
                )
    for year, amounts in QCR.items():
        start, end = tax_year(year)
        for code, pounds, label in zip(
            QCR_CODES,
            amounts,
            ("Fixed amount per household", "Per child under 11, a week", "Per child aged 11 or over, a week"),
        ):
            rows.append(
                PaymentRate(
                    kind="qcr",
                    code=code,
                    label=label,
                    basis="per_year" if code == "fixed" else "per_child_week",
                    amount_pence=pounds * 100,
                    effective_from=start,
                    effective_to=end,
                    source=QCR_SOURCE,
                )
            )
    start = date(2024, 4, 1)
    rows += [
        PaymentRate(
            kind="extra",
            code="birthday",
            label="Birthday",
            basis="allowance_multiple",
            allowance_weeks_pct=100,
            effective_from=start,
            source=EXTRA_SOURCE + ": one week's allowance, paid before the birthday",
        ),
        PaymentRate(
            kind="extra",
            code="holiday",
            label="Summer holiday",
            basis="allowance_multiple",
            allowance_weeks_pct=200,
            due_month=7,
            due_day=20,
            effective_from=start,
            source=EXTRA_SOURCE + ": two weeks' allowance, paid before the summer holiday",
        ),
        PaymentRate(
            kind="extra",
            code="festival_christmas",
            label="Christmas",
            basis="allowance_multiple",
            allowance_weeks_pct=100,
            due_month=12,
            due_day=25,
            effective_from=start,
            source=EXTRA_SOURCE + ": one week's allowance for children whose festival it is",
        ),
        PaymentRate(
            kind="extra",
            code="festival_eid",
            label="Eid al-Fitr",
            basis="allowance_multiple",
            allowance_weeks_pct=100,
            due_month=3,
            due_day=30,
            effective_from=start,
            source=EXTRA_SOURCE + ": one week's allowance; the admin updates the date each year",
        ),
        PaymentRate(
            kind="extra",
            code="festival_diwali",
            label="Diwali",
            basis="allowance_multiple",
            allowance_weeks_pct=100,
            due_month=11,
            due_day=1,
            effective_from=start,
            source=EXTRA_SOURCE + ": one week's allowance; the admin updates the date each year",
        ),
        PaymentRate(
            kind="fee",
            code="level_1",
            label="Level 1",
            basis="per_household_week",
            amount_pence=10_000,
            effective_from=start,
            source=EXTRA_SOURCE,
        ),
        PaymentRate(
            kind="fee",
            code="level_2",
            label="Level 2",
            basis="per_household_week",
            amount_pence=17_500,
            effective_from=start,
            source=EXTRA_SOURCE,
        ),
        PaymentRate(
            kind="fee",
            code="level_3",
            label="Level 3 (specialist)",
            basis="per_child_week",
            amount_pence=25_000,
            effective_from=start,
            source=EXTRA_SOURCE,
        ),
        PaymentRate(
            kind="supplement",
            code="enhanced",
            label="Enhanced needs supplement",
            amount_pence=10_000,
            effective_from=start,
            source=EXTRA_SOURCE,
        ),
        PaymentRate(
            kind="supplement",
            code="complex",
            label="Complex needs supplement",
            amount_pence=20_000,
            effective_from=start,
            source=EXTRA_SOURCE,
        ),
        PaymentRate(
            kind="mentoring",
            code="contact",
            label="Mentoring contact",
            basis="per_contact",
            amount_pence=2_500,
            effective_from=start,
            source=EXTRA_SOURCE,
        ),
        PaymentRate(
            kind="retainer",
            code="held_bed",
            label="Held bed",
            basis="per_household_week",
            amount_pence=10_000,
            effective_from=start,
            source=EXTRA_SOURCE + ": the fee level 1 rate",
        ),
    ]
    return rows


def seed_payment_rates(
    region: str = "rest_of_england", first_period_start: date | None = None, frequency: str = "fortnightly"
) -> int:
    """Add the default tables and settings when there are none (running it again changes nothing). Rows added."""
    added = 0
    if db.session.get(PaymentSettings, 1) is None:
        start = first_period_start or date(2024, 4, 1)
        db.session.add(PaymentSettings(id=1, region=region, frequency=frequency, first_period_start=start))
        added += 1
    if db.session.scalar(select(PaymentRate.id).limit(1)) is None:
        rows = default_rates(region)
        db.session.add_all(rows)
        added += len(rows)
    db.session.flush()
    return added
