"""Every mentoring page renders for the demo coordinator, mentor and applicant, with the demo's volumes, in a bounded
number of queries."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from portal.auth.models import User
from portal.core.db import db
from portal.mentoring.models import Match, Mentee, MessageReport

pytestmark = [pytest.mark.one_database, pytest.mark.long]  # the same on any database: run in the SQLite pass only


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def test_mentoring_pages_render_for_the_demo_people(client, demo):
    client.sign_in(_user("coordinator@example.org"))
    urls = [
        "/",
        "/mentoring/mentees",
        "/mentoring/mentees/invite",
        "/mentoring/batch",
        "/mentoring/fairness",
        "/mentoring/conversations",
        "/mentoring/reports",
        "/mentoring/report",
        "/mentoring/report?period=2025",
        "/mentoring/localities",
        "/mentoring/mentees?page=2",
    ]
    urls += [f"/mentoring/mentees/{i}" for i in db.session.scalars(select(Mentee.id).limit(20))]
    failures = [(u, r.status_code) for u in urls if (r := client.get(u)).status_code != 200]
    assert not failures
    mentor = client.application.test_client()
    mentor.sign_in(_user("mentor@example.org"))
    home = mentor.get("/")
    assert "Mentoring" in home.text
    mine = db.session.scalars(select(Match.id).where(Match.mentor_id == _user("mentor@example.org").id)).all()
    for url in ["/mentoring", "/mentoring/profile", "/mentoring/contacts"] + [f"/mentoring/matches/{i}" for i in mine]:
        assert mentor.get(url).status_code == 200, url
    applicant = client.application.test_client()
    applicant.sign_in(_user("applicant@example.org"))
    page = applicant.get("/")
    assert "1 new mentoring message" in page.text
    assert db.session.scalar(select(MessageReport.id)) is None


def test_a_conversation_page_costs_the_same_queries_for_5_or_75_messages(client, demo):
    from portal.mentoring.models import Message

    match = db.session.scalar(select(Match).where(Match.status == "active", Match.mentee_user_id.is_not(None)))
    person = db.session.get(User, match.mentor_id)
    client.sign_in(person)
    url = f"/mentoring/matches/{match.id}/conversation"

    def count() -> int:
        seen = []
        listener = lambda *a, **k: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    few = count()
    db.session.add_all(Message(match_id=match.id, sender_id=person.id, body=f"More {i}") for i in range(70))
    db.session.commit()
    assert count() == few
