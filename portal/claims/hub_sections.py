"""The mileage rates on the information hub's payment policy, read from the same effective-dated table claims are
priced by."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.claims.models import MileageRate
from portal.claims.rates import RATE_KIND_LABELS
from portal.core.db import db
from portal.core.templating import uk_date
from portal.hub.live_sections import LiveSection, LiveTable, register_live_section


def _pence(p: int) -> str:
    return f"{p}p a mile"


def mileage_section(on: date) -> LiveSection:
    stmt = select(MileageRate).where(
        MileageRate.effective_from <= on, (MileageRate.effective_to.is_(None)) | (MileageRate.effective_to >= on)
    )
    rows = sorted(
        db.session.scalars(stmt),
        key=lambda r: list(RATE_KIND_LABELS).index(r.vehicle) if r.vehicle in RATE_KIND_LABELS else 99,
    )
    table_rows = tuple(
        (
            RATE_KIND_LABELS.get(r.vehicle, r.vehicle),
            _pence(r.pence_per_mile)
            + (
                f" for the first {r.threshold_miles:,} miles in the tax year, then {_pence(r.pence_after_threshold)}"
                if r.threshold_miles and r.pence_after_threshold is not None
                else ""
            ),
            f"From {uk_date(r.effective_from)}"
            + (f" to {uk_date(r.effective_to)}" if r.effective_to else " until further notice"),
        )
        for r in rows
    )
    intro = "The tax year runs from 6 April to 5 April."
    tables = (
        (
            LiveTable(
                "Mileage rates",
                f"In effect on {uk_date(on)}",
                ("Vehicle", "Rate", "Applies"),
                table_rows,
                rows[0].source,
            ),
        )
        if rows
        else ()
    )
    return LiveSection("mileage-rates", "Mileage", intro, tables)


def register() -> None:
    register_live_section("mileage-rates", "Mileage rates (claims)", mileage_section)
