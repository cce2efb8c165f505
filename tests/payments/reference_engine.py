"""The pay-run engine as it was first written, kept as the reference the engine is checked against.

It scans every placement for each supplement and each extra that falls due, so it costs placements x children; the
engine (portal.payments.engine) finds a child's placements through an index instead, and must give exactly the same
lines. Only the parts that changed are here; the rest is imported from the engine.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

from portal.core.money import format_pounds
from portal.payments.engine import (
    RunInput,
    _allowance,
    _child_key,
    _differing_nights,
    _end_excl,
    _fees,
    _labels,
    _night_text,
    _overlap,
    _rated,
)
from portal.payments.terms import (
    KIND_LABELS,
    Assignment,
    Child,
    Line,
    Placement,
    Rate,
    RateBook,
    RateMissing,
    RunResult,
    Segment,
    age_on,
    band_for,
    birthday_in,
    day_text,
    range_text,
)


def entitled_segments(inp: RunInput, lo: date, hi: date, book: RateBook) -> list[Segment]:
    """Everything owed for the nights [lo, hi), as segments of constant weekly rate."""
    s = inp.settings
    out: list[Segment] = []
    by_household: dict[int, list[tuple[Placement, date, date]]] = defaultdict(list)
    for p in inp.placements:
        span = _overlap(lo, hi, p.start, p.end)
        if span:
            by_household[p.household_id].append((p, *span))
            out += _allowance(p, inp.children[p.child_id], span[0], span[1], s, book)
    for asg in inp.assignments:
        a_end = _end_excl(asg.end)
        if asg.kind == "supplement":
            for p in inp.placements:
                if p.child_id == asg.child_id and (asg.household_id in (None, p.household_id)):
                    span = _overlap(lo, hi, p.start, p.end)
                    span = span and _overlap(span[0], span[1], asg.start, a_end)
                    if span:
                        out += _rated("supplement", asg.code, p.household_id, p.child_id, *span, book)
        elif asg.kind == "retainer":
            span = _overlap(lo, hi, asg.start, a_end)
            if span:
                out += _rated("retainer", asg.code, asg.household_id, None, *span, book)
        elif asg.kind == "fee":
            span = _overlap(lo, hi, asg.start, a_end)
            if span:
                out += _fees(asg, span, by_household.get(asg.household_id, []), book)
    return out


def _adjustments(inp: RunInput, lo: date, hi: date, book: RateBook) -> list[Line]:
    """Nights [lo, hi) recomputed against what earlier runs paid; one line per household, child and kind."""
    due: dict[tuple, list[Segment]] = defaultdict(list)
    paid: dict[tuple, list[Segment]] = defaultdict(list)
    for seg in entitled_segments(inp, lo, hi, book):
        due[(seg.household_id, seg.child_id, seg.kind)].append(seg)
    for seg in inp.paid_segments:
        if seg.start < hi and seg.end > lo:
            paid[(seg.household_id, seg.child_id, seg.kind)].append(seg)
    lines = []
    for key in sorted(set(due) | set(paid), key=lambda k: (k[0], k[1] or 0, k[2])):
        owed = sum(s.amount(lo, hi) for s in due.get(key, ()))
        had = sum(s.amount(lo, hi) for s in paid.get(key, ()))
        if owed == had:
            continue
        household_id, child_id, kind = key
        segs = [replace(s, start=max(s.start, lo), end=min(s.end, hi)) for s in due.get(key, ())]
        segs += [
            replace(s, start=max(s.start, lo), end=min(s.end, hi), sign=-s.sign)
            for s in paid.get(key, ())
            if max(s.start, lo) < min(s.end, hi)
        ]
        first, last = _differing_nights(segs)
        who = inp.children[child_id].name if child_id in inp.children else "the household"
        what = f"{KIND_LABELS[kind].lower()} for {who}"
        when = range_text(first, last) if first else range_text(lo, hi)
        diff = owed - had
        if diff > 0:
            text = (
                f"Adjustment: {what}, {when}, was {format_pounds(had)} and is now {format_pounds(owed)}, so "
                f"{format_pounds(diff)} more is paid (a change entered after an earlier run, or a line held then)"
            )
        else:
            text = (
                f"Overpayment recovered: {what}, {when}, was paid {format_pounds(had)} but {format_pounds(owed)} was due "
                f"(a change entered after an earlier run), so {format_pounds(-diff)} is taken back"
            )
        lines.append(
            Line(
                key=f"adjustment:{kind}:{household_id}:{child_id or ''}",
                household_id=household_id,
                kind=kind,
                child_id=child_id,
                amount_pence=diff,
                description=text,
                start=first or lo,
                end=last or hi,
                is_adjustment=True,
                segments=segs,
            )
        )
    return lines


def compute_run(inp: RunInput) -> RunResult:
    """The lines of one run. Raises RateMissing (and so no run at all) when a needed rate is missing or ambiguous."""
    s = inp.settings
    book = RateBook(inp.rates, s.region)
    labels = _labels(inp.rates)
    start, end_excl = inp.period_start, inp.period_end + timedelta(days=1)
    lines: list[Line] = []
    for seg in entitled_segments(inp, start, end_excl, book):
        who = inp.children[seg.child_id].name if seg.child_id in inp.children else ""
        lines.append(
            Line(
                key=f"{seg.kind}:{seg.household_id}:{_child_key(seg)}:{seg.code}:{seg.start.isoformat()}",
                household_id=seg.household_id,
                kind=seg.kind,
                code=seg.code,
                child_id=seg.child_id,
                amount_pence=seg.amount(),
                description=_night_text(seg, who, labels),
                start=seg.start,
                end=seg.end,
                weekly_pence=seg.weekly_pence,
                segments=[seg],
            )
        )
    look_back = max(s.first_period_start, start - timedelta(days=s.lookback_days))
    if look_back < start:
        lines += _adjustments(inp, look_back, start, book)
    lines += extras_due(inp, look_back, end_excl, book)
    for c in inp.claims:
        lines.append(
            Line(
                key=f"claim:{c.id}",
                household_id=c.household_id,
                kind="claim",
                claim_id=c.id,
                amount_pence=c.amount_pence,
                description=c.description or f"Claim {c.number} ({c.kind_label}), approved {day_text(c.decided_on)}",
            )
        )
    for m in inp.mentoring:
        if m.id in inp.paid_mentoring or m.on > inp.period_end:
            continue
        rate = book.on("mentoring", "contact", m.on)
        if rate is not None:
            lines.append(
                Line(
                    key=f"mentoring:{m.id}",
                    household_id=m.household_id,
                    kind="mentoring",
                    amount_pence=rate.amount_pence or 0,
                    due_date=m.on,
                    description=f"Mentoring, {m.label}, {day_text(m.on)}: {format_pounds(rate.amount_pence or 0)}",
                )
            )
    for adj in inp.manual:
        word = "Overpayment recovered" if adj.amount_pence < 0 else "Adjustment"
        lines.append(
            Line(
                key=f"manual:{adj.id}",
                household_id=adj.household_id,
                kind="manual",
                child_id=adj.child_id,
                amount_pence=adj.amount_pence,
                is_adjustment=True,
                description=f"{word}: {adj.reason}",
            )
        )
    if book.problems:
        raise RateMissing(book.problems)
    for ln in lines:
        if ln.key in inp.holds:
            ln.is_held, ln.hold_reason = True, inp.holds[ln.key]
    lines.sort(key=lambda ln: (ln.household_id, ln.child_id or 0, ln.kind, ln.start or date.min, ln.key))
    return RunResult(inp.period_start, inp.period_end, lines)


def extras_due(inp: RunInput, lo: date, hi: date, book: RateBook) -> list[Line]:
    """Extras due on a day D with D - lead in [lo, hi), to the household caring for the child on night D - lead."""
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
                line = _extra_line(inp, rate, child, due, due - lead, key, book)
                if line:
                    lines.append(line)
    return lines


def _extra_line(
    inp: RunInput, rate: Rate, child: Child, due: date, paid_night: date, key: str, book: RateBook
) -> Line | None:
    home = next(
        (
            p
            for p in inp.placements
            if p.child_id == child.id and p.start <= paid_night and (p.end is None or paid_night < p.end)
        ),
        None,
    )
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
