"""What needs a person about training: an offered place, an evaluation to give, certificates to verify, registers to
mark, and households behind with their TSD standards."""

from __future__ import annotations

import io
from datetime import date, timedelta

from PIL import Image

from portal.auth.roles import Role
from portal.core.clock import now, today
from portal.core.db import db
from portal.hub.needs import needs_for
from portal.training import attendance, certificates, services
from tests.factories import make_household, make_user
from tests.jobs import drain_jobs
from tests.training.helpers import make_session


def _kinds(user) -> list[str]:
    return [n.kind for n in needs_for(user, today())]


def test_an_offered_place_and_an_evaluation_need_the_carer(app):
    people = [make_user(Role.CARER) for _ in range(3)]
    for p in people:
        make_household(p)
    session = make_session(capacity=1, starts_in=timedelta(hours=30), deadline_before=timedelta(hours=1))
    first = services.book(people[0], session, [people[0]])[0].booking
    services.book(people[1], session, [people[1]])
    services.cancel_booking(people[0], first, now=now())
    assert "training_offer" in _kinds(people[1])

    trainer = make_user(Role.TRAINING_COORDINATOR)
    past = make_session(starts_in=timedelta(days=3))
    (outcome,) = services.book(people[2], past, [people[2]])
    past.starts_at -= timedelta(days=4)
    past.ends_at -= timedelta(days=4)
    db.session.commit()
    assert "training_registers" in _kinds(trainer)
    attendance.mark_register(trainer, past, {outcome.booking.id: "attended"})
    assert "training_evaluation" in _kinds(people[2])
    assert "training_registers" not in _kinds(trainer)


def test_an_uploaded_certificate_needs_the_coordinator_once_it_is_checked(app):
    trainer = make_user(Role.TRAINING_COORDINATOR)
    carer = make_user(Role.CARER)
    household = make_household(carer)
    buf = io.BytesIO()
    Image.new("RGB", (30, 30), "white").save(buf, "PNG")
    buf.seek(0)
    certificates.upload_certificate(
        carer,
        carer,
        household,
        title="First aid",
        completed_on=today(),
        minutes=360,
        tsd_standard=None,
        upload=certificates.Upload(buf, "cert.png"),
    )
    drain_jobs(app)
    (need,) = [n for n in needs_for(trainer, today()) if n.kind == "training_certificates"]
    assert need.count == 1


def test_a_household_behind_with_tsd_needs_its_ssw(app):
    ssw = make_user(Role.SSW)
    make_household(make_user(Role.CARER), ssw=ssw, approval_date=date.today() - timedelta(days=300))
    make_household(make_user(Role.CARER), ssw=ssw, approval_date=date.today() - timedelta(days=10))
    (need,) = [n for n in needs_for(ssw, today()) if n.kind == "training_tsd_behind"]
    assert need.count == 1
