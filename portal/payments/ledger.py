"""What a confirmed run leaves behind: household payments, pay lines and paid segments, and the carers' messages."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select

from portal.auth.models import User
from portal.core.db import db
from portal.core.links import path_to, url_to
from portal.core.money import format_pounds
from portal.core.notice_kinds import PAYMENT_HELD
from portal.core.notify import notify_in_app, resolve_notices
from portal.payments.engine import RunResult
from portal.payments.models import HouseholdPayment, PaidSegment, PayLine, PayRun
from portal.people.models import HouseholdMember


@dataclass
class Mail:
    to: str
    subject: str
    template: str
    context: dict


def household_carers(household_ids: set[int]) -> dict[int, list[User]]:
    out: dict[int, list[User]] = {}
    for m in db.session.scalars(select(HouseholdMember).where(HouseholdMember.household_id.in_(household_ids))):
        if m.user.is_active:
            out.setdefault(m.household_id, []).append(m.user)
    return out


def store_result(run: PayRun, result: RunResult, batch_id: int | None) -> list[Mail]:
    payments: dict[int, HouseholdPayment] = {}
    for hid in sorted({ln.household_id for ln in result.lines}):
        payments[hid] = HouseholdPayment(run_id=run.id, household_id=hid)
    db.session.add_all(payments.values())
    db.session.flush()
    rows = []
    for ln in result.lines:
        pay = payments[ln.household_id]
        if ln.is_held:
            pay.held_pence += ln.amount_pence
        else:
            pay.total_pence += ln.amount_pence
        rows.append(
            PayLine(
                run_id=run.id,
                payment_id=pay.id,
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
        )
    db.session.add_all(rows)
    db.session.flush()
    db.session.add_all(
        [
            PaidSegment(
                line_id=row.id,
                household_id=s.household_id,
                child_id=s.child_id,
                kind=s.kind,
                code=s.code,
                start_date=s.start,
                end_date=s.end,
                weekly_pence=s.weekly_pence,
                sign=s.sign,
            )
            for row, ln in zip(rows, result.lines)
            if not ln.is_held
            for s in ln.segments
        ]
    )
    run.total_pence = sum(p.total_pence for p in payments.values())
    run.held_pence = sum(p.held_pence for p in payments.values())
    run.household_count = len(payments)
    run.claims_batch_id = batch_id
    # A line held before and paid now: its "payment held" notices have done their work.
    resolve_notices([held_target(row) for row in rows if not row.is_held], kind=PAYMENT_HELD.name)
    held = [(row, payments[row.household_id]) for row in rows if row.is_held]
    return held_notices(held)


def held_target(row: PayLine) -> str:
    """The same line of the same household in every run (its key), short enough for a notice's target."""
    digest = hashlib.sha256(f"{row.household_id}:{row.key}".encode()).hexdigest()[:24]
    return f"pay-line:{digest}"


def held_notices(held: list[tuple[PayLine, HouseholdPayment]]) -> list[Mail]:
    mails = []
    carers = household_carers({p.household_id for _, p in held}) if held else {}
    for row, pay in held:
        for carer in carers.get(pay.household_id, []):
            text_ = f"Part of your payment is held: {format_pounds(row.amount_pence)}. Reason: {row.hold_reason}"
            notify_in_app(
                carer.id,
                text_,
                path_to("payments.show_payment", payment_id=pay.id),
                kind=PAYMENT_HELD.name,
                target=held_target(row),
                key=held_target(row),
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
                        link=payment_link(pay),
                    ),
                )
            )
    return mails


def payment_link(pay: HouseholdPayment) -> str:
    """The payment's page as an absolute link, for emails."""
    return url_to("payments.show_payment", payment_id=pay.id)
