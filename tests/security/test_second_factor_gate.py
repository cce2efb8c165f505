"""The second-factor meta-test: for every route in the authorization matrix, a half-signed-in person (password
given, code owed) of every role gets only a redirect to the security-code page.

Every role can hold codes (staff must; anyone else may turn them on), so every role is tried. Public pages are
public: they answer a half-signed-in person exactly as they answer a stranger. The code page itself, the
recovery-code page and sign-out are the only other ways forward.
"""

from __future__ import annotations

import pytest

from portal.auth.roles import Role
from portal.core.db import db, utcnow
from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.security.matrix import PUBLIC, build_world
from tests.security.test_authorization_matrix import CASES

pytestmark = pytest.mark.long  # every route for every role: run first (tests/conftest.py)

CODE_PAGE = "/sign-in/security-code"
WAYS_FORWARD = {"auth.verify_mfa", "auth.use_recovery_code", "auth.sign_out"}


def _csrf(client) -> str:
    client.get(CODE_PAGE)
    return next(f.fields["csrf_token"] for f in client.page.forms if "csrf_token" in f.fields)


def _send(client, case, world, csrf: str):
    url = case.url(world, "own")
    if case.method == "GET":
        return client.get(url)
    data = case.data(world) if callable(case.data) else dict(case.data)
    return client.post(url, data={**data, "csrf_token": csrf})


def test_a_half_signed_in_person_of_any_role_reaches_only_the_code_page(app):
    world = build_world()
    for setup in dict.fromkeys(c.setup for c in CASES if c.setup):  # each feature's objects once, in order
        setup(world)
    for user in world.users.values():
        if not user.totp_secret:
            user.totp_secret, user.mfa_enabled_at = DEMO_TOTP_SECRET, utcnow()
    db.session.commit()

    clients = {}
    for role, user in world.users.items():
        client = app.test_client()
        step = client.submit("/sign-in", {"email": user.email, "password": DEMO_PASSWORD})
        assert step.location.endswith(CODE_PAGE), f"{role.value}: password step went to {step.location}"
        clients[role] = (client, _csrf(client))
    stranger = app.test_client()
    stranger_csrf = _csrf_of_stranger(stranger)

    problems = []
    checked = 0
    for case in CASES:
        if case.endpoint in WAYS_FORWARD:
            continue
        public_status = _send(stranger, case, world, stranger_csrf).status_code if case.allowed == PUBLIC else None
        for role in Role:
            client, csrf = clients[role]
            response = _send(client, case, world, csrf)
            checked += 1
            if case.allowed == PUBLIC:
                to_code_page = response.status_code == 302 and response.location.endswith(CODE_PAGE)
                if response.status_code != public_status and not to_code_page:
                    problems.append(f"{role.value}: {case.method} {case.endpoint} answered {response.status_code}")
            elif response.status_code != 302 or not response.location.endswith(CODE_PAGE):
                where = response.location if response.status_code == 302 else ""
                problems.append(f"{role.value}: {case.method} {case.endpoint} answered {response.status_code} {where}")
    assert not problems, "reachable before the second factor:\n" + "\n".join(problems)
    assert checked > 1000  # every route in the matrix, for every role

    # And nothing above let anyone through: each is still half-signed-in.
    for role, (client, _) in clients.items():
        assert client.get("/").location.endswith(CODE_PAGE), role.value


def _csrf_of_stranger(client) -> str:
    client.get("/sign-in")
    return next(f.fields["csrf_token"] for f in client.page.forms if "csrf_token" in f.fields)
