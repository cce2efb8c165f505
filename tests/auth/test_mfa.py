"""Security codes: staff enrol before anything else, codes are checked once, and devices are remembered for carers only."""

import re
import time

import pyotp
from sqlalchemy import select

from portal.auth.models import RememberedDevice
from portal.auth.roles import Role
from portal.core.audit import AuditEvent
from portal.core.db import db
from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.auth.buttons import press
from tests.factories import make_user
from tests.pages import text_of

DEVICE_COOKIE = "hearth_device"


def _password_step(client, user):
    return client.submit("/sign-in", {"email": user.email, "password": DEMO_PASSWORD})


def _code(secret: str = DEMO_TOTP_SECRET, steps_ago: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() - 30 * steps_ago)


def test_staff_without_codes_must_enrol_before_reaching_any_page(client):
    ssw = make_user(Role.SSW, mfa=False)
    assert _password_step(client, ssw).location.endswith("/sign-in/set-up-security-codes")
    for path in ("/", "/account", "/households"):
        assert client.get(path).location.endswith("/sign-in/set-up-security-codes")
    page = client.get("/sign-in/set-up-security-codes")
    assert "<svg" in page.text and "QR code for your authenticator app" in page.text
    key = re.search(r'id="manual-key">([A-Z2-7 ]+)<', page.text).group(1).replace(" ", "")
    assert len(key) == 32
    done = client.submit("/sign-in/set-up-security-codes", {"code": pyotp.TOTP(key).now()})
    assert done.status_code == 302
    assert client.get("/").status_code == 200
    db.session.refresh(ssw)
    assert ssw.mfa_enabled and ssw.totp_secret == key


def test_a_wrong_code_is_refused(client):
    ssw = make_user(Role.SSW)
    _password_step(client, ssw)
    response = client.submit("/sign-in/security-code", {"code": "000000" if _code() != "000000" else "111111"})
    assert response.status_code == 200 and "not right" in text_of(response)
    assert client.get("/").location.endswith("/sign-in/security-code")
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mfa_failed")).actor_id == ssw.id


def test_a_code_that_is_not_digits_gets_a_clear_message(client):
    _password_step(client, make_user(Role.SSW))
    response = client.submit("/sign-in/security-code", {"code": "12ab56"})
    assert "must be 6 digits" in text_of(response) and 'value="12ab56"' in response.text


def test_a_code_cannot_be_used_twice(app, client):
    ssw = make_user(Role.SSW)
    code = _code()
    _password_step(client, ssw)
    assert client.submit("/sign-in/security-code", {"code": code}).status_code == 302
    other = app.test_client()
    _password_step(other, ssw)
    replay = other.submit("/sign-in/security-code", {"code": code})
    assert replay.status_code == 200 and "not right" in text_of(replay)


def test_an_older_code_than_the_last_one_used_is_refused(app, client):
    ssw = make_user(Role.SSW)
    _password_step(client, ssw)
    client.submit("/sign-in/security-code", {"code": _code()})
    other = app.test_client()
    _password_step(other, ssw)
    assert other.submit("/sign-in/security-code", {"code": _code(steps_ago=1)}).status_code == 200


def test_a_remembered_device_skips_the_prompt_for_a_carer_with_codes(app, client):
    carer = make_user(Role.CARER, mfa=True)
    assert _password_step(client, carer).location.endswith("/sign-in/security-code")
    assert "Remember this device" in client.get("/sign-in/security-code").text
    client.submit("/sign-in/security-code", {"code": _code(), "remember_device": "y"})
    assert client.get_cookie(DEVICE_COOKIE) is not None
    press(client, "/", "/sign-out")
    assert _password_step(client, carer).location == "/"
    assert client.get("/").status_code == 200
    stranger = app.test_client()  # without the cookie, the code is still asked for
    assert _password_step(stranger, carer).location.endswith("/sign-in/security-code")


def test_staff_are_never_remembered(app, client):
    ssw = make_user(Role.SSW)
    _password_step(client, ssw)
    assert "Remember this device" not in client.get("/sign-in/security-code").text
    client.submit("/sign-in/security-code", {"code": _code(), "remember_device": "y"})
    assert client.get_cookie(DEVICE_COOKIE) is None
    assert db.session.scalar(select(RememberedDevice)) is None
    # Even a device cookie made for them some other way is ignored.
    from portal.auth.services import remember_device

    client.set_cookie(DEVICE_COOKIE, remember_device(ssw, 30))
    press(client, "/", "/sign-out")
    assert _password_step(client, ssw).location.endswith("/sign-in/security-code")


def test_turning_codes_on_and_off_is_audited(client):
    carer = make_user(Role.CARER)
    client.sign_in(carer)
    page = client.get("/sign-in/set-up-security-codes")
    key = re.search(r'id="manual-key">([A-Z2-7 ]+)<', page.text).group(1).replace(" ", "")
    client.submit("/sign-in/set-up-security-codes", {"code": pyotp.TOTP(key).now()})
    client.submit("/account/turn-off-security-codes", {"code": pyotp.TOTP(key).at(time.time() + 30)})
    actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == carer.id)))
    assert "mfa_enabled" in actions and "mfa_disabled" in actions
