"""Malformed input answers 404 or 400, never 500: ids too big for the id columns on every id route (up to past 64
bits), NUL bytes, hand-made next=."""

from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from portal.auth.roles import Role
from portal.core.inputs import MAX_ID, IdConverter
from portal.demo import DEMO_PASSWORD
from tests.factories import make_user

# 20 digits (past 2**63 - 1, the SQLite driver's limit) and one past PostgreSQL's INTEGER.
TOO_BIG = ("99999999999999999999", str(2**31))


def _id_routes(app) -> list[tuple[str, str, list[str]]]:
    """(method, rule, int parameter names) for every route that takes an id, straight from the URL map."""
    found = []
    for rule in app.url_map.iter_rules():
        ints = [name for name, conv in rule._converters.items() if isinstance(conv, IntegerConverter)]
        if ints:
            found += [(method, rule.rule, ints) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


def _url(rule: str, names: list[str], value: object) -> str:
    for name in names:
        rule = rule.replace(f"<int:{name}>", str(value))
    return rule


@pytest.fixture
def admin_client(app):
    """One person holding every role reaches every view."""
    client = app.test_client()
    client.sign_in(make_user(*Role, email="every-role@example.org"))
    client.get("/")
    client.csrf_token = next(f.fields["csrf_token"] for f in client.page.forms if "csrf_token" in f.fields)
    return client


def _open(client, method: str, url: str):
    # POSTs carry a valid CSRF token, so that they get as far as the loaders.
    data = {"csrf_token": getattr(client, "csrf_token", "")} if method == "POST" else None
    return client.open(url, method=method, data=data)


def test_every_id_route_is_covered(app):
    routes = _id_routes(app)
    assert len(routes) > 40, "the URL map should hold dozens of id routes"
    assert all("<int:" in rule for _, rule, _ in routes)
    assert app.url_map.converters["int"] is IdConverter


@pytest.mark.parametrize("too_big", TOO_BIG)
def test_ids_too_big_for_the_columns_are_not_found_on_every_route(app, admin_client, too_big):
    problems = []
    for method, rule, names in _id_routes(app):
        for client in (admin_client, app.test_client()):
            status = _open(client, method, _url(rule, names, too_big)).status_code
            if status not in (404, 405):  # 405: a GET-only rule of the same shape matched
                problems.append(f"{method} {rule}: {status}")
    assert not problems, f"expected 404 for id {too_big}:\n" + "\n".join(problems)


def test_the_largest_id_reaches_the_views_and_is_not_found(app, admin_client):
    problems = []
    for method, rule, names in _id_routes(app):
        status = _open(admin_client, method, _url(rule, names, MAX_ID)).status_code
        if status >= 500 or status == 200:
            problems.append(f"{method} {rule}: {status}")
    assert not problems, "an id no row has must not be found (and never a 500):\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "next_value",
    ["/logs%0d%0aSet-Cookie:%20x=1", "/logs%00", "/%09/evil.example", "/children%7f", "/logs%c2%85"],
)
def test_next_with_control_characters_is_a_bad_request(client, next_value):
    assert client.get(f"/sign-in?next={next_value}").status_code == 400


def test_next_with_control_characters_is_refused_on_the_sign_in_post_too(app, client):
    user = make_user(Role.CARER, mfa=False)
    response = client.post("/sign-in?next=/logs%0d%0a", data={"email": user.email, "password": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "logs"])
def test_next_to_another_site_goes_home_instead(client, target):
    user = make_user(Role.CARER, mfa=False)
    client.get("/sign-in", query_string={"next": target})
    response = client.submit(f"/sign-in?next={target}", {"email": user.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response.location == "/"


def test_next_on_this_site_is_followed(client):
    user = make_user(Role.CARER, mfa=False)
    response = client.submit("/sign-in?next=/logs?page=2", {"email": user.email, "password": DEMO_PASSWORD})
    assert response.location == "/logs?page=2"


@pytest.mark.parametrize(
    "url",
    ["/admin/users?q=a%00b", "/logs?category=%00", "/children%00", "/sign-in?email%00=x", "/reset-password/a%00b"],
)
def test_nul_bytes_are_a_bad_request(admin_client, url):
    assert admin_client.get(url).status_code in (400, 404)


def test_nul_bytes_in_a_form_are_a_bad_request(client):
    assert client.post("/sign-in", data={"email": "a\x00@example.org", "password": "x"}).status_code == 400
