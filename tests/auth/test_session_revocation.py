"""Ending sessions: sign-out, a new password, disabling and losing a role all take effect on the very next request."""

from portal.auth.roles import Role
from portal.core.db import db
from tests.auth.buttons import press
from tests.factories import make_user

NEW_PASSWORD = "harbour velvet thimble"


def _signed_in(app, user):
    client = app.test_client()
    client.sign_in(user)
    assert client.get("/").status_code == 200
    return client


def _is_signed_out(client) -> bool:
    response = client.get("/account")
    return response.status_code == 302 and response.location.startswith("/sign-in")


def test_signing_out_ends_the_session_even_if_the_cookie_is_kept(app):
    carer = make_user(Role.CARER)
    client = _signed_in(app, carer)
    cookie = client.get_cookie("hearth_session").value
    response = press(client, "/", "/sign-out")
    assert response.status_code == 302 and response.location == "/signed-out"
    assert "You have signed out" in client.get("/signed-out").text
    client.set_cookie("hearth_session", cookie)  # a copy of the old cookie is worth nothing now
    assert _is_signed_out(client)


def test_changing_password_signs_out_other_devices_but_not_this_one(app):
    carer = make_user(Role.CARER)
    phone, laptop = _signed_in(app, carer), _signed_in(app, carer)
    response = laptop.submit(
        "/account/change-password",
        {"current_password": "hearth-demo-2026", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert _is_signed_out(phone)
    assert laptop.get("/account").status_code == 200


def test_disabling_a_user_ends_their_session_at_once(app):
    admin, carer = make_user(Role.ADMIN), make_user(Role.CARER)
    carer_client, admin_client = _signed_in(app, carer), _signed_in(app, admin)
    press(admin_client, f"/admin/users/{carer.id}", "/disable")
    assert _is_signed_out(carer_client)
    refused = app.test_client().submit("/sign-in", {"email": carer.email, "password": "hearth-demo-2026"})
    assert refused.status_code == 401


def test_removing_a_role_ends_the_session_at_once(app):
    admin = make_user(Role.ADMIN)
    worker = make_user(Role.SSW, Role.TRAINING_COORDINATOR)
    worker_client, admin_client = _signed_in(app, worker), _signed_in(app, admin)
    admin_client.submit(f"/admin/users/{worker.id}/roles", {"roles": ["training_coordinator"]})
    assert _is_signed_out(worker_client)
    db.session.refresh(worker)
    assert worker.roles == {Role.TRAINING_COORDINATOR}


def test_signing_out_of_other_devices_keeps_this_one(app):
    carer = make_user(Role.CARER)
    phone, laptop = _signed_in(app, carer), _signed_in(app, carer)
    assert "1 other device" in laptop.get("/account").text
    press(laptop, "/account", "/sign-out-other-devices")
    assert _is_signed_out(phone)
    assert "not signed in anywhere else" in laptop.get("/account").text
