"""Reads for the information hub: pages by section, newsletters, team contacts and a carer's own social workers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, exists, select

from portal.auth.models import User
from portal.core.clock import today
from portal.core.db import db, unindexed
from portal.core.uploads import READY, StoredFile
from portal.hub.models import SECTION_LABELS, HubPage, Newsletter, Section, StaffContactDetails, TeamContact
from portal.people.queries import current_placements, household_of


def pages_by_section() -> list[tuple[str, str, list[HubPage]]]:
    """(section, its label, its pages in order) for every section with pages, in the hub's order (one query)."""
    pages = db.session.scalars(select(HubPage).order_by(HubPage.position, HubPage.title, HubPage.id)).all()
    grouped: dict[str, list[HubPage]] = {s.value: [] for s in Section}
    for page in pages:
        grouped.setdefault(page.section, []).append(page)
    return [(s.value, SECTION_LABELS[s], grouped[s.value]) for s in Section if grouped[s.value]]


def pages_in_section(section: str) -> list[HubPage]:
    stmt = select(HubPage).where(HubPage.section == section).order_by(HubPage.position, HubPage.title)
    return list(db.session.scalars(stmt))


def newsletters(include_unready: bool = False) -> Select[tuple[Newsletter]]:
    """Newest first; only those whose PDF is ready, unless `include_unready` (for admins)."""
    stmt = select(Newsletter)
    if not include_unready:
        # Each newsletter's own file is checked (EXISTS by its key, the status unindexed: portal.core.db.unindexed).
        # Joined instead, SQLite counted the list by reading every file of the service (photos, documents, receipts)
        # and looking for a newsletter among them.
        ready = exists().where(StoredFile.id == Newsletter.file_id, unindexed(StoredFile.status) == READY)
        stmt = stmt.where(ready)
    return stmt.order_by(Newsletter.issue_date.desc(), Newsletter.id.desc())


def team_contacts() -> list[TeamContact]:
    return list(db.session.scalars(select(TeamContact).order_by(TeamContact.position, TeamContact.name)))


@dataclass(frozen=True)
class PersonalContact:
    """A social worker as a carer reaches them: `about` says why ("Your supervising social worker", "Amelia's
    social worker"); phone, email and hours are what the worker keeps on their account pages (the email falls
    back to their sign-in address). An empty `name` means no social worker is recorded for that child yet."""

    about: str
    name: str
    job_title: str
    phone: str
    email: str
    hours: str


def own_contacts(user: User, on: date | None = None) -> list[PersonalContact]:
    """The carer's supervising social worker and the social workers of the children living with them now."""
    household = household_of(user)
    if household is None:
        return []
    children = [p.child for p in current_placements(household, on or today())]
    # The supervising social worker and every child's social worker in one query, however many children.
    wanted = {household.ssw_id} | {c.social_worker_id for c in children}
    wanted.discard(None)
    workers = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(wanted)))} if wanted else {}
    people: list[tuple[str, User | None]] = []
    if household.ssw_id in workers:
        people.append(("Your supervising social worker", workers[household.ssw_id]))
    for child in children:
        # A child with no social worker recorded still gets a line, so the carer sees the gap rather than nothing.
        people.append((f"{child.known_as}'s social worker", workers.get(child.social_worker_id)))
    ids = {u.id for _about, u in people if u is not None}
    details = (
        {
            d.user_id: d
            for d in db.session.scalars(select(StaffContactDetails).where(StaffContactDetails.user_id.in_(ids)))
        }
        if ids
        else {}
    )
    found = []
    for about, worker in people:
        if worker is None:
            found.append(PersonalContact(about=about, name="", job_title="", phone="", email="", hours=""))
            continue
        d = details.get(worker.id)
        found.append(
            PersonalContact(
                about=about,
                name=worker.full_name,
                job_title=d.job_title if d else "",
                phone=d.phone if d else "",
                email=(d.email if d and d.email else worker.email),
                hours=d.hours if d else "",
            )
        )
    return found


def my_contact_details(user: User) -> StaffContactDetails | None:
    return db.session.get(StaffContactDetails, user.id)


def pages_due_for_review(on: date) -> list[HubPage]:
    """Pages past their review date whose owner has not yet been reminded since it passed."""
    stmt = select(HubPage).where(
        HubPage.review_due_on <= on,
        (HubPage.review_reminded_on.is_(None)) | (HubPage.review_reminded_on < HubPage.review_due_on),
    )
    return list(db.session.scalars(stmt))
