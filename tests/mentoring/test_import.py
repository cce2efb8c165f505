"""Importing the coordinators' spreadsheet: a preview of every row that cannot be read and why, then saving."""

from __future__ import annotations

import io
import re

from sqlalchemy import func, select

from portal.auth.roles import Role
from portal.core.db import db
from portal.mentoring.models import Match, Mentee
from tests.factories import make_locality, make_user
from tests.mentoring.conftest import make_mentor
from tests.pages import text_of

SHEET = """\ufeffName,Email,Locality,Fostering type,Offered on,Offered how,Response,Responded on,Mentor email,Matched on,Agreement meeting on,Agreement meeting held,Ended on,End reason
Asha Patel,asha@example.org,Northtown,Mainstream,03/02/2025,phone,yes,05/02/2025,{mentor},10/02/2025,20 February 2025,yes,,
Bill Owens,bill@example.org,Atlantis,Mainstream,2025-02-03,,,,,,,,,
Cara Lee,cara@example.org,Northtown,kinship,31/02/2025,,,,,,,,,
Dan Ross,dan@example.org,Northtown,Mainstream,2025-03-01,email,no,2025-03-04,,,,,,
Eve Hart,asha@example.org,Northtown,Mainstream,,,,,,,,,,
"""


def test_the_preview_shows_every_unreadable_row_and_why_before_anything_is_saved(app, client):
    town = make_locality("Northtown")
    mentor = make_mentor(town)
    client.sign_in(make_user(Role.MENTORING_COORDINATOR))
    page = client.get("/mentoring/import")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text).group(1)
    body = SHEET.format(mentor=mentor.email).encode()
    r = client.post(
        "/mentoring/import",
        data={"csrf_token": token, "file": (io.BytesIO(body), "sheet.csv")},
        content_type="multipart/form-data",
    )
    words = text_of(r)
    assert "5 rows: 2 can be saved, 3 cannot be read" in words
    assert "'Atlantis' is not one of the service's localities" in words
    assert "'31/02/2025' is not a date" in words
    assert "asha@example.org is on an earlier row too" in words
    assert db.session.scalar(select(func.count()).select_from(Mentee)) == 0  # nothing saved yet
    text = re.search(r'name="csv_text" value="([^"]*)"', r.text, re.S).group(1)
    import html

    r = client.post("/mentoring/import/save", data={"csrf_token": token, "csv_text": html.unescape(text)})
    assert r.status_code == 302
    assert sorted(db.session.scalars(select(Mentee.full_name))) == ["Asha Patel", "Dan Ross"]
    match = db.session.scalar(select(Match))
    assert match.status == "active" and match.mentor_id == mentor.id and match.agreement_meeting_held
