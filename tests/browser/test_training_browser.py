"""Training on a phone (375×667): the trainer adds a course and a session of one place; a carer books it, a second
carer joins the waiting list, the first cancels and the second is promoted; on the day the trainer marks the
register and the certificate appears in the household's filing cabinet. axe checks every training page on the way."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.core.clock import today
from portal.core.db import db
from portal.training.models import Booking, SessionPart, TrainingSession
from tests.browser.conftest import reload_until, serious_violations

pytestmark = pytest.mark.browser
COURSE = "Browser first aid refresher"
PAST_CSV = (
    b"email,course,date,hours,certificate reference\r\n"
    b"carer@example.org,Paediatric first aid,2024-03-27,6,FA-1\r\n"
    b"nobody@example.org,Paediatric first aid,2024-03-27,6,\r\n"
)


def _accessible(page) -> None:
    problems = serious_violations(page)
    assert not problems, f"{page.url}: " + json.dumps(problems, indent=2)


def _visit(page, path: str) -> None:
    response = page.goto(path)
    assert response.ok, f"{path} answered {response.status}"
    _accessible(page)


def _date(page, name: str, day) -> None:
    page.fill(f"input[name={name}-day]", str(day.day))
    page.fill(f"input[name={name}-month]", str(day.month))
    page.fill(f"input[name={name}-year]", str(day.year))


def _trainer_adds_a_session(trainer) -> str:
    _visit(trainer, "/training/programme")
    _visit(trainer, "/training/courses/new")
    trainer.fill("input[name=title]", COURSE)
    trainer.fill("input[name=topic]", "Health")
    trainer.get_by_label("Everyone").check()
    trainer.get_by_label("At a venue").check()
    trainer.fill("input[name=hours]", "3")
    trainer.get_by_role("button", name="Save the course").click()
    trainer.wait_for_url(re.compile(r"/training/courses/\d+$"))
    _accessible(trainer)
    trainer.get_by_role("link", name="Add a session").click()
    _accessible(trainer)
    day = today() + timedelta(days=10)
    _date(trainer, "part1_date", day)
    trainer.fill("input[name=part1_start]", "10:00")
    trainer.fill("input[name=part1_end]", "13:00")
    trainer.fill("input[name=venue_name]", "Civic Centre, Room 4")
    trainer.fill("textarea[name=venue_address]", "1 Market Street, North Shire NS1 2AB")
    trainer.fill("input[name=capacity]", "1")
    _date(trainer, "deadline", day - timedelta(days=2))
    trainer.get_by_role("button", name="Save the session").click()
    trainer.wait_for_url(re.compile(r"/training/sessions/\d+$"))
    _accessible(trainer)
    return trainer.url


def test_book_wait_cancel_promote_attend_and_the_certificate_is_filed(new_context, signed_in_state):
    trainer = new_context(bypass_csp=True, storage_state=signed_in_state("trainer@example.org")).new_page()
    session_url = _trainer_adds_a_session(trainer)
    path = "/" + session_url.split("/", 3)[3]

    sarah = new_context(bypass_csp=True, storage_state=signed_in_state("carer@example.org")).new_page()
    _visit(sarah, "/training")
    _visit(sarah, path)
    sarah.get_by_role("checkbox", name="Me", exact=True).check()
    sarah.get_by_role("button", name="Book").click()
    sarah.wait_for_load_state()
    assert "Me" not in [t.strip() for t in sarah.locator("label.govuk-checkboxes__label").all_inner_texts()]
    assert "Booked" in sarah.locator("main").inner_text()
    _accessible(sarah)

    tom = new_context(bypass_csp=True, storage_state=signed_in_state("carer2@example.org")).new_page()
    _visit(tom, path)
    tom.get_by_role("checkbox", name="Me", exact=True).check()
    tom.get_by_role("button", name="Join the waiting list").click()
    tom.wait_for_load_state()
    assert "number 1 on the waiting list" in tom.locator("main").inner_text()
    _accessible(tom)

    sarah.get_by_role("button", name="Cancel this booking").click()
    sarah.wait_for_load_state()
    assert "Cancelled" in sarah.locator("main").inner_text()

    tom.reload()
    assert "Booked" in tom.locator("main").inner_text()
    _visit(tom, "/training/record")
    _visit(tom, "/training/certificates/new")

    # The day comes: the session has started.
    session_id = int(path.rsplit("/", 1)[1])
    session = db.session.get(TrainingSession, session_id)
    shift = session.starts_at - (session.starts_at.now(session.starts_at.tzinfo) - timedelta(hours=4))
    session.starts_at -= shift
    session.ends_at -= shift
    session.booking_deadline -= shift
    for part in db.session.scalars(select(SessionPart).where(SessionPart.session_id == session_id)):
        part.starts_at -= shift
        part.ends_at -= shift
    db.session.commit()
    db.session.remove()

    _visit(trainer, path + "/register")
    trainer.locator("fieldset", has_text="Tom Whitfield").get_by_label("Attended").check()
    trainer.get_by_role("button", name="Save the register").click()
    trainer.wait_for_load_state()
    assert "Register saved" in trainer.locator("main").inner_text()
    _accessible(trainer)

    tom.goto("/documents")
    reload_until(tom, f"text={COURSE}: Tom Whitfield")
    _accessible(tom)
    _visit(tom, path)
    tom.get_by_role("link", name="Tell us what you thought").click()
    _accessible(tom)


def test_every_other_training_page_for_staff_is_accessible_on_a_phone(new_context, signed_in_state):
    trainer = new_context(bypass_csp=True, storage_state=signed_in_state("trainer@example.org")).new_page()
    for path in (
        "/",
        "/training/programme?show=past",
        "/training/certificates",
        "/training/reports",
        "/training/import",
        "/training/households",
    ):
        _visit(trainer, path)
    session_id = db.session.scalar(select(TrainingSession.id).order_by(TrainingSession.starts_at.desc()).limit(1))
    db.session.remove()
    _visit(trainer, f"/training/sessions/{session_id}/cancel")
    _visit(trainer, f"/training/sessions/{session_id}/edit")
    booking_id = db.session.scalar(select(Booking.id).where(Booking.status == "booked").limit(1))
    course_id = db.session.scalar(select(TrainingSession.course_id).where(TrainingSession.id == session_id))
    db.session.remove()
    _visit(trainer, f"/training/bookings/{booking_id}/move")
    _visit(trainer, f"/training/courses/{course_id}/edit")
    _visit(trainer, "/training/import")
    trainer.set_input_files(
        "input[name=file]", files=[{"name": "past.csv", "mimeType": "text/csv", "buffer": PAST_CSV}]
    )
    trainer.get_by_role("button", name="Preview").click()
    trainer.wait_for_load_state()
    assert "No carer has the email address nobody@example.org" in trainer.locator("main").inner_text()
    _accessible(trainer)
    ssw = new_context(bypass_csp=True, storage_state=signed_in_state("ssw@example.org")).new_page()
    _visit(ssw, "/training/households")
    ssw.get_by_role("link", name="Whitfield household").click()
    _accessible(ssw)
    ssw.get_by_role("link", name=re.compile("Sign off")).first.click()
    _accessible(ssw)
