"""Logs and documents as people fill them in: month names in dates, no time of day in the future, and files chosen
on a form that is shown again are said to be lost, beside the file field, with everything else kept."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from portal.core.clock import LONDON, future_time_problem, today
from portal.core.db import db
from portal.records.models import HouseholdDocument, LogEntry
from tests.pages import text_of
from tests.records.conftest import log_form, png_bytes

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"]


def _entries():
    return db.session.scalars(select(LogEntry)).all()


def test_a_time_later_today_is_refused_beside_the_time(client, family):
    client.sign_in(family.carer)
    now = datetime.now(LONDON)
    response = client.submit("/logs/new", log_form(family, time_of_day="23:59"))
    if now.time() >= time(23, 59):  # the one minute of the day when 23:59 is not in the future
        assert response.status_code == 302
        return
    assert response.status_code == 422
    assert "The time must not be in the future" in text_of(response) and 'href="#time_of_day"' in response.text
    assert "Millie went swimming" in response.text and _entries() == []


def test_a_time_earlier_today_or_on_an_earlier_day_is_fine(client, family):
    client.sign_in(family.carer)
    yesterday = today() - timedelta(days=1)
    data = log_form(family, time_of_day="23:59")
    data.update({"entry_date-day": str(yesterday.day), "entry_date-month": str(yesterday.month)})
    data["entry_date-year"] = str(yesterday.year)
    assert client.submit("/logs/new", data).status_code == 302
    assert client.submit("/logs/new", log_form(family, time_of_day="0:00")).status_code == 302


def test_the_future_time_rule(app):
    now = datetime(2026, 11, 30, 14, 30, tzinfo=LONDON)
    on = now.date()
    assert future_time_problem(on, time(14, 31), now) == "The time must not be in the future: it is 14:30 now"
    assert future_time_problem(on, time(14, 30), now) is None
    assert future_time_problem(on - timedelta(days=1), time(23, 59), now) is None
    assert future_time_problem(on, None, now) is None


@pytest.mark.parametrize("month", ["name", "lower", "abbreviation"])
def test_a_log_date_accepts_month_names(client, family, month):
    d = today()
    typed = {"name": f"{d:%B}", "lower": f"{d:%B}".lower(), "abbreviation": MONTHS[d.month - 1]}[month]
    client.sign_in(family.carer)
    response = client.submit("/logs/new", log_form(family, **{"entry_date-month": typed}))
    assert response.status_code == 302
    assert _entries()[0].entry_date == d


def test_log_attachments_are_said_to_be_lost_when_the_entry_is_refused(client, family):
    client.sign_in(family.carer)
    data = log_form(family, category=None)
    data["attachments"] = [(io.BytesIO(png_bytes()), "swim.png"), (io.BytesIO(png_bytes()), "badge.png")]
    response = client.submit("/logs/new", data, content_type="multipart/form-data")
    assert response.status_code == 422
    text = text_of(response)
    assert "swim.png, badge.png were not kept because of the problem on this page: choose the files again" in text
    assert 'href="#attachments"' in response.text and "Millie went swimming" in response.text
    assert _entries() == []


def test_a_filed_document_is_said_to_be_lost_when_the_form_is_refused(client, family):
    client.sign_in(family.carer)
    d = today()
    data = {
        "folder": "fire_escape_plan",
        "title": "",
        "document_date-day": str(d.day),
        "document_date-month": MONTHS[d.month - 1],
        "document_date-year": str(d.year),
        "file": (io.BytesIO(png_bytes()), "plan.png"),
    }
    url = f"/households/{family.household.id}/documents/new"
    response = client.submit(url, data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "plan.png was not kept because of the problem on this page: choose the file again" in text_of(response)
    assert 'id="file-error"' in response.text
    data.update(title="Fire escape plan", file=(io.BytesIO(png_bytes()), "plan.png"))
    assert client.submit(url, data, content_type="multipart/form-data").status_code == 302
    assert db.session.scalar(select(HouseholdDocument)).title == "Fire escape plan"
