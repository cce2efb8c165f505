"""Throttling must not let a stranger lock a carer out: a wrong-password storm slows unknown devices only (OWASP's
device cookie), and a council office behind one NAT address is not locked out by one person's typos."""

from portal.auth import device_cookie
from portal.auth.roles import Role
from portal.core.throttle import SignInThrottle
from portal.demo import DEMO_PASSWORD
from tests.auth.buttons import press
from tests.factories import make_user

OFFICE = "192.0.2.10"


def _attempt(client, email, password="wrong password here"):
    return client.submit("/sign-in", {"email": email, "password": password})


def _browser(app, address: str = "198.51.100.20"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _known_browser(app, carer, address: str = "198.51.100.20"):
    """The carer's own phone: it has signed in to the account before."""
    browser = _browser(app, address)
    assert _attempt(browser, carer.email, DEMO_PASSWORD).status_code == 302
    assert browser.get_cookie(device_cookie.COOKIE) is not None
    press(browser, "/", "/sign-out")
    return browser


def test_a_storm_against_an_email_slows_strangers_but_not_the_carers_own_device(app):
    carer = make_user(Role.CARER)
    phone = _known_browser(app, carer)
    attacker = _browser(app, "203.0.113.66")
    for _ in range(SignInThrottle.FREE_PER_ACCOUNT + 10):
        _attempt(attacker, carer.email)
    assert _attempt(attacker, carer.email, DEMO_PASSWORD).status_code == 429
    assert _attempt(_browser(app), carer.email, DEMO_PASSWORD).status_code == 429  # any unknown device waits
    assert _attempt(phone, carer.email, DEMO_PASSWORD).status_code == 302  # the carer's phone is let in


def test_the_known_device_even_from_the_attackers_address(app):
    carer = make_user(Role.CARER)
    phone = _known_browser(app, carer, "203.0.113.66")
    attacker = _browser(app, "203.0.113.66")
    for n in range(SignInThrottle.FREE_PER_ADDRESS):
        _attempt(attacker, carer.email if n % 2 else f"guess{n}@example.org")
    assert _attempt(attacker, carer.email, DEMO_PASSWORD).status_code == 429
    assert _attempt(phone, carer.email, DEMO_PASSWORD).status_code == 302


def test_a_known_device_guessing_is_slowed_on_its_own_count(app):
    carer = make_user(Role.CARER)
    phone = _known_browser(app, carer)
    for _ in range(SignInThrottle.FREE_PER_DEVICE):
        assert _attempt(phone, carer.email).status_code == 401
    assert _attempt(phone, carer.email, DEMO_PASSWORD).status_code == 429
    assert _attempt(_browser(app, "198.51.100.99"), carer.email, DEMO_PASSWORD).status_code == 302


def test_a_cookie_for_another_account_or_tampered_with_is_no_exemption(app):
    carer = make_user(Role.CARER)
    other = make_user(Role.CARER)
    attacker = _known_browser(app, other, "203.0.113.66")  # a genuine cookie, but for the attacker's own account
    for _ in range(SignInThrottle.FREE_PER_ACCOUNT):
        _attempt(attacker, carer.email)
    assert _attempt(attacker, carer.email, DEMO_PASSWORD).status_code == 429
    forged = _browser(app, "203.0.113.67")
    forged.set_cookie(device_cookie.COOKIE, attacker.get_cookie(device_cookie.COOKIE).value[:-2] + "xx")
    assert _attempt(forged, carer.email, DEMO_PASSWORD).status_code == 429
    secret = app.config["SECRET_KEY"]
    assert device_cookie.device_id(secret, device_cookie.issue("another key" * 4, carer.email), carer.email) is None


def test_one_persons_typos_at_a_shared_office_do_not_lock_out_colleagues(app):
    typist = make_user(Role.CARER)
    colleagues = [make_user(Role.SSW, mfa=False) for _ in range(3)]
    desk = _browser(app, OFFICE)
    for _ in range(SignInThrottle.FREE_PER_ACCOUNT + 3):
        _attempt(desk, typist.email)
    assert _attempt(desk, typist.email, DEMO_PASSWORD).status_code == 429  # only the typist's account waits
    for colleague in colleagues:
        assert _attempt(_browser(app, OFFICE), colleague.email, DEMO_PASSWORD).status_code == 302
    assert SignInThrottle.FREE_PER_ADDRESS >= 10 * SignInThrottle.FREE_PER_ACCOUNT
