"""Page links written as plain HTML (templates/components/pagination.html) are GOV.UK's pagination, element for
element, for every shape of list Page.govuk describes: first, middle and last pages, with and without gaps."""

from __future__ import annotations

import re

import pytest
from flask import render_template_string

from portal.core.pagination import Page


def _normalise(html: str) -> str:
    html = re.sub(r">\s+", ">", html)
    html = re.sub(r"\s+<", "<", html)
    return re.sub(r"\s+", " ", html).strip()


@pytest.mark.parametrize(("total", "number"), [(26, 1), (26, 2), (80, 2), (300, 1), (300, 6), (300, 12)])
def test_plain_page_links_match_govuk_pagination(app, total, number):
    page = Page([], number, 25, total)
    params = page.govuk(lambda n: f'/claims/queue?page={n}&q=a"<b>')
    with app.test_request_context():
        ours = render_template_string(
            '{% from "components/pagination.html" import pagination %}{{ pagination(page, params, noun="claims") }}',
            page=page,
            params=params,
        )
        theirs = render_template_string(
            '{% from "govuk_frontend_jinja/components/pagination/macro.html" import govukPagination %}'
            '<p class="govuk-body-s">Showing {{ page.first_row }} to {{ page.last_row }} of {{ page.total }} claims</p>'
            "{{ govukPagination(params) }}",
            page=page,
            params=params,
        )
    assert _normalise(ours) == _normalise(theirs)
    assert ours.count('aria-current="page"') == 1


def test_a_list_on_one_page_has_no_page_links(app):
    page = Page([], 1, 25, 3)
    with app.test_request_context():
        html = render_template_string(
            '{% from "components/pagination.html" import pagination %}{{ pagination(page, page.govuk(str)) }}',
            page=page,
        )
    assert "Showing 1 to 3 of 3 results" in html and "govuk-pagination" not in html
