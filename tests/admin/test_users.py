"""Admin user management: finding people, roles, disabling, security-code resets, and the limits on self-harm."""

from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.audit import AuditEvent
from portal.core.db import db
from tests.auth.buttons import press
from tests.factories import make_user
from tests.mail import read_mail
from tests.pages import text_of


def _admin(client):
    admin = make_user(Role.ADMIN, name="Ada Admin")
    client.sign_in(admin)
    return admin


def _events(action):
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_users_can_be_searched_by_name_or_email(client):
    _admin(client)
    make_user(Role.CARER, name="Bethan Morgan", email="bethan@example.org")
    make_user(Role.CARER, name="Carys Jones", email="cj@family.example")
    by_name = text_of(client.get("/admin/users?q=morgan"))
    assert "Bethan Morgan" in by_name and "Carys Jones" not in by_name
    by_email = text_of(client.get("/admin/users?q=FAMILY.example"))
    assert "Carys Jones" in by_email and "Bethan Morgan" not in by_email


def test_users_can_be_filtered_by_role(client):
    _admin(client)
    make_user(Role.CARER, name="Carer Person")
    make_user(Role.SSW, name="Social Worker")
    text = text_of(client.get("/admin/users?role=supervising_social_worker"))
    assert "Social Worker" in text and "Carer Person" not in text


def test_a_nonsense_filter_is_ignored_kindly(client):
    _admin(client)
    response = client.get("/admin/users?role=wizard&page=banana")
    assert response.status_code == 200


def test_the_user_list_is_paginated(client):
    _admin(client)
    for n in range(30):
        make_user(Role.CARER, name=f"Paged Person {n:02d}")
    first = client.get("/admin/users?q=paged")
    assert "Showing 1 to 25 of 30 people" in text_of(first) and "/admin/users?page=2&q=paged" in client.page.hrefs
    second = text_of(client.get("/admin/users?q=paged&page=2"))
    assert "Paged Person 29" in second and "Paged Person 00" not in second


def test_the_user_page_shows_their_details(client):
    _admin(client)
    carer = make_user(Role.CARER, name="Dewi Thomas", email="dewi@example.org")
    text = text_of(client.get(f"/admin/users/{carer.id}"))
    assert "Dewi Thomas" in text and "dewi@example.org" in text and "Foster carer" in text
    assert client.get("/admin/users/987654").status_code == 404


def test_changing_roles_is_audited(client):
    admin = _admin(client)
    person = make_user(Role.CARER)
    response = client.submit(f"/admin/users/{person.id}/roles", {"roles": ["mentor", "carer"]})
    assert response.status_code == 302
    [granted] = _events("role_granted")
    assert granted.actor_id == admin.id and granted.object_id == str(person.id) and granted.detail == {"role": "mentor"}
    client.submit(f"/admin/users/{person.id}/roles", {"roles": ["mentor"]})
    assert _events("role_removed")[0].detail == {"role": "carer"}
    db.session.refresh(person)
    assert person.roles == {Role.MENTOR}


def test_a_person_must_keep_at_least_one_role(client):
    _admin(client)
    person = make_user(Role.CARER)
    response = client.submit(f"/admin/users/{person.id}/roles", {"roles": None})
    assert response.status_code == 200 and "Select at least one role" in text_of(response)


def test_an_admin_cannot_remove_their_own_admin_role(client):
    admin = _admin(client)
    response = client.submit(f"/admin/users/{admin.id}/roles", {"roles": ["carer"]})
    assert response.status_code == 200
    assert "cannot remove your own admin role" in text_of(response)
    db.session.refresh(admin)
    assert Role.ADMIN in admin.roles


def test_an_admin_cannot_disable_themselves(client):
    admin = _admin(client)
    page = text_of(client.get(f"/admin/users/{admin.id}"))
    assert "You cannot disable your own account" in page

    csrf = client.page.forms[0].fields["csrf_token"]
    response = client.post(f"/admin/users/{admin.id}/disable", data={"csrf_token": csrf}, follow_redirects=True)
    assert "You cannot disable your own account" in text_of(response)
    db.session.refresh(admin)
    assert admin.is_active


def test_disabling_and_enabling_a_user_is_audited(client):
    admin = _admin(client)
    person = make_user(Role.CARER)
    press(client, f"/admin/users/{person.id}", "/disable")
    db.session.refresh(person)
    assert not person.is_active and "Disabled" in text_of(client.get("/admin/users"))
    press(client, f"/admin/users/{person.id}", "/enable")
    db.session.refresh(person)
    assert person.is_active
    assert _events("user_disabled")[0].actor_id == admin.id and _events("user_enabled")[0].object_id == str(person.id)


def test_resetting_security_codes_makes_staff_enrol_again(app, client, mail_dir):
    _admin(client)
    ssw = make_user(Role.SSW)
    press(client, f"/admin/users/{ssw.id}", "/reset-security-codes")
    db.session.refresh(ssw)
    assert not ssw.mfa_enabled and _events("mfa_reset")[0].object_id == str(ssw.id)
    assert read_mail(mail_dir)[-1]["Subject"] == "Your security codes have been reset"
    again = app.test_client()
    response = again.submit("/sign-in", {"email": ssw.email, "password": "hearth-demo-2026"})
    assert response.location.endswith("/sign-in/set-up-security-codes")


def test_granting_a_staff_role_asks_for_codes_at_once(app, client):
    _admin(client)
    carer = make_user(Role.CARER)
    carer_client = app.test_client()
    carer_client.sign_in(carer)
    client.submit(f"/admin/users/{carer.id}/roles", {"roles": ["carer", "supervising_social_worker"]})
    assert carer_client.get("/").location.startswith("/sign-in")
    carer_client.sign_in(carer)
    assert carer_client.get("/").location.endswith("/sign-in/set-up-security-codes")
