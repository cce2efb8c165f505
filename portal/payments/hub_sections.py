"""The payment policy's live tables on the information hub: allowances (with the national minimum beside them),
fees and supplements, and extras, read from the same effective-dated `payment_rates` that pay runs use."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.core.db import db
from portal.core.money import format_pounds
from portal.core.templating import uk_date
from portal.hub.live_sections import LiveSection, LiveTable, register_live_section
from portal.payments.models import PaymentRate
from portal.payments.terms import BANDS

BASIS_WORDS = {
    "per_child_week": "a week for each child",
    "per_household_week": "a week for the household",
    "allowance_multiple": "weeks of the child's allowance",
    "fixed": "once",
    "per_contact": "for each contact",
    "per_year": "a year",
}


def applies(rows: list[PaymentRate]) -> str:
    """When rows apply, in words: "1 April 2025 to 31 March 2026 (2025 to 2026)" or "from 1 April 2024"."""
    first = min(r.effective_from for r in rows)
    ends = {r.effective_to for r in rows}
    end = None if None in ends else max(ends)
    if end is None:
        return f"From {uk_date(first)} until further notice"
    years = f" ({first.year} to {end.year})" if end.year == first.year + 1 else ""
    return f"From {uk_date(first)} to {uk_date(end)}{years}"


def _current(kinds: tuple[str, ...], on: date) -> tuple[list[PaymentRate], bool]:
    """Rows of these kinds in effect on `on`; when none are (a new year not entered yet), the latest ones and False."""
    rows = list(db.session.scalars(select(PaymentRate).where(PaymentRate.kind.in_(kinds))))
    live = [r for r in rows if r.effective_from <= on and (r.effective_to is None or on <= r.effective_to)]
    if live or not rows:
        return live, True
    latest = (
        max(r.effective_from for r in rows if r.effective_from <= on)
        if any(r.effective_from <= on for r in rows)
        else min(r.effective_from for r in rows)
    )
    return [r for r in rows if r.effective_from == latest], False


def allowance_section(on: date) -> LiveSection:
    rows, current = _current(("allowance", "nma"), on)
    allowance = {(r.code): r for r in rows if r.kind == "allowance"}
    regions = {r.region for r in allowance.values()}
    nma = {r.code: r for r in rows if r.kind == "nma" and r.region in regions}
    table_rows = tuple(
        (
            f"{lo} to {hi}",
            format_pounds(allowance[code].amount_pence),
            format_pounds(nma[code].amount_pence) if code in nma else "",
        )
        for code, lo, hi in BANDS
        if code in allowance
    )
    intro = "" if current else "This year's rates have not been set yet: these are the latest, and still apply."
    tables = (
        (
            LiveTable(
                caption="Weekly allowance for each child, by age",
                applies=applies(list(allowance.values())),
                columns=("Age", "Allowance a week", "National minimum a week"),
                rows=table_rows,
                source=next(iter(allowance.values())).source,
            ),
        )
        if allowance
        else ()
    )
    return LiveSection("allowance-rates", "Allowances", intro, tables)


def _simple(kinds: tuple[str, ...], key: str, title: str, caption: str, on: date) -> LiveSection:
    rows, _current_year = _current(kinds, on)
    rows.sort(key=lambda r: (r.kind, r.code))
    table_rows = tuple(
        (
            r.label or r.code,
            f"{r.allowance_weeks_pct / 100:g}"
            if r.basis == "allowance_multiple" and r.allowance_weeks_pct
            else format_pounds(r.amount_pence),
            BASIS_WORDS.get(r.basis, r.basis.replace("_", " ")),
        )
        for r in rows
    )
    tables = (
        (LiveTable(caption, applies(rows), ("What", "Amount", "How it is paid"), table_rows, rows[0].source),)
        if rows
        else ()
    )
    return LiveSection(key, title, "", tables)


def fee_section(on: date) -> LiveSection:
    return _simple(
        ("fee", "supplement", "retainer"), "fee-rates", "Fees and supplements", "Fees, supplements and retainers", on
    )


def extras_section(on: date) -> LiveSection:
    return _simple(("extra",), "extras", "Extras", "Birthday, festival and holiday payments", on)


def register() -> None:
    register_live_section("allowance-rates", "Allowances by age (payments)", allowance_section)
    register_live_section("fee-rates", "Fees and supplements (payments)", fee_section)
    register_live_section("extras", "Extras: birthday, festivals, holiday (payments)", extras_section)
