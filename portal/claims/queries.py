"""Reads about claims scoped to a user, the queue, warnings, the rate table and what a batch or payment run needs."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import Select, and_, case, false, func, or_, select
from sqlalchemy.orm import raiseload

from portal.auth.models import User
from portal.auth.roles import Role
from portal.claims import rates as engine
from portal.claims.models import (
    KIND_LABELS,
    Claim,
    ClaimKind,
    ClaimLabels,
    ClaimLine,
    ClaimStatus,
    MileageRate,
    PaymentBatch,
)
from portal.claims.rules import Settings, near_age_limit
from portal.core.chunks import chunked
from portal.core.clock import LONDON, today
from portal.core.db import db
from portal.core.pagination import Page, paginate
from portal.core.uploads import StoredFile
from portal.people.models import Child, Placement
from portal.people.queries import current_placement_clause, household_ids_of_carer

NOT_COUNTED = (ClaimStatus.DRAFT, ClaimStatus.REJECTED)


def start_of(day: date) -> datetime:
    """Midnight in England at the start of `day`, in UTC as stored."""
    return datetime(day.year, day.month, day.day, tzinfo=LONDON).astimezone(timezone.utc)


def claims_visible_to(user: User) -> Select[tuple[Claim]]:
    """Carers: their household's claims (another carer's drafts stay private). Business support: every claim that
    was sent. Admin: every claim, drafts included (to allow a late one)."""
    stmt = select(Claim)
    if user.has_role(Role.ADMIN):
        return stmt
    clauses = []
    if user.has_role(Role.BUSINESS_SUPPORT):
        clauses.append(Claim.status != ClaimStatus.DRAFT)
    if user.has_role(Role.CARER):
        clauses.append(
            and_(
                Claim.household_id.in_(household_ids_of_carer(user)),
                or_(Claim.status != ClaimStatus.DRAFT, Claim.claimant_id == user.id),
            )
        )
    return stmt.where(or_(*clauses) if clauses else false())


def household_claims(user: User) -> Select[tuple[Claim]]:
    """The carer's list: their household's claims, newest first."""
    return (
        claims_visible_to(user)
        .where(Claim.household_id.in_(household_ids_of_carer(user)))
        .options(raiseload(Claim.events))
        .order_by(Claim.created_at.desc(), Claim.id.desc())
    )


def rate_table() -> list[engine.Rate]:
    return [r.as_rate() for r in db.session.scalars(select(MileageRate))]


def mileage_rates() -> list[MileageRate]:
    return list(
        db.session.scalars(select(MileageRate).order_by(MileageRate.vehicle, MileageRate.effective_from.desc()))
    )


def prior_car_tenths(claimant_id: int, dates: list[date], exclude_claim_id: int | None) -> dict[date, int]:
    """Car miles (tenths) the carer has already claimed in the tax years of `dates`, from claims that count: {start of
    the tax year: tenths}, a return journey counted twice. Summed by the database, one total per tax year, so a
    carer with years of journeys costs what one with a few does to the page that asks (the claim form's estimate,
    on every change)."""
    if not dates:
        return {}
    years = sorted({engine.tax_year_start(d) for d in dates})
    tenths = func.coalesce(ClaimLine.miles_tenths, 0) * case((ClaimLine.is_return, 2), else_=1)
    totals = [
        func.sum(case((and_(ClaimLine.line_date >= start, ClaimLine.line_date < _next_tax_year(start)), tenths)))
        for start in years
    ]
    stmt = (
        select(*totals)
        .join(Claim, Claim.id == ClaimLine.claim_id)
        .where(
            Claim.claimant_id == claimant_id,
            Claim.kind == ClaimKind.MILEAGE,
            Claim.vehicle == engine.CAR,
            Claim.status.not_in([st.value for st in NOT_COUNTED]),
            or_(ClaimLine.decision.is_(None), ClaimLine.decision != "rejected"),
            ClaimLine.line_date >= years[0],
            ClaimLine.line_date < _next_tax_year(years[-1]),
        )
    )
    if exclude_claim_id is not None:
        stmt = stmt.where(Claim.id != exclude_claim_id)
    row = db.session.execute(stmt).one()
    return {start: int(total) for start, total in zip(years, row, strict=True) if total}


def _next_tax_year(start: date) -> date:
    return date(start.year + 1, 4, 6)


def warnings_for(claim: Claim, s: Settings, on: date | None = None) -> list[str]:
    """What business support should look at before deciding. Warnings inform; they never block."""
    on = on or today()
    out: list[str] = []
    for n, line in enumerate(claim.lines, 1):
        label = f"{claim.line_noun.capitalize()} {n}"
        if claim.kind == ClaimKind.EXPENSE:
            twins = db.session.scalar(
                select(func.count(ClaimLine.id))
                .join(Claim, Claim.id == ClaimLine.claim_id)
                .where(
                    Claim.household_id == claim.household_id,
                    ClaimLine.id != line.id,
                    Claim.status != ClaimStatus.DRAFT,
                    ClaimLine.amount_pence == line.amount_pence,
                    ClaimLine.line_date == line.line_date,
                    Claim.kind == ClaimKind.EXPENSE,
                )
            )
            if twins:
                out.append(f"{label} looks like a duplicate: another expense of the same amount on the same date")
            if line.receipt is not None:
                reused = db.session.scalar(
                    select(func.count(ClaimLine.id))
                    .join(StoredFile, StoredFile.id == ClaimLine.receipt_file_id)
                    .where(StoredFile.sha256 == line.receipt.sha256, ClaimLine.id != line.id)
                )
                if reused:
                    out.append(f"{label}: this receipt has already been used on another expense")
                if line.receipt.status == "rejected":
                    out.append(f"{label}: the receipt could not be kept ({line.receipt.rejection_reason})")
        if claim.kind == ClaimKind.MILEAGE and line.miles_tenths:
            if line.total_miles_tenths > s.long_journey_miles * 10:
                out.append(
                    f"{label} is {engine.miles(line.total_miles_tenths)} miles, more than {s.long_journey_miles} miles"
                )
            usual = _usual_route_tenths(claim, line)
            if usual and line.miles_tenths > usual * 1.5 and line.miles_tenths - usual >= 50:
                out.append(
                    f"{label} is much longer than usual for this route ({line.miles_text} miles; usually "
                    f"{engine.miles(int(usual))})"
                )
        if near_age_limit(line.line_date, on, s.max_age_days):
            out.append(
                f"{label} ({line.line_date.day} {line.line_date:%B %Y}) is near or past the age limit for claims"
            )
    if claim.override_reason:
        out.append(f"An admin allowed this late claim: {claim.override_reason}")
    return out


def _usual_route_tenths(claim: Claim, line: ClaimLine) -> float | None:
    if not (line.from_place and line.to_place):
        return None
    others = db.session.scalars(
        select(ClaimLine.miles_tenths)
        .join(Claim, Claim.id == ClaimLine.claim_id)
        .where(
            Claim.household_id == claim.household_id,
            Claim.kind == ClaimKind.MILEAGE,
            ClaimLine.id != line.id,
            func.lower(func.trim(ClaimLine.from_place)) == line.from_place.strip().lower(),
            func.lower(func.trim(ClaimLine.to_place)) == line.to_place.strip().lower(),
        )
        .limit(50)
    ).all()
    return statistics.median(others) if len(others) >= 2 else None


def approved_unpaid(up_to: date | None = None) -> Select[tuple[Claim]]:
    """Approved claims not yet in a batch (decided on or before `up_to`), oldest decision first."""
    stmt = select(Claim).where(Claim.status == ClaimStatus.APPROVED, Claim.batch_id.is_(None))
    if up_to is not None:
        stmt = stmt.where(Claim.decided_at < start_of(up_to + timedelta(days=1)))
    return stmt.options(raiseload(Claim.lines), raiseload(Claim.events)).order_by(Claim.decided_at, Claim.id)


WAITING_COUNT_CAP = 100  # approved claims counted and totalled for the batch form; beyond it "more than 100"


@dataclass(frozen=True, slots=True)
class WaitingClaim(ClaimLabels):
    """A row of the batch form: an approved claim waiting to be paid, with its carer's name."""

    id: int
    kind: str
    approved_pence: int | None
    decided_at: datetime | None
    claimant_name: str


def waiting_page(number: int, per_page: int = 25) -> tuple[Page[WaitingClaim], int | None]:
    """One page of the approved claims waiting for a batch, oldest decision first (read in the order of
    ix_claims_waiting), and the pence they come to in all: None when there are more than WAITING_COUNT_CAP (the
    page's count stops there too), so neither count nor sum reads every waiting claim. Three queries."""
    waiting = (Claim.status == ClaimStatus.APPROVED, Claim.batch_id.is_(None))
    stmt = (
        select(Claim.id, Claim.kind, Claim.approved_pence, Claim.decided_at, User.full_name)
        .join(User, User.id == Claim.claimant_id)
        .where(*waiting)
        .order_by(Claim.decided_at, Claim.id)
    )
    page = paginate(
        stmt, number, per_page, rows=True, count_of=select(Claim.id).where(*waiting), count_up_to=WAITING_COUNT_CAP
    )
    page.items = [WaitingClaim(*row) for row in page.items]
    total = None
    if not page.more:
        total = db.session.scalar(select(func.coalesce(func.sum(Claim.approved_pence), 0)).where(*waiting))
    return page, total


def ticked_summary(claim_ids: set[int]) -> tuple[int, int]:
    """(claims, pence) of the ticked claims still waiting to be paid: one query per chunk of ids (portal.core.chunks),
    none when nothing is ticked."""
    count = pence = 0
    for chunk in chunked(sorted(claim_ids)):
        n, total = db.session.execute(
            select(func.count(Claim.id), func.coalesce(func.sum(Claim.approved_pence), 0)).where(
                Claim.id.in_(chunk), Claim.status == ClaimStatus.APPROVED, Claim.batch_id.is_(None)
            )
        ).one()
        count, pence = count + n, pence + int(total)
    return count, pence


def approved_unpaid_for_household(household_id: int, up_to: date | None = None) -> list[Claim]:
    """For pay runs: a household's approved claims waiting to be paid."""
    return list(db.session.scalars(approved_unpaid(up_to).where(Claim.household_id == household_id)))


def batches() -> Select[tuple[PaymentBatch]]:
    return select(PaymentBatch).order_by(PaymentBatch.id.desc())


def batch_claims(batch: PaymentBatch, page: int = 1, per_page: int = 50) -> Page[Claim]:
    """One page of the batch's claims, by household and carer: a batch may hold tens of thousands."""
    return paginate(
        select(Claim)
        .where(Claim.batch_id == batch.id)
        .options(raiseload(Claim.lines), raiseload(Claim.events))
        .order_by(Claim.household_id, Claim.claimant_id, Claim.id),
        page,
        per_page,
    )


def batch_summary(batch: PaymentBatch) -> list[tuple[str, int, int]]:
    """The batch by kind of claim: (label, claims, approved pence), in one grouped query."""
    rows = db.session.execute(
        select(Claim.kind, func.count(Claim.id), func.coalesce(func.sum(Claim.approved_pence), 0))
        .where(Claim.batch_id == batch.id)
        .group_by(Claim.kind)
        .order_by(Claim.kind)
    ).all()
    return [(KIND_LABELS[ClaimKind(kind)], count, total) for kind, count, total in rows]


def claimable_children(user: User) -> list[Child]:
    """Children placed with the carer's household now: the ones a line can be for."""
    stmt = (
        select(Child)
        .join(Placement, Placement.child_id == Child.id)
        .where(Placement.household_id.in_(household_ids_of_carer(user)), current_placement_clause(today()))
        .order_by(Child.first_name)
    )
    return list(db.session.scalars(stmt).unique())
