"""Serving uploaded files: safe headers on every file response, and nobody outside the household reaches the bytes."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from PIL import Image

from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.records.models import Folder
from portal.records.services import Upload, file_document, write_log_entry
from tests.factories import make_child, make_household, make_user, place

GUESS = 424242


def _jpeg() -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (60, 40), "teal").save(buf, "JPEG")
    buf.seek(0)
    return buf


def _pdf() -> io.BytesIO:
    import pikepdf

    doc, buf = pikepdf.new(), io.BytesIO()
    doc.add_blank_page()
    doc.save(buf)
    buf.seek(0)
    return buf


@dataclass
class Side:
    carer: object
    household: object
    child: object
    placement: object
    entry_id: int
    attachment_id: int
    document_id: int
    version_id: int

    def attachment_url(self, rendition: str = "original", *, attachment_id: int | None = None) -> str:
        return f"/logs/{self.entry_id}/attachments/{attachment_id or self.attachment_id}/{rendition}"

    def document_url(self, *, version_id: int | None = None) -> str:
        return f"/documents/{self.document_id}/versions/{version_id or self.version_id}"


def _side(name: str, young_person=None) -> Side:
    carer = make_user(Role.CARER)
    household = make_household(carer, ssw=make_user(Role.SSW))
    child = make_child(first_name=name, young_person=young_person)
    placement = place(child, household)
    entry, _ = write_log_entry(
        carer,
        child=child,
        household=household,
        entry_date=today(),
        time_of_day=None,
        category="daily_life",
        body="A good day",
        is_significant=False,
        idempotency_key=f"serving-{name}",
        attachments=[Upload(_jpeg(), "Beach day.jpg")],
    )
    document = file_document(
        carer,
        household,
        folder=Folder.FIRE_ESCAPE_PLAN,
        title="Plan",
        document_date=today(),
        upload=Upload(_pdf(), "Plan d'évacuation «maison».pdf"),
    )
    return Side(
        carer, household, child, placement, entry.id, entry.attachments[0].id, document.id, document.versions[0].id
    )


@pytest.fixture
def sides(app):
    young_person = make_user(Role.YOUNG_PERSON)
    return _side("Alpha", young_person), _side("Beta"), young_person


def _assert_file_headers(response, disposition: str) -> None:
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    csp = response.headers["Content-Security-Policy"]
    assert "sandbox" in csp and "default-src 'none'" in csp and "script-src" not in csp
    assert response.headers["Content-Disposition"].startswith(f'{disposition}; filename="')
    assert "no-store" in response.headers["Cache-Control"]


def test_documents_download_as_attachments_with_an_ascii_name_and_the_real_one_encoded(client, sides):
    a, _, _ = sides
    client.sign_in(a.carer)
    response = client.get(a.document_url())
    assert response.status_code == 200 and response.get_data().startswith(b"%PDF-")
    _assert_file_headers(response, "attachment")
    header = response.headers["Content-Disposition"]
    ascii_part = header.split('filename="', 1)[1].split('"', 1)[0]
    assert ascii_part.isascii() and ascii_part.endswith(".pdf")
    assert "filename*=UTF-8''Plan%20d%27%C3%A9vacuation%20%C2%ABmaison%C2%BB.pdf" in header
    assert response.mimetype == "application/pdf"


def test_pictures_show_inline_and_originals_download_with_safe_headers(client, sides):
    a, _, _ = sides
    client.sign_in(a.carer)
    for rendition, disposition in (("thumb", "inline"), ("display", "inline"), ("original", "attachment")):
        response = client.get(a.attachment_url(rendition))
        assert response.status_code == 200 and response.mimetype == "image/jpeg"
        assert response.get_data().startswith(b"\xff\xd8")
        _assert_file_headers(response, disposition)


@pytest.mark.parametrize("who", ["other carer", "business support", "young person"])
def test_people_outside_the_household_never_reach_its_files_even_by_guessing(client, sides, who):
    a, b, young_person = sides
    user = {"other carer": b.carer, "business support": make_user(Role.BUSINESS_SUPPORT), "young person": young_person}[
        who
    ]
    client.sign_in(user)
    urls = [a.attachment_url(r) for r in ("thumb", "display", "original")] + [
        a.document_url(),
        b.attachment_url(attachment_id=a.attachment_id),  # an entry they may see, with another family's file id
        b.document_url(version_id=a.version_id),
        f"/logs/{a.entry_id}/attachments/{GUESS}/original",
        f"/logs/{GUESS}/attachments/{a.attachment_id}/original",
        f"/documents/{a.document_id}/versions/{GUESS}",
        f"/documents/{GUESS}/versions/{a.version_id}",
    ]
    # Roles that never see logs are stopped by the route's gate (403, whatever the id); everyone who passes the gate
    # gets 404, the same for a real id and a guessed one, so nothing tells them another family's file exists.
    gated = {"business support": {"/logs/"}, "young person": {"/logs/", "/documents/"}}.get(who, set())
    for url in urls:
        response = client.get(url)
        expected = 403 if any(url.startswith(p) for p in gated) else 404
        assert response.status_code == expected, (who, url, response.status_code)
        assert not response.get_data().startswith((b"\xff\xd8", b"%PDF"))


def test_the_previous_household_loses_the_attachment_on_the_very_next_request_after_the_placement_ends(client, sides):
    a, _, _ = sides
    client.sign_in(a.carer)
    response = client.get(a.attachment_url("thumb"))
    assert response.status_code == 200
    response.get_data()
    a.placement.end_date = today()
    db.session.commit()
    assert client.get(a.attachment_url("thumb")).status_code == 404
    assert client.get(a.attachment_url("original")).status_code == 404
