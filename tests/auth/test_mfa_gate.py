"""The gate keys on "has a second factor and this session has not passed it", not on role."""

from datetime import timedelta

import pytest

from portal.auth.roles import Role
from portal.core.clock import today
from tests.auth.second_factor_steps import CODE_PAGE, code, password_step
from tests.factories import make_child, make_household, make_user, place
from tests.mail import link_in, path_of, read_mail

NEW_PASSWORD = "porridge lighthouse meadow"


@pytest.fixture
def carer_with_codes():
    carer = make_user(Role.CARER, mfa=True)
    child = make_child(first_name="Ada")
    place(child, make_household(carer), start=today() - timedelta(days=30))
    return carer, child


def _paths(child) -> list[str]:
    # The pages found answering 200 to a half-signed-in carer before the gate keyed on the factor.
    return ["/", "/logs", f"/children/{child.id}", f"/memory-box/{child.id}", "/claims", "/payments", "/account"]


def test_a_carer_with_codes_reaches_nothing_but_the_code_page_after_the_password(client, carer_with_codes):
    carer, child = carer_with_codes
    assert password_step(client, carer).location.endswith(CODE_PAGE)
    for path in _paths(child):
        response = client.get(path)
        assert response.status_code == 302 and response.location.endswith(CODE_PAGE), path
    assert client.get(CODE_PAGE).status_code == 200
    assert client.submit(CODE_PAGE, {"code": code()}).status_code == 302
    for path in _paths(child):
        assert client.get(path).status_code == 200, path


def test_a_young_person_with_codes_is_gated_too(client):
    young = make_user(Role.YOUNG_PERSON, mfa=True)
    assert password_step(client, young).location.endswith(CODE_PAGE)
    assert client.get("/").location.endswith(CODE_PAGE)
    assert client.get("/account").location.endswith(CODE_PAGE)


def test_a_half_signed_in_person_can_still_sign_out(client, carer_with_codes):
    carer, _ = carer_with_codes
    password_step(client, carer)
    page = client.get(CODE_PAGE)
    sign_out = next(f for f in page.page.forms if (f.action or "").endswith("/sign-out"))
    assert client.post(sign_out.action, data=sign_out.fields).location.endswith("/signed-out")
    assert client.get("/").location.startswith("/sign-in")


def test_a_password_reset_link_does_not_skip_the_code(client, mail_dir, carer_with_codes):
    carer, child = carer_with_codes
    client.submit("/forgotten-password", {"email": carer.email})
    done = client.submit(path_of(link_in(read_mail(mail_dir)[0])), {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.location.endswith(CODE_PAGE)
    for path in _paths(child):
        assert client.get(path).location.endswith(CODE_PAGE), path


def test_a_carer_without_codes_signs_in_with_the_password_alone(client):
    carer = make_user(Role.CARER)
    assert password_step(client, carer).location == "/"
    assert client.get("/account").status_code == 200


def test_the_gate_is_enforced_before_every_request_not_only_by_decorators(app, client, carer_with_codes):
    """A view registered with a login gate but whose own wrapper was bypassed is still refused."""
    from portal.auth.gates import gate_of

    carer, _ = carer_with_codes
    view = app.view_functions["account.show_account"]
    assert gate_of(view) == ("login_only",)
    password_step(client, carer)
    app.view_functions["account.show_account"] = lambda: "reached"
    app.view_functions["account.show_account"].hearth_gate = ("login_only",)
    try:
        assert client.get("/account").location.endswith(CODE_PAGE)
    finally:
        app.view_functions["account.show_account"] = view
