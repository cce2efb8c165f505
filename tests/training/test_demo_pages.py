"""The demo programme loads and every training page renders for its carers, trainer and SSW (real volumes)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.auth.models import User
from portal.core.db import db
from portal.records.models import Folder, HouseholdDocument
from portal.training.models import Booking, Course, TrainingSession
from tests.jobs import drain_jobs

pytestmark = [pytest.mark.one_database, pytest.mark.long]  # the same on any database: run in the SQLite pass only


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def test_the_demo_programme_and_every_training_page(app, client, demo):
    drain_jobs(app)
    assert db.session.scalar(select(func.count(Course.id))) == 12
    assert db.session.scalar(select(func.count(TrainingSession.id))) == 30
    assert db.session.scalar(select(func.count(Booking.id)).where(Booking.status == "waiting")) >= 2
    assert db.session.scalar(select(func.count(Booking.id)).where(Booking.status == "offered")) == 1
    assert db.session.scalar(
        select(func.count(HouseholdDocument.id)).where(HouseholdDocument.folder == Folder.TRAINING_CERTIFICATES)
    )
    client.sign_in(_user("carer@example.org"))
    home = client.get("/")
    assert "is offered to you" in home.text
    pages = ["/training", "/training/record", "/training/certificates/new", "/training?format=venue"]
    visible = (
        select(TrainingSession.id).join(TrainingSession.course).where(Course.audience.in_(["everyone", "mainstream"]))
    )
    pages += [f"/training/sessions/{i}" for i in db.session.scalars(visible)]
    assert [(u, r.status_code) for u in pages if (r := client.get(u)).status_code != 200] == []
    assert client.get("/training/record.pdf").status_code == 200

    kin = app.test_client()
    kin.sign_in(_user("carer2@example.org"))
    record = kin.get("/training/record")
    assert "of 6 standards signed off" in record.text and "days left" in record.text

    trainer = app.test_client()
    trainer.sign_in(_user("trainer@example.org"))
    assert "Training programme" in trainer.get("/").text
    pages = ["/training/programme", "/training/programme?show=past", "/training/certificates", "/training/reports"]
    pages += ["/training/import", "/training/households", "/training/courses/new"]
    pages += [f"/training/courses/{i}" for i in db.session.scalars(select(Course.id))]
    for sid in db.session.scalars(select(TrainingSession.id)):
        pages += [f"/training/sessions/{sid}", f"/training/sessions/{sid}/register"]
    assert [(u, r.status_code) for u in pages if (r := trainer.get(u)).status_code != 200] == []
    assert trainer.get("/training/reports/uptake/csv").status_code == 200

    ssw = app.test_client()
    ssw.sign_in(_user("ssw@example.org"))
    listing = ssw.get("/training/households")
    assert listing.status_code == 200 and "Whitfield household" in listing.text
    # Only the households still in their first year (or just past it) are chased: the Whitfields, not the Hughes
    # household approved twelve years ago.
    assert "1 household behind with the TSD standards" in ssw.get("/").text
    hughes = listing.text.split("Hughes household", 1)[1].split("</tr>", 1)[0]
    assert "Behind" not in hughes and "Not applicable" in hughes
