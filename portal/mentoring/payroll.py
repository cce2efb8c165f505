"""Logged mentoring contacts as the pay-run engine takes them (portal.payments.terms.MentoringContact).

A contact is paid to the mentor's household. Under the per-hour model a contact's `units` are its hours (minutes /
60, to two places); under per contact, 1. The per-mentee-month model pays matches, not contacts, and is not yet
fed to the engine (see docs/architecture-notes.md).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Select, String, cast, literal, select

from portal.core.db import db
from portal.mentoring.models import PAY_MODEL_LABELS, Contact, Match, Mentee, PayModel
from portal.people.models import HouseholdMember


def pay_model_on(on: date) -> str:
    """The model in force on a day: the latest row starting on or before it; per contact when none is set."""
    row = db.session.scalar(
        select(PayModel.model).where(PayModel.effective_from <= on).order_by(PayModel.effective_from.desc()).limit(1)
    )
    return row if row in PAY_MODEL_LABELS else "per_contact"


def contacts_due(
    period_end: date,
    household_ids: set[int] | None = None,
    household_range: tuple[int, int] | None = None,
    since: date | None = None,
    paid_keys: Select | None = None,
) -> list[tuple]:
    """(contact id, household id, date, label, units) for contacts from `since` (when the service started paying
    through Hearth) to `period_end`, for every household, a few (`household_ids`) or one slice of a run
    (`household_range`, inclusive ids). `paid_keys` selects the pay-line keys ("mentoring:<contact id>") runs have
    already paid; those contacts are left out. One query, plus one for the pay model."""
    stmt = (
        select(Contact.id, HouseholdMember.household_id, Contact.contact_on, Contact.minutes, Mentee.full_name)
        .join(HouseholdMember, HouseholdMember.user_id == Contact.mentor_id)
        .join(Match, Match.id == Contact.match_id)
        .join(Mentee, Mentee.id == Match.mentee_id)
        .where(Contact.contact_on <= period_end)
        .order_by(Contact.contact_on, Contact.id)
    )
    if since is not None:
        stmt = stmt.where(Contact.contact_on >= since)
    if paid_keys is not None:
        stmt = stmt.where((literal("mentoring:") + cast(Contact.id, String)).not_in(paid_keys))
    if household_ids is not None:
        stmt = stmt.where(HouseholdMember.household_id.in_(household_ids))
    if household_range is not None:
        stmt = stmt.where(HouseholdMember.household_id.between(*household_range))
    per_hour = pay_model_on(period_end) == "per_hour"
    out = []
    for cid, hid, on, minutes, name in db.session.execute(stmt):
        units = (Decimal(minutes) / 60).quantize(Decimal("0.01")) if per_hour else Decimal(1)
        first = name.split(" ")[0] if name else "mentee"
        out.append((cid, hid, on, f"contact with {first}, {minutes} minutes", units))
    return out
