"""The page skeleton and form fields written as plain HTML (templates/layouts, templates/components/forms.html):
each page draws the header and menu once and counts unread notices once; the fields' markup is GOV.UK's."""

from __future__ import annotations

import re

import pytest
from flask import render_template_string
from sqlalchemy import event
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired

from portal.auth.roles import Role
from portal.core import badges
from portal.core.db import db
from portal.core.forms import BaseForm
from portal.core.notify import notify_in_app
from tests.factories import make_family, make_user

# A count whose own FROM is the notices (not a statement that counts something else and reads notices elsewhere).
UNREAD = re.compile(r"count\(\*\)(?: AS \w+)?\s+FROM notifications\b", re.I)


def _unread_counts(client, path: str) -> tuple[list[str], str]:
    counted: list[str] = []

    def _count(_conn, _cursor, statement, *_args):
        if UNREAD.search(statement):
            counted.append(statement)

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    return counted, response.text


@pytest.mark.parametrize("page", ["home", "claims", "memory box", "payments"])
def test_carer_pages_count_unread_notices_once_and_draw_the_header_once(client, page):
    family = make_family()
    notify_in_app(family.carer.id, "Your claim was approved")
    db.session.commit()
    client.sign_in(family.carer)
    path = {"home": "/", "claims": "/claims", "memory box": f"/memory-box/{family.child.id}", "payments": "/payments"}
    queries, html = _unread_counts(client, path[page])
    assert len(queries) == 1
    assert html.count('<header class="govuk-template__header"') == 1
    assert html.count('class="govuk-service-navigation"') == 1
    assert html.count("Notifications (1 new)") == 1
    assert html.count('<footer class="govuk-template__footer"') == 1


def test_the_claims_queue_counts_unread_notices_once(client):
    staff = make_user(Role.BUSINESS_SUPPORT)
    client.sign_in(staff)
    queries, html = _unread_counts(client, "/claims/queue")
    assert len(queries) == 1
    assert html.count('class="govuk-service-navigation"') == 1


def test_the_menu_marks_the_page_being_shown(client):
    family = make_family()
    client.sign_in(family.carer)
    html = client.get("/claims").text
    active = re.findall(
        r'<li class="govuk-service-navigation__item govuk-service-navigation__item--active">(.*?)</li>', html
    )
    assert len(active) == 1
    assert 'href="/claims" aria-current="true"' in active[0]
    assert '<strong class="govuk-service-navigation__active-fallback">Claims</strong>' in active[0]


class _Fields(BaseForm):
    class Meta:
        csrf = False

    name = StringField("Your name", description="As on your passport", validators=[DataRequired("Enter your name")])
    plain = StringField("Reference")
    colour = SelectField(
        "Colour", choices=[("", "Any"), ("red", "Red <3"), ("blue", "Blue")], validators=[DataRequired("Pick one")]
    )


def _normalise(html: str) -> str:
    html = re.sub(r">\s+", ">", html)
    html = re.sub(r"\s+<", "<", html)
    return re.sub(r"\s+", " ", html).replace(" >", ">").strip()


@pytest.mark.parametrize("with_errors", [False, True])
def test_plain_form_fields_match_the_govuk_macros(app, with_errors):
    with app.test_request_context(method="POST", data={"name": 'Zoë "Z" <b>', "colour": "blue"}):
        form = _Fields()
        if with_errors:
            form.validate()
            form.name.errors = ["Enter your name"]
            form.colour.errors = ["Pick one"]
        ours = render_template_string(
            '{% from "components/forms.html" import input, select %}'
            "{{ input(form.name, spellcheck=false, autocomplete='name') }}{{ input(form.plain) }}{{ select(form.colour) }}",
            form=form,
        )
        theirs = render_template_string(
            '{% from "govuk_frontend_jinja/components/input/macro.html" import govukInput %}'
            '{% from "govuk_frontend_jinja/components/select/macro.html" import govukSelect %}'
            "{% set e = form.name.errors %}"
            "{{ govukInput({'id': 'name', 'name': 'name', 'type': 'text', 'value': form.name._value(),"
            " 'label': {'text': 'Your name'}, 'hint': {'text': 'As on your passport'},"
            " 'errorMessage': {'text': e[0]} if e else None, 'spellcheck': false, 'autocomplete': 'name'}) }}"
            "{{ govukInput({'id': 'plain', 'name': 'plain', 'type': 'text', 'value': form.plain._value(),"
            " 'label': {'text': 'Reference'}}) }}"
            "{{ govukSelect({'id': 'colour', 'name': 'colour', 'label': {'text': 'Colour'},"
            " 'errorMessage': {'text': form.colour.errors[0]} if form.colour.errors else None, 'items': ["
            "{'value': '', 'text': 'Any', 'selected': false}, {'value': 'red', 'text': 'Red <3', 'selected': false},"
            "{'value': 'blue', 'text': 'Blue', 'selected': true}]}) }}",
            form=form,
        )
    assert _normalise(ours) == _normalise(theirs)
    assert ("govuk-input--error" in ours) is with_errors


def test_the_menu_and_header_counts_are_read_with_the_session_record(client):
    family = make_family()
    notify_in_app(family.carer.id, "Your claim was approved")
    db.session.commit()
    client.sign_in(family.carer)
    counting, html = _unread_counts(client, "/")
    assert len(counting) == 1 and "FROM user_sessions" in counting[0]
    assert html.count("Notifications (1 new)") == 1


def test_the_counts_are_read_again_once_the_request_has_committed_a_change(app):
    family = make_family()
    db.session.commit()
    names, _columns = badges.counter_columns()
    with app.test_request_context("/"):
        badges.loaded(names, [3] * len(names))  # as the session loader hands them over
        assert badges.badge_counts(family.carer)["notifications"] == 3
        notify_in_app(family.carer.id, "Your claim was approved")
        db.session.commit()
        assert badges.badge_counts(family.carer)["notifications"] == 1
