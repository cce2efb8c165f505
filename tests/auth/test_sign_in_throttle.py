"""Sign-in throttling: slows guessing after a few failures, never locks a carer out for good."""

import re

from portal.app import create_app
from portal.auth.roles import Role
from portal.core.throttle import SignInThrottle
from tests.factories import make_user
from tests.pages import text_of
from tests.throttles import age_failures

PASSWORD = "hearth-demo-2026"


def _attempt(client, email, password="wrong password here"):
    return client.submit("/sign-in", {"email": email, "password": password})


def _wind_clock_forward(app, seconds: float) -> None:
    age_failures(app.extensions["hearth_throttle"].counter, seconds)


def test_after_five_failures_the_account_must_wait(app, client):
    carer = make_user(Role.CARER)
    for _ in range(SignInThrottle.FREE_PER_ACCOUNT):
        assert _attempt(client, carer.email).status_code == 401
    blocked = _attempt(client, carer.email, PASSWORD)  # even the right password waits
    assert blocked.status_code == 429
    assert "too many attempts to sign in" in text_of(blocked) and "Wait 1 minute" in text_of(blocked)
    assert client.get("/").location.startswith("/sign-in")


def test_the_wait_is_bounded_and_then_the_right_password_works(app, client):
    carer = make_user(Role.CARER)
    throttle = app.extensions["hearth_throttle"]
    for _ in range(50):  # a long, determined guessing run within the hour
        throttle.failed(carer.email, "192.0.2.1")
    blocked = _attempt(client, carer.email, PASSWORD)
    minutes = int(re.search(r"Wait (\d+) minute", text_of(blocked)).group(1))
    assert blocked.status_code == 429 and minutes == SignInThrottle.MAX_WAIT // 60
    _wind_clock_forward(app, SignInThrottle.MAX_WAIT + 1)
    assert _attempt(client, carer.email, PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_the_failures(app, client):
    carer = make_user(Role.CARER)
    for _ in range(SignInThrottle.FREE_PER_ACCOUNT - 1):
        _attempt(client, carer.email)
    assert _attempt(client, carer.email, PASSWORD).status_code == 302
    other = app.test_client()
    for _ in range(SignInThrottle.FREE_PER_ACCOUNT - 1):
        assert _attempt(other, carer.email).status_code == 401  # a fresh allowance, not one try left


def test_one_address_trying_many_accounts_is_slowed(app):
    victim = make_user(Role.CARER)
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    for n in range(SignInThrottle.FREE_PER_ADDRESS):
        _attempt(attacker, f"guess{n}@example.org")
    assert _attempt(attacker, victim.email, PASSWORD).status_code == 429
    neighbour = app.test_client()
    neighbour.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert _attempt(neighbour, victim.email, PASSWORD).status_code == 302  # other addresses are unaffected


def test_failures_and_throttling_are_audited(client):
    from sqlalchemy import select

    from portal.core.audit import AuditEvent
    from portal.core.db import db

    carer = make_user(Role.CARER)
    for _ in range(SignInThrottle.FREE_PER_ACCOUNT + 1):
        _attempt(client, carer.email)
    actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == carer.id)))
    assert actions.count("sign_in_failed") == SignInThrottle.FREE_PER_ACCOUNT and "sign_in_throttled" in actions


def test_a_doubling_wait_is_shared_by_every_process_of_the_service(app_config, tmp_path):
    """Two apps on one machine (as two web processes): failures on one count on the other, and the wait keeps
    doubling whichever of them the next attempt lands on."""
    first, second = create_app(app_config), create_app(app_config)
    on_first, on_second = first.extensions["hearth_throttle"], second.extensions["hearth_throttle"]
    email, address = "carer@example.org", "192.0.2.44"
    for _ in range(SignInThrottle.FREE_PER_ACCOUNT):
        on_first.failed(email, address)
    assert 25 <= on_second.seconds_to_wait(email, address) <= SignInThrottle.FIRST_WAIT + 1
    on_second.failed(email, address)
    assert on_first.seconds_to_wait(email, address) > SignInThrottle.FIRST_WAIT + 1  # doubled, not reset
    on_first.succeeded(email)
    assert on_second.seconds_to_wait(email, address) == 0
