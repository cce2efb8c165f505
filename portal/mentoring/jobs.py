"""Scheduled mentoring jobs: proposals not answered in 3 days (the next-best mentor is asked), first contacts not
made in 7 days, offers of a mentor not answered. Each is idempotent: it acts on state, and marks what it did."""

from __future__ import annotations

from portal.core.clock import today
from portal.core.jobs import every
from portal.mentoring import lifecycle, services

# Days without an answer to the offer of a mentor before a reminder (the coordinators' practice: two weeks).
NO_ANSWER_DAYS = 14


@every(minute="10", hour="7")
def mentoring_daily() -> None:
    on = today()
    lifecycle.expire_proposals(on)
    lifecycle.remind_first_contacts(on)
    services.remind_unanswered_offers(on, NO_ANSWER_DAYS)
