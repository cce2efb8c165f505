"""A device remembered after a passed second factor counts as passed until it expires or is revoked."""

from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import RememberedDevice
from portal.auth.roles import Role
from portal.core.db import db, utcnow
from tests.auth.buttons import press
from tests.auth.second_factor_steps import CODE_PAGE, code, password_step
from tests.factories import make_user

DEVICE_COOKIE = "hearth_device"


def _remembered_browser(app, carer):
    browser = app.test_client()
    password_step(browser, carer)
    browser.submit(CODE_PAGE, {"code": code(), "remember_device": "y"})
    press(browser, "/", "/sign-out")
    return browser


def test_a_remembered_device_counts_as_passed(app):
    carer = make_user(Role.CARER, mfa=True)
    browser = _remembered_browser(app, carer)
    assert password_step(browser, carer).location == "/"
    assert browser.get("/account").status_code == 200


def test_an_expired_device_is_asked_for_a_code_again(app):
    carer = make_user(Role.CARER, mfa=True)
    browser = _remembered_browser(app, carer)
    device = db.session.scalar(select(RememberedDevice))
    device.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert password_step(browser, carer).location.endswith(CODE_PAGE)
    assert browser.get("/").location.endswith(CODE_PAGE)


def test_a_device_forgotten_on_the_account_page_is_asked_for_a_code_again(app):
    carer = make_user(Role.CARER, mfa=True)
    browser = _remembered_browser(app, carer)
    password_step(browser, carer)
    assert "Remembered on" in browser.get("/account").text
    device = db.session.scalar(select(RememberedDevice))
    press(browser, "/account", "/forget-device", {"device_id": str(device.id)})
    press(browser, "/", "/sign-out")
    assert password_step(browser, carer).location.endswith(CODE_PAGE)


def test_a_password_reset_forgets_every_device(app, client, mail_dir):
    from tests.mail import link_in, path_of, read_mail

    carer = make_user(Role.CARER, mfa=True)
    _remembered_browser(app, carer)
    client.submit("/forgotten-password", {"email": carer.email})
    password = "porridge lighthouse meadow"
    client.submit(path_of(link_in(read_mail(mail_dir)[-1])), {"password": password, "confirm": password})
    assert db.session.scalar(select(RememberedDevice).where(RememberedDevice.revoked_at.is_(None))) is None
