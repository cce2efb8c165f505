"""Row sources of "what needs me": every one that applies to a person is read in one statement, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from portal.auth.roles import Role
from portal.core.clock import today
from portal.core.db import db
from portal.core.need_rows import need_columns
from portal.core.notice_kinds import LOG_REPLY
from portal.core.notify import notify_in_app
from portal.hub.needs import needs_for
from portal.mentoring import lifecycle
from portal.mentoring.conversations import send_message
from portal.mentoring.models import MatchStatus
from tests.factories import make_locality, make_user
from tests.mentoring.conftest import make_match, make_mentee, make_mentor


def _statements_during(call):
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        result = call()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return result, seen


def test_a_carer_who_mentors_gets_every_kind_of_item_from_one_statement(app):
    town = make_locality()
    coordinator = make_user(Role.MENTORING_COORDINATOR)
    mentor = make_mentor(town, name="Sam Mentor")
    lifecycle.propose_match(coordinator, make_mentee(town, name="Asked Person"), mentor.id)
    talking = make_mentee(town, name="Talking Person")
    match = make_match(talking, mentor)
    send_message(talking.user, match, "Hello, are you free on Tuesday?")
    make_match(make_mentee(town, name="New Person"), mentor)  # introduced, nobody in touch yet
    notify_in_app(mentor.id, "Your SSW replied to your log", "/logs/1", kind=LOG_REPLY.name)
    db.session.commit()
    db.session.expire_all()
    mentor = db.session.get(type(mentor), mentor.id)
    assert mentor.roles  # loaded first, as the session's own query does on a page

    items, statements = _statements_during(lambda: needs_for(mentor, today()))

    assert len(statements) == 1
    by_kind = {item.kind: item for item in items}
    assert by_kind["mentoring_request"].text.startswith("Will you mentor Asked Person? Answer by ")
    assert by_kind["mentoring_first_contact"].text.startswith("Get in touch with New Person by ")
    assert by_kind["mentoring_messages"].count == 1 and "Tuesday" not in by_kind["mentoring_messages"].text
    assert by_kind[LOG_REPLY.name].href == "/logs/1"


def test_a_mentor_with_nothing_waiting_gets_no_items_and_still_one_statement(app):
    mentor = make_mentor(make_locality())
    make_match(make_mentee(make_locality(), name="Quiet Person"), mentor, status=MatchStatus.ACTIVE)
    db.session.commit()
    items, statements = _statements_during(lambda: needs_for(mentor, today()))
    assert items == [] and len(statements) == 1


def test_a_source_cannot_select_a_column_the_others_do_not_have():
    with pytest.raises(TypeError, match="not a need column: colour"):
        select(*need_columns(colour="red"))
