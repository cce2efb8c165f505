"""Hostile uploads: refused on the form with a clear message, never a 500, and nothing of them kept anywhere."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from portal.core.audit import AuditEvent
from portal.core.db import db
from portal.records.models import HouseholdDocument, LogEntry
from tests.pages import text_of
from tests.uploads.conftest import log_form, needs_clamd, stored_files, stored_keys
from tests.uploads.corpus import EICAR, jpeg, pdf
from tests.uploads.hostile import infected_corpus

# What each refusal says: the person learns why and what to do, in words they use.
REASONS = (
    "cannot be uploaded",
    "too large",
    "damaged or incomplete",
    "is empty",
    "protected by a password",
    "must be smaller than",
    "more than 50 pages",
    "pictures are too large",
)


def _entries() -> int:
    return db.session.scalar(select(func.count()).select_from(LogEntry))


def test_the_hostile_corpus_is_broad(hostile_files):
    names = hostile_files.keys()
    assert len(names) >= 40
    for kind in ("bomb", "truncated", "empty", "script", "svg", "javascript", "macros", "eicar", ".gif", "password"):
        assert any(kind in n for n in names), kind


def test_every_hostile_file_is_refused_on_the_log_form_and_nothing_is_kept(
    app, client, family, hostile_files, backend, subtests
):
    client.sign_in(family.carer)
    for name, content in hostile_files.items():
        with subtests.test(file=name):
            response = client.submit("/logs/new", log_form(family, [(content, name)]))
            assert response.status_code == 422, response.status_code
            page = text_of(response)
            assert "There is a problem" in page and "Your entry has not been sent yet" in page
            assert any(reason in page for reason in REASONS), page[:400]
            assert stored_keys(app) == [], "bytes of a refused file were kept"
            assert stored_files() == [] and _entries() == 0


def test_one_hostile_file_among_good_ones_refuses_the_lot_and_keeps_none(app, client, family, hostile_files, backend):
    client.sign_in(family.carer)
    files = [(jpeg(), "good.jpg"), (hostile_files["password.pdf"], "letter.pdf"), (jpeg(), "b.jpg")]
    response = client.submit("/logs/new", log_form(family, files))
    assert response.status_code == 422
    assert "Remove the password and upload it again" in text_of(response)
    assert stored_keys(app) == [] and stored_files() == [] and _entries() == 0


def test_hostile_documents_are_refused_in_the_filing_cabinet_too(app, client, family, hostile_files, subtests):
    client.sign_in(family.carer)
    url = f"/households/{family.household.id}/documents/new"
    documents = {n: c for n, c in hostile_files.items() if n.endswith((".pdf", ".docx", ".docm", ".odt", ".zip"))}
    assert len(documents) >= 12
    for name, content in documents.items():
        with subtests.test(file=name):
            response = client.submit(
                url, {"folder": "fire_escape_plan", "title": "Escape plan", "file": (io.BytesIO(content), name)}
            )
            assert response.status_code == 422
            assert any(reason in text_of(response) for reason in REASONS)
            assert stored_keys(app) == [] and stored_files() == []
            assert db.session.scalar(select(func.count()).select_from(HouseholdDocument)) == 0


def test_files_over_the_configured_size_are_refused_with_the_limit(app, client, family):
    app.config.update(UPLOAD_MAX_IMAGE_MB=1, UPLOAD_MAX_DOCUMENT_MB=1)
    client.sign_in(family.carer)
    big_jpeg = jpeg() + b"\0" * (1024 * 1024 + 10)  # a picture followed by padding: over 1 MB
    big_pdf = pdf().replace(b"%%EOF", b"%" + b"x" * (1024 * 1024) + b"\n%%EOF")
    for content, name in ((big_jpeg, "huge.jpg"), (big_pdf, "huge.pdf")):
        response = client.submit("/logs/new", log_form(family, [(content, name)]))
        assert response.status_code == 422
        assert "The file must be smaller than 1 MB" in text_of(response)
    assert stored_keys(app) == [] and stored_files() == [] and _entries() == 0


def test_a_request_bigger_than_any_upload_gets_the_friendly_too_large_page(app_config, family, client):
    client.application.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    client.sign_in(family.carer)
    response = client.submit("/logs/new", log_form(family, [(jpeg() + b"\0" * (3 * 1024 * 1024), "huge.jpg")]))
    assert response.status_code == 413
    assert "too big" in text_of(response).lower()
    assert stored_keys(client.application) == [] and stored_files() == [] and _entries() == 0


@needs_clamd
def test_infected_files_are_caught_by_clamd_deleted_and_audited(app, client, family, backend):
    """An infected attachment is found by the scan after the entry is saved: the entry stays (it is the carer's
    record), the file is deleted, the carer is told on the next page and the entry shows it could not be kept."""
    client.sign_in(family.carer)
    for name, content in infected_corpus().items():
        response = client.submit("/logs/new", log_form(family, [(content, name)], body=f"About {name}"))
        assert response.status_code == 302
        page = client.get(response.location)
        assert "could not be kept" in text_of(page) and "contains a virus" in text_of(page)
    files = stored_files()
    assert [f.status for f in files] == ["rejected", "rejected"]
    assert all("virus" in f.rejection_reason for f in files)
    assert stored_keys(app) == [], "an infected object is still in storage"
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "upload_infected")).all()
    assert sorted(e.object_id for e in events) == sorted(str(f.id) for f in files)
    assert all(
        e.object_type == "stored_file" and e.detail.get("signature", "").startswith("Hearth.Test.EICAR") for e in events
    )
    entry = db.session.scalars(select(LogEntry)).first()
    attachment = entry.attachments[0]
    for rendition in ("thumb", "display", "original"):
        url = f"/logs/{entry.id}/attachments/{attachment.id}/{rendition}"
        assert client.get(url).status_code == 404


@needs_clamd
def test_clamd_reports_the_eicar_signature_itself():
    from portal.core.scanning import ClamdScanner
    from tests.uploads.conftest import CLAMD_ADDRESS

    scanner = ClamdScanner(CLAMD_ADDRESS)
    assert scanner.ping()
    assert not scanner.scan(io.BytesIO(EICAR)).clean
    assert not scanner.scan(io.BytesIO(jpeg() + EICAR)).clean
    assert scanner.scan(io.BytesIO(jpeg())).clean
