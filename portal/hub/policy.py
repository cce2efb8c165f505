"""Who reads and who keeps the information hub; loaders answer 404 for what is missing."""

from __future__ import annotations

from sqlalchemy import select

from portal.auth.models import User
from portal.auth.roles import STAFF_ROLES, Role
from portal.core.db import db
from portal.core.refusals import not_found
from portal.core.uploads import READY
from portal.hub.models import HubPage, Newsletter, TeamContact
from portal.people.lookups import PERSON_KINDS

EDITORS = (Role.ADMIN,)
# Who may own a page (and be reminded to review it): the service's staff, as the page form's owner field offers them.
PAGE_OWNERS = PERSON_KINDS["staff"]
# Staff whose contact details carers see (on the help page, for their own social workers).
CONTACT_KEEPERS = tuple(sorted(STAFF_ROLES))


def load_page(user: User, page_id: int) -> HubPage:
    page = db.session.get(HubPage, page_id)
    if page is None:
        not_found(user, "hub_page", page_id)
    return page


def load_page_to_review(user: User, page_id: int) -> HubPage:
    """A page this person owns (or any, for an admin); anyone else's is 404, as if missing."""
    page = load_page(user, page_id)
    if not (user.has_role(Role.ADMIN) or page.owner_id == user.id):
        not_found(user, "hub_page_to_review", page_id)
    return page


def load_team_contact(user: User, contact_id: int) -> TeamContact:
    contact = db.session.get(TeamContact, contact_id)
    if contact is None:
        not_found(user, "team_contact", contact_id)
    return contact


def load_newsletter(user: User, newsletter_id: int, *, ready_only: bool = True) -> Newsletter:
    """A newsletter whose PDF is ready (an admin also sees one still being checked)."""
    stmt = select(Newsletter).where(Newsletter.id == newsletter_id)
    newsletter = db.session.scalar(stmt)
    if newsletter is None or (ready_only and newsletter.file.status != READY and not user.has_role(Role.ADMIN)):
        not_found(user, "newsletter", newsletter_id)
    return newsletter
