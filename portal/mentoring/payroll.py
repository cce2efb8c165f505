"""Mentoring as the pay-run engine takes it: logged contacts (portal.payments.terms.MentoringContact) and months
of a running match (portal.payments.terms.MentoringMonth), each paid to the mentor's household.

Each day is paid under the model in force on it (`PayModel`, effective-dated; per contact when none is set). Under
per hour a contact's `units` are its hours (minutes / 60, to two places); under per contact, 1. Under per mentee per
month contacts are not paid one by one: the match is paid once for each calendar month it ran (`months_due`).
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Select, String, cast, literal, select

from portal.core.chunks import chunked
from portal.core.db import db
from portal.mentoring.models import PAY_MODEL_LABELS, Contact, Match, Mentee, PayModel
from portal.people.models import HouseholdMember

PER_MENTEE_MONTH = "per_mentee_month"


def _pay_models() -> list[tuple[date, str]]:
    """Every change of model, oldest first (a handful of rows): one query."""
    return [
        (on, model)
        for on, model in db.session.execute(
            select(PayModel.effective_from, PayModel.model).order_by(PayModel.effective_from)
        )
    ]


def _model_on(models: list[tuple[date, str]], on: date) -> str:
    i = bisect_right(models, on, key=lambda row: row[0])
    model = models[i - 1][1] if i else "per_contact"
    return model if model in PAY_MODEL_LABELS else "per_contact"


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
    already paid; those contacts are left out. A contact is paid under the model in force on its day: its units
    are its hours under per hour, 1 under per contact, and it is left out under per mentee per month (the month is
    paid instead). One query, plus one for the pay models."""
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
    models = _pay_models()
    out = []
    for cid, hid, on, minutes, name in db.session.execute(stmt):
        model = _model_on(models, on)
        if model == PER_MENTEE_MONTH:
            continue  # the month of the match is paid instead (months_due)
        units = (Decimal(minutes) / 60).quantize(Decimal("0.01")) if model == "per_hour" else Decimal(1)
        first = name.split(" ")[0] if name else "mentee"
        out.append((cid, hid, on, f"contact with {first}, {minutes} minutes", units))
    return out


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _per_month_spans(models: list[tuple[date, str]]) -> list[tuple[date, date | None]]:
    """The days the per-mentee-per-month model is in force, as [from, to) spans (to None: still in force)."""
    spans = []
    for i, (start, model) in enumerate(models):
        if model == PER_MENTEE_MONTH:
            spans.append((start, models[i + 1][0] if i + 1 < len(models) else None))
    return spans


def month_key(match_id: int, month: date) -> str:
    """The pay-line key of a match's month, e.g. "mentoring:match-12-2026-04": one line per match and month ever."""
    return f"mentoring:match-{match_id}-{month:%Y-%m}"


def months_due(
    period_end: date,
    household_ids: set[int] | None = None,
    household_range: tuple[int, int] | None = None,
    since: date | None = None,
    paid_keys: Select | None = None,
) -> list[tuple]:
    """(line key, household id, first day counted, label) for each calendar month a match ran under the
    per-mentee-per-month model, up to `period_end`, not yet paid; narrowed like `contacts_due`.

    The rule: a month counts when the match was running on at least one day of it on which the model was in force
    (and on or after `since`, when the service started paying through Hearth). A match runs from the day the
    mentor and mentee are introduced (`introduced_on`, when mentoring starts: first contact is due within a week)
    up to, not including, the day it ends (`ended_on`); a proposed, declined or timed-out match never ran.
    "Any day" rather than "the first day" because a mentor who starts on the 10th does that month's work (the
    introduction, first contact and agreement meeting come first), and a short match is never left unpaid; so a
    match introduced on 10 April and ended on 20 June is paid for April, May and June, and one ended on 1 July is
    not paid for July. The month is earned on its first day counted, so it is paid in the first run whose period
    reaches that day, and never again: its key (`month_key`) is left out once a confirmed run has paid it
    (`paid_keys`, as for contacts). The engine pays the rate in force on the first day counted (kind `mentoring`,
    code `mentee_month`). The label is for the line: "Amira, April 2026". Two queries (pay models, matches), plus
    one per 5,000 candidate months for what is paid; one when no month is ever paid per mentee.
    """
    spans = _per_month_spans(_pay_models())
    if not spans:
        return []
    earliest = max(spans[0][0], since) if since else spans[0][0]
    stmt = (
        select(Match.id, HouseholdMember.household_id, Match.introduced_on, Match.ended_on, Mentee.full_name)
        .join(HouseholdMember, HouseholdMember.user_id == Match.mentor_id)
        .join(Mentee, Mentee.id == Match.mentee_id)
        .where(
            Match.introduced_on.is_not(None),
            Match.introduced_on <= period_end,
            Match.ended_on.is_(None) | (Match.ended_on > earliest),
        )
        .order_by(Match.id)
    )
    if household_ids is not None:
        stmt = stmt.where(HouseholdMember.household_id.in_(household_ids))
    if household_range is not None:
        stmt = stmt.where(HouseholdMember.household_id.between(*household_range))
    last = period_end + timedelta(days=1)
    due: dict[str, tuple] = {}
    for match_id, hid, introduced, ended, name in db.session.execute(stmt):
        first = name.split(" ")[0] if name else "mentee"
        for span_from, span_to in spans:
            lo = max(introduced, span_from, since or introduced)
            hi = min(d for d in (ended, span_to, last) if d is not None)
            day = lo
            while day < hi:  # the first day counted in each month of [lo, hi)
                key = month_key(match_id, day)
                if key not in due or due[key][2] > day:
                    due[key] = (key, hid, day, f"{first}, {day:%B %Y}")
                day = _next_month(day)
    if paid_keys is not None and due:
        paid_col = paid_keys.subquery()
        col = next(iter(paid_col.c))
        for keys in chunked(list(due)):
            for key in db.session.scalars(select(col).where(col.in_(keys))):
                due.pop(key, None)
    return sorted(due.values(), key=lambda row: (row[2], row[0]))
