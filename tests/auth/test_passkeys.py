"""Passkeys through the pages: add one, sign in with it alone, use it after the password, rename it.

Removing one, which needs the person to confirm it is them, is in test_reauth_passkey.py."""

import json

from sqlalchemy import select

from portal.auth.models import Passkey, UserSession
from portal.auth.roles import Role
from portal.core.audit import AuditEvent
from portal.core.db import db
from portal.demo import DEMO_PASSWORD
from tests.auth.authenticator import SoftAuthenticator
from tests.factories import make_user
from tests.mail import link_in, path_of, read_mail
from tests.pages import text_of


def _csrf(client) -> str:
    return next(f.fields["csrf_token"] for f in client.page.forms if "csrf_token" in f.fields)


def _options(client, url: str) -> dict:
    response = client.post(url, headers={"X-CSRFToken": _csrf(client), "Accept": "application/json"})
    assert response.status_code == 200, response.status_code
    return response.get_json()


def _passkey_form(client, page: str, action: str, options_url: str, answer, data: dict | None = None):
    """What static/js/passkeys.js does: on `page`, fetch options, let the authenticator answer, send the form."""
    assert client.get(page).status_code == 200
    form = next(f for f in client.page.forms if f.method == "post" and (f.action or page).startswith(action))
    options = _options(client, options_url)
    fields = {**form.fields, **(data or {}), "credential": answer(options)}
    return client.post(form.action or page, data=fields)


def add_passkey(client, authenticator, name="My phone"):
    return _passkey_form(
        client,
        "/account/passkeys/add",
        "/account/passkeys/add",
        "/account/passkeys/add/options",
        authenticator.create,
        {"name": name},
    )


def sign_in_with_passkey(client, authenticator):
    return _passkey_form(client, "/sign-in", "/sign-in/passkey", "/sign-in/passkey/options", authenticator.get)


def passkey_second_factor(client, authenticator):
    """`authenticator`: a SoftAuthenticator, or a function answering the options."""
    return _passkey_form(
        client,
        "/sign-in/security-code",
        "/sign-in/security-code/passkey",
        "/sign-in/security-code/passkey/options",
        authenticator if callable(authenticator) else authenticator.get,
    )


def _password_step(client, user):
    return client.submit("/sign-in", {"email": user.email, "password": DEMO_PASSWORD})


def _session_of(user) -> UserSession:
    return db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.created_at.desc())
    ).first()


def test_pages_say_passkeys_need_javascript_and_sending_without_it_explains(client):
    page = client.get("/sign-in")
    assert "Passkeys need JavaScript" in text_of(page) and "passkeys." in page.text  # the script tag
    refused = client.post("/sign-in/passkey", data={"csrf_token": _csrf(client), "credential": ""})
    assert refused.status_code == 400 and "Passkeys need JavaScript" in text_of(refused)


def test_a_carer_adds_a_passkey_and_signs_in_with_it_alone(client, mail_dir):
    carer = make_user(Role.CARER)
    client.sign_in(carer)
    phone = SoftAuthenticator()
    added = add_passkey(client, phone, name="Kitchen tablet")
    assert added.status_code == 302 and added.location.endswith("/account")
    account = text_of(client.get("/account"))
    assert "Kitchen tablet" in account and "Add a passkey" in account
    assert read_mail(mail_dir)[-1]["Subject"] == "A passkey was added to your account"

    client.post("/sign-out", data={"csrf_token": _csrf(client)})
    signed_in = sign_in_with_passkey(client, phone)
    assert signed_in.status_code == 302 and signed_in.location == "/"
    assert client.get("/").status_code == 200
    rec = _session_of(carer)
    assert rec.signed_in_with == "passkey" and rec.mfa_verified_at is not None
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in")).all()[-1]
    assert event.detail["method"] == "passkey"


def test_an_unknown_passkey_does_not_sign_in_and_says_so(client):
    stranger = SoftAuthenticator()
    stranger.create({"rp": {"id": "localhost"}, "user": {"id": "AAAA"}, "challenge": "AAAA"})
    refused = sign_in_with_passkey(client, stranger)
    assert refused.status_code == 400 and "not saved for your account" in text_of(refused)
    assert client.get("/").location.startswith("/sign-in")
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "passkey_sign_in_failed"))


def test_a_carer_with_a_passkey_gives_it_after_the_password(client):
    carer = make_user(Role.CARER)
    client.sign_in(carer)
    phone = SoftAuthenticator()
    add_passkey(client, phone)
    client.post("/sign-out", data={"csrf_token": _csrf(client)})
    assert _password_step(client, carer).location.endswith("/sign-in/security-code")
    prompt = text_of(client.get("/sign-in/security-code"))
    assert "Use your passkey" in prompt and "6-digit" not in prompt
    assert passkey_second_factor(client, phone).status_code == 302
    assert _session_of(carer).mfa_verified_at is not None and _session_of(carer).signed_in_with == "password"


def test_staff_may_enrol_a_passkey_instead_of_security_codes(client):
    ssw = make_user(Role.SSW, mfa=False)
    assert _password_step(client, ssw).location.endswith("/sign-in/set-up-security-codes")
    assert "Add a passkey" in text_of(client.get("/sign-in/set-up-security-codes"))
    assert client.get("/households").location.endswith("/sign-in/set-up-security-codes")
    phone = SoftAuthenticator()
    assert add_passkey(client, phone).status_code == 302
    assert client.get("/households").status_code == 200

    client.post("/sign-out", data={"csrf_token": _csrf(client)})
    assert _password_step(client, ssw).location.endswith("/sign-in/security-code")
    assert client.get("/households").location.endswith("/sign-in/security-code")
    assert client.get("/sign-in/set-up-security-codes").location.endswith("/sign-in/security-code")
    assert client.get("/account/passkeys/add").location.endswith("/sign-in/security-code")
    assert passkey_second_factor(client, phone).status_code == 302
    assert client.get("/households").status_code == 200


def test_staff_with_codes_may_use_a_passkey_instead_of_a_code(client):
    ssw = make_user(Role.SSW)
    client.sign_in(ssw)
    phone = SoftAuthenticator()
    add_passkey(client, phone)
    client.post("/sign-out", data={"csrf_token": _csrf(client)})
    _password_step(client, ssw)
    prompt = text_of(client.get("/sign-in/security-code"))
    assert "6-digit" in prompt and "Or use a passkey" in prompt
    assert passkey_second_factor(client, phone).status_code == 302
    assert client.get("/households").status_code == 200


def test_someone_elses_passkey_is_no_second_factor(app, client):
    carer, other = make_user(Role.CARER), make_user(Role.CARER)
    client.sign_in(carer)
    add_passkey(client, SoftAuthenticator())
    theirs = SoftAuthenticator()
    other_client = app.test_client()
    other_client.sign_in(other)
    add_passkey(other_client, theirs)
    client.post("/sign-out", data={"csrf_token": _csrf(client)})
    _password_step(client, carer)
    refused = passkey_second_factor(client, lambda options: theirs.get(options, credential=theirs.credentials[0]))
    assert refused.status_code == 400 and "not saved for your account" in text_of(refused)
    assert _session_of(carer).mfa_verified_at is None
    failed = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mfa_failed"))
    assert failed.detail["kind"] == "passkey" and failed.detail["purpose"] == "sign_in"


def test_renaming_and_other_peoples_passkeys(app, client):
    carer, other = make_user(Role.CARER), make_user(Role.CARER)
    other_client = app.test_client()
    other_client.sign_in(other)
    add_passkey(other_client, SoftAuthenticator(), name="Theirs")
    theirs = db.session.scalar(select(Passkey))
    client.sign_in(carer)
    for path in (f"/account/passkeys/{theirs.id}/remove", f"/account/passkeys/{theirs.id}/rename"):
        response = client.get(path)
        assert response.status_code == 302 and response.location.endswith("/account")
    add_passkey(client, SoftAuthenticator(), name="Mine")
    mine = db.session.scalar(select(Passkey).where(Passkey.user_id == carer.id))
    too_long = client.submit(f"/account/passkeys/{mine.id}/rename", {"name": "x" * 61})
    assert too_long.status_code == 400 and "60 characters or fewer" in text_of(too_long) and "x" * 61 in too_long.text
    assert client.submit(f"/account/passkeys/{mine.id}/rename", {"name": "Blue phone"}).status_code == 302
    db.session.expire_all()
    assert {p.name for p in db.session.scalars(select(Passkey))} == {"Blue phone", "Theirs"}


def test_staff_keep_a_second_factor(client):
    ssw = make_user(Role.SSW, mfa=False)
    _password_step(client, ssw)
    add_passkey(client, SoftAuthenticator())
    passkey = db.session.scalar(select(Passkey))
    refused = client.get(f"/account/passkeys/{passkey.id}/remove")
    assert refused.status_code == 302
    assert "add another passkey first" in text_of(client.get("/account"))


def test_an_options_request_needs_the_csrf_token(client):
    response = client.post("/sign-in/passkey/options", headers={"Accept": "application/json"})
    assert response.status_code == 400
    client.get("/sign-in")
    options = _options(client, "/sign-in/passkey/options")
    assert options["rpId"] == "localhost" and options["userVerification"] == "required"
    assert json.dumps(options)  # plain JSON


def test_a_password_reset_does_not_skip_the_passkey(app, client, mail_dir):
    carer = make_user(Role.CARER)
    client.sign_in(carer)
    phone = SoftAuthenticator()
    add_passkey(client, phone)
    client.post("/sign-out", data={"csrf_token": _csrf(client)})
    client.submit("/forgotten-password", {"email": carer.email}, follow_redirects=True)
    reset = next(m for m in read_mail(mail_dir) if "/reset-password/" in m.get_content())
    new_password = "marmalade compass river"
    done = client.submit(path_of(link_in(reset)), {"password": new_password, "confirm": new_password})
    assert done.location.endswith("/sign-in/security-code")
    assert _session_of(carer).mfa_verified_at is None
    assert passkey_second_factor(client, phone).status_code == 302


def test_a_long_name_on_a_new_passkey_is_cut_not_refused(client):
    # The device has already made the passkey by the time the form arrives: refusing it would strand it there.
    client.sign_in(make_user(Role.CARER))
    assert add_passkey(client, SoftAuthenticator(), name="y" * 80).status_code == 302
    assert db.session.scalar(select(Passkey)).name == "y" * 60
