from portal.auth.roles import Role
from tests.factories import make_carer_household, make_child, make_user, place


def test_carer_signs_in_and_sees_the_children_placed_with_them(client):
    carer, household = make_carer_household()
    child = make_child(first_name="Amelia")
    place(child, household)
    client.sign_in(carer)
    home = client.get("/")
    assert home.status_code == 200
    assert "Amelia" in home.text


def test_staff_are_asked_for_a_security_code(client):
    ssw = make_user(Role.SSW)
    response = client.submit("/sign-in", {"email": ssw.email, "password": "hearth-demo-2026"})
    assert response.location.endswith("/sign-in/security-code")
    assert client.get("/").status_code == 302
