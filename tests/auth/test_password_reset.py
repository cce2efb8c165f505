"""Forgotten passwords: a reset that never reveals who has an account, single-use expiring links, a fresh start."""

from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import PasswordReset, UserSession
from portal.auth.roles import Role
from portal.core.db import db, utcnow
from tests.factories import make_user
from tests.mail import link_in, path_of, read_mail
from tests.pages import text_of

NEW_PASSWORD = "porridge lighthouse meadow"


def _ask(client, email):
    return client.submit("/forgotten-password", {"email": email}, follow_redirects=True)


def test_the_answer_is_the_same_whether_or_not_the_account_exists(client, mail_dir):
    make_user(Role.CARER, email="known@example.org")
    known = _ask(client, "known@example.org")
    unknown = _ask(client, "unknown@example.org")
    assert known.status_code == unknown.status_code == 200
    assert text_of(known).replace("known@example.org", "X") == text_of(unknown).replace("unknown@example.org", "X")
    assert [m["To"] for m in read_mail(mail_dir)] == ["known@example.org"]


def test_a_disabled_account_gets_no_reset_email(client, mail_dir):
    make_user(Role.CARER, email="gone@example.org", active=False)
    assert _ask(client, "gone@example.org").status_code == 200
    assert read_mail(mail_dir) == []


def test_the_reset_link_sets_a_new_password_and_signs_the_person_in(app, client, mail_dir):
    carer = make_user(Role.CARER, email="carer@example.org")
    _ask(client, "Carer@Example.org ")
    link = link_in(read_mail(mail_dir)[0])
    assert link.startswith(app.config["BASE_URL"] + "/reset-password/")
    done = client.submit(path_of(link), {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.location == "/"
    assert client.get("/").status_code == 200
    fresh = app.test_client()
    fresh.sign_in(carer, NEW_PASSWORD)
    assert read_mail(mail_dir)[-1]["Subject"] == "Your password has been changed"


def test_resetting_a_password_ends_every_other_session(app, client, mail_dir):
    carer = make_user(Role.CARER, email="carer@example.org")
    elsewhere = app.test_client()
    elsewhere.sign_in(carer)
    _ask(client, carer.email)
    client.submit(path_of(link_in(read_mail(mail_dir)[0])), {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert elsewhere.get("/").location.startswith("/sign-in")
    live = db.session.scalars(
        select(UserSession).where(UserSession.user_id == carer.id, UserSession.revoked_at.is_(None))
    ).all()
    assert len(live) == 1


def test_staff_still_give_a_security_code_after_a_reset(client, mail_dir):
    ssw = make_user(Role.SSW, email="ssw@example.org")
    _ask(client, ssw.email)
    done = client.submit(path_of(link_in(read_mail(mail_dir)[0])), {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.location.endswith("/sign-in/security-code")
    assert client.get("/").location.endswith("/sign-in/security-code")


def test_a_reset_link_works_only_once(app, client, mail_dir):
    make_user(Role.CARER, email="carer@example.org")
    _ask(client, "carer@example.org")
    path = path_of(link_in(read_mail(mail_dir)[0]))
    client.submit(path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    again = app.test_client().get(path)
    assert again.status_code == 410
    assert "already been used" in again.text and "Ask for a new link" in again.text


def test_an_expired_reset_link_offers_a_new_one(client, mail_dir):
    make_user(Role.CARER, email="carer@example.org")
    _ask(client, "carer@example.org")
    reset = db.session.scalar(select(PasswordReset))
    reset.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    page = client.get(path_of(link_in(read_mail(mail_dir)[0])))
    assert page.status_code == 410 and "has expired" in page.text
    assert "/forgotten-password" in client.page.hrefs


def test_the_reset_link_expires_after_the_configured_minutes(app, client, mail_dir):
    make_user(Role.CARER, email="carer@example.org")
    _ask(client, "carer@example.org")
    reset = db.session.scalar(select(PasswordReset))
    assert abs(
        (reset.expires_at - reset.created_at) - timedelta(minutes=app.config["PASSWORD_RESET_MINUTES"])
    ) < timedelta(seconds=1)


def test_using_one_reset_link_cancels_the_others(app, client, mail_dir):
    make_user(Role.CARER, email="carer@example.org")
    _ask(client, "carer@example.org")
    _ask(client, "carer@example.org")
    first, second = (path_of(link_in(m)) for m in read_mail(mail_dir))
    client.submit(second, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert app.test_client().get(first).status_code == 410


def test_a_weak_new_password_is_refused_on_the_field(client, mail_dir):
    make_user(Role.CARER, email="carer@example.org", name="Dana Price")
    _ask(client, "carer@example.org")
    path = path_of(link_in(read_mail(mail_dir)[0]))
    response = client.submit(path, {"password": "qwertyuiopas", "confirm": "qwertyuiopas"})
    assert response.status_code == 200 and "too common" in response.text
    assert "#password" in client.page.error_summary_links
    named = client.submit(path, {"password": "danaprice and more", "confirm": "danaprice and more"})
    assert "must not contain your name" in named.text


def test_the_forgotten_password_form_explains_a_missing_or_wrong_address(client):
    response = client.submit("/forgotten-password", {"email": "not an email"})
    assert response.status_code == 200 and "correct format" in response.text
    assert 'value="not an email"' in response.text
