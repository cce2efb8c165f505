"""Opening the inbox changes nothing; "Mark all as read" marks what the person saw, and only theirs."""

from __future__ import annotations

from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.db import db
from portal.core.notify import Notification, notify_in_app
from tests.factories import make_user


def _unread(user) -> list[str]:
    db.session.expire_all()
    rows = db.session.scalars(
        select(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )
    return sorted(n.text for n in rows)


def test_opening_the_inbox_leaves_everything_new(client):
    carer = make_user(Role.CARER, mfa=False)
    notify_in_app(carer.id, "Your claim was approved")
    notify_in_app(carer.id, "Payment made")
    db.session.commit()
    client.sign_in(carer)
    for _ in range(2):
        page = client.get("/notifications")
        assert page.status_code == 200
        assert page.text.count("govuk-tag--blue") == 2
    assert _unread(carer) == ["Payment made", "Your claim was approved"]


def test_mark_all_as_read_marks_what_was_shown_and_keeps_what_came_after(client):
    carer, other = make_user(Role.CARER, mfa=False), make_user(Role.CARER, mfa=False)
    notify_in_app(carer.id, "Your claim was approved")
    notify_in_app(other.id, "Someone else's news")
    db.session.commit()
    client.sign_in(carer)
    client.get("/notifications")
    form = next(f for f in client.page.forms if f.action == "/notifications/mark-read")
    notify_in_app(carer.id, "Arrived while reading")  # after the page was drawn: not seen, so still new
    db.session.commit()
    response = client.post("/notifications/mark-read", data=form.fields)
    assert response.status_code == 302 and response.location == "/notifications"
    assert _unread(carer) == ["Arrived while reading"]
    assert _unread(other) == ["Someone else's news"]
    page = client.get("/notifications")
    assert "marked as read" in page.text and page.text.count("govuk-tag--blue") == 1


def test_no_button_when_nothing_is_new(client):
    carer = make_user(Role.CARER, mfa=False)
    client.sign_in(carer)
    client.get("/notifications")
    assert not [f for f in client.page.forms if f.action == "/notifications/mark-read"]


def test_a_hand_made_up_to_marks_what_there_is(client):
    carer = make_user(Role.CARER, mfa=False)
    notify_in_app(carer.id, "Your claim was approved")
    db.session.commit()
    client.sign_in(carer)
    client.get("/notifications")
    form = next(f for f in client.page.forms if f.action == "/notifications/mark-read")
    response = client.post("/notifications/mark-read", data={**form.fields, "up_to": "99999999999999999999"})
    assert response.status_code == 302
    assert _unread(carer) == []


def test_without_the_csrf_token_nothing_is_marked(client):
    carer = make_user(Role.CARER, mfa=False)
    notify_in_app(carer.id, "Your claim was approved")
    db.session.commit()
    client.sign_in(carer)
    assert client.post("/notifications/mark-read", data={"up_to": "1"}).status_code == 400
    assert _unread(carer) == ["Your claim was approved"]
