"""Passkeys in real Chromium, with its virtual authenticator (CDP WebAuthn) standing in for a phone's fingerprint."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.auth.models import UserSession
from portal.auth.roles import Role
from portal.core.db import db, utcnow
from portal.demo import DEMO_PASSWORD
from tests.browser.conftest import serious_violations, sign_in
from tests.factories import make_user

pytestmark = pytest.mark.browser


def _with_authenticator(context):
    """A page whose browser holds a platform authenticator that verifies the person (like a fingerprint)."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    found = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return page, cdp, found["authenticatorId"]


def _let_reauthentication_lapse(user) -> None:
    """As if the person had been signed in for more than the 10 minutes a confirmation lasts."""
    for rec in db.session.scalars(select(UserSession).where(UserSession.user_id == user.id)):
        rec.reauthenticated_at = utcnow() - timedelta(minutes=11)
    db.session.commit()


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.wait_for_url("**/signed-out")


def _password_step(page, email: str) -> None:
    page.goto("/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/sign-in/**")


def _add_passkey(page, name: str) -> None:
    page.get_by_role("link", name="Add a passkey").click()
    page.wait_for_url("**/account/passkeys/add")
    assert not page.get_by_text("Passkeys need JavaScript").is_visible()
    page.fill("input[name=name]", name)
    page.get_by_role("button", name="Add a passkey").click()


def test_a_carer_adds_a_passkey_signs_in_with_it_and_uses_it_after_the_password(new_context, live_server):
    carer = make_user(Role.CARER, email="passkey-carer@example.org", name="Priya Shah")
    context = new_context(bypass_csp=True)
    page, cdp, authenticator = _with_authenticator(context)
    sign_in(page, carer.email)
    page.goto("/account")
    _add_passkey(page, "My laptop")
    page.wait_for_url("**/account")
    assert page.get_by_text("Your passkey “My laptop” is saved").is_visible()
    assert page.locator(".govuk-summary-list__key", has_text="My laptop").is_visible()
    stored = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(stored) == 1 and stored[0]["isResidentCredential"] and stored[0]["rpId"] == "localhost"
    assert serious_violations(page) == []

    # After the password, the passkey is the second step.
    _sign_out(page)
    _password_step(page, carer.email)
    assert page.url.endswith("/sign-in/security-code")
    assert page.locator("h1").inner_text() == "Use your passkey"
    assert serious_violations(page) == []
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(f"{live_server}/")
    assert page.locator("h1").inner_text() == "Hello, Priya"

    # Signing in with the passkey alone: no email, no password.
    _sign_out(page)
    page.goto("/sign-in")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.wait_for_url(f"{live_server}/")
    assert page.locator("h1").inner_text() == "Hello, Priya"

    # Later, signed in with the passkey, removing it asks the person to confirm it is them: with the passkey, not the
    # password.
    _let_reauthentication_lapse(carer)
    page.goto("/account")
    page.get_by_role("link", name="Remove My laptop").click()
    page.wait_for_url("**/account/confirm-its-you**")
    assert page.get_by_text("You signed in with a passkey, so use a passkey again").is_visible()
    assert not page.locator("input[name=password]").count()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url("**/remove")
    page.get_by_role("button", name="Remove this passkey").click()
    page.wait_for_url("**/account")
    assert page.get_by_text("The passkey “My laptop” has been removed").is_visible()
    assert page.get_by_text("You have no passkeys").is_visible()


def test_staff_enrol_a_passkey_instead_of_security_codes(new_context, live_server):
    ssw = make_user(Role.SSW, email="passkey-ssw@example.org", name="Tomasz Nowak", mfa=False)
    page, _, _ = _with_authenticator(new_context())
    _password_step(page, ssw.email)
    assert page.url.endswith("/sign-in/set-up-security-codes")
    _add_passkey(page, "Work phone")
    page.wait_for_url(f"{live_server}/")
    _sign_out(page)
    _password_step(page, ssw.email)
    assert page.url.endswith("/sign-in/security-code")
    page.goto("/households")
    assert page.url.endswith("/sign-in/security-code")
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(f"{live_server}/")
    page.goto("/households")
    assert "/sign-in" not in page.url


def test_without_javascript_the_sign_in_page_says_passkeys_need_it(new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/sign-in")
    assert page.get_by_text("Passkeys need JavaScript").is_visible()
    assert not page.get_by_role("button", name="Sign in with a passkey").is_visible()
