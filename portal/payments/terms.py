"""The pay-run vocabulary: plain dataclasses, rounding in sevenths, dates, age bands, pay periods and the rate book.

No database and no Flask: everything arrives as plain dataclasses, so the rules can be tested table by table.

Rounding (README "Pay runs"): a weekly amount W is paid per night in sevenths. The amount for the nights from
date a up to (not including) date b is cum(W, b) - cum(W, a), where cum(W, d) = W x (day number of d) / 7 rounded
half up to the penny. So each line is within a penny of W x nights / 7, a full week pays exactly W, and because the
cumulative amounts telescope, splitting a period into smaller runs pays exactly the same total, to the penny.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

BANDS = (("0-2", 0, 2), ("3-4", 3, 4), ("5-10", 5, 10), ("11-15", 11, 15), ("16-17", 16, 17))
STAYING_PUT_BAND = "18-20"
NIGHT_KINDS = ("allowance", "fee", "supplement", "retainer")
KIND_LABELS = {
    "allowance": "Allowance",
    "fee": "Fee",
    "supplement": "Supplement",
    "retainer": "Retainer",
    "extra": "Extra",
    "claim": "Claim",
    "mentoring": "Mentoring",
    "manual": "Adjustment",
    "adjustment": "Adjustment",
}
FREQUENCY_DAYS = {"weekly": 7, "fortnightly": 14, "four_weekly": 28, "monthly": 31}  # monthly: the longest month
BAND_RULES = ("birthday", "week_start", "next_week")


class RateMissing(Exception):
    """No run: a rate the run needs is missing or ambiguous. `problems` are sentences for business support."""

    def __init__(self, problems: list[str]):
        self.problems = sorted(set(problems))
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class Rate:
    kind: str  # allowance | nma | fee | supplement | extra | mentoring | retainer | qcr
    code: str  # an age band, a fee level, "birthday", ...
    effective_from: date
    effective_to: date | None  # inclusive
    amount_pence: int | None = None
    region: str | None = None
    label: str = ""
    basis: str = "per_child_week"  # per_child_week | per_household_week | allowance_multiple | fixed | per_contact
    allowance_weeks_pct: int | None = None  # extras: 100 = one week's allowance
    due_month: int | None = None  # extras other than birthdays: due on this day each year
    due_day: int | None = None

    def covers(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


@dataclass(frozen=True)
class Child:
    id: int
    name: str
    born: date


@dataclass(frozen=True)
class Placement:
    child_id: int
    household_id: int
    start: date
    end: date | None  # the day the child moved out: nights are [start, end)
    staying_put: bool = False


@dataclass(frozen=True)
class Assignment:
    """A household's fee level or held bed, a child's supplement or festival; dates inclusive."""

    kind: str  # fee | retainer | supplement | festival
    household_id: int | None
    child_id: int | None
    code: str
    start: date
    end: date | None


@dataclass(frozen=True)
class ClaimDue:
    id: int
    household_id: int
    number: str
    kind_label: str
    amount_pence: int
    decided_on: date
    description: str | None = None  # a line's own words (arrears of a rate increase); else "Claim CL-..., approved"


@dataclass(frozen=True)
class MentoringContact:
    id: int
    household_id: int
    on: date
    label: str
    # How many of the rate this contact earns: 1 per contact, or its hours under the per-hour model
    # (portal.mentoring.payroll). The engine pays the contact rate times the units.
    units: Decimal = Decimal(1)


@dataclass(frozen=True)
class MentoringMonth:
    """A calendar month a match ran under the per-mentee-per-month model (portal.mentoring.payroll.months_due):
    paid once, at the `mentoring`/`mentee_month` rate in force on `on`, the first day of the month counted."""

    key: str  # "mentoring:match-<match id>-<YYYY-MM>"
    household_id: int
    on: date
    label: str  # "Amira, April 2026"


@dataclass(frozen=True)
class ManualAdjustment:
    id: int
    household_id: int
    amount_pence: int
    reason: str
    child_id: int | None = None


@dataclass(frozen=True)
class Settings:
    region: str = "rest_of_england"
    frequency: str = "fortnightly"
    first_period_start: date = date(2024, 4, 1)
    band_rule: str = "birthday"
    staying_put: bool = False
    pay_lag_days: int = 5
    lookback_days: int = 182

    @property
    def extras_lead_days(self) -> int:
        """An extra due on day D is paid in the run whose period holds D - lead: always paid before D."""
        return FREQUENCY_DAYS[self.frequency] + self.pay_lag_days


@dataclass(frozen=True, slots=True)
class Segment:
    """Nights [start, end) of one kind at one weekly rate; sign -1 reverses an earlier payment."""

    household_id: int
    child_id: int | None
    kind: str
    code: str
    start: date
    end: date
    weekly_pence: int
    sign: int = 1

    @property
    def nights(self) -> int:
        return (self.end - self.start).days

    def amount(self, lo: date | None = None, hi: date | None = None) -> int:
        a, b = max(self.start, lo or self.start), min(self.end, hi or self.end)
        return self.sign * nights_amount(self.weekly_pence, a, b) if a < b else 0


@dataclass(slots=True)
class Line:
    key: str
    household_id: int
    kind: str
    amount_pence: int
    description: str
    child_id: int | None = None
    code: str = ""
    start: date | None = None
    end: date | None = None  # exclusive for nights
    weekly_pence: int | None = None
    claim_id: int | None = None
    due_date: date | None = None
    is_adjustment: bool = False
    is_held: bool = False
    hold_reason: str | None = None
    segments: list[Segment] = field(default_factory=list)

    @property
    def nights(self) -> int | None:
        return (self.end - self.start).days if self.start and self.end and self.kind in NIGHT_KINDS else None


@dataclass
class RunResult:
    period_start: date
    period_end: date
    lines: list[Line]

    def household_totals(self) -> dict[int, int]:
        totals: dict[int, int] = defaultdict(int)
        for ln in self.lines:
            totals[ln.household_id] += 0 if ln.is_held else ln.amount_pence
        return dict(totals)

    @property
    def total_pence(self) -> int:
        return sum(ln.amount_pence for ln in self.lines if not ln.is_held)


# --- Money, dates and words --------------------------------------------------------------------------------------


def cum(weekly_pence: int, day: date) -> int:
    x = weekly_pence * day.toordinal()
    return (2 * x + 7) // 14 if x >= 0 else -((-2 * x + 7) // 14)


def nights_amount(weekly_pence: int, start: date, end: date) -> int:
    return cum(weekly_pence, end) - cum(weekly_pence, start)


def day_text(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def range_text(start: date, end_exclusive: date) -> str:
    last = end_exclusive - timedelta(days=1)
    if start == last:
        return day_text(start)
    if start.year == last.year and start.month == last.month:
        return f"{start.day} to {day_text(last)}"
    if start.year == last.year:
        return f"{start.day} {start:%B} to {day_text(last)}"
    return f"{day_text(start)} to {day_text(last)}"


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def birthday_in(born: date, year: int) -> date:
    try:
        return born.replace(year=year)
    except ValueError:  # 29 February: 1 March in other years
        return date(year, 3, 1)


def band_for(age: int) -> str | None:
    for code, lo, hi in BANDS:
        if lo <= age <= hi:
            return code
    return None


def band_age_on(born: date, night: date, rule: str) -> int:
    """The age that decides the band on a night, by the council's birthday-week setting (weeks start Monday)."""
    if rule == "week_start":  # the new band for the whole birthday week
        return age_on(born, night + timedelta(days=6 - night.weekday()))
    if rule == "next_week":  # the old band for the whole birthday week
        return age_on(born, night - timedelta(days=night.weekday() + 1))
    return age_on(born, night)


def band_change_dates(born: date, lo: date, hi: date, rule: str) -> list[date]:
    out = []
    for year in range(lo.year - 1, hi.year + 2):
        b = birthday_in(born, year)
        if rule == "week_start":
            b -= timedelta(days=b.weekday())
        elif rule == "next_week":
            b += timedelta(days=7 - b.weekday())
        out.append(b)
    return out


def period_after(settings: Settings, last_end: date | None) -> tuple[date, date]:
    """The next pay period: from the first period start, or the day after the last run's period."""
    start = settings.first_period_start if last_end is None else last_end + timedelta(days=1)
    if settings.frequency == "monthly":
        nxt = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        return start, nxt - timedelta(days=1)
    return start, start + timedelta(days=FREQUENCY_DAYS[settings.frequency] - 1)


def pay_date(settings: Settings, period_end: date) -> date:
    return period_end + timedelta(days=settings.pay_lag_days)


# --- Rates --------------------------------------------------------------------------------------------------------


class RateBook:
    def __init__(self, rates: list[Rate], region: str):
        self.region = region
        self.by_key: dict[tuple[str, str], list[Rate]] = defaultdict(list)
        for r in rates:
            if r.kind in ("allowance", "nma") and r.region != region:
                continue
            self.by_key[(r.kind, r.code)].append(r)
        self.problems: list[str] = []
        self._boundaries: dict[tuple[str, str | None], set[date]] = {}

    def on(self, kind: str, code: str, day: date) -> Rate | None:
        found = [r for r in self.by_key.get((kind, code), ()) if r.covers(day)]
        what = f"{kind} rate '{code}'" + (f" ({self.region.replace('_', ' ')})" if kind == "allowance" else "")
        if not found:
            self.problems.append(f"There is no {what} for {day_text(day)}: add it on the rates page")
            return None
        if len(found) > 1:
            self.problems.append(f"Two {what}s apply on {day_text(day)}: correct the dates on the rates page")
            return None
        return found[0]

    def boundaries(self, kind: str, code: str | None = None) -> set[date]:
        """The days a rate of the kind (and code) starts or stops applying; asked once per placement, so kept."""
        known = self._boundaries.get((kind, code))
        if known is not None:
            return known
        out: set[date] = set()
        for (k, c), rows in self.by_key.items():
            if k == kind and (code is None or c == code):
                for r in rows:
                    out.add(r.effective_from)
                    if r.effective_to:
                        out.add(r.effective_to + timedelta(days=1))
        self._boundaries[(kind, code)] = out
        return out

    def of_kind(self, kind: str) -> list[Rate]:
        return [r for (k, _), rows in self.by_key.items() if k == kind for r in rows]
