"""The pay-run engine as pure functions: placements, birthdays, rates and settings in; explained pay lines out.

A run pays the nights of its period, extras due soon (paid before the day), approved claims, mentoring contacts and
manual adjustments. It also recomputes the nights of earlier periods (the look-back window) and pays the difference
from what earlier runs paid (`paid_segments`): a placement change entered late becomes an adjustment line.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from portal.core.money import format_pounds
from portal.payments.extras import extras_due
from portal.payments.terms import (
    KIND_LABELS,
    NIGHT_KINDS,
    STAYING_PUT_BAND,
    Assignment,
    Child,
    ClaimDue,
    Line,
    ManualAdjustment,
    MentoringContact,
    MentoringMonth,
    Placement,
    Rate,
    RateBook,
    RateMissing,
    RunResult,
    Segment,
    Settings,
    band_age_on,
    band_change_dates,
    band_for,
    birthday_in,
    day_text,
    range_text,
)

__all__ = ["RunInput", "compute_run", "RateMissing", "ledger_segments", "entitled_segments", "placements_by_child"]


@dataclass
class RunInput:
    period_start: date
    period_end: date  # inclusive
    settings: Settings
    rates: list[Rate]
    children: dict[int, Child]
    placements: list[Placement]
    assignments: list[Assignment] = field(default_factory=list)
    claims: list[ClaimDue] = field(default_factory=list)
    mentoring: list[MentoringContact] = field(default_factory=list)
    mentoring_months: list[MentoringMonth] = field(default_factory=list)
    manual: list[ManualAdjustment] = field(default_factory=list)
    holds: dict[str, str] = field(default_factory=dict)  # line key -> reason
    paid_segments: list[Segment] = field(default_factory=list)  # what earlier runs paid for nights
    paid_extras: set[str] = field(default_factory=set)  # keys of extras already paid
    paid_mentoring: set[int] = field(default_factory=set)
    # Each child's placements in every household, when `placements` holds only some households' (a slice of a run,
    # portal.payments.slices): an extra goes to the household caring for the child on the night, wherever that is.
    stays: dict[int, list[Placement]] | None = None


def _split(a: date, b: date, points) -> list[tuple[date, date]]:
    cuts = sorted({a, b, *(p for p in points if a < p < b)})
    return list(zip(cuts, cuts[1:]))


def _overlap(a: date, b: date, c: date, d: date | None) -> tuple[date, date] | None:
    lo, hi = max(a, c), min(b, d) if d else b
    return (lo, hi) if lo < hi else None


def _end_excl(d: date | None) -> date | None:
    return d + timedelta(days=1) if d else None


def _allowance(p: Placement, child: Child, a: date, b: date, s: Settings, book: RateBook) -> list[Segment]:
    out = []
    eighteen = birthday_in(child.born, child.born.year + 18)
    points = {child.born, eighteen, *band_change_dates(child.born, a, b, s.band_rule), *book.boundaries("allowance")}
    for x, y in _split(a, b, points):
        if x < child.born:
            continue  # a placement recorded from before the birth: nothing is owed for those nights
        if x >= eighteen:
            if not (s.staying_put and p.staying_put):
                continue  # no allowance from the 18th birthday unless the Staying Put scheme applies
            code = STAYING_PUT_BAND
        else:
            code = band_for(max(0, min(band_age_on(child.born, x, s.band_rule), 17)))
        rate = book.on("allowance", code, x)
        if rate is not None and rate.amount_pence is not None:
            out.append(Segment(p.household_id, p.child_id, "allowance", code, x, y, rate.amount_pence))
    return out


def _rated(
    kind: str, code: str, household_id: int, child_id: int | None, a: date, b: date, book: RateBook
) -> list[Segment]:
    out = []
    for x, y in _split(a, b, book.boundaries(kind, code)):
        rate = book.on(kind, code, x)
        if rate is not None and rate.amount_pence is not None:
            out.append(Segment(household_id, child_id, kind, code, x, y, rate.amount_pence))
    return out


def placements_by_child(placements: list[Placement]) -> dict[int, list[Placement]]:
    """Each child's placements, in the order given: one pass, so finding a child's home is not a scan of them all."""
    out: dict[int, list[Placement]] = defaultdict(list)
    for p in placements:
        out[p.child_id].append(p)
    return out


def entitled_segments(
    inp: RunInput, lo: date, hi: date, book: RateBook, by_child: dict[int, list[Placement]] | None = None
) -> list[Segment]:
    """Everything owed for the nights [lo, hi), as segments of constant weekly rate.

    `by_child` is `placements_by_child(inp.placements)` when the caller has it already."""
    s = inp.settings
    by_child = placements_by_child(inp.placements) if by_child is None else by_child
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
            for p in by_child.get(asg.child_id, ()):
                if asg.household_id in (None, p.household_id):
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


def _fees(asg: Assignment, span: tuple[date, date], stays: list, book: RateBook) -> list[Segment]:
    """A fee per child follows each child's nights; a fee per household is paid for nights with any child in care."""
    out = []
    for x, y in _split(*span, book.boundaries("fee", asg.code)):
        rate = book.on("fee", asg.code, x)
        if rate is None or rate.amount_pence is None:
            continue
        if rate.basis == "per_household_week":
            occupied = sorted((max(a, x), min(b, y)) for _, a, b in stays if max(a, x) < min(b, y))
            merged: list[list[date]] = []
            for a, b in occupied:
                if merged and a <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], b)
                else:
                    merged.append([a, b])
            out += [Segment(asg.household_id, None, "fee", asg.code, a, b, rate.amount_pence) for a, b in merged]
        else:
            out += [
                Segment(asg.household_id, p.child_id, "fee", asg.code, max(a, x), min(b, y), rate.amount_pence)
                for p, a, b in stays
                if max(a, x) < min(b, y)
            ]
    return out


def _labels(rates: list[Rate]) -> dict[tuple[str, str], str]:
    return {(r.kind, r.code): r.label or r.code for r in sorted(rates, key=lambda r: r.effective_from)}


def _night_text(seg: Segment, who: str, labels: dict) -> str:
    n, w = seg.nights, seg.weekly_pence
    rate = (
        f"{n} night{'s' if n != 1 else ''} × {format_pounds(round(w / 7))} a night ({n}/7 of {format_pounds(w)} a week)"
    )
    when = range_text(seg.start, seg.end)
    label = labels.get((seg.kind, seg.code), seg.code)
    if seg.kind == "allowance":
        band = "Staying Put" if seg.code == STAYING_PUT_BAND else f"{seg.code} band"
        return f"{who}, {band}, {rate}, {when}"
    if seg.kind == "fee":
        return f"Fee, {label} ({'for ' + who if seg.child_id else 'per household'}), {rate}, {when}"
    if seg.kind == "supplement":
        return f"{label} for {who}, {rate}, {when}"
    return f"Retainer, {label}, while a bed is held, {rate}, {when}"


def _child_key(seg: Segment) -> str:
    return "" if seg.child_id is None else str(seg.child_id)


def _adjustments(inp: RunInput, lo: date, hi: date, book: RateBook, by_child: dict) -> list[Line]:
    """Nights [lo, hi) recomputed against what earlier runs paid; one line per household, child and kind."""
    due: dict[tuple, list[Segment]] = defaultdict(list)
    paid: dict[tuple, list[Segment]] = defaultdict(list)
    for seg in entitled_segments(inp, lo, hi, book, by_child):
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


def _differing_nights(segs: list[Segment]) -> tuple[date | None, date | None]:
    """The first and last night whose rate paid differs from the rate due (for the explanation only)."""
    points = sorted({d for s in segs for d in (s.start, s.end)})
    first = last = None
    for a, b in zip(points, points[1:]):
        net = sum(s.sign * s.weekly_pence for s in segs if s.start <= a and b <= s.end)
        if net:
            first = first or a
            last = b
    return first, last


def compute_run(inp: RunInput) -> RunResult:
    """The lines of one run. Raises RateMissing (and so no run at all) when a needed rate is missing or ambiguous."""
    s = inp.settings
    book = RateBook(inp.rates, s.region)
    labels = _labels(inp.rates)
    start, end_excl = inp.period_start, inp.period_end + timedelta(days=1)
    by_child = placements_by_child(inp.placements)
    lines: list[Line] = []
    for seg in entitled_segments(inp, start, end_excl, book, by_child):
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
        lines += _adjustments(inp, look_back, start, book, by_child)
    lines += extras_due(inp, look_back, end_excl, book, by_child if inp.stays is None else inp.stays)
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
            # One rate per contact, or per hour under the per-hour model (the contact's units are its hours).
            amount = int((Decimal(rate.amount_pence or 0) * m.units).quantize(Decimal(1), rounding=ROUND_HALF_UP))
            lines.append(
                Line(
                    key=f"mentoring:{m.id}",
                    household_id=m.household_id,
                    kind="mentoring",
                    amount_pence=amount,
                    due_date=m.on,
                    description=f"Mentoring, {m.label}, {day_text(m.on)}: {format_pounds(amount)}",
                )
            )
    for mm in inp.mentoring_months:
        if mm.on > inp.period_end:
            continue
        rate = book.on("mentoring", "mentee_month", mm.on)
        if rate is not None:
            amount = rate.amount_pence or 0
            lines.append(
                Line(
                    key=mm.key,
                    household_id=mm.household_id,
                    kind="mentoring",
                    code="mentee_month",
                    amount_pence=amount,
                    due_date=mm.on,
                    description=f"Mentoring, {mm.label} (per mentee per month): {format_pounds(amount)}",
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


def ledger_segments(result: RunResult) -> list[Segment]:
    """What a confirmed run paid for nights: the segments of its lines that were not held."""
    return [seg for ln in result.lines if not ln.is_held and ln.kind in NIGHT_KINDS for seg in ln.segments]


def paid_extra_keys(result: RunResult) -> set[str]:
    return {ln.key for ln in result.lines if ln.kind == "extra" and not ln.is_held}
