"""The young person reads their own box and can change nothing: no forms, every change refused."""

from __future__ import annotations

from sqlalchemy import select

from portal.core.db import db
from portal.memories.models import MemoryBoxAccess
from tests.memories.conftest import add, approve_all, csrf, items, photo, press, signed_in, yesterday
from tests.memories.test_moderation import _grant


def test_the_young_person_reads_only_approved_visible_items_without_moderation_notes(app, box):
    carer = signed_in(app, box.carer)
    for title in ("Approved one", "Hidden one", "Pending one"):
        add(
            carer,
            box.child,
            files=[(photo(), "a.jpg")],
            when=yesterday(),
            title=title,
            is_sensitive="y" if title == "Approved one" else None,
        )
    approved, hidden, pending = items()
    sw = _grant(app, box)
    press(sw, f"/memory-box/items/{approved.id}/approve")
    press(sw, f"/memory-box/items/{hidden.id}/approve")
    sw.submit(f"/memory-box/items/{hidden.id}/hide", {"reason": "Secret moderation note"})
    young = signed_in(app, box.young_person)
    timeline = young.get(f"/memory-box/{box.child.id}")
    assert "Approved one" in timeline.text and "Hidden one" not in timeline.text and "Pending one" not in timeline.text
    assert "Your memory box" in timeline.text and "Add a memory" not in timeline.text
    for item in (hidden, pending):
        assert young.get(f"/memory-box/items/{item.id}").status_code == 404
    page = young.get(f"/memory-box/items/{approved.id}")
    assert "Secret moderation note" not in page.text and "Approved" not in page.text.replace("Approved one", "")
    assert "memories-blur" in page.text and "Show this memory" in page.text  # sensitive: blurred, opened by a link
    opened = young.get(f"/memory-box/items/{approved.id}?show=1")
    assert "memories-blur" not in opened.text and "files/display" in opened.text


def test_every_page_the_young_person_sees_has_no_form_but_sign_out(app, box):
    add(signed_in(app, box.carer), box.child, files=[(photo(), "a.jpg")], when=yesterday())
    approve_all(app, box)
    _grant(app, box)
    item = items()[0]
    young = signed_in(app, box.young_person)
    for url in (f"/memory-box/{box.child.id}", f"/memory-box/items/{item.id}", f"/memory-box/{box.child.id}/copies"):
        page = young.get(url)
        assert page.status_code == 200
        assert [f.action for f in page.page.forms if f.method == "post"] == ["/sign-out"], url


def test_every_change_the_young_person_tries_is_refused(app, box):
    add(signed_in(app, box.carer), box.child, files=[(photo(), "a.jpg")], when=yesterday())
    approve_all(app, box)
    _grant(app, box)
    item = items()[0]
    grant = db.session.scalar(select(MemoryBoxAccess))
    young = signed_in(app, box.young_person)
    token = csrf(young)
    child = box.child.id
    attempts = {
        f"/memory-box/{child}/add/photos": {"title": "Mine"},
        f"/memory-box/{child}/add/note": {"title": "Mine", "body": "x"},
        f"/memory-box/items/{item.id}/change": {"title": "Changed"},
        f"/memory-box/items/{item.id}/approve": {},
        f"/memory-box/items/{item.id}/hide": {"reason": "x"},
        f"/memory-box/items/{item.id}/unhide": {},
        f"/memory-box/items/{item.id}/delete": {"reason": "x"},
        f"/memory-box/{child}/access": {"reason": "x"},
        f"/memory-box/{child}/access/{grant.id}/withdraw": {"reason": "x"},
        f"/memory-box/{child}/copies": {},
        f"/memory-box/{child}/legal-hold": {"reason": "x"},
    }
    for url, data in attempts.items():
        assert young.post(url, data={"csrf_token": token, **data}).status_code in (403, 404), url
        if not url.endswith("/copies"):  # reading the list of copies is theirs; preparing one is not
            assert young.get(url).status_code in (403, 404, 405), url
    assert items()[0].title == "Day at the seaside" and not items()[0].is_hidden and len(items()) == 1
