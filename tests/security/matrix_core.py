"""Matrix rows for sign-in, home, help, PWA and health routes."""

from portal.auth.roles import Role
from tests.security.matrix import ANY_SIGNED_IN, PUBLIC, Case

STAFF_AND_CARERS = frozenset(Role)

CASES = [
    Case("hub.home", lambda w, _: "/", ANY_SIGNED_IN),
    Case("hub.help_and_contacts", lambda w, _: "/help", PUBLIC),
    Case("hub.accessibility_statement", lambda w, _: "/accessibility", PUBLIC),
    Case("pwa.manifest", lambda w, _: "/manifest.webmanifest", PUBLIC),
    Case("pwa.service_worker", lambda w, _: "/service-worker.js", PUBLIC),
    Case("pwa.offline", lambda w, _: "/offline", PUBLIC),
    Case("pwa.outbox_session", lambda w, _: "/outbox/session", PUBLIC),
    Case("ops.healthz", lambda w, _: "/healthz", PUBLIC),
]

CASES += [
    Case("inbox.list_notifications", lambda w, _: "/notifications", ANY_SIGNED_IN),
    Case("inbox.mark_all_read", lambda w, _: "/notifications/mark-read", ANY_SIGNED_IN, method="POST"),
]

CASES += [
    Case(
        "pwa.save_push_subscription",
        lambda w, _: "/push/subscriptions",
        ANY_SIGNED_IN,
        method="POST",
        ok_statuses=(200, 201, 400),
    ),
    Case(
        "pwa.remove_push_subscription",
        lambda w, _: "/push/subscriptions/remove",
        ANY_SIGNED_IN,
        method="POST",
        ok_statuses=(200, 400),
    ),
]
