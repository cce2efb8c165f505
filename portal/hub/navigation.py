"""The service navigation each person sees, by the roles they hold."""

from __future__ import annotations

from flask import current_app, request, url_for
from flask_login import current_user

from portal.auth.roles import Role
from portal.core.notify import unread_notifications

# (endpoint, text, roles that see it); None means every signed-in person.
NAVIGATION: tuple[tuple[str, str, frozenset[Role] | None], ...] = (
    ("hub.home", "Home", None),
    ("records.list_log_entries", "Logs", frozenset({Role.CARER, Role.SSW, Role.CHILD_SW, Role.ADMIN})),
    ("records.my_documents", "Documents", frozenset({Role.CARER})),
    (
        "memories.list_boxes",
        "Memory boxes",
        frozenset({Role.CARER, Role.SSW, Role.CHILD_SW, Role.ADMIN, Role.YOUNG_PERSON}),
    ),
    ("claims.list_claims", "Claims", frozenset({Role.CARER})),
    ("claims.list_claim_queue", "Claims", frozenset({Role.BUSINESS_SUPPORT, Role.ADMIN})),
    ("claims.list_payment_batches", "Payment batches", frozenset({Role.BUSINESS_SUPPORT})),
    ("payments.list_payments", "Payments", frozenset({Role.CARER})),
    ("payments.list_pay_runs", "Pay runs", frozenset({Role.BUSINESS_SUPPORT})),
    ("payments.list_payment_rates", "Payment rates", frozenset({Role.ADMIN})),
    ("people.list_households", "Households", frozenset({Role.ADMIN, Role.SSW, Role.CHILD_SW, Role.BUSINESS_SUPPORT})),
    ("people.list_children", "Children", frozenset({Role.ADMIN, Role.SSW, Role.CHILD_SW})),
    ("admin.list_users", "Users", frozenset({Role.ADMIN})),
    ("admin.audit_log", "Audit log", frozenset({Role.ADMIN})),
    ("groups.find_groups", "Support groups", frozenset(r for r in Role if r != Role.YOUNG_PERSON)),
    ("hub.list_information", "Information", None),
    ("inbox.list_notifications", "Notifications", None),
    ("hub.help_and_contacts", "Help", None),
    ("account.show_account", "Your account", None),
)


def navigation_items() -> list[dict]:
    if not current_user.is_authenticated or current_user.second_factor_owed:
        return []
    items = []
    for endpoint, text, roles in NAVIGATION:
        if endpoint not in current_app.view_functions:
            continue  # a feature not installed; tests/meta checks every entry resolves
        if roles is None or current_user.has_role(*roles):
            if endpoint == "inbox.list_notifications":
                text = _with_unread_count(text)
            items.append({"href": url_for(endpoint), "text": text, "active": request.endpoint == endpoint})
    return items


def _with_unread_count(text: str) -> str:
    count = unread_notifications(current_user.id)
    return f"{text} ({count} new)" if count else text
