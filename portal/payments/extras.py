"""Extras paid in advance (birthdays, festivals, holidays): which fall due in a window, and to which household."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING

from portal.core.money import format_pounds
from portal.payments.terms import (
    Assignment,
    Child,
    Line,
    Placement,
    Rate,
    RateBook,
    age_on,
    band_for,
    birthday_in,
    day_text,
)

if TYPE_CHECKING:
    from portal.payments.engine import RunInput


def extras_due(
    inp: RunInput, lo: date, hi: date, book: RateBook, by_child: dict[int, list[Placement]] | None = None
) -> list[Line]:
    """Extras due on a day D with D - lead in [lo, hi), to the household caring for the child on night D - lead.

    `by_child` maps a child's id to their placements (engine.placements_by_child); built here when not given."""
    if by_child is None:
        by_child = defaultdict(list)
        for p in inp.placements:
            by_child[p.child_id].append(p)
    lead = timedelta(days=inp.settings.extras_lead_days)
    festivals: dict[int, list[Assignment]] = defaultdict(list)
    for asg in inp.assignments:
        if asg.kind == "festival" and asg.child_id is not None:
            festivals[asg.child_id].append(asg)
    lines = []
    for rate in book.of_kind("extra"):
        for child in inp.children.values():
            if rate.code == "birthday":
                dues = [birthday_in(child.born, y) for y in range((lo + lead).year, (hi + lead).year + 1)]
            elif rate.due_month and rate.due_day:
                dues = [date(y, rate.due_month, rate.due_day) for y in range((lo + lead).year, (hi + lead).year + 1)]
            else:
                continue
            for due in dues:
                if not (lo <= due - lead < hi and rate.covers(due)):
                    continue
                key = f"extra:{child.id}:{rate.code}:{due.isoformat()}"
                if key in inp.paid_extras:
                    continue
                if rate.code.startswith("festival") and not any(
                    a.code == rate.code and a.start <= due and (a.end is None or due <= a.end)
                    for a in festivals.get(child.id, ())
                ):
                    continue
                line = _extra_line(inp, rate, child, due, due - lead, key, book, by_child.get(child.id, ()))
                if line:
                    lines.append(line)
    return lines


def _extra_line(
    inp: RunInput, rate: Rate, child: Child, due: date, paid_night: date, key: str, book: RateBook, stays
) -> Line | None:
    home = next((p for p in stays if p.start <= paid_night and (p.end is None or paid_night < p.end)), None)
    age = age_on(child.born, due)
    if home is None or age >= 18:
        return None
    what = "birthday" if rate.code == "birthday" else (rate.label or rate.code).lower()
    on = (
        f"{child.name}'s {what} on {day_text(due)}"
        if rate.code == "birthday"
        else f"{rate.label or rate.code} for {child.name} ({day_text(due)})"
    )
    if rate.basis == "allowance_multiple":
        band = band_for(age)
        weekly = book.on("allowance", band, due) if band else None
        if weekly is None or weekly.amount_pence is None:
            return None
        pct = rate.allowance_weeks_pct or 100
        amount = (weekly.amount_pence * pct + 50) // 100
        weeks = f"{pct / 100:g} week{'s' if pct != 100 else ''}'s allowance at the {band} band"
        text = f"{on}: {weeks} ({format_pounds(weekly.amount_pence)} a week), paid in advance"
    else:
        amount = rate.amount_pence or 0
        text = f"{on}: {format_pounds(amount)}, paid in advance"
    if paid_night < inp.period_start:
        text += " (due in an earlier run and not paid then)"
    return Line(
        key=key,
        household_id=home.household_id,
        kind="extra",
        code=rate.code,
        child_id=child.id,
        amount_pence=amount,
        description=text,
        due_date=due,
    )
