"""A household's learning record: each carer's courses and hours, mandatory training due, and TSD progress against
its deadline; the supervising social worker's sign-off of a standard."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from portal.auth.models import User
from portal.core import audit
from portal.core.db import db, utcnow
from portal.core.templating import uk_date
from portal.core.unit_of_work import transactional
from portal.people.models import Household
from portal.training.models import Certificate, CertificateStatus, Course, TrainingRecord, TsdSignOff
from portal.training.rules import (
    EXPIRING_WITHIN_DAYS,
    TSD_STANDARDS,
    standards_for,
    tsd_behind,
    tsd_deadline,
    tsd_followed,
)


class SignOffRefused(ValueError):
    pass


@dataclass
class Mandatory:
    title: str
    status: str  # "done", "expiring", "overdue", "missing"
    expires_on: date | None = None

    @property
    def status_text(self) -> str:
        if self.status == "missing":
            return "Not done yet"
        if self.status == "overdue":
            return f"Expired on {uk_date(self.expires_on)}"
        if self.status == "expiring":
            return f"Expires on {uk_date(self.expires_on)}"
        return f"Done{f', valid until {uk_date(self.expires_on)}' if self.expires_on else ''}"


@dataclass
class PersonRecord:
    user_id: int
    name: str
    records: list[TrainingRecord]
    hours_this_year: float
    hours_total: float
    mandatory: list[Mandatory]


@dataclass
class Standard:
    number: int
    title: str
    evidence: list[str]
    sign_off: TsdSignOff | None

    @property
    def signed_off_text(self) -> str:
        if self.sign_off is None:
            return "Not yet"
        return f"{uk_date(self.sign_off.signed_off_at)} by {self.sign_off.signed_off_by.full_name}"


@dataclass
class TsdProgress:
    standards: list[Standard]
    deadline: date | None
    on: date

    @property
    def required(self) -> int:
        return len(self.standards)

    @property
    def signed_off(self) -> int:
        return sum(1 for s in self.standards if s.sign_off is not None)

    @property
    def complete(self) -> bool:
        return self.signed_off == self.required

    @property
    def days_left(self) -> int | None:
        return (self.deadline - self.on).days if self.deadline else None

    @property
    def is_followed(self) -> bool:
        """False for a household approved long ago (rules.tsd_followed; shared/DOMAIN.md, "Training rules")."""
        return tsd_followed(self.deadline, self.on)

    @property
    def is_behind(self) -> bool:
        """Behind with the standards (rules.tsd_behind); never for a household approved long ago."""
        return tsd_behind(self.required, self.signed_off, self.deadline, self.on)

    @property
    def deadline_text(self) -> str:
        done = f"{self.signed_off} of {self.required} standards signed off"
        if self.deadline is None:
            return f"{done}. The deadline starts from approval."
        if self.complete:
            return f"{done}: complete."
        if not self.is_followed:
            return f"Not applicable: approved long ago (the first-year deadline was {uk_date(self.deadline)})."
        if self.days_left < 0:
            return f"{done}. The deadline was {uk_date(self.deadline)} ({-self.days_left} days ago)."
        return f"{done}. Deadline {uk_date(self.deadline)}: {self.days_left} days left."


@dataclass
class HouseholdRecord:
    household_name: str
    on: date
    people: list[PersonRecord] = field(default_factory=list)
    tsd: TsdProgress | None = None


def _mandatory_status(courses: list[Course], records: list[TrainingRecord], on: date) -> list[Mandatory]:
    latest: dict[int, TrainingRecord] = {}
    for r in records:  # newest first
        if r.course_id is not None and r.course_id not in latest:
            latest[r.course_id] = r
    out = []
    soon = on + timedelta(days=EXPIRING_WITHIN_DAYS)
    for course in courses:
        record = latest.get(course.id)
        if record is None:
            out.append(Mandatory(course.title, "missing"))
        elif record.expires_on and record.expires_on < on:
            out.append(Mandatory(course.title, "overdue", record.expires_on))
        elif record.expires_on and record.expires_on <= soon:
            out.append(Mandatory(course.title, "expiring", record.expires_on))
        else:
            out.append(Mandatory(course.title, "done", record.expires_on))
    order = {"overdue": 0, "missing": 1, "expiring": 2, "done": 3}
    return sorted(out, key=lambda m: order[m.status])


def mandatory_courses(carer_type: str | None) -> list[Course]:
    if not carer_type:
        return []
    return list(
        db.session.scalars(
            select(Course).where(Course.is_active.is_(True), Course.mandatory_for.like(f"%,{carer_type},%"))
        )
    )


def tsd_progress(household: Household, records: list[TrainingRecord], on: date) -> TsdProgress:
    """Each standard the household must evidence, with its evidence (courses that count for it, verified workbook
    pages) and sign-off. A household shares one workbook, so the evidence of either carer counts."""
    return tsd_progress_of([household], on, records={household.id: records})[household.id]


def tsd_progress_of(
    households: list[Household], on: date, *, records: dict[int, list[TrainingRecord]] | None = None
) -> dict[int, TsdProgress]:
    """TSD progress of many households (a page of a caseload) in three queries whatever their number: workbook
    pages, sign-offs, and (unless given) the courses their carers have done."""
    ids = [h.id for h in households]
    if records is None:
        records = {i: [] for i in ids}
        for r in db.session.scalars(select(TrainingRecord).where(TrainingRecord.household_id.in_(ids))):
            records[r.household_id].append(r)
    pages: dict[int, list[Certificate]] = {i: [] for i in ids}
    for page in db.session.scalars(
        select(Certificate).where(
            Certificate.household_id.in_(ids),
            Certificate.tsd_standard.is_not(None),
            Certificate.status == CertificateStatus.VERIFIED,
        )
    ):
        pages[page.household_id].append(page)
    sign_offs: dict[int, dict[int, TsdSignOff]] = {i: {} for i in ids}
    for s in db.session.scalars(select(TsdSignOff).where(TsdSignOff.household_id.in_(ids))):
        sign_offs[s.household_id][s.standard] = s
    out = {}
    for household in households:
        required = standards_for(household.carer_type)
        evidence: dict[int, list[str]] = {n: [] for n in required}
        for r in records.get(household.id, []):
            for n in r.course.standards if r.course else []:
                if n in evidence and r.title not in evidence[n]:
                    evidence[n].append(r.title)
        for page in pages[household.id]:
            if page.tsd_standard in evidence:
                evidence[page.tsd_standard].append(f"Workbook: {page.title}")
        out[household.id] = TsdProgress(
            standards=[Standard(n, TSD_STANDARDS[n], evidence[n], sign_offs[household.id].get(n)) for n in required],
            deadline=tsd_deadline(household.carer_type, household.approval_date),
            on=on,
        )
    return out


def household_record(household: Household | None, people: list[User], on: date) -> HouseholdRecord:
    """The learning record of these people (a household's carers, or one applicant), in a bounded number of
    queries whatever their history: records in one, mandatory courses in one, TSD in three."""
    ids = [p.id for p in people]
    records = list(
        db.session.scalars(
            select(TrainingRecord)
            .where(TrainingRecord.user_id.in_(ids))
            .order_by(TrainingRecord.completed_on.desc(), TrainingRecord.id.desc())
        )
    )
    courses = mandatory_courses(household.carer_type if household else None)
    year_start = date(on.year, 1, 1)
    summary = HouseholdRecord(household.name if household else people[0].full_name, on)
    for person in people:
        mine = [r for r in records if r.user_id == person.id]
        summary.people.append(
            PersonRecord(
                user_id=person.id,
                name=person.full_name,
                records=mine,
                hours_this_year=sum(r.minutes for r in mine if r.completed_on >= year_start) / 60,
                hours_total=sum(r.minutes for r in mine) / 60,
                mandatory=_mandatory_status(courses, mine, on),
            )
        )
    if household is not None:
        summary.tsd = tsd_progress(household, records, on)
    return summary


@transactional
def sign_off_standard(actor: User, household: Household, standard: int, note: str) -> TsdSignOff:
    """The SSW signs off one TSD standard for the household, with a note. Raises SignOffRefused for a standard the
    household does not have to evidence, or one signed off already."""
    if standard not in standards_for(household.carer_type):
        raise SignOffRefused("This household does not need to evidence that standard")
    existing = db.session.scalar(
        select(TsdSignOff).where(TsdSignOff.household_id == household.id, TsdSignOff.standard == standard)
    )
    if existing is not None:
        raise SignOffRefused("This standard is already signed off")
    sign_off = TsdSignOff(
        household_id=household.id,
        standard=standard,
        note=note.strip(),
        signed_off_by_id=actor.id,
        signed_off_at=utcnow(),
    )
    db.session.add(sign_off)
    db.session.flush()
    audit.record(
        db.session,
        "tsd_standard_signed_off",
        actor_id=actor.id,
        object_type="household",
        object_id=household.id,
        standard=standard,
    )
    return sign_off
