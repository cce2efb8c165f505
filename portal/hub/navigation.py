"""The service navigation each person sees, by the roles they hold."""

from __future__ import annotations

from flask import current_app, g, request, url_for
from flask_login import current_user

from portal.auth.roles import Role
from portal.core.badges import badge_counts

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
    ("training.list_sessions", "Training", frozenset({Role.CARER, Role.APPLICANT})),
    ("training.list_programme", "Training", frozenset({Role.TRAINING_COORDINATOR})),
    ("training.list_training_households", "Training", frozenset({Role.SSW})),
    ("claims.list_claims", "Claims", frozenset({Role.CARER})),
    ("claims.list_claim_queue", "Claims", frozenset({Role.BUSINESS_SUPPORT, Role.ADMIN})),
    ("claims.list_payment_batches", "Payment batches", frozenset({Role.BUSINESS_SUPPORT})),
    ("payments.list_payments", "Payments", frozenset({Role.CARER})),
    ("payments.list_pay_runs", "Pay runs", frozenset({Role.BUSINESS_SUPPORT})),
    ("payments.list_payment_rates", "Payment rates", frozenset({Role.ADMIN})),
    ("mentoring.my_mentoring", "Mentoring", frozenset({Role.MENTOR, Role.APPLICANT, Role.CARER})),
    ("mentoring.list_mentees", "Mentees", frozenset({Role.MENTORING_COORDINATOR})),
    ("mentoring.show_scheme_report", "Scheme report", frozenset({Role.MENTORING_COORDINATOR})),
    ("mentoring.list_localities", "Mentoring", frozenset({Role.ADMIN})),
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
    """The person's menu: dicts with `href`, `text` and `active`, in NAVIGATION's order; empty when signed out or
    half signed in. Drawn on every page, so the entries for each set of roles are worked out once per process and
    only the counts and the current page are filled in per request."""
    user = current_user._get_current_object()
    if not user.is_authenticated or user.second_factor_owed:
        return []
    here = request.endpoint
    items = []
    for endpoint, text, href in _entries(user.roles):
        if endpoint == "inbox.list_notifications":
            text = _with_unread_count(text)
        elif endpoint == "mentoring.my_mentoring":
            count = current_app.jinja_env.globals["mentoring_unread"]()  # the feature's own counter
            text = f"{text} ({count} new)" if count else text
        items.append({"href": href, "text": text, "active": here == endpoint})
    return items


def _entries(roles: frozenset[Role]) -> list[tuple[str, str, str]]:
    # The URLs change only with the prefix the app is mounted under; the entries only with the roles.
    cache = current_app.extensions.setdefault("hearth_navigation", {})
    key = (request.script_root, roles)
    entries = cache.get(key)
    if entries is None:
        paths = {e: url_for(e) for e, _text, _roles in NAVIGATION if e in current_app.view_functions}
        entries = cache[key] = [
            (endpoint, text, paths[endpoint])
            for endpoint, text, allowed in NAVIGATION
            # An entry whose feature is not installed is left out; tests/meta checks every entry resolves.
            if endpoint in paths and (allowed is None or roles & allowed)
        ]
    return entries


def _with_unread_count(text: str) -> str:
    count = unread_count()
    return f"{text} ({count} new)" if count else text


def unread_count() -> int:
    """The signed-in person's new notifications, counted once per request with the page's other badges (the menu
    and the header badge)."""
    return badge("notifications")


def badge(name: str) -> int:
    """The signed-in person's count for `name`, fetched with all their other badges once per request; 0 when
    signed out, half signed in (second factor owed) or not shown the counter."""
    if "hearth_badges" not in g:
        user = current_user._get_current_object()
        g.hearth_badges = badge_counts(user) if user.is_authenticated and not user.second_factor_owed else {}
    return g.hearth_badges.get(name, 0)
