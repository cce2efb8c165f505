"""Recording logs: written on a phone in a minute, signed and dated, never edited, read and answered by staff."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import func, select

from portal.core.audit import AuditEvent
from portal.core.clock import today
from portal.core.db import db
from portal.core.notify import Notification
from portal.records.models import LogEntry, LogRead
from tests.factories import make_carer_household, make_child, place
from tests.pages import text_of
from tests.pdf_reading import pdf_text, squashed
from tests.records.conftest import log_form, png_bytes


def _entries() -> list[LogEntry]:
    return db.session.scalars(select(LogEntry).order_by(LogEntry.id)).all()


def _form(client, url: str, action: str | None = None):
    """The POST form on the page at `url` whose action is `action` (None: the page's own form)."""
    client.get(url)
    return next(f for f in client.page.forms if f.method == "post" and f.action == action)


def _post_form(client, url: str, action: str, data: dict):
    form = _form(client, url, action)
    return client.post(action, data={**form.fields, **data})


def test_carer_writes_an_entry_that_is_signed_and_dated(client, family):
    client.sign_in(family.carer)
    yesterday = today() - timedelta(days=1)  # 2:30pm today may still be in the future, which is refused
    day = {"entry_date-day": str(yesterday.day), "entry_date-month": str(yesterday.month)}
    response = client.submit(
        "/logs/new", log_form(family, time_of_day="2:30pm", **day, **{"entry_date-year": str(yesterday.year)})
    )
    assert response.status_code == 302
    (entry,) = _entries()
    assert entry.author_id == family.carer.id and entry.household_id == family.household.id
    assert entry.time_of_day.hour == 14 and entry.entry_date == yesterday
    page = client.get(response.location)
    assert "Millie went swimming" in page.text and "signed" in text_of(page)


def test_the_child_list_offers_only_children_placed_with_the_carer(client, family):
    other_child = make_child(first_name="Zebedee")
    _, other_household = make_carer_household()
    place(other_child, other_household)
    client.sign_in(family.carer)
    page = client.get("/logs/new")
    assert "Millie" in page.text and "Zebedee" not in page.text
    response = client.submit("/logs/new", log_form(family, child_id=str(other_child.id)))
    assert response.status_code in (404, 422)
    assert _entries() == []


def test_a_double_tap_or_retry_never_creates_two_entries(client, family):
    client.sign_in(family.carer)
    form = _form(client, "/logs/new")
    data = {**form.fields, **log_form(family)}
    first = client.post("/logs/new", data=data)
    second = client.post("/logs/new", data=data)
    assert first.status_code == second.status_code == 302
    assert first.location == second.location
    assert len(_entries()) == 1


def test_bad_input_keeps_what_was_typed_and_says_what_to_fix(client, family):
    client.sign_in(family.carer)
    tomorrow = today() + timedelta(days=1)
    response = client.submit(
        "/logs/new",
        log_form(
            family,
            **{
                "entry_date-day": str(tomorrow.day),
                "entry_date-month": str(tomorrow.month),
                "entry_date-year": str(tomorrow.year),
                "time_of_day": "25:99",
                "category": None,
            },
        ),
    )
    assert response.status_code == 422
    text = text_of(response)
    assert "There is a problem" in text
    assert "The date must be today or in the past" in text
    assert "Enter a real time" in text or "Enter a time like" in text
    assert "Select what kind of entry this is" in text
    assert "Millie went swimming and was proud of her new badge." in response.text
    assert _entries() == []


def test_a_refused_attachment_keeps_the_typed_entry_and_saves_nothing(client, family):
    client.sign_in(family.carer)
    data = log_form(family)
    data["attachments"] = (io.BytesIO(b"<html><script>alert(1)</script></html>"), "letter.jpg")
    response = client.submit("/logs/new", data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "cannot be uploaded" in text_of(response)
    assert "Millie went swimming" in response.text
    assert _entries() == []


def test_a_photo_attachment_is_shown_once_processed(client, family):
    client.sign_in(family.carer)
    data = log_form(family)
    data["attachments"] = [(io.BytesIO(png_bytes()), "letter.png")]
    response = client.submit("/logs/new", data, content_type="multipart/form-data")
    assert response.status_code == 302
    (entry,) = _entries()
    assert entry.attachments[0].file.is_ready
    page = client.get(response.location)
    thumb = f"/logs/{entry.id}/attachments/{entry.attachments[0].id}/thumb"
    assert thumb in page.text
    image = client.get(thumb)
    assert image.status_code == 200 and image.mimetype == "image/jpeg"
    assert image.headers["X-Content-Type-Options"] == "nosniff"


def test_significant_events_notify_both_social_workers_at_once(client, family, mail_dir):
    client.sign_in(family.carer)
    client.submit("/logs/new", log_form(family, category="incident", body="Millie ran away from school at lunch."))
    notified = set(db.session.scalars(select(Notification.user_id)))
    assert notified == {family.ssw.id, family.social_worker.id}
    mails = sorted(p.read_text() for p in mail_dir.glob("*.eml"))
    assert len(mails) == 2
    assert all("ran away" not in m and "Millie" not in m for m in mails), "emails carry no details of the child"


def test_an_ordinary_entry_notifies_nobody(client, family):
    client.sign_in(family.carer)
    client.submit("/logs/new", log_form(family))
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_entries_cannot_be_edited_and_corrections_are_addenda(client, family):
    client.sign_in(family.carer)
    response = client.submit("/logs/new", log_form(family))
    entry = _entries()[0]
    assert client.post(f"/logs/{entry.id}", data={"body": "changed"}).status_code == 405
    added = client.submit(f"/logs/{entry.id}/addendum", {"body": "It was a bronze badge, not silver."})
    assert added.status_code == 302
    original, addendum = _entries()
    assert original.body == "Millie went swimming and was proud of her new badge."
    assert addendum.addendum_to_id == original.id
    assert "bronze badge" in client.get(response.location).text


def test_ssw_filters_unread_entries_marks_them_read_and_replies(client, family):
    client.sign_in(family.carer)
    client.submit("/logs/new", log_form(family, body="First entry"))
    client.submit("/logs/new", log_form(family, body="Second entry", category="health"))
    first, second = _entries()
    staff = client.application.test_client()
    staff.sign_in(family.ssw)
    listing = staff.get("/logs?unread=y")
    assert "First entry" in listing.text and "Second entry" in listing.text
    assert _post_form(staff, f"/logs/{first.id}", f"/logs/{first.id}/read", {}).status_code == 302
    assert db.session.scalar(select(LogRead).where(LogRead.user_id == family.ssw.id)).log_entry_id == first.id
    listing = staff.get("/logs?unread=y")
    assert "First entry" not in listing.text and "Second entry" in listing.text
    assert "Second entry" in staff.get("/logs?category=health").text
    assert "First entry" not in staff.get("/logs?category=health").text
    reply = _post_form(
        staff, f"/logs/{first.id}", f"/logs/{first.id}/replies", {"body": "Thank you, well done Millie."}
    )
    assert reply.status_code == 302
    assert "well done Millie" in client.get(f"/logs/{first.id}").text


def test_carer_keeps_reading_their_entries_while_the_child_stays_and_loses_them_when_the_placement_ends(client, family):
    client.sign_in(family.carer)
    client.submit("/logs/new", log_form(family))
    entry = _entries()[0]
    assert client.get(f"/logs/{entry.id}").status_code == 200
    placement = family.child.placements[0]
    placement.end_date = today()
    db.session.commit()
    assert client.get(f"/logs/{entry.id}").status_code == 404
    assert "Millie went swimming" not in client.get("/logs").text


def test_business_support_and_other_households_cannot_see_logs(client, family):
    from portal.auth.roles import Role
    from tests.factories import make_user

    client.sign_in(family.carer)
    client.submit("/logs/new", log_form(family))
    entry = _entries()[0]
    other_carer, _ = make_carer_household()
    for user in (make_user(Role.BUSINESS_SUPPORT), other_carer, make_user(Role.YOUNG_PERSON)):
        c = client.application.test_client()
        c.sign_in(user)
        assert c.get(f"/logs/{entry.id}").status_code in (403, 404)
        assert c.get(f"/logs/{entry.id + 1000}").status_code in (403, 404)


def test_drafts_are_kept_and_restored(client, family):
    client.sign_in(family.carer)
    form = _form(client, "/logs/new")
    saved = client.post("/logs/draft", data={**form.fields, **log_form(family, body="Half-written thoughts")})
    assert saved.status_code == 302
    assert "Half-written thoughts" in client.get("/logs/new").text
    client.submit("/logs/new", {})
    assert "Half-written thoughts" not in client.get("/logs/new").text, "sending an entry clears the draft"


def test_export_shows_a_printable_log_and_a_pdf(client, family):
    client.sign_in(family.carer)
    client.submit("/logs/new", log_form(family))
    body = (
        "Birthday 🎂🎉 with Nain in Dŵr-y-Llŷr, Mrs Wiśniewska, Fatima فاطمة and Wei 张伟. " + "Cake and games. " * 60
    )
    client.submit("/logs/new", log_form(family, body=body))
    staff = client.application.test_client()
    staff.sign_in(family.social_worker)
    d = today()
    args = (
        f"date_from-day=1&date_from-month=1&date_from-year={d.year - 1}"
        f"&date_to-day={d.day}&date_to-month={d.month}&date_to-year={d.year}"
    )
    page = staff.get(f"/children/{family.child.id}/log?{args}&format=html")
    assert page.status_code == 200 and "Millie went swimming" in page.text
    pdf = staff.get(f"/children/{family.child.id}/log?{args}&format=pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    text = squashed(pdf_text(pdf.data))
    assert squashed("Millie went swimming") in text and squashed(body) in text
    assert "?" not in text and "\ufffd" not in text
    assert (
        db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "log_exported")) == 2
    )


def test_too_many_uploads_in_an_hour_get_a_friendly_429(client, family, app):
    app.config["UPLOADS_PER_HOUR"] = 1
    client.sign_in(family.carer)
    first = log_form(family)
    first["attachments"] = [(io.BytesIO(png_bytes()), "one.png")]
    assert client.submit("/logs/new", first, content_type="multipart/form-data").status_code == 302
    second = log_form(family, body="Another day")
    second["attachments"] = [(io.BytesIO(png_bytes()), "two.png")]
    response = client.submit("/logs/new", second, content_type="multipart/form-data")
    assert response.status_code == 429
    assert "wait a while" in text_of(response) and "Another day" in response.text
