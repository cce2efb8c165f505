"""The core journey through the pages: a coordinator asks a mentor, the mentor accepts, they are introduced, they
exchange messages (one with a photo), and the mentor logs a contact that the next pay run pays."""

from __future__ import annotations

import io
import re

from PIL import Image
from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.mentoring.models import Contact, Match, Message
from portal.payments.engine import compute_run
from portal.payments.inputs import build_input
from tests.factories import make_locality, make_user
from tests.mail import read_mail
from tests.mentoring.conftest import make_match, make_mentee, make_mentor
from tests.pages import text_of
from tests.payments.conftest import set_up_payments


def _photo() -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buf, "JPEG")
    buf.seek(0)
    return buf


def test_coordinator_matches_mentor_accepts_they_talk_and_the_contact_is_paid(app, mail_dir):
    town = make_locality("Northtown")
    coordinator = make_user(Role.MENTORING_COORDINATOR)
    mentor = make_mentor(town, name="Grace Mentor")
    make_mentor(make_locality("Farbridge"), name="Far Mentor")
    mentee = make_mentee(town)
    staff, mentor_c, mentee_c = app.test_client(), app.test_client(), app.test_client()
    staff.sign_in(coordinator)
    mentor_c.sign_in(mentor)
    mentee_c.sign_in(mentee.user)

    page = staff.get(f"/mentoring/mentees/{mentee.id}")
    words = text_of(page)
    assert words.index("Grace Mentor") < words.index("Far Mentor")  # locality first
    assert "same locality" in words and "fosters under-5s" in words and "evenings both" in words
    r = staff.post(f"/mentoring/mentees/{mentee.id}/matches", data={"mentor_id": mentor.id, "csrf_token": _csrf(page)})
    assert r.status_code == 302
    match = db.session.scalar(select(Match))
    assert match.status == "proposed"

    r = post_on(mentor_c, f"/mentoring/matches/{match.id}", f"/mentoring/matches/{match.id}/answer", {"answer": "yes"})
    assert r.status_code == 302
    r = staff.post(
        f"/mentoring/matches/{match.id}/introduce",
        data={"csrf_token": _csrf(staff.get(f"/mentoring/mentees/{mentee.id}"))},
    )
    assert r.status_code == 302
    db.session.refresh(match)
    assert match.status == "introduced"

    secret = "we are worried about the new baby's sleep"
    r = mentee_c.post(
        f"/mentoring/matches/{match.id}/conversation",
        data={
            "body": secret,
            "attachment": (_photo(), "IMG_0001.jpg"),
            "csrf_token": _csrf(mentee_c.get(f"/mentoring/matches/{match.id}/conversation")),
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 302
    message = db.session.scalar(select(Message))
    assert message.file is not None and message.file.status == "ready"
    assert "Mentoring (1 new)" in text_of(mentor_c.get("/"))
    page = mentor_c.get(f"/mentoring/matches/{match.id}/conversation")
    assert secret in text_of(page)
    thumb = mentor_c.get(f"/mentoring/matches/{match.id}/messages/{message.id}/thumb")
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    # The notice and the email say only that there is a message.
    emails = [m for m in read_mail(mail_dir) if m["To"] == mentor.email and "message" in m["Subject"]]
    assert emails and all(secret not in m.get_content() and "baby" not in m.get_content() for m in emails)

    set_up_payments()
    r = mentor_c.submit(
        f"/mentoring/matches/{match.id}/contacts/new", {"minutes": "45", "how": "phone", "topics": ["tsd"]}
    )
    assert r.status_code == 302
    contact = db.session.scalar(select(Contact))
    result = compute_run(build_input(today().replace(day=1), today()))
    lines = [ln for ln in result.lines if ln.kind == "mentoring"]
    assert [ln.key for ln in lines] == [f"mentoring:{contact.id}"]


def _csrf(response) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', response.text).group(1)


def post_on(client, page_url: str, action: str, data: dict):
    """POST a form of `page_url` whose action is `action`, as a browser would (CSRF from the page)."""
    page = client.get(page_url)
    assert page.status_code == 200
    return client.post(action, data={**data, "csrf_token": _csrf(page)})


def test_ending_a_match_keeps_the_history_readable_but_stops_new_messages(app):
    town = make_locality()
    mentor = make_mentor(town)
    mentee = make_mentee(town)
    match = make_match(mentee, mentor)
    coordinator = make_user(Role.MENTORING_COORDINATOR)
    c = app.test_client()
    c.sign_in(mentor)
    assert c.submit(f"/mentoring/matches/{match.id}/conversation", {"body": "Hello"}).status_code == 302
    staff = app.test_client()
    staff.sign_in(coordinator)
    page = staff.get(f"/mentoring/mentees/{mentee.id}")
    assert (
        staff.post(
            f"/mentoring/matches/{match.id}/end", data={"reason": "Moved away", "csrf_token": _csrf(page)}
        ).status_code
        == 302
    )
    page = c.get(f"/mentoring/matches/{match.id}/conversation")
    assert page.status_code == 200 and "Hello" in text_of(page) and "no new messages can be sent" in text_of(page)
    r = c.post(f"/mentoring/matches/{match.id}/conversation", data={"body": "Still there?", "csrf_token": _csrf(page)})
    assert r.status_code == 409
    assert db.session.scalar(select(Message).where(Message.body == "Still there?")) is None


def test_safeguarding_words_show_the_sender_how_to_get_help_at_once(app):
    town = make_locality()
    mentor = make_mentor(town)
    match = make_match(make_mentee(town), mentor)
    c = app.test_client()
    c.sign_in(mentor)
    r = c.submit(f"/mentoring/matches/{match.id}/conversation", {"body": "I think the girl next door is at risk"})
    assert r.status_code == 200
    words = text_of(r)
    assert "If a child may be at risk" in words and app.config["OUT_OF_HOURS_PHONE"] in words


def test_a_reported_message_reaches_the_coordinator_who_sees_only_that_message(app):
    town = make_locality()
    mentor = make_mentor(town)
    mentee = make_mentee(town)
    match = make_match(mentee, mentor)
    db.session.add_all(
        [
            Message(match_id=match.id, sender_id=mentor.id, body="Call me at midnight"),
            Message(match_id=match.id, sender_id=mentor.id, body="A private word"),
        ]
    )
    db.session.commit()
    first = db.session.scalar(select(Message).where(Message.body == "Call me at midnight"))
    coordinator = make_user(Role.MENTORING_COORDINATOR)
    staff = app.test_client()
    staff.sign_in(coordinator)
    assert staff.get(f"/mentoring/matches/{match.id}/conversation").status_code == 403
    talk = text_of(staff.get("/mentoring/conversations"))
    assert "not the messages themselves" in talk and "Call me" not in talk
    c = app.test_client()
    c.sign_in(mentee.user)
    assert (
        c.submit(
            f"/mentoring/matches/{match.id}/messages/{first.id}/report", {"reason": "Too late at night"}
        ).status_code
        == 302
    )
    reports = staff.get("/mentoring/reports")
    link = re.search(r'href="(/mentoring/reports/\d+)"', reports.text).group(1)
    page = text_of(staff.get(link))
    assert "Call me at midnight" in page and "A private word" not in page


def test_scheme_report_on_screen_as_csv_and_as_pdf(app):
    town = make_locality()
    mentor = make_mentor(town)
    make_match(make_mentee(town), mentor, "active")
    coordinator = make_user(Role.MENTORING_COORDINATOR)
    c = app.test_client()
    c.sign_in(coordinator)
    page = c.get("/mentoring/report")
    assert page.status_code == 200 and "Applicants offered a mentor" in text_of(page)
    csv = c.get("/mentoring/report.csv")
    assert csv.status_code == 200 and "Wanted a mentor" in csv.get_data(as_text=True)
    pdf = c.get("/mentoring/report.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    for url in ("/mentoring/mentees", "/mentoring/batch", "/mentoring/fairness", "/mentoring/localities"):
        assert c.get(url).status_code == 200, url


def test_the_coordinator_moves_a_mentee_to_the_next_stage(app):
    town = make_locality()
    mentee = make_mentee(town)
    c = app.test_client()
    c.sign_in(make_user(Role.MENTORING_COORDINATOR))
    r = c.submit(f"/mentoring/mentees/{mentee.id}/edit", {"stage": "panel"})
    assert r.status_code == 302
    db.session.refresh(mentee)
    assert mentee.stage == "panel" and mentee.age_groups == "under_5" and mentee.email == mentee.user.email
