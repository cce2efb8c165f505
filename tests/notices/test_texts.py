"""Text messages through GOV.UK Notify's Python client, against a Notify API on the loopback interface: sent only
to people who keep texts on and gave a number, and saying nothing but the kind of notice and where to sign in."""

from __future__ import annotations

import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.db import db
from portal.core.notice_kinds import SMS
from portal.core.notice_preferences import NoticeContact, NoticePreference, set_mobile_number
from portal.core.notify import notify_in_app
from tests.conftest import base_app_config
from tests.factories import make_user
from tests.jobs import drain_jobs

SERVICE_ID, SECRET, TEMPLATE = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())


@pytest.fixture
def notify_api():
    received: list[tuple[str, dict, dict]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            token = self.headers["Authorization"].removeprefix("Bearer ")
            claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"require": ["iss", "iat"]})
            received.append((self.path, body, claims))
            answer = json.dumps({"id": str(uuid.uuid4()), "reference": body.get("reference")}).encode()
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", received
    server.shutdown()
    server.server_close()


@pytest.fixture
def app_config(database_url, tmp_path, notify_api):
    return {
        **base_app_config(database_url, tmp_path / "var"),
        "NOTIFY_API_KEY": f"hearth_test-{SERVICE_ID}-{SECRET}",
        "NOTIFY_SMS_TEMPLATE_ID": TEMPLATE,
        "NOTIFY_BASE_URL": notify_api[0],
    }


def _texts_on(user, number: str | None = "07700900982") -> None:
    db.session.add(NoticePreference(user_id=user.id, kind="claim_queried", channel=SMS, is_on=True))
    set_mobile_number(user.id, number)
    db.session.commit()


def test_a_text_says_only_what_kind_of_thing_and_where_to_sign_in(app, notify_api):
    _, received = notify_api
    carer = make_user(Role.CARER, mfa=False)
    _texts_on(carer)
    notify_in_app(carer.id, "A question about claim CL-000042 for Millie", "/claims/42", kind="claim_queried")
    db.session.commit()
    drain_jobs(app)
    [(path, body, claims)] = received
    assert path == "/v2/notifications/sms" and claims["iss"] == SERVICE_ID
    assert body["phone_number"] == "07700900982" and body["template_id"] == TEMPLATE
    text = body["personalisation"]["text"]
    assert text == f"A claim needs your answer. Sign in to Hearth: {app.config['BASE_URL']}/claims/42"
    assert "Millie" not in json.dumps(body)


def test_no_text_without_a_number_or_with_texts_off(app, notify_api):
    _, received = notify_api
    no_number, texts_off = make_user(Role.CARER, mfa=False), make_user(Role.CARER, mfa=False)
    _texts_on(no_number, None)
    set_mobile_number(texts_off.id, "07700900123")  # texts are off by default for this kind
    db.session.commit()
    for user in (no_number, texts_off):
        notify_in_app(user.id, "A question about your claim", "/claims/1", kind="claim_queried")
    db.session.commit()
    drain_jobs(app)
    assert received == []


def test_the_preferences_page_takes_a_mobile_number_and_refuses_one_that_is_not(client):
    carer = make_user(Role.CARER, mfa=False)
    client.sign_in(carer)
    page = client.submit("/account/notifications", {"mobile_number": "0770 090", "kind-claim_queried": ["sms"]})
    assert page.status_code == 200 and "Enter a UK mobile number" in page.text
    ticked = re.search(r'<input[^>]*name="kind-claim_queried"[^>]*value="sms"[^>]*>', page.text).group(0)
    assert "checked" in ticked  # what was ticked is shown again
    response = client.submit("/account/notifications", {"mobile_number": "07700 900 982"})
    assert response.status_code == 302
    assert db.session.scalar(select(NoticeContact.mobile_number)) == "07700900982"
