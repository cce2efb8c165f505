"""Retention: kept until the 75th birthday; never deleted by carers; an admin deletes with a reason; a legal hold
stops deletion."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.audit import AuditEvent
from portal.core.db import db
from portal.core.uploads import StoredFile
from portal.memories.models import MemoryItem
from portal.memories.services import retain_until
from tests.factories import make_child, make_user
from tests.memories.conftest import add, approve_all, csrf, items, photo, signed_in, yesterday


def test_items_are_kept_until_the_childs_75th_birthday(app, box):
    add(signed_in(app, box.carer), box.child, files=[(photo(), "a.jpg")], when=yesterday())
    assert items()[0].retain_until == date(2085, 5, 17)
    leap = make_child(born=date(2012, 2, 29))
    assert retain_until(leap) == date(2087, 2, 28)


def test_carers_social_workers_and_the_young_person_cannot_delete(app, box):
    add(signed_in(app, box.carer), box.child, files=[(photo(), "a.jpg")], when=yesterday())
    approve_all(app, box)
    item = items()[0]
    for user in (box.carer, box.social_worker, box.ssw, box.young_person):
        client = signed_in(app, user)
        assert client.get(f"/memory-box/items/{item.id}/delete").status_code == 403
        assert (
            client.post(
                f"/memory-box/items/{item.id}/delete", data={"csrf_token": csrf(client), "reason": "x"}
            ).status_code
            == 403
        )
        assert "Delete" not in client.get(f"/memory-box/items/{item.id}").text if user != box.young_person else True
    assert len(items()) == 1


def test_an_admin_deletes_with_a_reason_which_the_audit_log_keeps(app, box):
    add(signed_in(app, box.carer), box.child, files=[(photo(), "a.jpg")], when=yesterday(), title="Wrong child")
    item = items()[0]
    keys = [r["key"] for r in item.file.renditions.values()]
    admin = signed_in(app, make_user(Role.ADMIN))
    page = admin.get(f"/memory-box/items/{item.id}/delete")
    assert "75th birthday" in page.text
    refused = admin.submit(f"/memory-box/items/{item.id}/delete", {"reason": ""})
    assert refused.status_code == 422 and "Give the reason" in refused.text
    done = admin.submit(f"/memory-box/items/{item.id}/delete", {"reason": "Shows another child; parents did not agree"})
    assert done.status_code == 302
    assert items() == [] and db.session.scalar(select(StoredFile)) is None
    assert not any(app.extensions["hearth_storage"].exists(k) for k in keys)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "memory_deleted"))
    assert event.detail["reason"] == "Shows another child; parents did not agree"
    assert event.detail["title"] == "Wrong child" and event.detail["before_retention_date"] is True


def test_a_legal_hold_stops_deletion_until_it_is_lifted(app, box):
    add(signed_in(app, box.carer), box.child, files=[(photo(), "a.jpg")], when=yesterday())
    item = items()[0]
    admin = signed_in(app, make_user(Role.ADMIN))
    assert admin.submit(f"/memory-box/{box.child.id}/legal-hold", {"reason": "Care proceedings"}).status_code == 302
    page = admin.get(f"/memory-box/items/{item.id}/delete")
    assert "legal hold" in page.text and "Delete the memory" not in page.text
    refused = admin.post(f"/memory-box/items/{item.id}/delete", data={"csrf_token": csrf(admin), "reason": "Tidy up"})
    assert refused.status_code == 409 and len(items()) == 1
    assert (
        admin.submit(f"/memory-box/{box.child.id}/legal-hold", {"reason": "Proceedings concluded"}).status_code == 302
    )
    assert admin.submit(f"/memory-box/items/{item.id}/delete", {"reason": "Duplicate"}).status_code == 302
    actions = [e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("memory%")))]
    assert actions[-3:] == ["memory_box_legal_hold_placed", "memory_box_legal_hold_lifted", "memory_deleted"]
    assert db.session.scalar(select(MemoryItem)) is None
