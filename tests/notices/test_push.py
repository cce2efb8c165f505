"""Web push from the worker to a push service on the loopback interface: encrypted for the browser's keys (RFC 8291),
signed with Hearth's VAPID key (RFC 8292), carrying no personal details; a 404 or 410 removes the subscription."""

from __future__ import annotations

import json
from base64 import urlsafe_b64decode

from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.db import db
from portal.core.notice_kinds import CLAIM_QUERIED, PUSH
from portal.core.notice_preferences import NoticePreference
from portal.core.notify import notify_in_app
from portal.core.push import PushSubscription, save_subscription, vapid_public_key
from portal.demo import DEMO_PASSWORD
from tests.factories import make_user
from tests.jobs import JobFailed, drain_jobs
from tests.notices.push_service import Browser, PushService

# What Chrome's PushManager.subscribe() gave for a real phone (FCM), recorded; the keys are a real P-256 point and
# auth secret. The endpoint is never contacted in these tests.
RECORDED = {
    "endpoint": "https://fcm.googleapis.com/fcm/send/dJ0e9Yq1xyA:APA91bF3mPq0Wv2m9YhJ8cT3lZ7oQx4rVb6uN1sK5eH0gD2iL",
    "expirationTime": None,
    "keys": {
        "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
        "auth": "tBHItJI5svbpez7KI4CCXg",
    },
}
PERSONAL = "Business support have a question about your claim CL-000042 for Millie's school trip"


def _subscribe(user, browser: Browser, endpoint: str) -> None:
    save_subscription(user.id, browser.subscription(endpoint), "Android phone or tablet")
    db.session.commit()


def _jwt_claims(authorization: str) -> dict:
    token = authorization.split("t=")[1].split(",")[0]
    payload = token.split(".")[1]
    return json.loads(urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_a_notice_is_pushed_encrypted_signed_and_without_personal_details(app):
    carer = make_user(Role.CARER, mfa=False)
    browser = Browser()
    with PushService() as service:
        _subscribe(carer, browser, service.url("/push/phone-1"))
        notify_in_app(carer.id, PERSONAL, "/claims/42", kind=CLAIM_QUERIED.name, target="claim:42", key="q:42")
        db.session.commit()
        drain_jobs(app)
    [sent] = service.received
    assert sent.path == "/push/phone-1"
    assert sent.headers["content-encoding"] == "aes128gcm" and int(sent.headers["ttl"]) > 0
    assert b"Millie" not in sent.body  # encrypted on the wire
    vapid = sent.headers["authorization"]
    assert vapid.startswith("vapid t=") and f"k={vapid_public_key()}" in vapid
    claims = _jwt_claims(vapid)
    assert claims["aud"] == service.url("").rstrip("/") and claims["sub"].startswith("mailto:")
    payload = json.loads(browser.decrypt(sent.body))
    assert payload == {"title": "Hearth", "body": "A claim needs your answer", "url": "/claims/42", "tag": "q:42"}
    assert db.session.scalar(select(PushSubscription.last_sent_at)) is not None


def test_the_same_event_is_pushed_once(app):
    carer = make_user(Role.CARER, mfa=False)
    browser = Browser()
    with PushService() as service:
        _subscribe(carer, browser, service.url("/push/phone-1"))
        for _ in range(3):
            notify_in_app(carer.id, PERSONAL, "/claims/42", kind=CLAIM_QUERIED.name, key="q:42")
            db.session.commit()
            drain_jobs(app)
    assert len(service.received) == 1


def test_a_subscription_the_push_service_says_is_gone_is_removed_and_other_devices_still_get_it(app):
    carer = make_user(Role.CARER, mfa=False)
    with PushService() as service:
        service.statuses = {"/push/old-phone": 410, "/push/old-laptop": 404}
        for path in ("/push/old-phone", "/push/old-laptop", "/push/new-phone"):
            _subscribe(carer, Browser(), service.url(path))
        notify_in_app(carer.id, "Payment made", "/payments/1", kind="payment_made")
        db.session.commit()
        drain_jobs(app)
    assert sorted(r.path for r in service.received) == ["/push/new-phone", "/push/old-laptop", "/push/old-phone"]
    left = db.session.scalars(select(PushSubscription.endpoint)).all()
    assert left == [service.url("/push/new-phone")]


def test_a_push_service_failure_is_retried_and_keeps_the_subscription(app):
    carer = make_user(Role.CARER, mfa=False)
    with PushService() as service:
        service.statuses = {"/push/phone": 503}
        _subscribe(carer, Browser(), service.url("/push/phone"))
        notify_in_app(carer.id, "Payment made", "/payments/1", kind="payment_made")
        db.session.commit()
        try:
            drain_jobs(app, retries_now=True)
        except JobFailed:
            pass
        assert len(service.received) == 4  # the first try and three retries
    assert db.session.scalar(select(PushSubscription.id)) is not None


def test_push_switched_off_for_a_kind_sends_nothing(app):
    carer = make_user(Role.CARER, mfa=False)
    db.session.add(NoticePreference(user_id=carer.id, kind="payment_made", channel=PUSH, is_on=False))
    db.session.commit()
    with PushService() as service:
        _subscribe(carer, Browser(), service.url("/push/phone"))
        notify_in_app(carer.id, "Payment made", "/payments/1", kind="payment_made")
        notify_in_app(carer.id, PERSONAL, "/claims/42", kind=CLAIM_QUERIED.name)
        db.session.commit()
        drain_jobs(app)
    assert len(service.received) == 1


def _csrf(client) -> str:
    client.get("/account/notifications")
    return next(f for f in client.page.forms if f.method == "post").fields["csrf_token"]


def test_the_subscription_endpoint_stores_a_recorded_subscription_and_turns_it_off(client):
    carer = make_user(Role.CARER, mfa=False)
    client.sign_in(carer)
    token = _csrf(client)
    phone = {"User-Agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/131.0 Mobile", "X-CSRFToken": token}
    response = client.post("/push/subscriptions", json={"subscription": RECORDED}, headers=phone)
    assert response.status_code == 201
    sub = db.session.scalar(select(PushSubscription))
    assert (sub.user_id, sub.endpoint, sub.auth, sub.device) == (
        carer.id,
        RECORDED["endpoint"],
        "tBHItJI5svbpez7KI4CCXg",
        "Android phone or tablet",
    )
    assert client.post("/push/subscriptions", json={"subscription": RECORDED}, headers=phone).status_code == 201
    assert len(db.session.scalars(select(PushSubscription)).all()) == 1  # the same device, not a second row
    page = client.get("/account/notifications")
    assert "Notifications are on for 1 device: Android phone or tablet" in page.text
    gone = client.post("/push/subscriptions/remove", json={"endpoint": RECORDED["endpoint"]}, headers=phone)
    assert gone.status_code == 200 and gone.json == {"removed": 1}
    assert db.session.scalar(select(PushSubscription)) is None


def test_the_subscription_endpoint_refuses_what_is_not_a_subscription_or_has_no_csrf_token(client):
    carer = make_user(Role.CARER, mfa=False)
    client.sign_in(carer)
    token = {"X-CSRFToken": _csrf(client)}
    plain_http = {**RECORDED, "endpoint": "http://push.example.com/x"}
    no_keys = {"endpoint": RECORDED["endpoint"]}
    for bad in (plain_http, no_keys, "nonsense", None):
        assert client.post("/push/subscriptions", json={"subscription": bad}, headers=token).status_code == 400
    assert client.post("/push/subscriptions", json={"subscription": RECORDED}).status_code == 400  # no CSRF token
    assert db.session.scalar(select(PushSubscription)) is None


def test_another_persons_device_is_not_turned_off(client):
    carer, other = make_user(Role.CARER, mfa=False), make_user(Role.CARER, mfa=False)
    save_subscription(other.id, RECORDED)
    db.session.commit()
    client.sign_in(carer)
    token = {"X-CSRFToken": _csrf(client)}
    response = client.post("/push/subscriptions/remove", json={"endpoint": RECORDED["endpoint"]}, headers=token)
    assert response.json == {"removed": 0}
    assert db.session.scalar(select(PushSubscription.user_id)) == other.id


def test_a_tapped_notice_opens_its_page_after_signing_in(client):
    carer = make_user(Role.CARER, mfa=False)
    response = client.get("/claims/42")
    assert response.status_code == 302 and response.location.startswith("/sign-in?next=/claims/42")
    signed_in = client.submit(response.location, {"email": carer.email, "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302 and signed_in.location == "/claims/42"
