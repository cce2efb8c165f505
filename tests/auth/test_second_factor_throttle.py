"""Guessing codes: per account and per session, a few free tries then doubling waits; every failure audited, and
the person emailed after repeated failures. The same throttle guards re-authentication (turning codes off)."""

import re

from sqlalchemy import select

from portal.auth.models import UserSession
from portal.auth.roles import Role
from portal.core.audit import AuditEvent
from portal.core.db import db, utcnow
from portal.core.throttle import SecondFactorThrottle
from portal.demo import DEMO_PASSWORD
from tests.auth.second_factor_steps import CODE_PAGE, code, password_step, wrong_code
from tests.factories import make_user
from tests.mail import read_mail
from tests.pages import text_of
from tests.throttles import age_failures


def _wind_clock_forward(app, seconds: float) -> None:
    age_failures(app.extensions["hearth_mfa_throttle"].counter, seconds)


def _guess(client, value=None):
    return client.submit(CODE_PAGE, {"code": value or wrong_code()})


def test_after_a_few_wrong_codes_a_session_must_wait_even_with_the_right_code(client):
    carer = make_user(Role.CARER, mfa=True)
    password_step(client, carer)
    for _ in range(SecondFactorThrottle.FREE_PER_SESSION):
        assert _guess(client).status_code == 200
    blocked = _guess(client, code())
    assert blocked.status_code == 429 and "too many wrong codes" in text_of(blocked)
    assert re.search(r"Wait (2\d|30) seconds", text_of(blocked))  # the first wait is 30 seconds, and says so
    assert client.get("/").location.endswith(CODE_PAGE)


def test_the_waits_double_and_then_the_right_code_works(app, client):
    carer = make_user(Role.CARER, mfa=True)
    password_step(client, carer)
    throttle = app.extensions["hearth_mfa_throttle"]
    rec = db.session.scalar(select(UserSession).where(UserSession.user_id == carer.id))
    waits = []
    for _ in range(4):
        throttle.failed(carer.id, None)  # other sessions' failures count against the account
        waits.append(throttle.seconds_to_wait(carer.id, rec.id))
    assert waits[0] == 0
    # From the fifth failure on the account: 30 s, then 60 s (each counted from the latest failure).
    throttle.failed(carer.id, None)
    first = throttle.seconds_to_wait(carer.id, rec.id)
    throttle.failed(carer.id, None)
    second = throttle.seconds_to_wait(carer.id, rec.id)
    assert 29 <= first <= 31 and 59 <= second <= 61
    _wind_clock_forward(app, 61)
    assert client.submit(CODE_PAGE, {"code": code()}).status_code == 302


def test_failures_spread_over_sessions_are_counted_per_account(app):
    carer = make_user(Role.CARER, mfa=True)
    for _ in range(SecondFactorThrottle.FREE_PER_ACCOUNT):
        attacker = app.test_client()
        password_step(attacker, carer)
        assert _guess(attacker).status_code == 200  # one guess each: the session allowance never runs out
    fresh = app.test_client()
    password_step(fresh, carer)
    assert _guess(fresh, code()).status_code == 429


def test_each_failure_is_audited_and_the_person_is_emailed_after_repeated_failures(app, mail_dir):
    carer = make_user(Role.CARER, mfa=True)
    for _ in range(SecondFactorThrottle.FREE_PER_ACCOUNT):
        client = app.test_client()
        password_step(client, carer)
        _guess(client)
    failures = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "mfa_failed")).all()
    assert len(failures) == SecondFactorThrottle.FREE_PER_ACCOUNT and {e.actor_id for e in failures} == {carer.id}
    mails = [m for m in read_mail(mail_dir) if m["To"] == carer.email]
    assert [m["Subject"] for m in mails] == ["Wrong security codes were entered for your account"]
    body = mails[0].get_content()
    assert "5 times" in body and app.config["OUT_OF_HOURS_PHONE"] in body
    throttled = client.submit(CODE_PAGE, {"code": code()})
    assert throttled.status_code == 429
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mfa_throttled")) is not None


def test_a_wrong_recovery_code_counts_like_a_wrong_security_code(client):
    carer = make_user(Role.CARER, mfa=True)
    password_step(client, carer)
    for _ in range(SecondFactorThrottle.FREE_PER_SESSION):
        assert client.submit("/sign-in/recovery-code", {"code": "abcde-fghjk"}).status_code == 200
    assert client.submit("/sign-in/recovery-code", {"code": "abcde-fghjk"}).status_code == 429


def test_turning_codes_off_is_throttled_the_same_way(client):
    carer = make_user(Role.CARER, mfa=True)
    client.sign_in(carer)
    rec = db.session.scalar(select(UserSession).where(UserSession.user_id == carer.id))
    rec.reauthenticated_at = utcnow().replace(year=2000)  # long ago: turning codes off asks again
    db.session.commit()
    page = client.get("/account/turn-off-security-codes")
    assert "/account/confirm-its-you" in page.location
    confirm = page.location
    for _ in range(SecondFactorThrottle.FREE_PER_SESSION):
        wrong = client.submit(confirm, {"password": DEMO_PASSWORD, "code": wrong_code()})
        assert wrong.status_code == 200 and "security code is not right" in text_of(wrong)
    blocked = client.submit(confirm, {"password": DEMO_PASSWORD, "code": code(1)})
    assert blocked.status_code == 429 and re.search(r"Wait \d+ (seconds|minutes?) ", text_of(blocked))
    db.session.refresh(carer)
    assert carer.mfa_enabled
