"""Hub rows for tests, made through the services (the Markdown is cleaned as in use)."""

from __future__ import annotations

from datetime import date

from portal.auth.roles import Role
from portal.hub.services import PageDetails, save_page
from tests.factories import make_user


def make_page(
    title: str = "The fostering handbook",
    body: str = "# Welcome\n\nEverything about fostering with us.",
    *,
    section: str = "handbook",
    live: tuple[str, ...] = (),
    owner=None,
    reviewed: date | None = None,
    months: int = 12,
    admin=None,
):
    admin = admin or make_user(Role.ADMIN)
    details = PageDetails(
        section=section,
        title=title,
        summary="",
        body_markdown=body,
        position=0,
        live_sections=live,
        owner_id=(owner or admin).id,
        last_reviewed_on=reviewed or date.today(),
        review_every_months=months,
    )
    return save_page(admin, None, details)
