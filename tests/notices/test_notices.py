"""Notices as one model: the same event never notifies twice, a reminder goes when its queue is empty, and each
person's choice of channels is kept (safeguarding notices cannot be switched off)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.core.notice_kinds import EMAIL, IN_APP, PUSH, SIGNIFICANT_EVENT, all_kinds
from portal.core.notice_preferences import NoticePreference, channels_for
from portal.core.notify import Notification, notify_in_app, resolve_notices, send_email, unread_notifications
from portal.memories.models import MemoryItem, MemoryKind
from portal.memories.policy import box_access
from portal.memories.services import Details, add_memories, approve_item, hide_item
from tests.factories import make_child, make_household, make_user, place
from tests.jobs import drain_jobs, queued_jobs


def _notes(user) -> list[Notification]:
    db.session.expire_all()
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def test_the_same_event_makes_one_notice_and_one_delivery(app):
    carer = make_user(Role.CARER, mfa=False)
    for text in ("Your claim CL-000001 was approved: £10.00", "Your claim CL-000001 was approved: £12.00"):
        notify_in_app(carer.id, text, "/claims/1", kind="claim_decided", target="claim:1", key="claim:1:approved")
        db.session.commit()
    [note] = _notes(carer)
    assert note.text.endswith("£12.00") and note.kind == "claim_decided" and note.target == "claim:1"
    assert len([j for j in queued_jobs() if "deliver_notice" in j]) == 1
    drain_jobs(app)


def test_the_old_signature_still_works(app):
    carer = make_user(Role.CARER, mfa=False)
    notify_in_app(carer.id, "Something happened", "/")
    notify_in_app(carer.id, "Something else happened")
    db.session.commit()
    assert sorted((n.kind, n.text) for n in _notes(carer)) == [
        ("general", "Something else happened"),
        ("general", "Something happened"),
    ]
    assert unread_notifications(carer.id) == 2


def test_a_resolved_notice_leaves_the_inbox_and_the_count_and_comes_back_when_the_thing_does(client):
    carer = make_user(Role.CARER, mfa=False)
    notify_in_app(carer.id, "A question about your claim", "/claims/1", kind="claim_queried", target="claim:1", key="k")
    db.session.commit()
    client.sign_in(carer)
    assert "A question about your claim" in client.get("/notifications").text
    resolve_notices("claim:1")
    db.session.commit()
    assert unread_notifications(carer.id) == 0
    assert "A question about your claim" not in client.get("/notifications").text
    notify_in_app(carer.id, "Another question", "/claims/1", kind="claim_queried", target="claim:1", key="k")
    db.session.commit()
    [note] = _notes(carer)
    assert note.resolved_at is None and note.read_at is None and note.text == "Another question"


def _moderated_box():
    carer, ssw, sw = make_user(Role.CARER, mfa=False), make_user(Role.SSW), make_user(Role.CHILD_SW)
    household = make_household(carer, ssw=ssw)
    child = make_child(first_name="Millie", social_worker=sw)
    place(child, household, start=today() - timedelta(days=30))
    return carer, ssw, sw, child


def _add_note(carer, child, title: str) -> MemoryItem:
    [item] = add_memories(
        carer,
        box_access(carer, child),
        kind=MemoryKind.NOTE,
        details=Details(title=title, body="We went to the beach.", memory_date=today()),
        checklist_confirmed=True,
    )
    return item


def test_four_uploads_make_one_reminder_per_moderator_and_it_goes_when_the_queue_is_empty(app):
    carer, ssw, sw, child = _moderated_box()
    items = [_add_note(carer, child, f"Day {n}") for n in range(4)]
    drain_jobs(app)
    for moderator in (ssw, sw):
        [note] = _notes(moderator)
        assert note.text == "Memories for Millie are waiting for your approval"  # not "New New memories"
        assert note.kind == "memories_to_approve" and note.resolved_at is None
    approve_item(ssw, items[0], box_access(ssw, child))
    approve_item(ssw, items[1], box_access(ssw, child))
    hide_item(sw, items[2], box_access(sw, child), "Shows another child's face")
    assert all(n.resolved_at is None for n in _notes(ssw) + _notes(sw))  # one still waits
    approve_item(sw, items[3], box_access(sw, child))
    assert all(n.resolved_at is not None for n in _notes(ssw) + _notes(sw))
    assert unread_notifications(ssw.id) == 0 and unread_notifications(sw.id) == 0


def test_channels_follow_the_defaults_until_changed(app):
    carer = make_user(Role.CARER, mfa=False)
    payment_made = next(k for k in all_kinds() if k.name == "payment_made")
    assert channels_for(carer.id, payment_made) == {IN_APP, EMAIL, PUSH}
    db.session.add_all(
        [
            NoticePreference(user_id=carer.id, kind="payment_made", channel=IN_APP, is_on=False),
            NoticePreference(user_id=carer.id, kind="payment_made", channel=EMAIL, is_on=False),
        ]
    )
    db.session.commit()
    assert channels_for(carer.id, payment_made) == {PUSH}
    notify_in_app(carer.id, "Payment made", "/payments/1", kind="payment_made")
    db.session.commit()
    assert unread_notifications(carer.id) == 0  # kept as a record, never counted as new
    send_email(carer.email, "Your fostering payment has been made", "payment_made", kind="payment_made")
    db.session.commit()
    assert not [j for j in queued_jobs() if "send_email" in j]
    drain_jobs(app)


def test_safeguarding_notices_cannot_be_switched_off(app):
    ssw = make_user(Role.SSW)
    for channel in (IN_APP, EMAIL, PUSH):
        db.session.add(NoticePreference(user_id=ssw.id, kind=SIGNIFICANT_EVENT.name, channel=channel, is_on=False))
    db.session.commit()
    assert channels_for(ssw.id, SIGNIFICANT_EVENT) == {IN_APP, EMAIL}


def test_the_preferences_page_saves_choices_keeps_safeguarding_on_and_shows_only_the_persons_kinds(client):
    ssw = make_user(Role.SSW)
    client.sign_in(ssw)
    page = client.get("/account/notifications")
    assert page.status_code == 200
    assert "A significant event or incident is logged" in page.text
    assert "A claim is queried" not in page.text  # a carer's kind
    response = client.submit("/account/notifications", {"kind-memories_to_approve": "in_app"})
    assert response.status_code == 302
    stored = db.session.execute(
        select(NoticePreference.kind, NoticePreference.channel, NoticePreference.is_on).where(
            NoticePreference.user_id == ssw.id
        )
    ).all()
    assert ("memories_to_approve", PUSH, False) in stored
    assert not [row for row in stored if row.kind == SIGNIFICANT_EVENT.name]
    assert channels_for(ssw.id, SIGNIFICANT_EVENT) >= {IN_APP, EMAIL}
    page = client.get("/account/notifications")
    assert "saved" in page.text


def test_a_carer_sees_carer_kinds_and_an_unknown_kind_reads_as_general(client):
    carer = make_user(Role.CARER, mfa=False)
    client.sign_in(carer)
    page = client.get("/account/notifications")
    assert "A claim is queried" in page.text and "significant event" not in page.text
    notify_in_app(carer.id, "From a feature not yet known", kind="not_a_kind")
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 1
    drain_jobs(client.application)


def test_a_kind_without_its_own_email_is_emailed_without_details_when_email_is_on(app, mail_dir):
    carer = make_user(Role.CARER, mfa=False, name="Sarah Okafor")
    notify_in_app(carer.id, "A question about claim CL-000042 for Millie", "/claims/42", kind="claim_queried")
    notify_in_app(carer.id, "Your claim CL-000042 was approved: £10.00", "/claims/42", kind="claim_decided")
    db.session.commit()
    drain_jobs(app)
    [mail] = [p.read_text() for p in mail_dir.glob("*.eml")]  # claim_decided is not emailed by default
    assert "Subject: A claim needs your answer" in mail
    assert f"{app.config['BASE_URL']}/claims/42" in mail
    assert "Millie" not in mail and "CL-000042" not in mail


def test_training_groups_and_mentoring_have_kinds_of_their_own(client):
    from portal.groups.models import GroupFollower
    from portal.groups.services import post_announcement
    from tests.factories import make_locality
    from tests.groups.helpers import make_group

    coordinator, carer = make_user(Role.GROUP_COORDINATOR), make_user(Role.CARER, mfa=False)
    group = make_group(make_locality(), coordinator)
    db.session.add(GroupFollower(group_id=group.id, user_id=carer.id))
    db.session.commit()
    post_announcement(coordinator, group, "No meeting in August")
    [note] = _notes(carer)
    assert note.kind == "group_announcement"
    client.sign_in(carer)
    page = client.get("/account/notifications").text
    for label in (
        "A training place comes free from a waiting list",
        "A training session is cancelled or moved",
        "Reminders before training",
        "Support group announcements",
        "Mentoring matches and introductions",
        "A new mentoring message",
    ):
        assert label in page
    drain_jobs(client.application)
