"""Sending a committed notice on the channels its recipient keeps on besides Hearth itself: web push, a text
message, and, for kinds whose feature does not write its own email, a content-free email."""

from __future__ import annotations

from urllib.parse import urljoin

from flask import current_app
from sqlalchemy import select

from portal.core.db import Base, db
from portal.core.links import url_to
from portal.core.notice_kinds import EMAIL, PUSH, SMS, kind_of
from portal.core.notice_preferences import channels_for, mobile_number_of
from portal.core.notify import Notification, build_email, deliver
from portal.core.push import push_enabled, push_to
from portal.core.sms import send_text, texts_enabled

# Kinds whose features already send their own email (with the same care for what it says).
EMAILED_BY_FEATURE = frozenset({"significant_event", "payment_made", "payment_held"})


def deliver_elsewhere(notification_id: int) -> None:
    note = db.session.get(Notification, notification_id)
    if note is None or note.resolved_at is not None:
        return  # dealt with before the worker got to it: nobody needs telling
    users = Base.metadata.tables["users"]  # by name: core imports no feature
    user = db.session.execute(select(users).where(users.c.id == note.user_id)).first()
    if user is None or not user.is_active:
        return
    kind = kind_of(note.kind)
    wanted = channels_for(note.user_id, kind)
    link = note.link or "/"
    if PUSH in wanted and push_enabled():
        push_to(note.user_id, payload(note))
    if SMS in wanted and texts_enabled():
        number = mobile_number_of(note.user_id)
        if number:
            service = current_app.config["SERVICE_NAME"]
            send_text(number, f"{kind.alert}. Sign in to {service}: {url_to_path(link)}", f"notice-{note.id}")
    if EMAIL in wanted and kind.name not in EMAILED_BY_FEATURE and kind.name != "general":
        deliver(
            build_email(
                user.email,
                kind.alert,
                "notice",
                name=user.full_name,
                alert=kind.alert,
                link=url_to_path(link),
            )
        )


def payload(note: Notification) -> dict:
    """What a push carries: the kind's alert, the page to open (a path inside Hearth) and a tag, so a second push
    about the same thing replaces the first on the device instead of stacking."""
    kind = kind_of(note.kind)
    return {
        "title": current_app.config["SERVICE_NAME"],
        "body": kind.alert,
        "url": note.link if (note.link or "").startswith("/") else "/notifications",
        "tag": note.dedupe_key or f"notice-{note.id}",
    }


def url_to_path(path: str) -> str:
    """An absolute link for a path inside Hearth (path_to's paths already hold any prefix of BASE_URL)."""
    return urljoin(current_app.config["BASE_URL"], path) if path.startswith("/") else url_to("hub.home")
