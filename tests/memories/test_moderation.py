"""Moderation: carers' items wait in a queue, moderators approve or hide them (kept, audited, reversible)."""

from __future__ import annotations

from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.audit import AuditEvent
from portal.core.db import db
from portal.core.notify import Notification
from tests.factories import make_carer_household, make_user, place
from tests.memories.conftest import add, items, photo, press, signed_in, yesterday
from tests.pages import text_of


def _grant(app, box):
    sw = signed_in(app, box.social_worker)
    d = yesterday()
    sw.submit(
        f"/memory-box/{box.child.id}/access",
        {
            "decided_on-day": str(d.day),
            "decided_on-month": str(d.month),
            "decided_on-year": str(d.year),
            "reason": "Ready",
        },
    )
    return sw


def test_the_social_worker_approves_from_the_queue_and_the_item_enters_the_box(app, box):
    carer = signed_in(app, box.carer)
    add(carer, box.child, files=[(photo(), "a.jpg")], when=yesterday(), title="Sports day")
    sw = _grant(app, box)
    young = signed_in(app, box.young_person)
    assert "Sports day" not in young.get(f"/memory-box/{box.child.id}").text
    queue = sw.get("/memory-box/moderation")
    assert "Sports day" in queue.text and box.carer.full_name in queue.text
    assert f'action="/memory-box/items/{items()[0].id}/approve"' in queue.text
    approved = press(sw, f"/memory-box/items/{items()[0].id}/approve", next="queue")
    assert approved.status_code == 302 and approved.location.endswith("/memory-box/moderation")
    assert items()[0].is_approved and items()[0].approved_by_id == box.social_worker.id
    assert "Nothing is waiting" in sw.get("/memory-box/moderation").text
    assert "Sports day" in young.get(f"/memory-box/{box.child.id}").text
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "memory_approved"))
    note = db.session.scalar(select(Notification).where(Notification.user_id == box.carer.id))
    assert note is not None and "Sports day" in note.text


def test_the_supervising_social_worker_can_moderate_their_households_children(app, box):
    add(signed_in(app, box.carer), box.child, files=[(photo(), "a.jpg")], when=yesterday())
    item = items()[0]
    ssw = signed_in(app, box.ssw)
    assert press(ssw, f"/memory-box/items/{item.id}/approve").status_code == 302
    assert items()[0].is_approved


def test_other_moderators_and_carers_cannot_approve(app, box):
    add(signed_in(app, box.carer), box.child, files=[(photo(), "a.jpg")], when=yesterday())
    item = items()[0]
    other_ssw = make_user(Role.SSW)
    other_carer, other_household = make_carer_household(ssw=other_ssw)
    from tests.memories.conftest import csrf

    for user, expected in ((other_ssw, 404), (make_user(Role.CHILD_SW), 404), (box.carer, 403), (other_carer, 403)):
        client = signed_in(app, user)
        assert (
            client.post(f"/memory-box/items/{item.id}/approve", data={"csrf_token": csrf(client)}).status_code
            == expected
        )
    assert not items()[0].is_approved
    assert "Not in queue" not in text_of(signed_in(app, other_ssw).get("/memory-box/moderation"))
    assert place  # the other household has no child of ours placed


def test_a_hidden_item_is_kept_with_its_reason_and_seen_only_by_moderators(app, box):
    carer = signed_in(app, box.carer)
    add(carer, box.child, files=[(photo(), "a.jpg")], when=yesterday(), title="Street party")
    item = items()[0]
    sw = _grant(app, box)
    press(sw, f"/memory-box/items/{item.id}/approve")
    refused = sw.submit(f"/memory-box/items/{item.id}/hide", {"reason": ""})
    assert refused.status_code == 422 and "Give the reason" in text_of(refused)
    assert sw.submit(f"/memory-box/items/{item.id}/hide", {"reason": "A street sign is readable"}).status_code == 302
    hidden = items()[0]
    assert hidden.is_hidden and hidden.hidden_reason == "A street sign is readable"
    young = signed_in(app, box.young_person)
    for client in (carer, young):
        assert "Street party" not in client.get(f"/memory-box/{box.child.id}").text
        assert client.get(f"/memory-box/items/{item.id}").status_code == 404
        assert client.get(f"/memory-box/items/{item.id}/files/thumb").status_code == 404
    page = sw.get(f"/memory-box/items/{item.id}")
    assert "A street sign is readable" in page.text and "Hidden" in page.text
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "memory_hidden"))
    assert event.detail["reason"] == "A street sign is readable"
    shown = press(sw, f"/memory-box/items/{item.id}/unhide")
    assert shown.status_code == 302 and not items()[0].is_hidden
    assert "Street party" in young.get(f"/memory-box/{box.child.id}").text


def test_the_uploader_corrects_details_until_approval_then_only_moderators_can(app, box):
    carer = signed_in(app, box.carer)
    add(carer, box.child, files=[(photo(), "a.jpg")], when=yesterday(), title="Tpyo")
    item = items()[0]
    assert carer.submit(f"/memory-box/items/{item.id}/change", {"title": "Typo fixed"}).status_code == 302
    assert items()[0].title == "Typo fixed"
    press(signed_in(app, box.social_worker), f"/memory-box/items/{item.id}/approve")
    assert carer.get(f"/memory-box/items/{item.id}/change").status_code == 403
    assert "Change the details" not in carer.get(f"/memory-box/items/{item.id}").text
