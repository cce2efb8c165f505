"""Importing the coordinators' spreadsheet (saved as CSV): one row per mentee, with their offer, answer, mentor,
match date, agreement meeting and ending. Every row is read first; the preview lists each row that cannot be read
and why, and nothing is saved until the coordinator confirms (then only the readable rows, in one transaction).

Columns (a header row, in any order; case and spaces ignored): name, email, locality, fostering type, offered on,
offered how, response, responded on, mentor email, matched on, agreement meeting on, agreement meeting held,
ended on, end reason. Name, email, locality and fostering type are required. Mentors are named by the email of
their Hearth account, which must already hold the mentor role.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select

from portal.auth.models import User, UserRole
from portal.auth.roles import Role
from portal.core import audit
from portal.core.clock import today
from portal.core.csv_export import read_table
from portal.core.db import db
from portal.core.unit_of_work import transactional
from portal.mentoring.models import OFFER_HOW_LABELS, Match, MatchEvent, Mentee
from portal.mentoring.policy import COORDINATORS
from portal.people.models import CARER_TYPE_LABELS, Locality

MAX_ROWS = 2_000
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y", "%d.%m.%Y")
REQUIRED = ("name", "email", "locality", "fostering type")
TYPES = {
    **{k.value: k.value for k in CARER_TYPE_LABELS},
    **{v.lower(): k.value for k, v in CARER_TYPE_LABELS.items()},
    "kinship": "kinship",
    "connected": "kinship",
    "family and friends": "kinship",
}
RESPONSES = {
    "yes": "wants",
    "wants": "wants",
    "wants one": "wants",
    "no": "declined",
    "declined": "declined",
    "no answer": "no_answer",
    "": None,
}
YES = {"yes", "y", "true", "held", "1"}


@dataclass
class Row:
    line: int
    name: str = ""
    values: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _key(header: str) -> str:
    return " ".join(header.strip().lower().replace("_", " ").split())


def _date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date (write it like 3 March 2025 or 03/03/2025)")


def read(text: str) -> list[Row]:
    """Every data row, with what was read and the problems found. Raises ValueError for a file that is not a table."""
    fieldnames, records = read_table(text)
    if not fieldnames:
        raise ValueError("The file is empty")
    headers = {_key(h) for h in fieldnames if h}
    missing = [h for h in REQUIRED if h not in headers]
    if missing:
        raise ValueError(f"The header row needs the columns: {', '.join(missing)}")
    localities = {n.lower(): i for i, n in db.session.execute(select(Locality.id, Locality.name))}
    mentors = {
        e.lower(): i
        for i, e in db.session.execute(
            select(User.id, User.email)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.MENTOR.value)
        )
    }
    known = {e.lower() for e in db.session.scalars(select(func.lower(Mentee.email)))}
    rows, seen = [], set()
    for n, raw in enumerate(records, start=2):
        if n - 1 > MAX_ROWS:
            raise ValueError(f"The file has more than {MAX_ROWS:,} rows: split it")
        cells = {_key(k): (v or "").strip() for k, v in raw.items() if k}
        if not any(cells.values()):
            continue
        row = Row(line=n, name=cells.get("name", ""))
        _check(row, cells, localities, mentors, known, seen)
        rows.append(row)
    return rows


def _check(row: Row, c: dict, localities: dict, mentors: dict, known: set, seen: set) -> None:
    v, p = row.values, row.problems
    v["name"] = c.get("name", "")
    if not v["name"]:
        p.append("the name is missing")
    email = c.get("email", "").lower()
    if "@" not in email:
        p.append("the email address is missing or not an email address")
    elif email in known:
        p.append(f"{email} is already a mentee in Hearth")
    elif email in seen:
        p.append(f"{email} is on an earlier row too")
    seen.add(email)
    v["email"] = email
    v["locality_id"] = localities.get(c.get("locality", "").lower())
    if v["locality_id"] is None:
        p.append(f"the locality '{c.get('locality', '')}' is not one of the service's localities")
    v["fostering_type"] = TYPES.get(c.get("fostering type", "").lower())
    if v["fostering_type"] is None:
        p.append(f"the fostering type '{c.get('fostering type', '')}' is not known")
    for col in ("offered on", "responded on", "matched on", "agreement meeting on", "ended on"):
        try:
            v[col] = _date(c.get(col, ""))
        except ValueError as exc:
            p.append(f"{col}: {exc}")
            v[col] = None
        if v[col] and v[col] > today():
            p.append(f"{col} is in the future")
    how = c.get("offered how", "").lower().replace(" ", "_")
    v["offered how"] = how if how in OFFER_HOW_LABELS else None
    if how and v["offered how"] is None:
        p.append(f"'offered how' must be one of: {', '.join(OFFER_HOW_LABELS)}")
    response = c.get("response", "").lower()
    if response not in RESPONSES:
        p.append("the response must be yes, no or no answer")
    v["response"] = RESPONSES.get(response)
    mentor = c.get("mentor email", "").lower()
    v["mentor_id"] = mentors.get(mentor) if mentor else None
    if mentor and v["mentor_id"] is None:
        p.append(f"{mentor} is not a mentor in Hearth")
    if v["mentor_id"] and not v["matched on"]:
        p.append("a mentor is named without the date they were matched")
    v["held"] = c.get("agreement meeting held", "").lower() in YES
    v["end reason"] = c.get("end reason", "")[:500] or None
    if v["ended on"] and v["matched on"] and v["ended on"] < v["matched on"]:
        p.append("the match ends before it starts")


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc)


@transactional
def save(actor: User, text: str) -> tuple[int, int]:
    """Save the readable rows (read again: the file is checked as it is saved). Returns (saved, skipped)."""
    if not actor.has_role(*COORDINATORS):
        raise ValueError("Only a mentoring coordinator can import")
    rows = read(text)
    saved = 0
    for row in rows:
        if not row.ok:
            continue
        v = row.values
        mentee = Mentee(
            full_name=v["name"],
            email=v["email"],
            locality_id=v["locality_id"],
            fostering_type=v["fostering_type"],
            offered_on=v["offered on"],
            offered_how=v["offered how"],
            response=v["response"] or ("wants" if v["mentor_id"] else None),
            responded_on=v["responded on"],
            created_by_id=actor.id,
        )
        db.session.add(mentee)
        db.session.flush()
        if v["mentor_id"]:
            matched = v["matched on"]
            status = "ended" if v["ended on"] else "active" if v["held"] else "introduced"
            match = Match(
                mentee_id=mentee.id,
                mentor_id=v["mentor_id"],
                status=status,
                reasons="imported from the spreadsheet",
                proposed_at=_at(matched),
                respond_by=matched + timedelta(days=3),
                accepted_at=_at(matched),
                introduced_on=matched,
                agreement_meeting_on=v["agreement meeting on"],
                agreement_meeting_held=v["held"],
                ended_on=v["ended on"],
                end_reason=v["end reason"],
            )
            db.session.add(match)
            db.session.flush()
            db.session.add(MatchEvent(match_id=match.id, step="imported", actor_id=actor.id))
        saved += 1
    audit.record(
        db.session,
        "mentoring_spreadsheet_imported",
        actor_id=actor.id,
        object_type="mentoring_mentee",
        object_id=None,
        saved=saved,
        skipped=len(rows) - saved,
    )
    return saved, len(rows) - saved
