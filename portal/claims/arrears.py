"""Arrears after a backdated mileage rate: what each carer is owed for journeys already paid at the old rate.

Working out: every counted journey of the tax years concerned is priced again with today's rate table, per carer
and vehicle, in date order, so the 10,000-mile threshold falls where it should across the whole tax year. Journeys
on or after the change's date in paid (or batched) claims are compared with what they were paid; a carer's
differences are added up. Approval turns each positive total into an approved claim, which the next payment batch
or pay run pays as a visible line. A decrease is never clawed back: a negative total pays nothing.

Approving twice pays once: approval is a conditional UPDATE on the change's status, each carer's arrears claim has a
unique key, and a later working-out counts what earlier approved arrears already paid for each journey.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, or_, select, update

from portal.auth.models import User
from portal.claims import rates as engine
from portal.claims.arrears_models import (
    APPROVED,
    ARREARS_CATEGORY,
    NOTHING_OWED,
    PENDING,
    SUPERSEDED,
    MileageArrears,
    MileageArrearsJourney,
    MileageRateChange,
)
from portal.claims.models import Claim, ClaimEvent, ClaimKind, ClaimLine, ClaimStatus, MileageRate
from portal.claims.policy import is_claims_staff
from portal.claims.queries import NOT_COUNTED, rate_table
from portal.core import audit
from portal.core.chunks import chunked
from portal.core.clock import today
from portal.core.db import db, utcnow
from portal.core.links import path_to
from portal.core.money import format_pounds
from portal.core.notice_kinds import CLAIMS_PAID
from portal.core.notify import notify_in_app
from portal.core.unit_of_work import transactional
from portal.people.queries import own_household_ids

PAID = (ClaimStatus.PAID, ClaimStatus.BATCHED)  # paid, or in a batch that will pay the old amount


def changes() -> Select[tuple[MileageRateChange]]:
    """Working-outs, newest first (for a paginated list)."""
    return select(MileageRateChange).order_by(MileageRateChange.created_at.desc(), MileageRateChange.id.desc())


def carers_owed(change: MileageRateChange) -> Select[tuple[MileageArrears]]:
    """A working-out's carers, largest difference first (for a paginated list)."""
    return (
        select(MileageArrears)
        .where(MileageArrears.change_id == change.id)
        .order_by((MileageArrears.due_pence - MileageArrears.paid_pence).desc(), MileageArrears.id)
    )


class ArrearsRefused(ValueError):
    """A rule said no; the message is for the person."""


@dataclass
class CarerArrears:
    claimant_id: int
    household_id: int
    journeys: dict[int, tuple[int, int]] = field(default_factory=dict)  # line id -> (paid pence, due pence)
    miles_tenths: int = 0

    @property
    def paid_pence(self) -> int:
        return sum(p for p, _ in self.journeys.values())

    @property
    def due_pence(self) -> int:
        return sum(d for _, d in self.journeys.values())


@dataclass
class Assessment:
    carers: list[CarerArrears]
    unpaid_journeys: int  # journeys since the date, priced at another rate, in claims not yet paid

    def key(self) -> list[tuple[int, int, int]]:
        return sorted((c.claimant_id, c.paid_pence, c.due_pence) for c in self.carers)


def assess(vehicle: str, since: date, until: date | None = None) -> Assessment:
    """Compare journeys dated from `since` to `until` (inclusive; None: no end) with what they were paid, pricing
    every journey of the tax years concerned again, in date order (read-only). Raises engine.NoRate."""
    vehicles = list(engine.VEHICLE_LABELS) if vehicle == engine.PASSENGER else [vehicle]
    rows = db.session.execute(
        select(ClaimLine, Claim.claimant_id, Claim.household_id, Claim.status, Claim.vehicle)
        .join(Claim, Claim.id == ClaimLine.claim_id)
        .where(
            Claim.kind == ClaimKind.MILEAGE,
            Claim.vehicle.in_(vehicles),
            Claim.status.not_in([s.value for s in NOT_COUNTED]),
            or_(ClaimLine.decision.is_(None), ClaimLine.decision != "rejected"),
            ClaimLine.line_date >= engine.tax_year_start(since),
        )
        .order_by(Claim.claimant_id, ClaimLine.line_date, ClaimLine.id)
    ).all()
    paid_before = _paid_by_earlier_arrears([r[0].id for r in rows])
    groups: dict[tuple[int, str], list] = defaultdict(list)
    for row in rows:
        groups[(row.claimant_id, row.vehicle)].append(row)
    table = rate_table()
    carers: dict[int, CarerArrears] = {}
    unpaid = 0
    for (claimant_id, claim_vehicle), group in groups.items():
        journeys = [engine.Journey(ln.line_date, ln.miles_tenths or 0, ln.is_return, ln.passengers) for ln, *_ in group]
        priced = engine.price_journeys(journeys, table, claim_vehicle)
        for (ln, _, household_id, status, _v), p in zip(group, priced):
            paid = paid_before.get(ln.id, ln.amount_pence)
            if ln.line_date < since or (until and ln.line_date > until):
                continue  # counted towards the threshold only
            if status not in PAID:
                unpaid += paid != p.amount_pence
                continue
            carer = carers.setdefault(claimant_id, CarerArrears(claimant_id, household_id))
            carer.journeys[ln.id] = (paid, p.amount_pence)
            carer.miles_tenths += ln.total_miles_tenths
    return Assessment([c for c in carers.values() if c.due_pence != c.paid_pence], unpaid)


def _paid_by_earlier_arrears(line_ids: list[int]) -> dict[int, int]:
    """Line id -> what the journey has been paid in all, for journeys whose arrears were approved and paid."""
    if not line_ids:
        return {}
    paid: dict[int, int] = {}
    # Every journey of the tax years concerned: a slice of ids at a time (portal.core.chunks). A journey's rows are
    # all in its own slice, ordered by id, so the latest approval still wins.
    for chunk in chunked(line_ids):
        paid.update(
            db.session.execute(
                select(MileageArrearsJourney.line_id, MileageArrearsJourney.due_pence)
                .join(MileageArrears, MileageArrears.id == MileageArrearsJourney.arrears_id)
                .join(MileageRateChange, MileageRateChange.id == MileageArrears.change_id)
                .where(
                    MileageRateChange.status == APPROVED,
                    MileageArrears.claim_id.is_not(None),
                    MileageArrearsJourney.line_id.in_(chunk),
                )
                .order_by(MileageArrearsJourney.id)
            ).all()
        )
    return paid


def work_out(
    actor: User | None,
    rate: MileageRate,
    announced_on: date | None = None,
    window: tuple[date, date | None] | None = None,
) -> MileageRateChange | None:
    """After a rate starting before today is saved: the list of what carers are owed, for approval (no commit).

    window: the days whose journeys are compared (default the rate's own span; a corrected rate passes the union of
    its old and new spans). Earlier working-outs for the vehicle still waiting are replaced: this one covers their
    days too. Returns None when the window starts today or later, when no paid journey is priced differently, or
    when some journey has no rate yet (a rate being replaced in two steps: worked out at the second)."""
    since, until = window or (rate.effective_from, rate.effective_to)
    if since >= today():
        return None
    waiting = list(
        db.session.scalars(
            select(MileageRateChange).where(
                MileageRateChange.vehicle == rate.vehicle, MileageRateChange.status == PENDING
            )
        )
    )
    since = min([since, *(w.effective_from for w in waiting)])
    ends = [until, *(w.effective_to for w in waiting)]
    until = None if None in ends else max(ends)
    try:
        result = assess(rate.vehicle, since, until)
    except engine.NoRate:
        return None
    if not result.carers and not waiting:
        return None
    for w in waiting:
        w.status = SUPERSEDED
    owed = sum(max(0, c.due_pence - c.paid_pence) for c in result.carers)
    change = MileageRateChange(
        rate_id=rate.id,
        vehicle=rate.vehicle,
        effective_from=since,
        effective_to=until,
        announced_on=max(announced_on or today(), since),
        is_increase=owed > 0,
        status=PENDING if owed else NOTHING_OWED,
        total_pence=owed,
        carer_count=sum(1 for c in result.carers if c.due_pence > c.paid_pence),
        unpaid_journeys=result.unpaid_journeys,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(change)
    db.session.flush()
    for c in result.carers:
        row = MileageArrears(
            change_id=change.id,
            claimant_id=c.claimant_id,
            household_id=c.household_id,
            journeys=len(c.journeys),
            miles_tenths=c.miles_tenths,
            paid_pence=c.paid_pence,
            due_pence=c.due_pence,
        )
        db.session.add(row)
        db.session.flush()
        db.session.add_all(
            MileageArrearsJourney(arrears_id=row.id, line_id=line_id, paid_pence=paid, due_pence=due)
            for line_id, (paid, due) in c.journeys.items()
        )
    audit.record(
        db.session,
        "mileage_arrears_worked_out",
        actor_id=actor.id if actor else None,
        object_type="mileage_rate_change",
        object_id=change.id,
        rate_id=rate.id,
        since=since.isoformat(),
        carers=len(result.carers),
        owed_pence=owed,
        replaced=[w.id for w in waiting] or None,
    )
    return change


@transactional
def work_out_again(actor: User, change: MileageRateChange) -> MileageRateChange | None:
    """The same rate looked at again (claims may have been paid since). None when nothing differs now."""
    if not is_claims_staff(actor):
        raise ArrearsRefused("Only business support can work out mileage arrears")
    rate = db.session.get(MileageRate, change.rate_id) if change.rate_id else None
    if rate is None:
        raise ArrearsRefused("The rate this was worked out for has been removed")
    fresh = work_out(actor, rate, change.announced_on, (change.effective_from, change.effective_to))
    return fresh


@transactional
def approve(actor: User, change: MileageRateChange) -> int:
    """Pay each carer's positive difference as an approved claim in the next batch or pay run. Returns pence paid.

    Raises ArrearsRefused when already approved, when something changed since the list was worked out, or when the
    list pays the approver's own household or was worked out by them (a colleague approves)."""
    if not is_claims_staff(actor):
        raise ArrearsRefused("Only business support can approve mileage arrears")
    if change.created_by_id == actor.id:
        raise ArrearsRefused("You worked out this list, so a colleague must approve it")
    rows = list(db.session.scalars(select(MileageArrears).where(MileageArrears.change_id == change.id)))
    payable = [r for r in rows if r.payable_pence > 0]
    if own_household_ids(actor) & {r.household_id for r in payable}:
        raise ArrearsRefused("This list pays your own household, so a colleague must approve it")
    won = db.session.execute(
        update(MileageRateChange)
        .where(MileageRateChange.id == change.id, MileageRateChange.status == PENDING)
        .values(status=APPROVED, approved_by_id=actor.id, approved_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if not won:
        raise ArrearsRefused("This list has already been approved or replaced: nothing more will be paid from it")
    stored = sorted((r.claimant_id, r.paid_pence, r.due_pence) for r in rows)
    try:
        now_owed = assess(change.vehicle, change.effective_from, change.effective_to).key()
    except engine.NoRate:
        now_owed = None
    if now_owed != stored:
        raise ArrearsRefused(
            "Something changed since this list was worked out (a claim was paid or a rate changed): work it out again"
        )
    label = change.label
    for row in payable:
        row.claim_id = _arrears_claim(actor, change, row, f"{label}: {format_pounds(row.payable_pence)}").id
    audit.record(
        db.session,
        "mileage_arrears_approved",
        actor_id=actor.id,
        object_type="mileage_rate_change",
        object_id=change.id,
        carers=len(payable),
        total_pence=sum(r.payable_pence for r in payable),
    )
    for row in payable:
        notify_in_app(
            row.claimant_id,
            f"{label}: {format_pounds(row.payable_pence)}, paid with your next payment",
            path_to("claims.list_claims"),
            kind=CLAIMS_PAID.name,
            key=f"mileage-arrears:{change.id}",
        )
    db.session.refresh(change)
    return sum(r.payable_pence for r in payable)


def _arrears_claim(actor: User, change: MileageRateChange, row: MileageArrears, text: str) -> Claim:
    now, amount = utcnow(), row.payable_pence
    claim = Claim(
        kind=ClaimKind.MILEAGE,
        status=ClaimStatus.APPROVED,
        household_id=row.household_id,
        claimant_id=row.claimant_id,
        idempotency_key=f"rate-arrears-{change.id}-{row.claimant_id}",
        total_pence=amount,
        approved_pence=amount,
        submitted_at=now,
        decided_at=now,
        decided_by_id=actor.id,
    )
    claim.lines.append(
        ClaimLine(
            idempotency_key=f"rate-arrears-{change.id}-{row.claimant_id}-line",
            line_date=today(),
            category=ARREARS_CATEGORY,
            note=text,
            amount_pence=amount,
            decision="approved",
            rate_note=f"{row.journeys} journeys, {row.miles_text} miles: paid {format_pounds(row.paid_pence)}, "
            f"due {format_pounds(row.due_pence)}",
        )
    )
    claim.events.append(ClaimEvent(actor_id=actor.id, action="rate_arrears", at=now, body=text))
    db.session.add(claim)
    db.session.flush()
    return claim
