"""A way back in without a phone or recovery codes: the carer's supervising social worker, or an admin, resets
their second factor; it is audited, emailed to the person, and ends their sessions."""

from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import RecoveryCode
from portal.auth.roles import Role
from portal.core.audit import AuditEvent
from portal.core.clock import today
from portal.core.db import db
from tests.auth.buttons import press
from tests.auth.second_factor_steps import password_step
from tests.factories import make_child, make_household, make_user, place
from tests.mail import read_mail
from tests.pages import text_of


def _household(ssw):
    carer = make_user(Role.CARER, mfa=True, name="Carys Price")
    household = make_household(carer, ssw=ssw)
    place(make_child(), household, start=today() - timedelta(days=10))
    return carer, household


def test_the_supervising_social_worker_resets_a_carers_codes(app, client, mail_dir):
    ssw = make_user(Role.SSW)
    carer, household = _household(ssw)
    carer_browser = app.test_client()
    carer_browser.sign_in(carer)
    client.sign_in(ssw)
    page = client.get(f"/households/{household.id}")
    assert "Reset Carys Price's security codes" in text_of(page)
    done = press(client, f"/households/{household.id}", f"/carers/{carer.id}/reset-security-codes")
    assert done.location == f"/households/{household.id}"
    db.session.refresh(carer)
    assert not carer.has_second_factor
    assert carer_browser.get("/").location.startswith("/sign-in")  # signed out at once
    assert db.session.scalar(select(RecoveryCode).where(RecoveryCode.user_id == carer.id)) is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "mfa_reset"))
    assert event.actor_id == ssw.id and event.object_id == str(carer.id)
    mail = read_mail(mail_dir)[-1]
    assert mail["To"] == carer.email and mail["Subject"] == "Your security codes have been reset"
    assert app.config["OUT_OF_HOURS_PHONE"] in mail.get_content()
    assert password_step(app.test_client(), carer).location == "/"  # back in with the password alone


def test_another_households_social_worker_cannot_reset_and_learns_nothing(client):
    mine = make_user(Role.SSW)
    carer, household = _household(mine)
    other = make_user(Role.SSW)
    client.sign_in(other)
    client.get("/account")
    csrf = client.page.forms[0].fields["csrf_token"]
    response = client.post(f"/carers/{carer.id}/reset-security-codes", data={"csrf_token": csrf})
    assert response.status_code == 404
    db.session.refresh(carer)
    assert carer.has_second_factor


def test_an_admin_resets_codes_from_the_users_page_with_the_same_effect(app, client, mail_dir):
    carer, _ = _household(make_user(Role.SSW))
    client.sign_in(make_user(Role.ADMIN))
    press(client, f"/admin/users/{carer.id}", f"/admin/users/{carer.id}/reset-security-codes")
    db.session.refresh(carer)
    assert not carer.has_second_factor
    assert read_mail(mail_dir)[-1]["Subject"] == "Your security codes have been reset"


def test_staff_whose_codes_are_reset_set_them_up_again_at_next_sign_in(app, client, mail_dir):
    ssw = make_user(Role.SSW)
    client.sign_in(make_user(Role.ADMIN))
    press(client, f"/admin/users/{ssw.id}", f"/admin/users/{ssw.id}/reset-security-codes")
    assert "set up your authenticator app again" in read_mail(mail_dir)[-1].get_content()
    assert password_step(app.test_client(), ssw).location.endswith("/sign-in/set-up-security-codes")
