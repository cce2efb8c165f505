"""Training's background work: certificates after the register, offers that ran out, and reminders before sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from portal.core import clock
from portal.core.db import db
from portal.core.jobs import every, job
from portal.core.unit_of_work import transactional
from portal.training.attendance import issue_certificate_for
from portal.training.models import Booking, BookingStatus, TrainingSession
from portal.training.notices import remind
from portal.training.rules import REMINDERS
from portal.training.services import expire_offers


@job(retries=3, retry_delay=60)
def issue_certificate(booking_id: int) -> None:
    issue_certificate_for(booking_id)


@every(minute="*/5")
def move_on_lapsed_offers() -> None:
    """Every five minutes: offers not answered in time lapse and the place is offered to the next person waiting."""
    expire_offers()


@every(minute="*/15")
def send_due_reminders() -> None:
    send_reminders()


@transactional
def send_reminders(now: datetime | None = None, limit: int = 500) -> int:
    """Remind everyone booked a week and a day before their session starts, once each: the sent-at column is set by a
    conditional UPDATE before the reminder is queued, so overlapping runs never send it twice. Someone who booked
    inside the week gets only the day's reminder. Returns how many reminders were sent."""
    now = now or clock.now()
    sent = 0
    for which, ahead in REMINDERS:
        column = Booking.reminder_week_sent_at if which == "week" else Booking.reminder_day_sent_at
        after = now + dict(REMINDERS)["day"] if which == "week" else now
        stmt = (
            select(Booking)
            .join(Booking.session)
            .where(
                Booking.status == BookingStatus.BOOKED,
                column.is_(None),
                TrainingSession.cancelled_at.is_(None),
                TrainingSession.starts_at > after,
                TrainingSession.starts_at <= now + ahead,
            )
            .limit(limit)
        )
        for booking in db.session.scalars(stmt).all():
            claimed = db.session.execute(
                update(Booking)
                .where(Booking.id == booking.id, column.is_(None))
                .values({column.key: now})
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount == 1:
                remind(booking, which)
                sent += 1
    return sent
