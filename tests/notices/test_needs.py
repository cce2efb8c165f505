"""Each role's home page starts with what needs that person, newest first, linking to where to act; an item goes
as soon as it is acted on; a source's query count does not grow with the data."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event

from portal.auth.roles import Role
from portal.claims.decisions import query_claim
from portal.claims.models import Claim
from portal.claims.rules import settings
from portal.claims.services import submit_claim
from portal.core.clock import today
from portal.core.db import db
from portal.hub.needs import needs_for
from portal.memories.policy import box_access
from portal.memories.services import approve_item
from portal.records.services import mark_read
from tests.claims.conftest import make_claim
from tests.factories import make_user
from tests.notices.test_notices import _add_note, _moderated_box
from tests.pages import text_of


def _needs_section(client) -> str:
    page = client.get("/")
    assert page.status_code == 200
    text = text_of(page)
    start = text.index("What needs you")
    return text[start : start + 400]


def test_a_queried_claim_is_on_the_carers_home_until_answered_and_the_queue_on_business_supports(client, world):
    claim = make_claim(world)
    support = client
    client.sign_in(world.support)
    assert "Claims waiting for a decision: 1 The oldest has waited less than a day" in _needs_section(client)
    query_claim(world.support, claim, version=claim.version, question="Which school was it?")
    assert "Nothing needs you" in _needs_section(client)

    client = client.application.test_client()
    client.sign_in(world.carer)
    section = _needs_section(client)
    assert f"Business support have a question about your claim {claim.number}" in section
    assert f"/claims/{claim.id}" in client.page.hrefs
    claim = db.session.get(Claim, claim.id)
    submit_claim(world.carer, claim, settings(), answer="Millie's primary school")
    assert "question about your claim" not in _needs_section(client)
    assert "question about your claim" not in client.get("/notifications").text

    assert "Claims waiting for a decision: 1" in _needs_section(support)


def test_memories_waiting_are_on_the_moderators_home_with_their_count_until_approved(client):
    carer, ssw, sw, child = _moderated_box()
    items = [_add_note(carer, child, f"Day {n}") for n in range(3)]
    client.sign_in(ssw)
    section = _needs_section(client)
    assert "Memories waiting for your approval: 3" in section
    # The log the carer did not write is not in the list: only the moderation queue.
    for item in items:
        approve_item(ssw, db.session.get(type(item), item.id), box_access(ssw, child))
    assert "Memories waiting" not in _needs_section(client)


def test_unread_significant_logs_are_on_the_social_workers_home_until_read(client):
    from portal.records.models import LogEntry

    carer, ssw, sw, child = _moderated_box()
    entry = LogEntry(
        child_id=child.id,
        household_id=child.placements[0].household_id,
        author_id=carer.id,
        entry_date=today(),
        category="incident",
        body="Millie ran off at the park and was found by the police.",
        is_significant=True,
        idempotency_key="log-1",
    )
    db.session.add(entry)
    db.session.commit()
    client.sign_in(sw)
    section = _needs_section(client)
    assert "Significant events or incidents logged that you have not read: 1" in section
    assert "Log entries you have not read: 1" in section
    mark_read(sw, entry)
    assert "not read" not in _needs_section(client)


def test_a_reply_to_a_log_and_a_payment_are_on_the_carers_home_until_read(client):
    from portal.core.notify import notify_in_app

    carer = make_user(Role.CARER, mfa=False)
    notify_in_app(carer.id, "Ann Lee replied to your log entry about Millie", "/logs/1", kind="log_reply")
    notify_in_app(carer.id, "Payment made: £250.00 on 3 March 2027", "/payments/1", kind="payment_made")
    notify_in_app(carer.id, "Something that needs nothing", "/", kind="memory_added")
    db.session.commit()
    client.sign_in(carer)
    section = _needs_section(client)
    assert section.index("Payment made") < section.index("Ann Lee replied")  # newest first
    assert "needs nothing" not in section
    client.get("/notifications")
    form = next(f for f in client.page.forms if f.action == "/notifications/mark-read")
    client.post("/notifications/mark-read", data=form.fields)
    assert "Nothing needs you" in _needs_section(client)


def test_an_admin_sees_invitations_waiting_until_accepted(client):
    from portal.auth.models import Invitation
    from portal.core.db import utcnow

    admin = make_user(Role.ADMIN)
    client.sign_in(admin)
    assert "Invitations not yet accepted" not in _needs_section(client)
    invitation = Invitation(
        email="new.carer@example.org",
        full_name="New Carer",
        roles="carer",
        token_hash="x" * 64,
        expires_at=utcnow() + timedelta(days=7),
    )
    db.session.add(invitation)
    db.session.commit()
    assert "Invitations not yet accepted: 1" in _needs_section(client)
    invitation.accepted_at = utcnow()
    db.session.commit()
    assert "Invitations not yet accepted" not in _needs_section(client)


def test_the_claim_queue_source_costs_the_same_whatever_the_number_of_claims(app, world):
    def queries_for(user) -> int:
        count = 0

        def on_execute(*_args):
            nonlocal count
            count += 1

        event.listen(db.engine, "before_cursor_execute", on_execute)
        try:
            needs_for(user, today())
        finally:
            event.remove(db.engine, "before_cursor_execute", on_execute)
        return count

    make_claim(world)
    few = queries_for(world.support), queries_for(world.carer)
    for _ in range(6):
        make_claim(world)
    for claim in db.session.query(Claim).all()[:4]:
        query_claim(world.support, claim, version=claim.version, question="Which day?")
    assert (queries_for(world.support), queries_for(world.carer)) == few


def test_a_reply_to_a_log_goes_from_the_carers_home_when_they_answer(client):
    from portal.records.models import LogEntry
    from portal.records.services import comment_on_entry

    carer, ssw, sw, child = _moderated_box()
    entry = LogEntry(
        child_id=child.id,
        household_id=child.placements[0].household_id,
        author_id=carer.id,
        entry_date=today(),
        category="health",
        body="Dentist at 4pm; one filling.",
        idempotency_key="log-2",
    )
    db.session.add(entry)
    db.session.commit()
    comment_on_entry(ssw, entry, "Thanks. Was the follow-up booked?")
    client.sign_in(carer)
    assert "replied to your log entry about Millie" in _needs_section(client)
    comment_on_entry(carer, db.session.get(LogEntry, entry.id), "Yes, for 3 March.")
    assert "replied to your log entry" not in _needs_section(client)
