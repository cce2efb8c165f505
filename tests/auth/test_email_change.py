"""Changing one's own email address: re-authentication first, a single-use link to the new address, other sessions
ended and the old address told."""

import time
from datetime import timedelta

from itsdangerous import TimestampSigner
from sqlalchemy import select

from portal.account import email_change
from portal.account.services import NotReauthenticated
from portal.auth.models import PasswordReset, UserSession
from portal.auth.roles import Role
from portal.core.audit import AuditEvent
from portal.core.db import db, utcnow
from portal.demo import DEMO_PASSWORD
from tests.auth.second_factor_steps import code
from tests.factories import make_user
from tests.mail import link_in, path_of, read_mail
from tests.pages import text_of

CONFIRM = "/account/confirm-its-you"
CHANGE = "/account/change-email"


def _age_reauth(user, minutes: int = 11) -> None:
    for rec in db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)):
        rec.reauthenticated_at = utcnow() - timedelta(minutes=minutes)
    db.session.commit()


def _ask(client, new_email: str):
    return client.submit(CHANGE, {"email": new_email})


def _link_to(mail_dir, address: str) -> str:
    sent = [m for m in read_mail(mail_dir) if m["To"] == address]
    assert sent and sent[-1]["Subject"] == "Confirm your new email address"
    return path_of(link_in(sent[-1]))


def _audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_a_carer_changes_their_email_address_through_a_link_to_the_new_one(app, client, mail_dir):
    carer = make_user(Role.CARER, mfa=True, email="old-address@example.org")
    client.sign_in(carer)
    _age_reauth(carer)

    account = text_of(client.get("/account"))
    assert "Change email address" in account
    asked = client.get(CHANGE)
    assert asked.status_code == 302 and asked.location == f"{CONFIRM}?next={CHANGE}"
    client.submit(asked.location, {"password": DEMO_PASSWORD, "code": code(1)})
    sent = _ask(client, "  New.Address@Example.org ")
    assert sent.status_code == 302 and sent.location == "/account"
    assert "We have sent a link to new.address@example.org" in text_of(client.get("/account"))
    db.session.refresh(carer)
    assert carer.email == "old-address@example.org"  # nothing changes until the link is followed

    link = _link_to(mail_dir, "new.address@example.org")
    page = client.get(link)  # opening it (or a mail scanner doing so) changes nothing
    assert page.status_code == 200 and "Use your new email address" in text_of(page)
    db.session.refresh(carer)
    assert carer.email == "old-address@example.org"

    done = client.submit(link)
    assert done.status_code == 302 and done.location == "/account"
    db.session.refresh(carer)
    assert carer.email == "new.address@example.org"
    assert "Your email address is now new.address@example.org" in text_of(client.get("/account"))
    told = [m for m in read_mail(mail_dir) if m["To"] == "old-address@example.org"][-1]
    assert told["Subject"] == "Your email address was changed"
    assert f"If this wasn't you, call {app.config['OUT_OF_HOURS_PHONE']}" in told.get_content()
    assert [e.actor_id for e in _audit("email_changed")] == [carer.id]
    assert _audit("email_change_requested")[0].object_id == str(carer.id)

    # The link works once.
    again = client.get(link)
    assert again.status_code == 410 and "already been used" in text_of(again)


def test_other_sessions_end_and_reset_links_to_the_old_address_stop_working(app, client, mail_dir):
    carer = make_user(Role.CARER, email="kept-safe@example.org")
    elsewhere = app.test_client()
    elsewhere.sign_in(carer)
    client.submit("/forgotten-password", {"email": carer.email})
    client.sign_in(carer)
    assert _ask(client, "moved@example.org").status_code == 302
    client.submit(_link_to(mail_dir, "moved@example.org"))

    assert client.get("/account").status_code == 200
    assert elsewhere.get("/account").location.startswith("/sign-in")
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.user_id == carer.id))
    assert reset.used_at is not None
    # The person signs in with the new address from now on.
    fresh = app.test_client()
    assert fresh.submit("/sign-in", {"email": "moved@example.org", "password": DEMO_PASSWORD}).location == "/"


def test_the_new_address_is_checked_beside_its_field(client):
    carer = make_user(Role.CARER, email="me@example.org")
    make_user(Role.CARER, email="taken@example.org")
    client.sign_in(carer)
    for typed, message in (
        ("not an address", "Enter an email address in the correct format"),
        ("", "Enter your new email address"),
        ("Taken@example.org", "used by another account"),
        ("ME@example.org", "already your email address"),
    ):
        page = _ask(client, typed)
        assert page.status_code == 400 and message in text_of(page), typed
        assert f'value="{typed}"' in page.text or not typed
    assert _audit("email_change_requested") == []


def test_asking_needs_a_recent_re_authentication_in_the_service_too(client):
    carer = make_user(Role.CARER)
    client.sign_in(carer)
    _age_reauth(carer)
    rec = db.session.scalar(select(UserSession).where(UserSession.user_id == carer.id))
    try:
        email_change.request_email_change(carer, rec, "sneaky@example.org")
    except NotReauthenticated:
        pass
    else:
        raise AssertionError("asked without re-authentication")
    assert client.post(CHANGE, data={"email": "sneaky@example.org"}).status_code in (302, 400)


def test_a_newer_change_kills_older_links_even_one_back_to_an_old_address(client, mail_dir):
    carer = make_user(Role.CARER, email="first@example.org")
    client.sign_in(carer)
    _ask(client, "second@example.org")
    to_second = _link_to(mail_dir, "second@example.org")
    _ask(client, "third@example.org")
    to_third = _link_to(mail_dir, "third@example.org")
    client.submit(to_second)
    db.session.refresh(carer)
    assert carer.email == "second@example.org"
    assert client.get(to_third).status_code == 410  # asked for from the old address: it no longer applies

    _ask(client, "first@example.org")
    client.submit(_link_to(mail_dir, "first@example.org"))
    db.session.refresh(carer)
    assert carer.email == "first@example.org"
    replay = client.get(to_second)  # the first link again, whose address was given up since
    assert replay.status_code == 410 and "already been used" in text_of(replay)


def test_links_that_cannot_be_used_say_why(app, client, mail_dir, monkeypatch):
    carer, other = make_user(Role.CARER), make_user(Role.CARER)
    client.sign_in(carer)
    _ask(client, "wanted@example.org")
    link = _link_to(mail_dir, "wanted@example.org")

    other_client = app.test_client()
    other_client.sign_in(other)
    wrong_person = other_client.get(link)
    assert wrong_person.status_code == 410 and "different account" in text_of(wrong_person)
    other_client.get("/account")
    token = next(f.fields["csrf_token"] for f in other_client.page.forms if "csrf_token" in f.fields)
    assert other_client.post(link, data={"csrf_token": token}).status_code == 410
    db.session.refresh(other)
    assert other.email != "wanted@example.org"

    tampered = client.get(link[:-3] + "abc")
    assert tampered.status_code == 410 and "not complete" in text_of(tampered)

    make_user(Role.CARER, email="wanted@example.org")  # given to someone else in the meantime
    taken = client.get(link)
    assert taken.status_code == 410 and "used by another account" in text_of(taken)

    later = int(time.time()) + 25 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    expired = client.get(link)
    assert expired.status_code == 410 and "expired" in text_of(expired)
    db.session.refresh(carer)
    assert carer.email != "wanted@example.org"


def test_the_link_asks_a_signed_out_person_to_sign_in_first(app, client, mail_dir):
    carer = make_user(Role.CARER)
    client.sign_in(carer)
    _ask(client, "phone-reader@example.org")
    link = _link_to(mail_dir, "phone-reader@example.org")
    phone = app.test_client()
    sent_to_sign_in = phone.get(link)
    assert sent_to_sign_in.status_code == 302 and sent_to_sign_in.location.startswith("/sign-in")
    back = phone.submit(sent_to_sign_in.location, {"email": carer.email, "password": DEMO_PASSWORD})
    assert back.location == link
    assert phone.submit(link).location == "/account"
    db.session.refresh(carer)
    assert carer.email == "phone-reader@example.org"
