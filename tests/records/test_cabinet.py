"""The filing cabinet: folders per household, versions kept, only the household, its SSW and admins read it."""

from __future__ import annotations

import io

from sqlalchemy import select

from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.records.models import DocumentVersion, HouseholdDocument
from tests.factories import make_carer_household, make_user
from tests.pages import text_of
from tests.records.conftest import png_bytes


def _doc_form(folder="fire_escape_plan", title="Fire escape plan 2026", data=None, name="plan.png"):
    d = today()
    return {
        "folder": folder,
        "title": title,
        "document_date-day": str(d.day),
        "document_date-month": str(d.month),
        "document_date-year": str(d.year),
        "file": (io.BytesIO(data or png_bytes()), name),
    }


def test_carer_files_a_document_and_a_new_version_keeps_the_old_one(client, family):
    client.sign_in(family.carer)
    response = client.submit(
        f"/households/{family.household.id}/documents/new", _doc_form(), content_type="multipart/form-data"
    )
    assert response.status_code == 302
    document = db.session.scalar(select(HouseholdDocument))
    again = client.submit(
        f"/documents/{document.id}/new-version",
        _doc_form(title="Fire escape plan (updated)", data=png_bytes(colour="blue")),
        content_type="multipart/form-data",
    )
    assert again.status_code == 302
    versions = db.session.scalars(select(DocumentVersion).order_by(DocumentVersion.number)).all()
    assert [v.number for v in versions] == [1, 2]
    page = client.get(f"/documents/{document.id}")
    assert "(latest)" in page.text and page.text.count("Download") >= 2
    download = client.get(f"/documents/{document.id}/versions/{versions[0].id}")
    assert download.status_code == 200 and download.headers["Content-Disposition"].startswith("attachment;")


def test_carers_cannot_file_supervision_records(client, family):
    client.sign_in(family.carer)
    response = client.submit(
        f"/households/{family.household.id}/documents/new",
        _doc_form(folder="supervision_records"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Not a valid choice" in text_of(response) or "cannot add documents" in text_of(response)
    assert db.session.scalar(select(HouseholdDocument)) is None


def test_ssw_files_a_supervision_record_the_carer_can_read(client, family):
    staff = client.application.test_client()
    staff.sign_in(family.ssw)
    response = staff.submit(
        f"/households/{family.household.id}/documents/new",
        _doc_form(folder="supervision_records", title="Supervision, November"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    client.sign_in(family.carer)
    assert "Supervision, November" in client.get(f"/households/{family.household.id}/documents").text


def test_business_support_files_review_documents_but_reads_only_their_own(client, family):
    client.sign_in(family.carer)
    client.submit(
        f"/households/{family.household.id}/documents/new",
        _doc_form(title="Safe caring policy", folder="safe_caring_policy"),
        content_type="multipart/form-data",
    )
    support = client.application.test_client()
    support.sign_in(make_user(Role.BUSINESS_SUPPORT))
    filed = support.submit(
        f"/households/{family.household.id}/documents/new",
        _doc_form(folder="annual_review", title="Annual review 2026"),
        content_type="multipart/form-data",
    )
    assert filed.status_code == 302
    cabinet = support.get(f"/households/{family.household.id}/documents")
    assert "Annual review 2026" in cabinet.text and "Safe caring policy" not in cabinet.text
    policy = db.session.scalar(select(HouseholdDocument).where(HouseholdDocument.title == "Safe caring policy"))
    assert support.get(f"/documents/{policy.id}").status_code == 404


def test_nobody_else_sees_a_household_cabinet(client, family):
    client.sign_in(family.carer)
    client.submit(f"/households/{family.household.id}/documents/new", _doc_form(), content_type="multipart/form-data")
    document = db.session.scalar(select(HouseholdDocument))
    other_carer, _ = make_carer_household()
    for user in (other_carer, family.social_worker, make_user(Role.YOUNG_PERSON), make_user(Role.MENTOR)):
        c = client.application.test_client()
        c.sign_in(user)
        assert c.get(f"/households/{family.household.id}/documents").status_code in (403, 404)
        assert c.get(f"/documents/{document.id}").status_code in (403, 404)


def test_a_refused_file_keeps_the_title_typed(client, family):
    client.sign_in(family.carer)
    response = client.submit(
        f"/households/{family.household.id}/documents/new",
        _doc_form(
            title="Our household profile",
            folder="household_profile",
            data=b"MZ\x90\x00 not a document",
            name="profile.exe",
        ),
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Our household profile" in response.text
    assert "cannot be uploaded" in text_of(response)
