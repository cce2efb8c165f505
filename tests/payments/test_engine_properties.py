"""The engine on small random services: the same lines as the first, straightforward engine (reference_engine), and
the same lines worked out a slice of households at a time (portal.payments.slices) as worked out whole."""

from __future__ import annotations

from dataclasses import astuple, replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.payments.engine import RunInput, compute_run
from portal.payments.terms import (
    FREQUENCY_DAYS,
    Assignment,
    Child,
    ClaimDue,
    ManualAdjustment,
    MentoringContact,
    Placement,
    Rate,
    RateMissing,
    Segment,
    Settings,
    birthday_in,
)
from tests.payments import reference_engine

FIRST = date(2025, 4, 7)  # a Monday
BANDS = ("0-2", "3-4", "5-10", "11-15", "16-17")
HOUSEHOLDS = (1, 2, 3, 4)

days = st.dates(date(2024, 10, 1), date(2026, 2, 1))


def _rates(next_year: bool, staying_put: bool) -> list[Rate]:
    rows = [
        Rate("allowance", b, date(2025, 4, 1), date(2026, 3, 31), a, "rest_of_england")
        for b, a in zip(BANDS, (170_00, 176_00, 194_00, 220_00, 258_00))
    ]
    if next_year:  # a rate change inside some periods; without it, runs reaching April 2026 have a rate missing
        rows += [
            Rate("allowance", b, date(2026, 4, 1), None, 200_00 + 7 * i, "rest_of_england") for i, b in enumerate(BANDS)
        ]
    if staying_put:
        rows.append(Rate("allowance", "18-20", date(2025, 4, 1), None, 150_00, "rest_of_england"))
    start = date(2024, 4, 1)
    return rows + [
        Rate("extra", "birthday", start, None, basis="allowance_multiple", allowance_weeks_pct=100),
        Rate("extra", "holiday", start, None, 60_00, basis="fixed", due_month=7, due_day=20),
        Rate("extra", "festival_christmas", start, None, basis="allowance_multiple", due_month=12, due_day=25),
        Rate("fee", "level_1", start, date(2025, 9, 30), 100_00, basis="per_household_week"),
        Rate("fee", "level_1", date(2025, 10, 1), None, 110_00, basis="per_household_week"),
        Rate("fee", "level_3", start, None, 250_00, basis="per_child_week"),
        Rate("supplement", "enhanced", start, None, 100_00),
        Rate("retainer", "held_bed", start, None, 100_00, basis="per_household_week"),
        Rate("mentoring", "contact", start, None, 25_00, basis="per_contact"),
    ]


@st.composite
def services(draw) -> RunInput:
    """A small service: up to four households and six children, with moves, terms, a ledger, claims and holds."""
    frequency = draw(st.sampled_from(("weekly", "fortnightly", "four_weekly")))
    period_start = FIRST + timedelta(
        days=FREQUENCY_DAYS[frequency] * draw(st.integers(0, 50 // (FREQUENCY_DAYS[frequency] // 7)))
    )
    s = Settings(
        frequency=frequency,
        first_period_start=FIRST,
        band_rule=draw(st.sampled_from(("birthday", "week_start", "next_week"))),
        staying_put=draw(st.booleans()),
        lookback_days=draw(st.sampled_from((0, 28, 182))),
    )
    period_end = period_start + timedelta(days=FREQUENCY_DAYS[frequency] - 1)
    n = draw(st.integers(1, 6))
    children = {
        cid: Child(cid, f"Child {cid}", draw(st.dates(date(2006, 6, 1), date(2025, 6, 1)))) for cid in range(1, n + 1)
    }
    child_ids = st.sampled_from(sorted(children))
    households = st.sampled_from(HOUSEHOLDS)
    placements = []
    for _ in range(draw(st.integers(0, 9))):
        start = draw(days)
        end = draw(st.one_of(st.none(), st.integers(1, 200).map(lambda k, s=start: s + timedelta(days=k))))
        placements.append(Placement(draw(child_ids), draw(households), start, end, draw(st.booleans())))
    assignments = []
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(("fee", "supplement", "retainer", "festival")))
        start = draw(days)
        end = draw(st.one_of(st.none(), st.integers(0, 150).map(lambda k, s=start: s + timedelta(days=k))))
        if kind == "fee":
            assignments.append(
                Assignment("fee", draw(households), None, draw(st.sampled_from(("level_1", "level_3"))), start, end)
            )
        elif kind == "retainer":
            assignments.append(Assignment("retainer", draw(households), None, "held_bed", start, end))
        elif kind == "supplement":
            home = draw(st.one_of(st.none(), households))
            assignments.append(Assignment("supplement", home, draw(child_ids), "enhanced", start, end))
        else:
            assignments.append(Assignment("festival", None, draw(child_ids), "festival_christmas", start, end))
    paid = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.dates(FIRST, period_start + timedelta(days=7)))
        paid.append(
            Segment(
                draw(households),
                draw(st.one_of(st.none(), child_ids)),
                draw(st.sampled_from(("allowance", "fee", "supplement"))),
                draw(st.sampled_from(("5-10", "level_1", "enhanced"))),
                start,
                start + timedelta(days=draw(st.integers(1, 20))),
                draw(st.sampled_from((100_00, 194_00, 250_00))),
                draw(st.sampled_from((1, 1, -1))),
            )
        )
    paid_extras = {
        f"extra:{cid}:birthday:{birthday_in(c.born, year).isoformat()}"
        for cid, c in children.items()
        for year in (2025, 2026)
        if draw(st.booleans())
    }
    claims = [
        ClaimDue(100 + i, draw(households), f"CL-{100 + i:06d}", "Expenses", draw(st.integers(1, 90_00)), period_start)
        for i in range(draw(st.integers(0, 3)))
    ]
    manual = [
        ManualAdjustment(200 + i, draw(households), draw(st.integers(-50_00, 50_00)), "A correction", None)
        for i in range(draw(st.integers(0, 2)))
    ]
    mentoring = [
        MentoringContact(
            300 + i,
            draw(households),
            draw(st.dates(period_start - timedelta(days=30), period_end + timedelta(days=7))),
            "A visit",
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    return RunInput(
        period_start,
        period_end,
        s,
        _rates(draw(st.booleans()), draw(st.booleans())),
        children,
        placements,
        assignments=assignments,
        claims=claims,
        mentoring=mentoring,
        manual=manual,
        paid_segments=paid,
        paid_extras=paid_extras,
    )


def outcome(compute, inp: RunInput):
    """The lines, every field of them, or the problems when the run cannot be made."""
    try:
        return [astuple(ln) for ln in compute(inp).lines]
    except RateMissing as exc:
        return exc.problems


def with_holds(inp: RunInput, data) -> RunInput:
    """Hold some of the lines the run would have (a hold on a key the run does not have changes nothing)."""
    try:
        keys = [ln.key for ln in reference_engine.compute_run(inp).lines]
    except RateMissing:
        return inp
    held = data.draw(st.lists(st.sampled_from(keys), max_size=3, unique=True)) if keys else []
    return replace(inp, holds=dict.fromkeys(held, "Checking the dates"))


CHECKS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@CHECKS
@given(services(), st.data())
def test_the_engine_gives_exactly_the_reference_engines_lines(inp, data):
    inp = with_holds(inp, data)
    assert outcome(compute_run, inp) == outcome(reference_engine.compute_run, inp)


def _look_back(inp: RunInput) -> date:
    s = inp.settings
    return max(s.first_period_start, inp.period_start - timedelta(days=s.lookback_days))


def as_loaded(inp: RunInput, household_range: tuple[int, int] | None = None) -> RunInput:
    """What build_input reads for the whole run, or for one slice of households (the same rules, in Python)."""
    look_back = _look_back(inp)
    window = [p for p in inp.placements if p.start <= inp.period_end and (p.end is None or p.end > look_back)]
    segments = [seg for seg in inp.paid_segments if seg.end > look_back]
    terms = [a for a in inp.assignments if a.start <= inp.period_end]
    if household_range is None:
        wanted = {p.child_id for p in window}
        return replace(
            inp,
            children={cid: c for cid, c in inp.children.items() if cid in wanted},
            placements=window,
            assignments=terms,
            paid_segments=segments,
        )
    lo, hi = household_range

    def ours(household_id):
        return household_id is not None and lo <= household_id <= hi

    placed = {p.child_id for p in window if ours(p.household_id)}
    named = {seg.child_id for seg in segments if ours(seg.household_id)} & {p.child_id for p in window}
    wanted = placed | named
    stays: dict[int, list[Placement]] = {}
    for p in window:
        if p.child_id in placed:
            stays.setdefault(p.child_id, []).append(p)
    return replace(
        inp,
        children={cid: c for cid, c in inp.children.items() if cid in wanted},
        placements=[p for p in window if ours(p.household_id)],
        stays=stays,
        assignments=[a for a in terms if ours(a.household_id) or a.child_id in placed],
        paid_segments=[seg for seg in segments if ours(seg.household_id)],
        paid_extras={k for k in inp.paid_extras if int(k.split(":")[1]) in wanted},
        claims=[c for c in inp.claims if ours(c.household_id)],
        mentoring=[m for m in inp.mentoring if ours(m.household_id)],
        manual=[m for m in inp.manual if ours(m.household_id)],
    )


def in_slices(inp: RunInput, ranges: list[tuple[int, int]]):
    lines, problems = [], []
    for household_range in ranges:
        try:
            part = compute_run(as_loaded(inp, household_range)).lines
        except RateMissing as exc:
            problems += exc.problems
            continue
        lo, hi = household_range
        lines += [astuple(ln) for ln in part if lo <= ln.household_id <= hi]
    return RateMissing(problems).problems if problems else lines


@CHECKS
@given(services(), st.data())
def test_a_run_worked_out_in_slices_of_households_is_the_whole_run(inp, data):
    inp = with_holds(inp, data)
    cuts = sorted(data.draw(st.sets(st.sampled_from(HOUSEHOLDS[1:]))))
    bounds = [HOUSEHOLDS[0], *cuts, HOUSEHOLDS[-1] + 1]
    ranges = [(lo, nxt - 1) for lo, nxt in zip(bounds, bounds[1:])]
    assert in_slices(inp, ranges) == outcome(compute_run, as_loaded(inp))
