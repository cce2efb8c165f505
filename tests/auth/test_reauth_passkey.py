"""One "confirm it is you" for every sensitive change: a passkey (verifying the person) beside password and code,
the rules for who may use the password, passkey removal behind the same gate, and passkey failures throttled."""

from datetime import timedelta

from sqlalchemy import select

from portal.account import passkeys as account_passkeys
from portal.account.services import NotReauthenticated
from portal.auth import reauth
from portal.auth.models import Passkey, UserSession
from portal.auth.roles import Role
from portal.core.audit import AuditEvent
from portal.core.db import db, utcnow
from portal.demo import DEMO_PASSWORD
from tests.auth.authenticator import SoftAuthenticator
from tests.auth.second_factor_steps import code, password_step
from tests.auth.test_passkeys import _csrf, _passkey_form, add_passkey, passkey_second_factor, sign_in_with_passkey
from tests.factories import make_user
from tests.mail import read_mail
from tests.pages import text_of

CONFIRM = "/account/confirm-its-you"
PASSKEY_ANSWER = "/account/confirm-its-you/passkey"
PASSKEY_OPTIONS = "/account/confirm-its-you/passkey/options"


def _session_of(user) -> UserSession:
    return db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.created_at.desc())
    ).first()


def _age_reauth(user, minutes: int = 11) -> None:
    rec = _session_of(user)
    rec.reauthenticated_at = utcnow() - timedelta(minutes=minutes)
    db.session.commit()


def _confirm_with_passkey(client, answer, next_path: str = "/account"):
    page = f"{CONFIRM}?next={next_path}"
    return _passkey_form(client, page, PASSKEY_ANSWER, PASSKEY_OPTIONS, answer)


def _carer_with_passkey(client, *, mfa: bool = False):
    """A carer signed in with password (and code), holding one passkey, whose re-authentication has lapsed."""
    carer = make_user(Role.CARER, mfa=mfa)
    client.sign_in(carer)
    phone = SoftAuthenticator()
    add_passkey(client, phone, name="Phone")
    _age_reauth(carer)
    return carer, phone


def _stranger_answer():
    """A passkey nobody here has saved, answering whatever it is asked."""
    stranger = SoftAuthenticator()
    stranger.create({"rp": {"id": "localhost"}, "user": {"id": "AAAA"}, "challenge": "AAAA"})
    return lambda options: stranger.get(options, credential=stranger.credentials[0])


def _audit(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


# --- who may use what -------------------------------------------------------------------------------------------


def test_ways_follow_what_the_person_has_and_how_they_signed_in(app):
    plain, with_codes = make_user(Role.CARER), make_user(Role.CARER, mfa=True)
    password_session, passkey_session = UserSession(signed_in_with="password"), UserSession(signed_in_with="passkey")
    assert reauth.ways(plain, password_session) == reauth.Ways(passkey=False, password=True, code=False)
    assert reauth.ways(with_codes, password_session) == reauth.Ways(passkey=False, password=True, code=True)
    # A passkey session whose passkeys have all gone can only use what is left: the password.
    assert reauth.ways(plain, passkey_session).password
    plain.passkeys.append(Passkey(credential_id=b"a", public_key=b"k", user_handle=b"h", name="P"))
    with_codes.passkeys.append(Passkey(credential_id=b"b", public_key=b"k", user_handle=b"h", name="P"))
    assert reauth.ways(plain, password_session) == reauth.Ways(passkey=True, password=False, code=False)
    assert reauth.ways(with_codes, password_session) == reauth.Ways(passkey=True, password=True, code=True)
    assert reauth.ways(with_codes, passkey_session) == reauth.Ways(passkey=True, password=False, code=True)
    db.session.rollback()


def test_someone_with_only_a_passkey_must_use_it_the_password_is_not_enough(client):
    carer, phone = _carer_with_passkey(client)
    page = client.get(f"{CONFIRM}?next=/account/change-password")
    words = text_of(page)
    assert "your password alone is not enough" in words and "Use a passkey" in words
    assert 'name="password"' not in page.text
    refused = client.post(
        f"{CONFIRM}?next=/account/change-password", data={"csrf_token": _csrf(client), "password": DEMO_PASSWORD}
    )
    assert refused.status_code == 400 and "Use one of your passkeys" in text_of(refused)
    assert not reauth.is_recent(_session_of(carer))

    back = _confirm_with_passkey(client, phone.get, "/account/change-password")
    assert back.status_code == 302 and back.location == "/account/change-password"
    assert reauth.is_recent(_session_of(carer))
    assert _audit("reauthenticated")[-1].detail["method"] == "passkey"
    assert client.get("/account/change-password").status_code == 200


def test_with_codes_and_a_passkey_either_a_passkey_or_password_and_code(app, client):
    carer, phone = _carer_with_passkey(client, mfa=True)
    words = text_of(client.get(CONFIRM))
    assert "Use one of your passkeys, or enter your password and a security code" in words
    assert "Security code" in words and "Use a passkey" in words
    assert client.submit(CONFIRM, {"password": DEMO_PASSWORD, "code": code(1)}).location == "/account"

    other = app.test_client()
    password_step(other, carer)
    passkey_second_factor(other, phone)
    _age_reauth(carer)
    assert _confirm_with_passkey(other, phone.get).location == "/account"  # the passkey alone: both factors


def test_a_session_signed_in_with_a_passkey_confirms_with_a_passkey(client):
    carer, phone = _carer_with_passkey(client, mfa=True)
    client.post("/sign-out", data={"csrf_token": _csrf(client)})
    sign_in_with_passkey(client, phone)
    _age_reauth(carer)
    page = client.get(CONFIRM)
    assert "You signed in with a passkey, so use a passkey again" in text_of(page)
    assert 'name="password"' not in page.text and 'name="code"' not in page.text
    refused = client.post(CONFIRM, data={"csrf_token": _csrf(client), "password": DEMO_PASSWORD, "code": code(1)})
    assert refused.status_code == 400 and not reauth.is_recent(_session_of(carer))
    assert _confirm_with_passkey(client, phone.get).status_code == 302
    assert reauth.is_recent(_session_of(carer))


def test_a_passkey_that_does_not_verify_the_person_does_not_confirm_it_is_them(client):
    carer = make_user(Role.CARER)
    client.sign_in(carer)
    key = SoftAuthenticator(verifies_user=False)  # a security key touched, with no PIN or fingerprint
    add_passkey(client, key)
    _age_reauth(carer)
    client.get(CONFIRM)
    assert client.post(PASSKEY_OPTIONS, headers={"X-CSRFToken": _csrf(client)}).get_json()["userVerification"] == (
        "required"
    )
    refused = _confirm_with_passkey(client, key.get)
    assert refused.status_code == 400 and "could not be checked" in text_of(refused)
    assert not reauth.is_recent(_session_of(carer))
    failed = _audit("mfa_failed")[-1]
    assert failed.actor_id == carer.id and failed.detail == {"purpose": "reauth", "kind": "passkey"}


def test_someone_elses_passkey_does_not_confirm_it_is_you(app, client):
    carer, _ = _carer_with_passkey(client)
    theirs = SoftAuthenticator()
    other = app.test_client()
    other.sign_in(make_user(Role.CARER))
    add_passkey(other, theirs)
    refused = _confirm_with_passkey(client, lambda options: theirs.get(options, credential=theirs.credentials[0]))
    assert refused.status_code == 400 and "not saved for your account" in text_of(refused)
    assert not reauth.is_recent(_session_of(carer))


# --- the throttle -----------------------------------------------------------------------------------------------


def test_failed_passkeys_at_confirm_it_is_you_are_throttled_like_codes(client, mail_dir):
    carer, _ = _carer_with_passkey(client)
    answer = _stranger_answer()
    statuses = [_confirm_with_passkey(client, answer).status_code for _ in range(4)]
    assert statuses[:3] == [400, 400, 400] and statuses[3] == 429  # three free per session, then a wait
    assert len(_audit("mfa_failed")) == 3 and _audit("mfa_throttled")[-1].detail["kind"] == "passkey"
    waiting = _confirm_with_passkey(client, answer)
    assert "too many wrong attempts" in text_of(waiting)


def test_failed_passkeys_after_the_password_count_with_wrong_codes(app, client, mail_dir):
    carer, phone = _carer_with_passkey(client, mfa=True)
    answer = _stranger_answer()
    for _ in range(5):  # five wrong passkeys over several sessions: the account's free failures are used up
        attempt = app.test_client()
        password_step(attempt, carer)
        assert passkey_second_factor(attempt, answer).status_code == 400
    assert read_mail(mail_dir)[-1]["Subject"] == "Wrong security codes were entered for your account"
    late = app.test_client()
    password_step(late, carer)
    waiting = late.submit("/sign-in/security-code", {"code": code()})
    assert waiting.status_code == 429  # a right code now waits too: one throttle for every second factor
    assert passkey_second_factor(late, phone).status_code == 429
    assert _session_of(carer).mfa_verified_at is None


# --- removing a passkey ----------------------------------------------------------------------------------------


def test_removing_a_passkey_asks_to_confirm_it_is_you_first(client, mail_dir):
    carer = make_user(Role.CARER)
    client.sign_in(carer)
    add_passkey(client, SoftAuthenticator(), name="Old phone")
    passkey = db.session.scalar(select(Passkey))
    _age_reauth(carer)
    url = f"/account/passkeys/{passkey.id}/remove"
    asked = client.get(url)
    assert asked.status_code == 302 and asked.location == f"{CONFIRM}?next={url}"
    # Only a passkey now: the password alone is not enough for someone whose second factor it is.
    assert 'name="password"' not in client.get(asked.location).text
    posted = client.post(url, data={"csrf_token": _csrf(client)})
    assert posted.status_code == 302 and posted.location.startswith(CONFIRM)
    assert db.session.get(Passkey, passkey.id) is not None


def test_a_person_signed_in_with_a_passkey_removes_another_after_confirming_with_it(client, mail_dir):
    carer = make_user(Role.CARER)
    client.sign_in(carer)
    phone, laptop = SoftAuthenticator(), SoftAuthenticator()
    add_passkey(client, phone, name="Phone")
    add_passkey(client, laptop, name="Laptop")
    client.post("/sign-out", data={"csrf_token": _csrf(client)})
    sign_in_with_passkey(client, laptop)
    _age_reauth(carer)
    lost = db.session.scalar(select(Passkey).where(Passkey.name == "Phone"))
    url = f"/account/passkeys/{lost.id}/remove"
    asked = client.get(url)
    assert asked.location.startswith(CONFIRM)
    back = _passkey_form(client, asked.location, PASSKEY_ANSWER, PASSKEY_OPTIONS, laptop.get)
    assert back.location == url
    assert "Remove the passkey “Phone”" in text_of(client.get(url))
    done = client.submit(url)
    assert done.status_code == 302 and done.location == "/account"
    db.session.expire_all()
    assert [p.name for p in db.session.scalars(select(Passkey))] == ["Laptop"]
    assert read_mail(mail_dir)[-1]["Subject"] == "A passkey was removed from your account"
    assert _audit("passkey_removed")[-1].actor_id == carer.id


def test_removing_needs_a_recent_re_authentication_in_the_service_too(client):
    carer, _ = _carer_with_passkey(client)
    passkey = db.session.scalar(select(Passkey))
    try:
        account_passkeys.remove_passkey(carer, _session_of(carer), passkey)
    except NotReauthenticated:
        pass
    else:
        raise AssertionError("removed without re-authentication")
    assert db.session.get(Passkey, passkey.id) is not None


def test_adding_another_passkey_asks_to_confirm_it_is_you(client):
    carer, phone = _carer_with_passkey(client)
    asked = client.get("/account/passkeys/add")
    assert asked.status_code == 302 and asked.location.startswith(CONFIRM)
    _confirm_with_passkey(client, phone.get)
    assert add_passkey(client, SoftAuthenticator(), name="Laptop").status_code == 302
    assert len(db.session.scalars(select(Passkey)).all()) == 2
