"""Demo claims: the HMRC mileage rates, and a few claims in every status for the demo carers."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import func, select

from portal.auth.models import User
from portal.claims import arrears
from portal.claims import rates as engine
from portal.claims.arrears_models import MileageRateChange
from portal.claims.models import Claim, ClaimEvent, ClaimLine, ClaimLineChild, ClaimStatus, MileageRate, PaymentBatch
from portal.claims.queries import claimable_children
from portal.claims.services import claim_path, reprice
from portal.core.clock import today
from portal.core.db import db, utcnow
from portal.core.notice_kinds import CLAIM_QUERIED
from portal.core.notify import Notification
from portal.core.templating import uk_date
from portal.people.queries import household_of

HMRC_SOURCE = "HMRC approved mileage allowance payments (GOV.UK, 'Travel — mileage and fuel rates and allowances')"
HMRC_2026_SOURCE = f"{HMRC_SOURCE}, 2026-27: announced 21 May 2026, backdated to 6 April 2026"
HMRC_2026_ANNOUNCED = date(2026, 5, 21)


def seed_hmrc_rates(actor_id: int | None = None) -> int:
    """Add the HMRC rates when the table is empty (a council that pays its own rate edits them), or the 2026-27 car
    rate to a table still paying HMRC's 45p until further notice. Returns rows added."""
    if db.session.scalar(select(func.count(MileageRate.id))):
        return add_hmrc_2026_27_car_rate(actor_id)
    rows = [
        MileageRate(
            vehicle=r.vehicle,
            effective_from=r.effective_from,
            effective_to=r.effective_to,
            pence_per_mile=r.pence_per_mile,
            threshold_miles=r.threshold_miles,
            pence_after_threshold=r.pence_after_threshold,
            source=HMRC_2026_SOURCE if r.effective_from == engine.HMRC_2026_FROM else HMRC_SOURCE,
            updated_by_id=actor_id,
        )
        for r in engine.hmrc_rates()
    ]
    db.session.add_all(rows)
    db.session.flush()
    return len(rows)


def add_hmrc_2026_27_car_rate(actor_id: int | None = None) -> int:
    """End HMRC's 45p car row on 5 April 2026 and add 55p (25p after 10,000 miles) from 6 April 2026, when the table
    has exactly that open 45p row and nothing from 6 April 2026 on (a council's own rate is left alone).
    The same step as migration 0012, for tables seeded after it ran. Returns rows added (0 or 1)."""
    cars = list(db.session.scalars(select(MileageRate).where(MileageRate.vehicle == engine.CAR)))
    old = [
        r
        for r in cars
        if (r.effective_to, r.pence_per_mile, r.threshold_miles, r.pence_after_threshold) == (None, 45, 10_000, 25)
    ]
    if len(old) != 1 or any(r.effective_from >= engine.HMRC_2026_FROM for r in cars):
        return 0
    new = next(r for r in engine.hmrc_rates() if r.vehicle == engine.CAR and r.effective_to is None)
    old[0].effective_to = new.effective_from - timedelta(days=1)
    db.session.add(
        MileageRate(
            vehicle=new.vehicle,
            effective_from=new.effective_from,
            pence_per_mile=new.pence_per_mile,
            threshold_miles=new.threshold_miles,
            pence_after_threshold=new.pence_after_threshold,
            source=HMRC_2026_SOURCE,
            updated_by_id=actor_id,
        )
    )
    db.session.flush()
    return 1


def work_out_hmrc_2026_27_arrears() -> MileageRateChange | None:
    """What carers are owed for journeys since 6 April 2026 paid at 45p, once only for the seeded 2026-27 car rate
    (announced 21 May 2026); business support approves the list. None when done before or nothing is owed."""
    rate = db.session.scalar(
        select(MileageRate).where(
            MileageRate.vehicle == engine.CAR, MileageRate.effective_from == engine.HMRC_2026_FROM
        )
    )
    if rate is None or db.session.scalar(select(MileageRateChange.id).where(MileageRateChange.rate_id == rate.id)):
        return None
    return arrears.work_out(None, rate, HMRC_2026_ANNOUNCED)


def _claim(
    carer: User,
    kind: str,
    status: str,
    lines: list[dict],
    *,
    days_ago: int,
    vehicle: str | None = None,
    staff: User | None = None,
    batch: PaymentBatch | None = None,
) -> Claim:
    household = household_of(carer)
    children = claimable_children(carer)
    on = today()
    claim = Claim(
        kind=kind,
        household_id=household.id,
        claimant_id=carer.id,
        idempotency_key=uuid.uuid4().hex,
        vehicle=vehicle,
        status=ClaimStatus.DRAFT,
    )
    claim.household = household
    db.session.add(claim)
    for spec in lines:
        spec = dict(spec)
        kids = spec.pop("children", 1)
        line = ClaimLine(
            idempotency_key=uuid.uuid4().hex, line_date=on - timedelta(days=days_ago + spec.pop("before", 0)), **spec
        )
        line.children = [ClaimLineChild(child_id=c.id) for c in children[:kids]]
        claim.lines.append(line)
    db.session.flush()
    reprice(claim)
    submitted = utcnow() - timedelta(days=max(0, days_ago - 1))
    claim.events.append(ClaimEvent(actor_id=carer.id, action="created", at=submitted - timedelta(hours=1)))
    if status != ClaimStatus.DRAFT:
        claim.submitted_at = submitted
        claim.events.append(ClaimEvent(actor_id=carer.id, action="submitted", at=submitted))
    if status == ClaimStatus.QUERIED:
        claim.events.append(
            ClaimEvent(
                actor_id=staff.id,
                action="queried",
                at=submitted + timedelta(hours=5),
                body="Which school trip was this for? Please add it to the note.",
            )
        )
        # The notice querying a claim makes (portal.claims.decisions.query_claim), so the home page's "question about
        # your claim" and the carer's notifications agree.
        db.session.add(
            Notification(
                user_id=carer.id,
                kind=CLAIM_QUERIED.name,
                target=f"claim:{claim.id}",
                dedupe_key=f"claim:{claim.id}:queried:demo",
                text=f"Business support have a question about your claim {claim.number}",
                link=claim_path(claim),
                created_at=submitted + timedelta(hours=5),
            )
        )
    if status in (ClaimStatus.APPROVED, ClaimStatus.BATCHED, ClaimStatus.PAID, ClaimStatus.REJECTED):
        claim.decided_at, claim.decided_by_id = submitted + timedelta(days=1), staff.id
        approved = status != ClaimStatus.REJECTED
        claim.approved_pence = claim.total_pence if approved else 0
        for line in claim.lines:
            line.decision = "approved" if approved else "rejected"
        if not approved:
            claim.rejection_reason = "This was already paid as part of the holiday allowance in August."
        claim.events.append(
            ClaimEvent(
                actor_id=staff.id,
                action="approved" if approved else "rejected",
                at=claim.decided_at,
                body=claim.rejection_reason,
            )
        )
    if batch is not None:
        claim.batch_id = batch.id
        claim.events.append(
            ClaimEvent(
                actor_id=staff.id,
                action="batched",
                at=claim.decided_at + timedelta(days=1),
                body=f"Payment batch {batch.number}",
            )
        )
        if batch.is_paid:
            claim.paid_on, claim.payment_reference = batch.paid_on, batch.payment_reference
            claim.events.append(
                ClaimEvent(
                    actor_id=staff.id,
                    action="paid",
                    at=batch.paid_at,
                    body=f"Paid on {uk_date(batch.paid_on)}, reference {batch.payment_reference}",
                )
            )
    claim.status = status
    return claim


def load_claims_demo() -> None:
    seed_hmrc_rates()
    carer = db.session.scalar(select(User).where(User.email == "carer@example.org"))
    carer2 = db.session.scalar(select(User).where(User.email == "carer2@example.org"))
    staff = db.session.scalar(select(User).where(User.email == "support@example.org"))
    if carer is None or staff is None or household_of(carer) is None:
        return
    db.session.flush()
    trip = dict(
        category="family_time", from_place="Home", to_place="Northshire Family Centre", miles_tenths=124, is_return=True
    )
    _claim(carer, "mileage", ClaimStatus.DRAFT, [dict(trip)], days_ago=1, vehicle=engine.CAR)
    _claim(
        carer,
        "mileage",
        ClaimStatus.SUBMITTED,
        [
            dict(trip),
            dict(
                category="health",
                from_place="Home",
                to_place="Northshire General Hospital",
                miles_tenths=86,
                children=2,
                before=3,
            ),
        ],
        days_ago=4,
        vehicle=engine.CAR,
        staff=staff,
    )
    _claim(
        carer,
        "allowance",
        ClaimStatus.QUERIED,
        [dict(category="one_off", amount_pence=4500, note="School trip to the science museum")],
        days_ago=6,
        staff=staff,
    )
    _claim(
        carer,
        "allowance",
        ClaimStatus.APPROVED,
        [dict(category="birthday", amount_pence=18700)],
        days_ago=9,
        staff=staff,
    )
    _claim(
        carer,
        "allowance",
        ClaimStatus.REJECTED,
        [dict(category="holiday", amount_pence=6000)],
        days_ago=20,
        staff=staff,
    )
    open_batch = PaymentBatch(created_by_id=staff.id, created_at=utcnow() - timedelta(days=2))
    paid_batch = PaymentBatch(
        created_by_id=staff.id,
        created_at=utcnow() - timedelta(days=25),
        status="paid",
        paid_on=today() - timedelta(days=21),
        payment_reference="BACS-240117",
        paid_by_id=staff.id,
        paid_at=utcnow() - timedelta(days=21),
    )
    db.session.add_all([open_batch, paid_batch])
    db.session.flush()
    in_open = [
        _claim(
            carer,
            "allowance",
            ClaimStatus.BATCHED,
            [dict(category="festival", amount_pence=18700)],
            days_ago=12,
            staff=staff,
            batch=open_batch,
        )
    ]
    in_paid = [
        _claim(
            carer,
            "mileage",
            ClaimStatus.PAID,
            [dict(trip, before=2), dict(trip)],
            days_ago=35,
            vehicle=engine.CAR,
            staff=staff,
            batch=paid_batch,
        )
    ]
    if carer2 is not None and household_of(carer2) is not None:
        _claim(
            carer2,
            "mileage",
            ClaimStatus.SUBMITTED,
            [dict(trip, category="education", to_place="St Mary's School", miles_tenths=52)],
            days_ago=16,
            vehicle=engine.CAR,
            staff=staff,
        )
        in_paid.append(
            _claim(
                carer2,
                "allowance",
                ClaimStatus.PAID,
                [dict(category="holiday", amount_pence=37400)],
                days_ago=40,
                staff=staff,
                batch=paid_batch,
            )
        )
    for batch, claims in ((open_batch, in_open), (paid_batch, in_paid)):
        batch.claim_count = len(claims)
        batch.total_pence = sum(c.approved_pence or 0 for c in claims)
    db.session.flush()
