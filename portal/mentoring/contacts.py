"""The mentoring log: each contact the mentor had with a mentee (paid in the next pay run)."""

from __future__ import annotations

from datetime import date

from portal.auth.models import User
from portal.core import audit
from portal.core.clock import today
from portal.core.db import db
from portal.core.unit_of_work import transactional
from portal.mentoring.lifecycle import note_first_contact
from portal.mentoring.models import CONTACT_HOW_LABELS, TOPIC_LABELS, Contact, Match
from portal.mentoring.policy import can_log_contact

MAX_MINUTES = 8 * 60


class ContactRefused(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@transactional
def log_contact(
    actor: User, match: Match, *, on: date, minutes: int, how: str, topics: list[str], note: str | None = None
) -> Contact:
    """Record a contact. Raises ContactRefused with the field at fault."""
    if not can_log_contact(actor, match):
        raise ContactRefused("Contacts can be logged for your own introduced or active matches only")
    if on > today():
        raise ContactRefused("The date must be today or in the past", "contact_on")
    if match.introduced_on and on < match.introduced_on:
        raise ContactRefused("The date must be on or after the day you were introduced", "contact_on")
    if not 1 <= minutes <= MAX_MINUTES:
        raise ContactRefused(f"Enter how long it took, from 1 to {MAX_MINUTES} minutes", "minutes")
    if how not in CONTACT_HOW_LABELS:
        raise ContactRefused("Choose how you were in touch", "how")
    contact = Contact(
        match_id=match.id,
        mentor_id=actor.id,
        contact_on=on,
        minutes=minutes,
        how=how,
        topics=",".join(t for t in topics if t in TOPIC_LABELS),
        note=(note or "").strip()[:1000] or None,
    )
    db.session.add(contact)
    note_first_contact(match, on)
    db.session.flush()
    audit.record(
        db.session,
        "mentoring_contact_logged",
        actor_id=actor.id,
        object_type="mentoring_contact",
        object_id=contact.id,
        minutes=minutes,
    )
    return contact
