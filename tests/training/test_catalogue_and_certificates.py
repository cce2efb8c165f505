"""The catalogue's filters and order, what applicants see, answering an offer from the page, and uploaded
certificates verified or refused."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.clock import now, today
from portal.core.db import db
from portal.core.notify import Notification
from portal.training import certificates, services
from portal.training.models import Booking, TrainingRecord
from portal.training.queries import catalogue
from tests.factories import make_household, make_user
from tests.jobs import drain_jobs
from tests.training.helpers import make_course, make_session


def test_mandatory_courses_for_the_household_come_first_and_filters_narrow_the_list(app):
    carer = make_user(Role.CARER)
    make_household(carer, carer_type="kinship")
    soon = make_session(make_course("Soonest", topic="Parenting", format="online"), starts_in=timedelta(days=3))
    later = make_session(
        make_course("Kinship essentials", mandatory_for=",kinship,", topic="Kinship"), starts_in=timedelta(days=40)
    )
    order = [s.id for s in db.session.scalars(catalogue(carer, now()))]
    assert order == [later.id, soon.id]
    assert [s.id for s in db.session.scalars(catalogue(carer, now(), fmt="online"))] == [soon.id]
    assert [s.id for s in db.session.scalars(catalogue(carer, now(), topic="Kinship"))] == [later.id]
    month = (now() + timedelta(days=40)).strftime("%Y-%m")
    assert later.id in [s.id for s in db.session.scalars(catalogue(carer, now(), month=month))]


def test_applicants_see_only_courses_for_applicants_and_everyone(app, client):
    applicant = make_user(Role.APPLICANT)
    make_session(make_course("For mainstream carers", audience="mainstream"))
    make_session(make_course("Skills to Foster", audience="applicants"))
    client.sign_in(applicant)
    page = client.get("/training").text
    assert "Skills to Foster" in page and "For mainstream carers" not in page


def test_carers_see_and_book_only_courses_for_everyone_and_their_own_carer_type(app, client):
    carer = make_user(Role.CARER)
    make_household(carer, carer_type="mainstream")
    kin = make_session(make_course("Kinship care: your role", audience="kinship"))
    short = make_session(make_course("Short breaks: working with families", audience="short_breaks"))
    make_session(make_course("For mainstream carers", audience="mainstream"))
    make_session(make_course("Life story work", audience="everyone"))
    client.sign_in(carer)
    page = client.get("/training").text
    assert "For mainstream carers" in page and "Life story work" in page
    assert "Kinship care" not in page and "Short breaks" not in page
    assert client.get(f"/training/sessions/{kin.id}").status_code == 404
    with pytest.raises(services.BookingRefused, match="not open"):
        services.book(carer, short, [carer])
    kinship_carer = make_user(Role.CARER)
    make_household(kinship_carer, carer_type="kinship")
    assert [o.booking.status for o in services.book(kinship_carer, kin, [kinship_carer])] == ["booked"]


def test_a_carer_accepts_an_offered_place_from_the_session_page(app, client):
    people = [make_user(Role.CARER) for _ in range(2)]
    for p in people:
        make_household(p)
    session = make_session(capacity=1, starts_in=timedelta(hours=30), deadline_before=timedelta(hours=1))
    first = services.book(people[0], session, [people[0]])[0].booking
    waiting = services.book(people[1], session, [people[1]])[0].booking
    services.cancel_booking(people[0], first)
    client.sign_in(people[1])
    page = client.get(f"/training/sessions/{session.id}").text
    assert "Accept the place" in page and "answer by" in page
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post(f"/training/bookings/{waiting.id}/accept", data={"csrf_token": token})
    db.session.expire_all()
    assert db.session.get(Booking, waiting.id).status == "booked"


def _png():
    buf = io.BytesIO()
    Image.new("RGB", (30, 30), "white").save(buf, "PNG")
    buf.seek(0)
    return buf


def test_an_uploaded_certificate_counts_once_verified_and_a_refusal_says_why(app):
    trainer = make_user(Role.TRAINING_COORDINATOR)
    carer = make_user(Role.CARER)
    household = make_household(carer)
    kept, refused = (
        certificates.upload_certificate(
            carer,
            carer,
            household,
            title=title,
            completed_on=today() - timedelta(days=5),
            minutes=240,
            tsd_standard=None,
            upload=certificates.Upload(_png(), "c.png"),
        )
        for title in ("Attachment (other service)", "Blurry")
    )
    with pytest.raises(certificates.CertificateRefused, match="being checked"):
        certificates.verify_certificate(trainer, kept)
    drain_jobs(app)
    db.session.expire_all()
    certificates.verify_certificate(trainer, kept)
    (record,) = db.session.scalars(select(TrainingRecord)).all()
    assert record.source == "external" and record.minutes == 240
    with pytest.raises(certificates.CertificateRefused, match="why"):
        certificates.refuse_certificate(trainer, refused, "  ")
    certificates.refuse_certificate(trainer, refused, "The name cannot be read")
    texts = [n.text for n in db.session.scalars(select(Notification).where(Notification.user_id == carer.id))]
    assert any("The name cannot be read" in t for t in texts) and any("verified" in t for t in texts)
    with pytest.raises(certificates.CertificateRefused, match="already"):
        certificates.verify_certificate(trainer, refused)


def test_a_certificate_dated_in_the_future_is_refused(app):
    carer = make_user(Role.CARER)
    household = make_household(carer)
    with pytest.raises(certificates.CertificateRefused):
        certificates.upload_certificate(
            carer,
            carer,
            household,
            title="x",
            completed_on=today() + timedelta(days=1),
            minutes=0,
            tsd_standard=None,
            upload=certificates.Upload(_png(), "c.png"),
        )
