"""Inviting people: the email, the single-use expiring link, setting a password, and links that no longer work."""

from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import Invitation, User
from portal.auth.roles import Role
from portal.core.audit import AuditEvent
from portal.core.db import db, utcnow
from tests.auth.buttons import press
from tests.factories import make_user
from tests.jobs import drain_jobs
from tests.mail import link_in, path_of, read_mail
from tests.pages import text_of

GOOD_PASSWORD = "kettle orchard lantern"


def _invite(client, email="new.carer@example.org", name="Nia Evans", roles=("carer",)):
    return client.submit("/admin/users/invite", {"full_name": name, "email": email, "roles": list(roles)})


def _signed_in_admin(client):
    admin = make_user(Role.ADMIN)
    client.sign_in(admin)
    return admin


def _invitation_path(mail_dir) -> str:
    return path_of(link_in(read_mail(mail_dir)[-1]))


def test_admin_invites_a_carer_who_sets_a_password_and_is_signed_in(app, client, mail_dir):
    _signed_in_admin(client)
    response = _invite(client)
    assert response.status_code == 302 and response.location.endswith("/admin/invitations")
    [mail] = read_mail(mail_dir)
    assert mail["To"] == "new.carer@example.org"
    link = link_in(mail)
    assert link.startswith(app.config["BASE_URL"] + "/invitation/")

    newcomer = app.test_client()
    page = newcomer.get(path_of(link))
    assert page.status_code == 200 and "new.carer@example.org" in page.text
    done = newcomer.submit(path_of(link), {"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert done.status_code == 302 and done.location == "/"
    home = newcomer.get("/")
    assert home.status_code == 200 and "Nia Evans" in home.text
    user = db.session.scalar(select(User).where(User.email == "new.carer@example.org"))
    assert user.roles == {Role.CARER}


def test_only_a_hash_of_the_invitation_token_is_stored(client, mail_dir):
    _signed_in_admin(client)
    _invite(client)
    token = _invitation_path(mail_dir).rsplit("/", 1)[1]
    invitation = db.session.scalar(select(Invitation))
    assert token not in invitation.token_hash and len(invitation.token_hash) == 64


def test_invited_staff_set_up_security_codes_before_anything_else(app, client, mail_dir):
    _signed_in_admin(client)
    _invite(client, email="sam.ssw@example.org", name="Sam Okafor", roles=("supervising_social_worker",))
    newcomer = app.test_client()
    done = newcomer.submit(_invitation_path(mail_dir), {"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert done.location.endswith("/sign-in/set-up-security-codes")
    assert newcomer.get("/").location.endswith("/sign-in/set-up-security-codes")


def test_an_invitation_can_hold_several_roles(client, mail_dir):
    _signed_in_admin(client)
    _invite(client, roles=("carer", "mentor"))
    assert db.session.scalar(select(Invitation)).role_list == [Role.CARER, Role.MENTOR]


def test_an_invitation_link_works_only_once(app, client, mail_dir):
    _signed_in_admin(client)
    _invite(client)
    path = _invitation_path(mail_dir)
    app.test_client().submit(path, {"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    again = app.test_client().get(path)
    assert again.status_code == 410
    assert "already been used" in again.text
    assert "ask the fostering team to send a new invitation" in text_of(again)


def test_an_expired_invitation_link_explains_what_to_do(app, client, mail_dir):
    _signed_in_admin(client)
    _invite(client)
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = app.test_client().get(_invitation_path(mail_dir))
    assert page.status_code == 410
    assert "has expired" in page.text and "ask the fostering team to send a new invitation" in text_of(page)


def test_an_unknown_invitation_link_gets_the_same_kind_page(client):
    page = client.get("/invitation/made-up-token")
    assert page.status_code == 410 and "ask the fostering team to send a new invitation" in text_of(page)


def test_inviting_an_address_that_already_has_an_account_is_a_form_error(client):
    _signed_in_admin(client)
    existing = make_user(Role.CARER, email="already@example.org")
    response = _invite(client, email="Already@Example.org")
    assert response.status_code == 200
    assert "already has an account" in response.text
    assert 'value="Already@Example.org"' in response.text  # what was typed is kept
    assert db.session.scalar(select(Invitation)) is None and existing.is_active


def test_an_invitation_needs_a_role_a_name_and_a_real_email(client):
    _signed_in_admin(client)
    response = client.submit("/admin/users/invite", {"full_name": "", "email": "not-an-email"})
    assert response.status_code == 200
    text = text_of(response)
    assert "Select at least one role" in text and "Enter the person's full name" in text
    assert "Enter an email address in the correct format" in text


def test_a_short_or_common_password_is_refused_kindly(app, client, mail_dir):
    _signed_in_admin(client)
    _invite(client)
    newcomer = app.test_client()
    short = newcomer.submit(_invitation_path(mail_dir), {"password": "short", "confirm": "short"})
    assert short.status_code == 200 and "at least 12 characters" in short.text
    common = newcomer.submit(_invitation_path(mail_dir), {"password": "password1234", "confirm": "password1234"})
    assert "too common" in common.text
    mismatch = newcomer.submit(_invitation_path(mail_dir), {"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD + "x"})
    assert "do not match" in mismatch.text
    assert GOOD_PASSWORD not in mismatch.text  # passwords are never sent back to the page


def test_resending_an_invitation_replaces_the_link(app, client, mail_dir):
    _signed_in_admin(client)
    _invite(client)
    first = _invitation_path(mail_dir)
    invitation = db.session.scalar(select(Invitation))
    response = press(client, "/admin/invitations", f"/{invitation.id}/resend")
    assert response.status_code == 302
    second = _invitation_path(mail_dir)
    assert first != second and len(read_mail(mail_dir)) == 2
    assert app.test_client().get(first).status_code == 410
    assert app.test_client().get(second).status_code == 200
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "invitation_resent")).object_id == str(
        invitation.id
    )


def test_a_withdrawn_invitation_link_no_longer_works(app, client, mail_dir):
    _signed_in_admin(client)
    _invite(client)
    invitation = db.session.scalar(select(Invitation))
    response = press(client, "/admin/invitations", f"/{invitation.id}/revoke")
    assert response.status_code == 302
    page = app.test_client().get(_invitation_path(mail_dir))
    assert page.status_code == 410 and "withdrawn" in page.text
    assert "There are no invitations waiting to be accepted" in client.get("/admin/invitations").text


def test_sending_an_invitation_is_audited(client):
    admin = _signed_in_admin(client)
    _invite(client)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "invitation_sent"))
    assert event.actor_id == admin.id and event.detail["roles"] == "carer"


def test_the_create_admin_command_prints_a_link_that_makes_an_admin(app, mail_dir):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "first@council.example", "--name", "First Admin"]
    )
    assert result.exit_code == 0, result.output
    link = result.output.strip().splitlines()[-1]
    assert link.startswith(app.config["BASE_URL"] + "/invitation/")
    drain_jobs(app)
    assert read_mail(mail_dir)[0]["To"] == "first@council.example"
    newcomer = app.test_client()
    done = newcomer.submit(path_of(link), {"password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD})
    assert done.location.endswith("/sign-in/set-up-security-codes")
    admin = db.session.scalar(select(User).where(User.email == "first@council.example"))
    assert admin.roles == {Role.ADMIN}
