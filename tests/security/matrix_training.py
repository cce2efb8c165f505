"""Matrix rows for training: the catalogue and bookings (carers and applicants), the programme, registers,
certificates and reports (the training coordinator), and households' records and TSD sign-off (SSWs)."""

from __future__ import annotations

import io
from datetime import timedelta

from portal.auth.roles import Role
from tests.security.matrix import Case

MISSING = 987654
LEARNERS = frozenset({Role.CARER, Role.APPLICANT})
STAFF = frozenset({Role.TRAINING_COORDINATOR, Role.ADMIN})
READERS = LEARNERS | STAFF
CERTIFICATE_READERS = READERS | {Role.SSW}
HOUSEHOLD_READERS = STAFF | {Role.SSW}


def _png():
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buf, "PNG")
    buf.seek(0)
    return buf


def _training(world):
    """A course for everyone and one for applicants only, a session of each to come, a past session both carers
    attended, each carer booked on the session to come, and a certificate uploaded by each carer."""
    from portal.core.clock import today
    from portal.core.db import db
    from portal.training.certificates import Upload, upload_certificate
    from portal.training.models import Booking
    from portal.training.services import book
    from tests.training.helpers import make_course, make_session

    carer_a, carer_b = world.users[Role.CARER], world.carer_b
    everyone = make_course("Safeguarding", audience="everyone")
    applicants = make_course("Skills to Foster", audience="applicants")
    coming = make_session(everyone)
    applicants_only = make_session(applicants)
    past = make_session(everyone, starts_in=timedelta(days=-2))
    booking_a = book(carer_a, coming, [carer_a])[0].booking
    booking_b = book(carer_b, coming, [carer_b])[0].booking
    past_a = Booking(
        session_id=past.id,
        user_id=carer_a.id,
        household_id=world.household_a.id,
        booked_by_id=carer_a.id,
        status="attended",
    )
    past_b = Booking(
        session_id=past.id,
        user_id=carer_b.id,
        household_id=world.household_b.id,
        booked_by_id=carer_b.id,
        status="attended",
    )
    db.session.add_all([past_a, past_b])
    db.session.commit()
    certificates = {}
    for key, carer, household in (("a", carer_a, world.household_a), ("b", carer_b, world.household_b)):
        certificates[key] = upload_certificate(
            carer,
            carer,
            household,
            title=f"Paediatric first aid {key}",
            completed_on=today() - timedelta(days=10),
            minutes=360,
            tsd_standard=None,
            upload=Upload(_png(), "certificate.png"),
        ).id
    world.extra.update(
        course_a=everyone.id,
        course_b=applicants.id,
        session_a=coming.id,
        session_b=applicants_only.id,
        past_session=past.id,
        booking_a=booking_a.id,
        booking_b=booking_b.id,
        past_a=past_a.id,
        past_b=past_b.id,
        certificate_a=certificates["a"],
        certificate_b=certificates["b"],
    )


def _pick(name):
    return lambda w, which: {"own": w.extra.get(f"{name}_a"), "other": w.extra.get(f"{name}_b")}.get(which, MISSING)


course, session, booking, past, certificate = (
    _pick("course"),
    _pick("session"),
    _pick("booking"),
    _pick("past"),
    _pick("certificate"),
)


def household(w, which):
    return {"own": w.household_a.id, "other": w.household_b.id}.get(which, MISSING)


def past_session(w, which):
    return {"own": w.extra["past_session"], "other": w.extra["session_b"]}.get(which, MISSING)


def _book_data(w):
    return {"people": str(w.users[Role.CARER].id)}


def T(endpoint, url, allowed, **kw):  # noqa: N802 (reads as a table)
    return Case(f"training.{endpoint}", url, allowed, setup=_training, **kw)


BOOKING = {"has_object": True, "sees_other": STAFF, "own_hidden_from": frozenset({Role.APPLICANT})}
PAST_BOOKING = {"has_object": True, "own_hidden_from": frozenset({Role.APPLICANT})}

CASES = [
    T("list_sessions", lambda w, _: "/training?month=2026-13&format=venue&topic=Health", LEARNERS),
    T(
        "show_session",
        lambda w, x: f"/training/sessions/{session(w, x)}",
        READERS,
        has_object=True,
        sees_other=STAFF | {Role.APPLICANT},
    ),
    T(
        "book_session",
        lambda w, x: f"/training/sessions/{session(w, x)}/book",
        LEARNERS,
        method="POST",
        has_object=True,
        sees_other=frozenset({Role.APPLICANT}),
        data=_book_data,
    ),
    T("cancel_booking", lambda w, x: f"/training/bookings/{booking(w, x)}/cancel", READERS, method="POST", **BOOKING),
    T("accept_offer", lambda w, x: f"/training/bookings/{booking(w, x)}/accept", LEARNERS, method="POST", **BOOKING),
    T("decline_offer", lambda w, x: f"/training/bookings/{booking(w, x)}/decline", LEARNERS, method="POST", **BOOKING),
    T("download_booking_calendar", lambda w, x: f"/training/bookings/{booking(w, x)}/calendar.ics", READERS, **BOOKING),
    T(
        "start_mileage_claim",
        lambda w, x: f"/training/bookings/{past(w, x)}/mileage",
        frozenset({Role.CARER}),
        has_object=True,
    ),
    T("evaluate_booking", lambda w, x: f"/training/bookings/{past(w, x)}/evaluation", LEARNERS, **PAST_BOOKING),
    T(
        "evaluate_booking",
        lambda w, x: f"/training/bookings/{past(w, x)}/evaluation",
        LEARNERS,
        method="POST",
        data={"usefulness": "5", "before": "2", "after": "4"},
        **PAST_BOOKING,
    ),
    T("show_my_record", lambda w, _: "/training/record", LEARNERS),
    T("download_learning_record", lambda w, _: "/training/record.pdf", LEARNERS),
    T("upload_certificate", lambda w, _: "/training/certificates/new", LEARNERS),
    T("upload_certificate", lambda w, _: "/training/certificates/new", LEARNERS, method="POST", data={"title": "x"}),
    T(
        "download_certificate",
        lambda w, x: f"/training/certificates/{certificate(w, x)}/file",
        CERTIFICATE_READERS,
        has_object=True,
        sees_other=STAFF,
        own_hidden_from=frozenset({Role.APPLICANT}),
    ),
    # The coordinator
    T("list_programme", lambda w, _: "/training/programme?show=past", STAFF),
    T("add_course", lambda w, _: "/training/courses/new", STAFF),
    T("add_course", lambda w, _: "/training/courses/new", STAFF, method="POST", data={"title": "New course"}),
    T("show_course", lambda w, x: f"/training/courses/{course(w, x)}", STAFF, has_object=True, sees_other=STAFF),
    T("edit_course", lambda w, x: f"/training/courses/{course(w, x)}/edit", STAFF, has_object=True, sees_other=STAFF),
    T(
        "edit_course",
        lambda w, x: f"/training/courses/{course(w, x)}/edit",
        STAFF,
        method="POST",
        has_object=True,
        sees_other=STAFF,
        data={"title": ""},
    ),
    T(
        "add_session",
        lambda w, x: f"/training/courses/{course(w, x)}/sessions/new",
        STAFF,
        has_object=True,
        sees_other=STAFF,
    ),
    T(
        "add_session",
        lambda w, x: f"/training/courses/{course(w, x)}/sessions/new",
        STAFF,
        method="POST",
        has_object=True,
        sees_other=STAFF,
        data={"capacity": "0"},
    ),
    T(
        "edit_session",
        lambda w, x: f"/training/sessions/{session(w, x)}/edit",
        STAFF,
        has_object=True,
        sees_other=STAFF,
    ),
    T(
        "edit_session",
        lambda w, x: f"/training/sessions/{session(w, x)}/edit",
        STAFF,
        method="POST",
        has_object=True,
        sees_other=STAFF,
        data={"capacity": "x"},
    ),
    T(
        "cancel_session",
        lambda w, x: f"/training/sessions/{session(w, x)}/cancel",
        STAFF,
        has_object=True,
        sees_other=STAFF,
    ),
    T(
        "cancel_session",
        lambda w, x: f"/training/sessions/{session(w, x)}/cancel",
        STAFF,
        method="POST",
        has_object=True,
        sees_other=STAFF,
        data={"reason": "Trainer unwell"},
    ),
    T(
        "move_booking",
        lambda w, x: f"/training/bookings/{booking(w, x)}/move",
        STAFF,
        has_object=True,
        sees_other=STAFF,
    ),
    T(
        "move_booking",
        lambda w, x: f"/training/bookings/{booking(w, x)}/move",
        STAFF,
        method="POST",
        has_object=True,
        sees_other=STAFF,
        data={"target": str(MISSING)},
    ),
    T(
        "reorder_waiting_list",
        lambda w, x: f"/training/bookings/{booking(w, x)}/waiting-list/up",
        STAFF,
        method="POST",
        has_object=True,
        sees_other=STAFF,
    ),
    T(
        "mark_register",
        lambda w, x: f"/training/sessions/{past_session(w, x)}/register",
        STAFF,
        has_object=True,
        sees_other=STAFF,
    ),
    T(
        "mark_register",
        lambda w, x: f"/training/sessions/{past_session(w, x)}/register",
        STAFF,
        method="POST",
        has_object=True,
        sees_other=STAFF,
    ),
    T("list_certificates", lambda w, _: "/training/certificates", STAFF),
    T(
        "verify_certificate",
        lambda w, x: f"/training/certificates/{certificate(w, x)}/verify",
        STAFF,
        method="POST",
        has_object=True,
        sees_other=STAFF,
    ),
    T(
        "refuse_certificate",
        lambda w, x: f"/training/certificates/{certificate(w, x)}/refuse",
        STAFF,
        method="POST",
        has_object=True,
        sees_other=STAFF,
        data={"reason": "Not legible"},
    ),
    T("show_reports", lambda w, _: "/training/reports?year=2026", STAFF),
    T("download_report", lambda w, _: "/training/reports/compliance/csv", STAFF),
    T("import_records", lambda w, _: "/training/import", STAFF),
    T("import_records", lambda w, _: "/training/import", STAFF, method="POST", data={"csv_text": "email,course\n"}),
    # Supervising social workers
    T("list_training_households", lambda w, _: "/training/households", HOUSEHOLD_READERS),
    T(
        "show_household_training",
        lambda w, x: f"/training/households/{household(w, x)}",
        HOUSEHOLD_READERS,
        has_object=True,
        sees_other=STAFF,
    ),
    T(
        "sign_off_standard",
        lambda w, x: f"/training/households/{household(w, x)}/tsd/1/sign-off",
        frozenset({Role.SSW, Role.ADMIN}),
        has_object=True,
        sees_other=frozenset({Role.ADMIN}),
    ),
    T(
        "sign_off_standard",
        lambda w, x: f"/training/households/{household(w, x)}/tsd/1/sign-off",
        frozenset({Role.SSW, Role.ADMIN}),
        method="POST",
        has_object=True,
        sees_other=frozenset({Role.ADMIN}),
        data={"note": "Workbook seen at supervision"},
    ),
]
