"""Use cases for the information hub: pages (Markdown cleaned on save, reviewed on a schedule), team contacts,
staff's own contact details and newsletters (PDFs through the upload pipeline)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from dateutil.relativedelta import relativedelta
from flask import abort

from portal.auth.models import User
from portal.auth.roles import STAFF_ROLES, Role
from portal.core import audit
from portal.core.db import db
from portal.core.links import path_to
from portal.core.search import index_entry, remove_entry
from portal.core.unit_of_work import transactional
from portal.core.uploads import receive, start_processing
from portal.hub.live_sections import available_sections
from portal.hub.markdown import plain_text, render_markdown
from portal.hub.models import HubPage, Newsletter, Section, StaffContactDetails, TeamContact


class HubRuleError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _require_admin(actor: User) -> None:
    if not actor.has_role(Role.ADMIN):
        abort(403)


@dataclass
class PageDetails:
    section: str
    title: str
    summary: str
    body_markdown: str
    position: int
    live_sections: tuple[str, ...]
    owner_id: int | None
    last_reviewed_on: date
    review_every_months: int


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:70] or "page"


def index_page(page: HubPage) -> None:
    body = " ".join([page.summary, plain_text(page.body_html), page.section_label])
    index_entry("hub", page.id, title=page.title, body=body, href=path_to("hub.show_page", page_id=page.id))


@transactional
def save_page(actor: User, page: HubPage | None, d: PageDetails) -> HubPage:
    """Create or change a page; the Markdown is rendered and cleaned (nh3) now, and only the clean HTML is shown."""
    _require_admin(actor)
    if d.section not in set(Section):
        raise HubRuleError("section", "Choose the section")
    known = {key for key, _t in available_sections()}
    if any(key not in known for key in d.live_sections):
        raise HubRuleError("live_sections", "Choose only tables that exist")
    if not 1 <= d.review_every_months <= 36:
        raise HubRuleError("review_every_months", "Enter how often to review the page: 1 to 36 months")
    if page is None:
        page = HubPage(slug=_slug(d.title))
        db.session.add(page)
    page.section, page.title, page.summary = d.section, d.title.strip(), d.summary.strip()
    page.body_markdown, page.body_html = d.body_markdown, render_markdown(d.body_markdown)
    page.position, page.live_sections, page.owner_id = d.position, ",".join(d.live_sections), d.owner_id
    page.last_reviewed_on = d.last_reviewed_on
    page.review_due_on = d.last_reviewed_on + relativedelta(months=d.review_every_months)
    db.session.flush()
    index_page(page)
    audit.record(db.session, "hub_page_saved", actor_id=actor.id, object_type="hub_page", object_id=page.id)
    return page


@transactional
def mark_reviewed(actor: User, page: HubPage, on: date) -> None:
    """The owner (or an admin) confirms the page is still right: the next review falls as far ahead as before."""
    if not (actor.has_role(Role.ADMIN) or page.owner_id == actor.id):
        abort(403)
    interval = relativedelta(page.review_due_on, page.last_reviewed_on)
    page.last_reviewed_on, page.review_due_on = (
        on,
        on + (interval if interval.months or interval.years else relativedelta(months=12)),
    )
    audit.record(db.session, "hub_page_reviewed", actor_id=actor.id, object_type="hub_page", object_id=page.id)


@transactional
def delete_page(actor: User, page: HubPage) -> None:
    _require_admin(actor)
    remove_entry("hub", page.id)
    db.session.delete(page)
    audit.record(db.session, "hub_page_deleted", actor_id=actor.id, object_type="hub_page", object_id=page.id)


@dataclass
class ContactDetails:
    name: str
    description: str
    phone: str
    email: str
    hours: str
    position: int = 0


@transactional
def save_team_contact(actor: User, contact: TeamContact | None, d: ContactDetails) -> TeamContact:
    _require_admin(actor)
    if not (d.phone.strip() or d.email.strip()):
        raise HubRuleError("phone", "Enter a phone number or an email address")
    if contact is None:
        contact = TeamContact()
        db.session.add(contact)
    contact.name, contact.description = d.name.strip(), d.description.strip()
    contact.phone, contact.email, contact.hours, contact.position = (
        d.phone.strip(),
        d.email.strip(),
        d.hours.strip(),
        d.position,
    )
    return contact


@transactional
def save_my_contact_details(actor: User, job_title: str, phone: str, email: str, hours: str) -> None:
    """A member of staff keeps how carers reach them (shown to the carers they support)."""
    if not actor.has_role(*STAFF_ROLES):
        abort(403)
    details = db.session.get(StaffContactDetails, actor.id)
    if details is None:
        details = StaffContactDetails(user_id=actor.id)
        db.session.add(details)
    details.job_title, details.phone, details.email, details.hours = (
        job_title.strip(),
        phone.strip(),
        email.strip(),
        hours.strip(),
    )


@transactional
def add_newsletter(
    actor: User, stream: BinaryIO, filename: str | None, *, title: str, issue_date: date, summary: str
) -> Newsletter:
    """Take a newsletter's PDF into the upload pipeline (checked, rebuilt, shown once ready).
    Raises portal.core.files.UploadRejected for anything but a document."""
    _require_admin(actor)
    stored = receive(
        actor, stream, filename, purpose="newsletter", prefix="newsletters", allowed_families=frozenset({"document"})
    )
    newsletter = Newsletter(
        title=title.strip(), issue_date=issue_date, summary=summary.strip(), file=stored, uploaded_by_id=actor.id
    )
    db.session.add(newsletter)
    db.session.flush()
    index_newsletter(newsletter)
    start_processing(stored)
    audit.record(db.session, "newsletter_added", actor_id=actor.id, object_type="newsletter", object_id=newsletter.id)
    return newsletter


def index_newsletter(newsletter: Newsletter) -> None:
    index_entry(
        "newsletters",
        newsletter.id,
        title=newsletter.title,
        body=newsletter.summary,
        href=path_to("hub.list_newsletters") + f"#newsletter-{newsletter.id}",
    )
