"""Opening the notifications list marks the person's own notifications read, and only theirs."""

from __future__ import annotations

from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.db import db
from portal.core.notify import Notification, notify_in_app
from tests.factories import make_user


def test_opening_the_list_marks_only_ones_own_notifications_read(client):
    carer, other = make_user(Role.CARER), make_user(Role.CARER)
    notify_in_app(carer.id, "Your claim was approved", "/claims")
    notify_in_app(other.id, "Someone else's news", "/claims")
    db.session.commit()
    client.sign_in(carer)
    page = client.get("/notifications")
    assert page.status_code == 200 and "Your claim was approved" in page.text
    read = dict(db.session.execute(select(Notification.user_id, Notification.read_at)).all())
    assert read[carer.id] is not None and read[other.id] is None
