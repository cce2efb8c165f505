"""The hub's scheduled job: remind each page's owner when its review date has passed."""

from __future__ import annotations

from portal.core.clock import today
from portal.core.jobs import every
from portal.core.links import path_to, url_to
from portal.core.notify import notify_in_app, send_email
from portal.core.unit_of_work import unit_of_work
from portal.hub.queries import pages_due_for_review


def send_review_reminders() -> int:
    """Tell the owner of every page past its review date, once per review date (in-app and by email); returns how
    many pages were reminded about."""
    on = today()
    with unit_of_work():
        pages = pages_due_for_review(on)
        for page in pages:
            if page.owner is not None and page.owner.is_active:
                text = f"The information page \u201c{page.title}\u201d is due for review"
                notify_in_app(page.owner_id, text, path_to("hub.edit_page", page_id=page.id))
                send_email(
                    page.owner.email,
                    "An information page is due for review",
                    "hub_review_reminder",
                    title=page.title,
                    due=f"{page.review_due_on.day} {page.review_due_on:%B %Y}",
                    link=url_to("hub.edit_page", page_id=page.id),
                )
            page.review_reminded_on = on
    return len(pages)


@every(minute="40", hour="7")
def review_reminders_job() -> None:
    send_review_reminders()
