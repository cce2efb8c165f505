"""What a confirmed run leaves behind: household payments, pay lines and paid segments, and the carers' messages."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import Select, insert, select

from portal.auth.models import User
from portal.core.chunks import chunked
from portal.core.db import db
from portal.core.links import path_to, url_to
from portal.core.money import format_pounds
from portal.core.notice_kinds import PAYMENT_HELD
from portal.core.notify import Notification, notify_in_app, open_notices, resolve_notices
from portal.payments.engine import RunResult
from portal.payments.models import HouseholdPayment, PaidSegment, PayLine, PayRun
from portal.people.models import HouseholdMember


@dataclass
class Mail:
    to: str
    subject: str
    template: str
    context: dict


def household_carers(household_ids: set[int] | Select) -> dict[int, list[User]]:
    """Active carers of each household; `household_ids` a few ids, or a subquery of them (never a long list)."""
    out: dict[int, list[User]] = {}
    rows = db.session.execute(
        select(HouseholdMember.household_id, User)
        .join(User, User.id == HouseholdMember.user_id)
        .where(HouseholdMember.household_id.in_(household_ids), User.is_active.is_(True))
        .order_by(HouseholdMember.household_id, HouseholdMember.id)
    )
    for household_id, user in rows:
        out.setdefault(household_id, []).append(user)
    return out


@dataclass
class HeldLine:
    """A line held in a confirmed run: its carers are told why."""

    payment_id: int
    household_id: int
    amount_pence: int
    description: str
    hold_reason: str | None
    key: str


@dataclass
class Stored:
    """Running totals of the slices stored so far."""

    total_pence: int = 0
    held_pence: int = 0
    households: int = 0
    held: list[HeldLine] = field(default_factory=list)
    open_held: set[str] | None = None  # targets of open "payment held" notices, read once per run
    paid_after_hold: set[str] = field(default_factory=set)


def store_slice(run_id: int, result: RunResult, stored: Stored) -> None:
    """Insert one slice's household payments, pay lines and paid segments (bulk statements with RETURNING, no
    objects held by the session), adding to `stored`. A household's lines are all in one slice.

    Core inserts on the connection: SQLAlchemy sends them as multi-row INSERTs of up to 1,000 rows, within every
    database's parameter limit, where the session's bulk insert sent a statement per row to get the ids back."""
    payments, pay_lines = HouseholdPayment.__table__, PayLine.__table__
    conn = db.session.connection()
    totals: dict[int, list[int]] = {}
    for ln in result.lines:
        paid_held = totals.setdefault(ln.household_id, [0, 0])
        paid_held[1 if ln.is_held else 0] += ln.amount_pence
    if not totals:
        return
    payment_rows = [
        dict(run_id=run_id, household_id=hid, total_pence=paid, held_pence=held)
        for hid, (paid, held) in sorted(totals.items())
    ]
    payment_ids = {
        hid: pid
        for pid, hid in conn.execute(
            insert(payments).returning(payments.c.id, payments.c.household_id, sort_by_parameter_order=True),
            payment_rows,
        )
    }
    line_rows = [
        dict(
            run_id=run_id,
            payment_id=payment_ids[ln.household_id],
            household_id=ln.household_id,
            child_id=ln.child_id,
            kind=ln.kind,
            code=ln.code,
            key=ln.key,
            start_date=ln.start,
            end_date=ln.end,
            weekly_pence=ln.weekly_pence,
            amount_pence=ln.amount_pence,
            description=ln.description,
            claim_id=ln.claim_id,
            due_date=ln.due_date,
            is_adjustment=ln.is_adjustment,
            is_held=ln.is_held,
            hold_reason=ln.hold_reason,
        )
        for ln in result.lines
    ]
    line_ids = list(conn.scalars(insert(pay_lines).returning(pay_lines.c.id, sort_by_parameter_order=True), line_rows))
    segment_rows = [
        dict(
            line_id=line_id,
            household_id=s.household_id,
            child_id=s.child_id,
            kind=s.kind,
            code=s.code,
            start_date=s.start,
            end_date=s.end,
            weekly_pence=s.weekly_pence,
            sign=s.sign,
        )
        for line_id, ln in zip(line_ids, result.lines)
        if not ln.is_held
        for s in ln.segments
    ]
    if segment_rows:
        conn.execute(insert(PaidSegment.__table__), segment_rows)
    stored.total_pence += sum(paid for paid, _ in totals.values())
    stored.held_pence += sum(held for _, held in totals.values())
    stored.households += len(totals)
    stored.held += [
        HeldLine(payment_ids[ln.household_id], ln.household_id, ln.amount_pence, ln.description, ln.hold_reason, ln.key)
        for ln in result.lines
        if ln.is_held
    ]
    if stored.open_held is None:
        stored.open_held = open_held_targets()
    if stored.open_held:
        paid_now = {held_target(ln.household_id, ln.key) for ln in result.lines if not ln.is_held}
        stored.paid_after_hold |= paid_now & stored.open_held


def finish_run(run: PayRun, stored: Stored, batch_id: int | None) -> list[Mail]:
    """Record the run's totals and claims batch; the in-app notices and emails about held lines."""
    run.total_pence = stored.total_pence
    run.held_pence = stored.held_pence
    run.household_count = stored.households
    run.claims_batch_id = batch_id
    # Lines held before and paid now: their "payment held" notices have done their work.
    for chunk in chunked(sorted(stored.paid_after_hold)):
        resolve_notices(chunk, kind=PAYMENT_HELD.name)
    return held_notices(stored.held)


def store_result(run: PayRun, result: RunResult, batch_id: int | None) -> list[Mail]:
    """Store a whole run worked out in one piece (the demo's past runs)."""
    stored = Stored()
    store_slice(run.id, result, stored)
    return finish_run(run, stored, batch_id)


def held_target(household_id: int, key: str) -> str:
    """The same line of the same household in every run (its key), short enough for a notice's target."""
    digest = hashlib.sha256(f"{household_id}:{key}".encode()).hexdigest()[:24]
    return f"pay-line:{digest}"


def open_held_targets() -> set[str]:
    """Targets of "payment held" notices still open: a handful, whatever the size of the service."""
    return set(
        db.session.scalars(
            select(Notification.target).where(Notification.kind == PAYMENT_HELD.name, open_notices()).distinct()
        )
    )


def held_notices(held: list[HeldLine]) -> list[Mail]:
    mails = []
    carers = household_carers({h.household_id for h in held}) if held else {}
    for row in held:
        link = payment_link_to(row.payment_id)
        for carer in carers.get(row.household_id, []):
            text_ = f"Part of your payment is held: {format_pounds(row.amount_pence)}. Reason: {row.hold_reason}"
            target = held_target(row.household_id, row.key)
            notify_in_app(
                carer.id,
                text_,
                path_to("payments.show_payment", payment_id=row.payment_id),
                kind=PAYMENT_HELD.name,
                target=target,
                key=target,
            )
            mails.append(
                Mail(
                    carer.email,
                    "Part of your payment is held",
                    "payment_line_held",
                    dict(
                        name=carer.full_name,
                        amount=format_pounds(row.amount_pence),
                        line=row.description,
                        reason=row.hold_reason,
                        link=link,
                    ),
                )
            )
    return mails


def payment_link(pay: HouseholdPayment) -> str:
    """The payment's page as an absolute link, for emails."""
    return payment_link_to(pay.id)


def payment_link_to(payment_id: int) -> str:
    return url_to("payments.show_payment", payment_id=payment_id)
