"""The "Your account" pages: details, changing the password, optional security codes and remembered devices."""

import re

import pyotp
from sqlalchemy import select

from portal.auth.models import RememberedDevice
from portal.auth.roles import Role
from portal.auth.services import remember_device
from portal.core.audit import AuditEvent
from portal.core.db import db
from portal.demo import DEMO_PASSWORD
from tests.auth.buttons import press
from tests.factories import make_user
from tests.mail import read_mail
from tests.pages import text_of

NEW_PASSWORD = "marmalade compass river"


def test_the_account_page_shows_name_email_and_roles(client):
    person = make_user(Role.CARER, Role.MENTOR, name="Rhian Hughes", email="rhian@example.org")
    client.sign_in(person)
    text = text_of(client.get("/account"))
    assert "Rhian Hughes" in text and "rhian@example.org" in text
    assert "Foster carer, Mentor" in text
    assert "Turn on security codes" in text


def test_changing_the_password_needs_the_current_one(client, mail_dir):
    carer = make_user(Role.CARER)
    client.sign_in(carer)
    wrong = client.submit(
        "/account/change-password",
        {"current_password": "not my password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert wrong.status_code == 200 and "current password is not right" in text_of(wrong)
    assert NEW_PASSWORD not in wrong.text
    done = client.submit(
        "/account/change-password",
        {"current_password": DEMO_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert read_mail(mail_dir)[-1]["Subject"] == "Your password has been changed"
    press(client, "/", "/sign-out")
    assert client.submit("/sign-in", {"email": carer.email, "password": NEW_PASSWORD}).status_code == 302


def test_a_new_password_must_be_long_and_uncommon(client):
    client.sign_in(make_user(Role.CARER))
    response = client.submit(
        "/account/change-password", {"current_password": DEMO_PASSWORD, "password": "tooshort", "confirm": "tooshort"}
    )
    assert "at least 12 characters" in text_of(response)
    empty = client.submit("/account/change-password", {})
    assert "Enter your current password" in text_of(empty) and "Enter a password" in text_of(empty)


def test_a_carer_turns_security_codes_on_from_the_account_page(client):
    carer = make_user(Role.CARER)
    client.sign_in(carer)
    assert "/sign-in/set-up-security-codes" in client.get("/account").page.hrefs
    page = client.get("/sign-in/set-up-security-codes")
    key = re.search(r'id="manual-key">([A-Z2-7 ]+)<', page.text).group(1).replace(" ", "")
    client.submit("/sign-in/set-up-security-codes", {"code": pyotp.TOTP(key).now()})
    db.session.refresh(carer)
    assert carer.mfa_enabled
    assert "Turn off security codes" in text_of(client.get("/account"))


def test_a_carer_just_signed_in_with_a_code_turns_security_codes_off(client, mail_dir):
    carer = make_user(Role.CARER, mfa=True)
    client.sign_in(carer)  # password and code moments ago: that is a recent re-authentication
    done = client.submit("/account/turn-off-security-codes")
    assert done.status_code == 302
    db.session.refresh(carer)
    assert not carer.mfa_enabled
    assert read_mail(mail_dir)[-1]["Subject"] == "Your security codes were changed"


def test_staff_cannot_turn_security_codes_off(client):
    ssw = make_user(Role.SSW)
    client.sign_in(ssw)
    response = client.get("/account/turn-off-security-codes", follow_redirects=True)
    assert "required for your role" in text_of(response)
    db.session.refresh(ssw)
    assert ssw.mfa_enabled


def test_remembered_devices_are_listed_and_can_be_forgotten(client):
    carer = make_user(Role.CARER, mfa=True)
    client.sign_in(carer)
    remember_device(carer, 30)
    remember_device(carer, 30)
    assert "Remembered on" in client.get("/account").text
    device = db.session.scalars(select(RememberedDevice)).first()
    press(client, "/account", "/forget-device", {"device_id": str(device.id)})
    db.session.refresh(device)
    assert device.revoked_at is not None
    press(client, "/account", "/forget-all-devices")
    assert all(
        d.revoked_at for d in db.session.scalars(select(RememberedDevice).execution_options(populate_existing=True))
    )
    assert "No devices are remembered" in client.get("/account").text


def test_nobody_can_forget_someone_elses_device(app, client):
    owner = make_user(Role.CARER, mfa=True)
    remember_device(owner, 30)
    device = db.session.scalar(select(RememberedDevice))
    client.sign_in(make_user(Role.CARER))
    client.get("/account")
    response = client.post("/account/forget-device", data={"device_id": device.id, "csrf_token": _csrf(client)})
    assert response.status_code == 302
    db.session.refresh(device)
    assert device.revoked_at is None


def _csrf(client) -> str:
    return client.page.forms[0].fields["csrf_token"]


def test_sign_in_and_sign_out_are_audited(client):
    carer = make_user(Role.CARER)
    client.submit("/sign-in", {"email": carer.email, "password": "wrong password"})
    client.sign_in(carer)
    press(client, "/", "/sign-out")
    actions = list(
        db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == carer.id).order_by(AuditEvent.id))
    )
    assert actions == ["sign_in_failed", "sign_in", "sign_out"]
