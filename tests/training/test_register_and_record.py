"""The register credits hours and files a certificate in the household's cabinet; the learning record, TSD progress,
evaluations, uploaded certificates, the import preview and the reports."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.records.models import Folder, HouseholdDocument
from portal.training import attendance, importing, learning, services
from portal.training.models import Booking, Certificate, TrainingRecord
from portal.training.reports import build_report
from tests.factories import make_household, make_user
from tests.jobs import drain_jobs
from tests.pdf_reading import pdf_text
from tests.training.helpers import make_course, make_session


@pytest.fixture
def booked(app):
    trainer = make_user(Role.TRAINING_COORDINATOR)
    carer, other = make_user(Role.CARER, name="Zoë Okonkwo-Brontë"), make_user(Role.CARER, name="Sam Partner")
    household = make_household(carer, other)
    session = make_session(make_course(expiry_months=36, tsd_standards=",3,6,"), starts_in=timedelta(days=3))
    outcomes = services.book(carer, session, [carer, other])
    session.starts_at -= timedelta(days=4)
    session.ends_at -= timedelta(days=4)
    db.session.commit()
    return trainer, carer, other, household, session, [o.booking for o in outcomes]


def test_attendance_credits_hours_and_files_a_certificate_in_the_household_cabinet(booked, app):
    trainer, carer, other, household, session, (mine, theirs) = booked
    attendance.mark_register(trainer, session, {mine.id: "attended", theirs.id: "partly"})
    drain_jobs(app)
    records = {r.user_id: r for r in db.session.scalars(select(TrainingRecord))}
    assert records[carer.id].minutes == 360 and records[other.id].minutes == 180
    assert records[carer.id].expires_on == records[carer.id].completed_on.replace(
        year=records[carer.id].completed_on.year + 3
    )
    (document,) = db.session.scalars(select(HouseholdDocument)).all()
    assert document.household_id == household.id and document.folder == Folder.TRAINING_CERTIFICATES
    assert document.latest is not None
    certificate = db.session.scalar(select(Certificate))
    assert certificate.is_generated and certificate.status == "verified"
    from portal.core.uploads import storage

    with storage().open(certificate.file.renditions["master"]["key"]) as handle:
        assert "Zoë Okonkwo-Brontë" in pdf_text(handle.read())


def test_marking_again_corrects_the_record_and_issues_one_certificate(booked, app):
    trainer, carer, _other, _household, session, (mine, _theirs) = booked
    attendance.mark_register(trainer, session, {mine.id: "attended"})
    attendance.mark_register(trainer, session, {mine.id: "attended"})
    drain_jobs(app)
    assert len(db.session.scalars(select(Certificate)).all()) == 1
    attendance.mark_register(trainer, session, {mine.id: "absent"})
    assert db.session.scalars(select(TrainingRecord)).all() == []


def test_the_learning_record_counts_hours_mandatory_training_and_tsd_progress(booked, app):
    trainer, carer, other, household, session, (mine, theirs) = booked
    session.course.mandatory_for = ",mainstream,"
    attendance.mark_register(trainer, session, {mine.id: "attended", theirs.id: "absent"})
    summary = learning.household_record(household, [carer, other], today())
    me, partner = summary.people
    assert me.hours_total == 6 and partner.hours_total == 0
    assert [m.status for m in partner.mandatory] == ["missing"]
    assert [s.number for s in summary.tsd.standards] == [1, 2, 3, 4, 5, 6, 7]
    assert summary.tsd.standards[2].evidence == [session.course.title]
    ssw = make_user(Role.SSW)
    learning.sign_off_standard(ssw, household, 3, "Seen in the workbook")
    with pytest.raises(learning.SignOffRefused):
        learning.sign_off_standard(ssw, household, 3, "again")
    assert learning.household_record(household, [carer, other], today()).tsd.signed_off == 1


def test_family_and_friends_carers_have_six_standards_and_eighteen_months(app):
    carer = make_user(Role.CARER)
    household = make_household(carer, carer_type="kinship", approval_date=date(2026, 1, 15))
    tsd = learning.tsd_progress(household, [], date(2026, 6, 1))
    assert len(tsd.standards) == 6 and tsd.deadline == date(2027, 7, 15)
    assert tsd.days_left == (date(2027, 7, 15) - date(2026, 6, 1)).days


def test_an_evaluation_is_given_once_by_the_person_who_attended(booked):
    trainer, carer, other, _household, session, (mine, _theirs) = booked
    with pytest.raises(attendance.AttendanceRefused):
        attendance.give_evaluation(carer, mine, usefulness=5, before=2, after=4, comments="")
    attendance.mark_register(trainer, session, {mine.id: "attended"})
    attendance.give_evaluation(carer, mine, usefulness=5, before=2, after=4, comments="Very good")
    with pytest.raises(attendance.AttendanceRefused):
        attendance.give_evaluation(carer, mine, usefulness=5, before=2, after=4, comments="")
    with pytest.raises(attendance.AttendanceRefused):
        attendance.give_evaluation(
            other, db.session.get(Booking, mine.id), usefulness=1, before=1, after=1, comments=""
        )
    report = build_report(today() - timedelta(days=30), today(), today())
    assert [(e.answers, e.usefulness, e.before, e.after) for e in report.evaluations] == [(1, 5.0, 2.0, 4.0)]
    assert report.by_course[0].attended == 1


def test_the_import_preview_lists_every_row_it_cannot_match_and_saves_nothing(app):
    trainer = make_user(Role.TRAINING_COORDINATOR)
    carer = make_user(Role.CARER, email="known@example.org")
    make_household(carer)
    make_course("First aid for carers", expiry_months=36)
    text = (
        "\ufeffemail,course,date,hours,certificate reference\r\n"
        "known@example.org,First aid for carers,2024-03-27,6,FA-1\r\n"
        "stranger@example.org,First aid for carers,2024-03-27,6,\r\n"
        "known@example.org,Juggling,2024-03-27,6,\r\n"
        "known@example.org,First aid for carers,someday,6,\r\n"
    )
    rows = importing.preview(text, today())
    assert [r.problem is None for r in rows] == [True, False, False, False]
    assert "stranger@example.org" in rows[1].problem and "Juggling" in rows[2].problem and "someday" in rows[3].problem
    assert db.session.scalars(select(TrainingRecord)).all() == []
    assert importing.import_rows(trainer, rows) == 1
    assert importing.import_rows(trainer, importing.preview(text, today())) == 0  # the same file again adds nothing
    (record,) = db.session.scalars(select(TrainingRecord)).all()
    assert record.is_imported and record.expires_on == date(2027, 3, 27) and record.certificate_reference == "FA-1"


def test_the_import_preview_refuses_bad_hours_and_rows_repeated_in_the_file(app):
    carer = make_user(Role.CARER, email="carer@example.org")
    make_household(carer)
    make_course("Paediatric first aid", minutes=360)
    text = (
        "email,course,date,hours,certificate reference\n"
        "carer@example.org,Paediatric first aid,2025-03-01,-4,X\n"
        "carer@example.org,Paediatric first aid,2025-03-02,0,\n"
        "carer@example.org,Paediatric first aid,2025-03-03,many,\n"
        "carer@example.org,Paediatric first aid,2025-03-04,600,\n"
        "carer@example.org,Paediatric first aid,2025-03-05,,\n"
        "carer@example.org,Paediatric first aid,2025-03-06,3.5,\n"
        "CARER@example.org,Paediatric first aid,06/03/2025,3.5,\n"
    )
    rows = importing.preview(text, today())
    assert [r.problem is None for r in rows] == [False, False, False, False, True, True, False]
    assert all("hours" in r.problem for r in rows[:4]) and "-4" in rows[0].problem
    assert rows[4].minutes == 360 and rows[5].minutes == 210
    assert "Repeats row 7" in rows[6].problem


def test_a_file_without_the_headings_is_refused(app):
    with pytest.raises(importing.ImportRefused):
        importing.preview("name,when\nx,y\n", today())


def test_the_report_bars_are_sized_in_steps_against_the_most_attended():
    from portal.training.reports import bar_class

    assert bar_class(10, 10) == "hearth-bar--100"
    assert bar_class(1, 40) == "hearth-bar--5"  # never vanishes
    assert bar_class(0, 40) == "hearth-bar--0"
    assert bar_class(5, 10) == "hearth-bar--50"


def test_households_approved_long_ago_are_not_chased_for_the_tsd_standards(app):
    on = date(2026, 11, 30)
    long_ago = make_household(make_user(Role.CARER), approval_date=date(2014, 8, 5))
    tsd = learning.tsd_progress(long_ago, [], on)
    assert not tsd.is_followed and not tsd.is_behind
    assert "Not applicable" in tsd.deadline_text and "days ago" not in tsd.deadline_text
    recently_past = make_household(make_user(Role.CARER), approval_date=date(2025, 9, 1))  # deadline 1 Sep 2026
    assert learning.tsd_progress(recently_past, [], on).is_behind
    approaching = make_household(make_user(Role.CARER), approval_date=date(2026, 1, 10))  # 41 days left
    assert learning.tsd_progress(approaching, [], on).is_behind


def test_signing_off_a_standard_the_household_does_not_have_is_not_found(app, client):
    ssw = make_user(Role.SSW)
    mainstream = make_household(make_user(Role.CARER), ssw=ssw)
    kinship = make_household(make_user(Role.CARER), ssw=ssw, carer_type="kinship")
    client.sign_in(ssw)
    for standard in (0, 8, 99):
        assert client.get(f"/training/households/{mainstream.id}/tsd/{standard}/sign-off").status_code == 404
    assert client.get(f"/training/households/{kinship.id}/tsd/7/sign-off").status_code == 404
    assert client.get(f"/training/households/{kinship.id}/tsd/6/sign-off").status_code == 200
    assert client.get(f"/training/households/{mainstream.id}/tsd/7/sign-off").status_code == 200
