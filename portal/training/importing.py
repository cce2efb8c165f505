"""Bringing past training in from a CSV (email, course, date, hours, certificate reference): a preview that says
which rows cannot be matched to a carer or a course, and why, before anything is saved; saved rows are marked
imported in the learning record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from portal.auth.models import User, UserRole
from portal.auth.roles import Role
from portal.core import audit
from portal.core.csv_export import read_rows
from portal.core.db import db
from portal.core.money import parse_decimal
from portal.core.unit_of_work import transactional
from portal.people.models import HouseholdMember
from portal.training.models import Course, RecordSource, TrainingRecord
from portal.training.rules import expiry_of

COLUMNS = ("email", "course", "date", "hours", "certificate reference")
MAX_ROWS = 5000
# One record's hours: more than a long course's several days, so a typed extra digit is caught.
MAX_HOURS = 100


class ImportRefused(ValueError):
    pass


@dataclass
class Row:
    line: int
    email: str
    course_title: str
    raw_date: str
    raw_hours: str
    reference: str
    user: User | None = None
    household_id: int | None = None
    course: Course | None = None
    completed_on: date | None = None
    minutes: int = 0
    problem: str | None = None


def _date(text: str) -> date | None:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def preview(text: str, today: date) -> list[Row]:
    """Every row read and matched (a bounded number of queries: users, households and courses are looked up in one
    query each). A row is unmatched, with its reason, for an unknown carer or course, an unreadable or future date,
    hours that are not a number above 0 and at most MAX_HOURS, or a repeat of an earlier row of the file (same person,
    course and date). Raises ImportRefused for a file without the expected heading row or with too many rows."""
    try:
        lines = read_rows(text)
    except Exception as exc:  # csv.Error: a stray quote or NUL byte
        raise ImportRefused(f"The file cannot be read as CSV: {exc}") from None
    header = [h.strip().lower() for h in (lines[0] if lines else [])]
    if tuple(header[: len(COLUMNS)]) != COLUMNS:
        raise ImportRefused(f"The first row must be the headings: {', '.join(COLUMNS)}")
    rows = []
    for n, cells in enumerate(lines[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        cells = (cells + [""] * 5)[:5]
        rows.append(
            Row(n, cells[0].strip().lower(), cells[1].strip(), cells[2].strip(), cells[3].strip(), cells[4].strip())
        )
        if len(rows) > MAX_ROWS:
            raise ImportRefused(f"A file can hold at most {MAX_ROWS} rows: split it")
    emails = {r.email for r in rows}
    carers = {
        u.email.lower(): u
        for u in db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(func.lower(User.email).in_(emails), UserRole.role == Role.CARER)
        )
    }
    households = dict(
        db.session.execute(
            select(HouseholdMember.user_id, HouseholdMember.household_id).where(
                HouseholdMember.user_id.in_([u.id for u in carers.values()])
            )
        ).all()
    )
    courses = {c.title.strip().lower(): c for c in db.session.scalars(select(Course))}
    seen: dict[tuple[int, int, date], int] = {}  # a row's person, course and date: the line first holding them
    for row in rows:
        row.user = carers.get(row.email)
        row.course = courses.get(row.course_title.lower())
        row.completed_on = _date(row.raw_date)
        try:
            hours = parse_decimal(row.raw_hours, places=2, what="the hours", example="3.5") if row.raw_hours else None
            bad_hours = hours is not None and not 0 < hours <= MAX_HOURS
        except ValueError:
            hours, bad_hours = None, True
        if row.user is None:
            row.problem = f"No carer has the email address {row.email or '(empty)'}"
        elif row.course is None:
            row.problem = f"No course is called {row.course_title or '(empty)'}"
        elif row.completed_on is None:
            row.problem = f"The date {row.raw_date or '(empty)'} cannot be read: use 2024-03-27 or 27/03/2024"
        elif row.completed_on > today:
            row.problem = "The date is in the future"
        elif bad_hours:
            row.problem = (
                f"The hours {row.raw_hours} cannot be used: give a number more than 0 and at most {MAX_HOURS}, "
                "like 3.5, or leave it empty to use the course's hours"
            )
        elif (key := (row.user.id, row.course.id, row.completed_on)) in seen:
            row.problem = f"Repeats row {seen[key]} (same person, course and date)"
        else:
            seen[key] = row.line
            row.household_id = households.get(row.user.id)
            row.minutes = int(hours * 60) if hours is not None else row.course.minutes
    return rows


@transactional
def import_rows(actor: User, rows: list[Row]) -> int:
    """Save the matched rows as imported records; a row already in the record (same person, course and date) is
    skipped, so importing the same file twice adds nothing. Returns how many were added."""
    good = [r for r in rows if r.problem is None]
    existing = {
        (uid, cid, done)
        for uid, cid, done in db.session.execute(
            select(TrainingRecord.user_id, TrainingRecord.course_id, TrainingRecord.completed_on).where(
                TrainingRecord.user_id.in_({r.user.id for r in good})
            )
        )
    }
    added = 0
    for row in good:
        key = (row.user.id, row.course.id, row.completed_on)
        if key in existing:
            continue
        existing.add(key)
        db.session.add(
            TrainingRecord(
                user_id=row.user.id,
                household_id=row.household_id,
                course_id=row.course.id,
                title=row.course.title,
                completed_on=row.completed_on,
                minutes=row.minutes,
                expires_on=expiry_of(row.completed_on, row.course.expiry_months),
                source=RecordSource.IMPORTED,
                certificate_reference=row.reference[:100] or None,
                recorded_by_id=actor.id,
            )
        )
        added += 1
    db.session.flush()
    audit.record(
        db.session, "training_records_imported", actor_id=actor.id, object_type="training_records", added=added
    )
    return added
