"""The programme's rules as data: the TSD standards, their deadlines, and how long waiting-list offers last.

TSD: the Training, Support and Development Standards for Foster Care (Department for Education, 2012 revision).
Mainstream carers evidence 7 standards within 12 months of approval; family and friends (connected, kinship)
carers evidence 6 within 18 months, standard 7 ("Develop yourself") not being required of them; a household may
share one workbook, and the supervising social worker signs each standard off (shared/DOMAIN.md, "Training rules").
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from portal.people.models import CarerType

TSD_STANDARDS = {
    1: "Understand the principles and values essential for fostering children and young people",
    2: "Understand your role as a foster carer",
    3: "Understand health and safety, and healthy care",
    4: "Know how to communicate effectively",
    5: "Understand the development of children and young people",
    6: "Keep children and young people safe from harm",
    7: "Develop yourself",
}
FAMILY_AND_FRIENDS = frozenset({CarerType.KINSHIP})

# Within this time of the session's start a freed place is offered (and moves on if not taken) rather than booked
# straight away: someone told at short notice may not be able to come.
OFFER_WINDOW = timedelta(hours=72)
# How long an offer is held; never past an hour before the session starts.
OFFER_HOLD = timedelta(hours=12)
OFFER_LAST_CALL = timedelta(hours=1)
# Reminders before the first part: a week and a day.
REMINDERS = (("week", timedelta(days=7)), ("day", timedelta(days=1)))
# The standards are a first-year task: a household whose deadline passed longer ago than this is no longer chased
# (it was approved before the portal kept its record, or its TSD is long since a matter for its annual review).
TSD_FOLLOWED_AFTER_DEADLINE = relativedelta(months=6)
# Mandatory training "expiring" this many days ahead is shown to carers and in the compliance report.
EXPIRING_WITHIN_DAYS = 60


def standards_for(carer_type: str | None) -> list[int]:
    """The TSD standards a household must evidence: 1–6 for family and friends carers, 1–7 for everyone else."""
    return [1, 2, 3, 4, 5, 6] if carer_type in FAMILY_AND_FRIENDS else list(TSD_STANDARDS)


def tsd_deadline(carer_type: str | None, approval_date: date | None) -> date | None:
    """12 months from approval (18 for family and friends carers); None before approval."""
    if approval_date is None:
        return None
    months = 18 if carer_type in FAMILY_AND_FRIENDS else 12
    return approval_date + relativedelta(months=months)


def tsd_followed(deadline: date | None, on: date) -> bool:
    """False for a household approved long ago: its deadline passed more than `TSD_FOLLOWED_AFTER_DEADLINE` ago,
    so the first-year standards are no longer chased."""
    return deadline is None or on <= deadline + TSD_FOLLOWED_AFTER_DEADLINE


def tsd_behind(required: int, signed_off: int, deadline: date | None, on: date) -> bool:
    """Not complete and either past the deadline or with fewer of the `required` standards signed off than the time
    gone asks for (a steady pace: a twelfth of the standards a month, or an eighteenth for family and friends
    carers, who have 6 to evidence). Never before approval (no deadline), nor once no longer followed."""
    if signed_off >= required or deadline is None or not tsd_followed(deadline, on):
        return False
    days_left = (deadline - on).days
    if days_left < 0:
        return True
    period = 548 if required == 6 else 365
    gone = max(0.0, 1 - days_left / period)
    return signed_off < int(required * gone)


def first_approval_followed(carer_type: str | None, on: date) -> date:
    """An approval date before which no household of this type is followed on `on` (`tsd_followed`): a bound for
    finding the followed few by an index on the approval date, a week early so that a month's end cannot push
    one out; `tsd_followed` is still asked of each found."""
    return first_approval_due_by(carer_type, on - TSD_FOLLOWED_AFTER_DEADLINE - timedelta(days=7))


def first_approval_due_by(carer_type: str | None, day: date) -> date:
    """The earliest approval date whose TSD deadline (`tsd_deadline`) falls on or after `day`. The deadline never
    falls earlier for a later approval, so "approved on or after this date" is exactly "deadline on or after `day`":
    a condition on the approval date alone, which an index on it serves (a month's end makes the step uneven,
    hence the search over a few days)."""
    months = 18 if carer_type in FAMILY_AND_FRIENDS else 12
    first = day - relativedelta(months=months)
    while tsd_deadline(carer_type, first - timedelta(days=1)) >= day:
        first -= timedelta(days=1)
    while tsd_deadline(carer_type, first) < day:
        first += timedelta(days=1)
    return first


def expiry_of(completed_on: date, expiry_months: int | None) -> date | None:
    return completed_on + relativedelta(months=expiry_months) if expiry_months else None
