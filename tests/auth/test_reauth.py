"""Re-authentication: replacing or turning off the authenticator, new recovery codes and a new password need the
password and a current code within the last 10 minutes; the person is emailed about changes to their codes."""

import re
from datetime import timedelta

import pyotp
from sqlalchemy import select

from portal.auth.models import UserSession
from portal.auth.roles import Role
from portal.core.audit import AuditEvent
from portal.core.db import db, utcnow
from portal.demo import DEMO_PASSWORD
from tests.auth.second_factor_steps import code, wrong_code
from tests.factories import make_user
from tests.mail import read_mail
from tests.pages import text_of

CONFIRM = "/account/confirm-its-you"
NEW_PASSWORD = "marmalade compass river"


def _age_reauth(user, minutes: int = 11) -> None:
    rec = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    rec.reauthenticated_at = utcnow() - timedelta(minutes=minutes)
    db.session.commit()


def _signed_in_a_while_ago(client, user):
    client.sign_in(user)
    _age_reauth(user)


def test_moving_codes_to_a_new_app_needs_password_and_current_code_and_is_emailed(app, client, mail_dir):
    carer = make_user(Role.CARER, mfa=True)
    _signed_in_a_while_ago(client, carer)
    redirect = client.get("/sign-in/set-up-security-codes")
    assert redirect.status_code == 302 and redirect.location.startswith(CONFIRM)
    page = client.get(redirect.location)
    assert "Confirm it is you" in text_of(page) and "Security code" in text_of(page)
    back = client.submit(redirect.location, {"password": DEMO_PASSWORD, "code": code(1)})  # sign-in used code()
    assert back.location == "/sign-in/set-up-security-codes"
    setup = client.get(back.location)
    key = re.search(r'id="manual-key">([A-Z2-7 ]+)<', setup.text).group(1).replace(" ", "")
    done = client.submit("/sign-in/set-up-security-codes", {"code": pyotp.TOTP(key).now()})
    assert done.location == "/account/recovery-codes"
    db.session.refresh(carer)
    assert carer.totp_secret == key
    mail = read_mail(mail_dir)[-1]
    assert mail["Subject"] == "Your security codes were changed"
    assert "if this wasn't you, call " + app.config["OUT_OF_HOURS_PHONE"] in mail.get_content().replace("If", "if")
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mfa_replaced")).actor_id == carer.id


def test_the_password_alone_is_not_enough_for_someone_with_codes(client):
    carer = make_user(Role.CARER, mfa=True)
    _signed_in_a_while_ago(client, carer)
    missing = client.submit(f"{CONFIRM}?next=/account/turn-off-security-codes", {"password": DEMO_PASSWORD})
    assert missing.status_code == 200 and "Enter the 6-digit code" in text_of(missing)
    wrong = client.submit(
        f"{CONFIRM}?next=/account/turn-off-security-codes", {"password": DEMO_PASSWORD, "code": wrong_code()}
    )
    assert wrong.status_code == 200 and "security code is not right" in text_of(wrong)
    assert client.get("/account/turn-off-security-codes").location.startswith(CONFIRM)


def test_a_wrong_password_is_refused_on_its_field_and_audited(client):
    carer = make_user(Role.CARER, mfa=True)
    _signed_in_a_while_ago(client, carer)
    wrong = client.submit(CONFIRM, {"password": "not my password", "code": code()})
    assert wrong.status_code == 200 and "Your password is not right" in text_of(wrong)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mfa_failed"))
    assert event.actor_id == carer.id and event.detail.get("purpose") == "reauth"


def test_turning_codes_off_after_re_authenticating_emails_the_person(client, mail_dir):
    carer = make_user(Role.CARER, mfa=True)
    _signed_in_a_while_ago(client, carer)
    back = client.submit(
        f"{CONFIRM}?next=/account/turn-off-security-codes", {"password": DEMO_PASSWORD, "code": code(1)}
    )
    assert back.location == "/account/turn-off-security-codes"
    assert client.submit(back.location).location == "/account"
    db.session.refresh(carer)
    assert not carer.mfa_enabled
    assert read_mail(mail_dir)[-1]["Subject"] == "Your security codes were changed"


def test_re_authentication_lasts_ten_minutes(client):
    carer = make_user(Role.CARER, mfa=True)
    client.sign_in(carer)
    _age_reauth(carer, minutes=9)
    assert client.get("/account/change-password").status_code == 200
    _age_reauth(carer, minutes=11)
    assert client.get("/account/change-password").location.startswith(CONFIRM)


def test_changing_the_password_needs_a_recent_code_too(client, mail_dir):
    carer = make_user(Role.CARER, mfa=True)
    _signed_in_a_while_ago(client, carer)
    assert client.get("/account/change-password").location.startswith(CONFIRM)
    client.submit(f"{CONFIRM}?next=/account/change-password", {"password": DEMO_PASSWORD, "code": code(1)})
    done = client.submit(
        "/account/change-password",
        {"current_password": DEMO_PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert done.location == "/account"
    assert read_mail(mail_dir)[-1]["Subject"] == "Your password has been changed"


def test_someone_without_codes_re_authenticates_with_the_password(client):
    carer = make_user(Role.CARER)
    _signed_in_a_while_ago(client, carer)
    page = client.get(CONFIRM)
    assert "Security code" not in text_of(page)
    back = client.submit(f"{CONFIRM}?next=/account/change-password", {"password": DEMO_PASSWORD})
    assert back.location == "/account/change-password"


def test_a_remembered_device_does_not_count_as_re_authentication(app, client):
    carer = make_user(Role.CARER, mfa=True)
    client.submit("/sign-in", {"email": carer.email, "password": DEMO_PASSWORD})
    client.submit("/sign-in/security-code", {"code": code(), "remember_device": "y"})
    client.post("/sign-out", data={"csrf_token": client.page.forms[0].fields.get("csrf_token", "")})
    later = app.test_client()
    later.set_cookie("hearth_device", client.get_cookie("hearth_device").value)
    assert later.submit("/sign-in", {"email": carer.email, "password": DEMO_PASSWORD}).location == "/"
    assert later.get("/account/turn-off-security-codes").location.startswith(CONFIRM)


def test_the_confirm_page_only_returns_to_this_site(client):
    carer = make_user(Role.CARER)
    client.sign_in(carer)
    back = client.submit(f"{CONFIRM}?next=https://evil.example/", {"password": DEMO_PASSWORD})
    assert back.location == "/"
