"""Counts that stop at a cap: a list over a caseload or the whole service says "more than 1,000" rather than count
every row on every page, and still pages forward and back; the SSW's unread logs say "100 or more". The capped page
links are still GOV.UK's pagination."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from flask import render_template_string
from sqlalchemy import select

from portal.core.clock import today
from portal.core.db import db
from portal.core.pagination import Page, paginate
from portal.records import needs as log_needs
from portal.records.models import LogEntry
from portal.records.routes import logs as log_routes
from tests.factories import make_family
from tests.pages import text_of


@pytest.fixture
def family(app):
    return make_family()


def _entries(family, n: int, *, significant: int = 0) -> None:
    """`n` log entries about the family's child, one a day back from today; the first `significant` of them
    significant."""
    db.session.add_all(
        LogEntry(
            child_id=family.child.id,
            household_id=family.household.id,
            author_id=family.carer.id,
            entry_date=today() - timedelta(days=i),
            category="daily_life",
            body=f"Entry {i}",
            is_significant=i < significant,
            idempotency_key=uuid.uuid4().hex,
        )
        for i in range(n)
    )
    db.session.commit()


def _ids(family) -> list[int]:
    return list(db.session.scalars(select(LogEntry.id).order_by(LogEntry.id)))


def test_paginate_counts_up_to_the_cap_and_pages_past_it(family):
    _entries(family, 12)
    stmt = select(LogEntry.id).order_by(LogEntry.id)
    ids = _ids(family)
    within = paginate(stmt, 1, 5, count_up_to=12)
    assert (within.total, within.more, within.pages) == (12, False, 3)
    first = paginate(stmt, 1, 5, count_up_to=7)
    assert (first.items, first.total, first.more, first.has_next, first.has_previous) == (ids[:5], 7, True, True, False)
    assert (first.first_row, first.last_row) == (1, 5)
    last = paginate(stmt, 3, 5, count_up_to=7)  # past the cap: pages on, the next known from one row beyond
    assert (last.items, last.more, last.has_next, last.has_previous) == (ids[10:], True, False, True)
    assert (last.first_row, last.last_row) == (11, 12)
    past = paginate(stmt, 9, 5, count_up_to=7)  # past the end (typed by hand): the last page, counted in full
    assert (past.number, past.items, past.total, past.more) == (3, ids[10:], 12, False)


def test_a_capped_page_links_to_its_neighbours_and_no_last_page():
    middle = Page(list(range(25)), 6, 25, 1000, more=True, next_exists=True)
    assert middle.numbers() == [1, None, 5, 6, 7, None]
    params = middle.govuk(lambda n: f"?page={n}")
    assert params["previous"]["href"] == "?page=5" and params["next"]["href"] == "?page=7"
    end = Page(list(range(3)), 44, 25, 1000, more=True, next_exists=False)
    assert end.numbers() == [1, None, 43, 44] and end.govuk(str)["next"] is None


@pytest.mark.parametrize(("number", "next_exists"), [(1, True), (2, True), (41, True), (44, False)])
def test_capped_page_links_match_govuk_pagination(app, number, next_exists):
    page = Page(list(range(25 if next_exists else 3)), number, 25, 1000, more=True, next_exists=next_exists)
    params = page.govuk(lambda n: f"/logs?page={n}")
    with app.test_request_context():
        ours = render_template_string(
            '{% from "components/pagination.html" import pagination %}{{ pagination(page, params, noun="entries") }}',
            page=page,
            params=params,
        )
        theirs = render_template_string(
            '{% from "govuk_frontend_jinja/components/pagination/macro.html" import govukPagination %}'
            "{{ govukPagination(params) }}",
            params=params,
        )
    squeeze = lambda html: re.sub(r"\s+", " ", re.sub(r"\s+<", "<", re.sub(r">\s+", ">", html))).strip()  # noqa: E731
    assert squeeze(theirs) in squeeze(ours)
    first = (number - 1) * 25 + 1
    assert f"Showing {first} to {first + len(page.items) - 1} of more than 1,000 entries" in ours


def test_a_staff_log_list_says_more_than_the_cap_and_still_pages(client, family, monkeypatch):
    monkeypatch.setattr(log_routes, "LOG_COUNT_CAP", 30)
    _entries(family, 60)
    client.sign_in(family.ssw)
    first = text_of(client.get("/logs"))
    assert "Showing 1 to 25 of more than 30 entries" in first
    third = client.get("/logs?page=3")
    assert "Showing 51 to 60 of more than 30 entries" in text_of(third)
    assert 'rel="prev"' in third.text and 'rel="next"' not in third.text
    second = client.get("/logs?page=2")
    assert 'rel="prev"' in second.text and 'rel="next"' in second.text
    past = client.get("/logs?page=9")  # a page past the end shows the last page, as for any list
    assert "Showing 51 to 60 of 60 entries" in text_of(past)


def test_a_log_list_within_the_cap_is_counted_exactly(client, family):
    _entries(family, 30)
    client.sign_in(family.ssw)
    assert "Showing 1 to 25 of 30 entries" in text_of(client.get("/logs"))


def test_the_ssws_unread_logs_need_says_100_or_more(client, family, monkeypatch):
    monkeypatch.setattr(log_needs, "UNREAD_CAP", 10)
    _entries(family, 15, significant=3)
    client.sign_in(family.ssw)
    home = text_of(client.get("/"))
    assert "Log entries you have not read: 10 or more" in home
    assert "Significant events or incidents logged that you have not read: 3 The oldest has waited" in home


def test_the_unread_logs_need_below_the_cap_is_exact_with_its_oldest(family):
    _entries(family, 4, significant=1)
    needs = {n.kind: n for n in log_needs.unread_log_needs(family.ssw, today())}
    assert (needs["unread_logs"].count, needs["unread_logs"].more) == (4, False)
    assert needs["unread_logs"].oldest is not None
    assert (needs["significant_logs"].count, needs["significant_logs"].more) == (1, False)


def test_the_unread_logs_need_at_the_cap_is_dated_today_without_an_oldest(family, monkeypatch):
    monkeypatch.setattr(log_needs, "UNREAD_CAP", 3)
    _entries(family, 5)
    (need,) = log_needs.unread_log_needs(family.ssw, today())
    assert (need.count, need.more, need.oldest, need.at) == (3, True, None, today())
