"""Recovery codes: shown once, stored only as keyed hashes, each usable once; new ones need re-authentication."""

import re
from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import RecoveryCode, UserSession
from portal.auth.roles import Role
from portal.core.audit import AuditEvent
from portal.core.db import db, utcnow
from portal.demo import DEMO_PASSWORD
from tests.auth.second_factor_steps import CODE_PAGE, code, password_step
from tests.factories import make_user
from tests.mail import read_mail
from tests.pages import text_of

RECOVERY_PAGE = "/sign-in/recovery-code"


def _create_codes(client) -> list[str]:
    response = client.submit("/account/recovery-codes")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    return re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", response.text)


def test_codes_are_shown_once_and_stored_only_as_hashes(client):
    carer = make_user(Role.CARER, mfa=True)
    client.sign_in(carer)
    codes = _create_codes(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == carer.id)).all()
    assert len(stored) == 10 and not {c.replace("-", "") for c in codes} & set(stored)
    page = client.get("/account/recovery-codes")
    assert "You have 10 unused recovery codes" in text_of(page)
    assert not any(c in page.text for c in codes)


def test_a_recovery_code_passes_the_second_factor_once(app, client, mail_dir):
    carer = make_user(Role.CARER, mfa=True)
    client.sign_in(carer)
    first, second = _create_codes(client)[:2]
    phone_lost = app.test_client()
    password_step(phone_lost, carer)
    assert "use a recovery code" in text_of(phone_lost.get(CODE_PAGE))
    used = phone_lost.submit(RECOVERY_PAGE, {"code": f"  {first.upper()} "})
    assert used.location == "/account"
    assert phone_lost.get("/").status_code == 200
    mail = read_mail(mail_dir)[-1]
    assert mail["Subject"] == "A recovery code was used to sign in" and "you have 9 left" in mail.get_content()
    again = app.test_client()
    password_step(again, carer)
    refused = again.submit(RECOVERY_PAGE, {"code": first})
    assert refused.status_code == 200 and "not right or has been used" in text_of(refused)
    assert again.submit(RECOVERY_PAGE, {"code": second.replace("-", "")}).status_code == 302
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "mfa_verified")).all()
    assert [e.detail.get("kind") for e in events][-2:] == ["recovery_code", "recovery_code"]


def test_after_a_recovery_code_codes_can_move_to_a_new_phone_without_the_old_one(app, client):
    carer = make_user(Role.CARER, mfa=True)
    client.sign_in(carer)
    codes = _create_codes(client)
    phone_lost = app.test_client()
    password_step(phone_lost, carer)
    phone_lost.submit(RECOVERY_PAGE, {"code": codes[0]})
    setup = phone_lost.get("/sign-in/set-up-security-codes")
    assert setup.status_code == 200  # password and a recovery code moments ago: no code from the lost phone needed
    key = re.search(r'id="manual-key">([A-Z2-7 ]+)<', setup.text).group(1).replace(" ", "")
    assert phone_lost.submit("/sign-in/set-up-security-codes", {"code": code(secret=key)}).status_code == 302
    db.session.refresh(carer)
    assert carer.totp_secret == key


def test_one_persons_code_does_not_work_for_another(app, client):
    owner = make_user(Role.CARER, mfa=True)
    client.sign_in(owner)
    codes = _create_codes(client)
    other = make_user(Role.CARER, mfa=True)
    stranger = app.test_client()
    password_step(stranger, other)
    assert stranger.submit(RECOVERY_PAGE, {"code": codes[0]}).status_code == 200
    assert stranger.get("/").location.endswith(CODE_PAGE)


def test_a_malformed_code_gets_a_clear_message_and_keeps_what_was_typed(client):
    password_step(client, make_user(Role.CARER, mfa=True))
    response = client.submit(RECOVERY_PAGE, {"code": "abc!"})
    assert "10 letters and numbers" in text_of(response) and 'value="abc!"' in response.text


def test_new_codes_need_re_authentication_and_replace_the_old_ones(client, mail_dir):
    carer = make_user(Role.CARER, mfa=True)
    client.sign_in(carer)
    old = _create_codes(client)
    rec = db.session.scalar(select(UserSession).where(UserSession.user_id == carer.id))
    rec.reauthenticated_at = utcnow() - timedelta(minutes=30)
    db.session.commit()
    asked = client.submit("/account/recovery-codes")
    assert asked.status_code == 302 and asked.location.startswith("/account/confirm-its-you")
    client.submit(asked.location, {"password": DEMO_PASSWORD, "code": code(1)})
    new = _create_codes(client)
    assert not set(old) & set(new)
    assert db.session.scalar(select(RecoveryCode).where(RecoveryCode.user_id == carer.id)) is not None
    assert read_mail(mail_dir)[-1]["Subject"] == "Your security codes were changed"


def test_turning_codes_on_leads_to_recovery_codes(client):
    staff = make_user(Role.SSW, mfa=False)
    client.submit("/sign-in", {"email": staff.email, "password": DEMO_PASSWORD})
    page = client.get("/sign-in/set-up-security-codes")
    key = re.search(r'id="manual-key">([A-Z2-7 ]+)<', page.text).group(1).replace(" ", "")
    done = client.submit("/sign-in/set-up-security-codes", {"code": code(secret=key)})
    assert done.location == "/account/recovery-codes"
    assert len(_create_codes(client)) == 10  # the password was just given, and a code from the new app


def test_someone_without_codes_has_no_recovery_codes_page(client):
    client.sign_in(make_user(Role.CARER))
    assert client.get("/account/recovery-codes").location == "/account"
